"""Export a project for an editing application, with the files the export links to.

The XML formats (FCPXML, FCP7) cannot point at reelcut's generated music, so the music is
rendered beside the export under the name the export links (``reelcut-music-<mood>.wav``); the
EDL and OTIO files need nothing more.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from reelcut.timeline.export import FORMATS, export_draft, music_stem_name
from reelcut.timeline.model import Draft


def export_project(draft: Draft, path: Path, fmt: str | None = None) -> list[Path]:
    """Write ``path`` (and any music stems it links); returns every file written."""
    written = [export_draft(draft, path, fmt)]
    name = fmt or next((k for k, (_, suffix) in FORMATS.items() if path.suffix == suffix), "")
    if name not in ("fcpxml", "fcp7"):
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
