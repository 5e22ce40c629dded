"""Export a project for an editing application, with the files the export links to.

The formats themselves are :mod:`reelcut.timeline.exchange` (text only); this writes the file
and, for the XML formats (FCPXML, FCP7), which cannot point at reelcut's generated music, renders
that music beside the export under the name the export links (``reelcut-music-<mood>.wav``).
The EDL and OTIO files need nothing more.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from reelcut.errors import OutputNotWritableError
from reelcut.timeline.exchange import LINKS_MUSIC_FILES, export_text, format_for, music_stem_name
from reelcut.timeline.model import Draft


def export_project(draft: Draft, path: Path, fmt: str | None = None) -> list[Path]:
    """Write ``path`` as ``fmt`` (default: from its suffix) and any music it links, beside it
    whatever the current folder; returns every file written."""
    path = Path(path)
    name = format_for(path, fmt)
    beside = path.parent.absolute()
    text = export_text(draft, name, beside)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputNotWritableError(f"cannot write {path}: {exc.strerror or exc}") from exc
    written = [path]
    if name not in LINKS_MUSIC_FILES:
        return written
    from reelcut.music import music_track

    for seg in draft.audio:
        src = draft.source(seg.source_id)
        if src.kind != "music":
            continue
        span = seg.duration_ms or max(draft.duration_ms - seg.start_ms, 1000)
        stem = path.parent / music_stem_name(src)
        shutil.copyfile(music_track(src.path, span / 1000), stem)
        written.append(stem)
    return written
