"""The draft for a person to finish the cut in their own editor: one module per exchange format,
each writing through its OpenTimelineIO adapter (as OpenTimelineIO keeps one adapter per format).

=========  ===========================================================  ========================
format     module                                                       opens in
=========  ===========================================================  ========================
otio       :mod:`.otio` (everything kept, metadata under ``reelcut``)   OpenTimelineIO tools
fcpxml     :mod:`.fcpxml` (clips, lanes, markers; cards are gaps)       Final Cut Pro X, Resolve
fcp7       :mod:`.fcp7` (clips, Color cards, tracks, markers)           Premiere Pro, Resolve
edl        :mod:`.edl` (main track only; texts as comments)             anything (CMX3600)
=========  ===========================================================  ========================

The draft's integer ms become whole frames at the reel's rate (:mod:`.frames`). Source files are
linked by absolute path; missing files do not stop an export (editors relink). Everything here
returns text: writing the files (and the music WAVs the XML formats link) is the application
layer's job, :func:`reelcut.editor.exchange.export_project`.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from reelcut.errors import InvalidArgumentError
from reelcut.timeline.exchange import edl, fcp7, fcpxml, otio
from reelcut.timeline.exchange.build import music_stem_name
from reelcut.timeline.exchange.frames import ms_to_frames, reel_rate
from reelcut.timeline.exchange.otio import draft_to_otio
from reelcut.timeline.model import Draft

_MODULES: dict[str, ModuleType] = {"otio": otio, "fcpxml": fcpxml, "fcp7": fcp7, "edl": edl}
FORMATS: dict[str, str] = {name: m.SUFFIX for name, m in _MODULES.items()}  # name -> suffix
ADAPTERS: dict[str, str] = {name: m.ADAPTER for name, m in _MODULES.items()}  # name -> adapter
LINKS_MUSIC_FILES = frozenset({"fcpxml", "fcp7"})  # formats that need built-in music as a file

__all__ = [
    "ADAPTERS",
    "FORMATS",
    "LINKS_MUSIC_FILES",
    "draft_to_otio",
    "export_text",
    "format_for",
    "ms_to_frames",
    "music_stem_name",
    "reel_rate",
]


def format_for(path: Path, fmt: str | None = None) -> str:
    """The format to write ``path`` as: ``fmt`` when given, else from the suffix (any case).

    Raises :class:`InvalidArgumentError` naming the known formats or suffixes.
    """
    if fmt is not None:
        if fmt not in FORMATS:
            raise InvalidArgumentError(
                f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}"
            )
        return fmt
    suffix = path.suffix.lower()
    for name, known in FORMATS.items():
        if suffix == known:
            return name
    raise InvalidArgumentError(
        f"cannot tell the export format from {path.name!r}: name it .otio, .fcpxml, .xml or "
        f".edl, or pass one of {', '.join(FORMATS)}"
    )


def export_text(draft: Draft, fmt: str, stems: Path) -> str:
    """The file's text for ``draft`` as ``fmt``; built-in music links to WAVs in ``stems``."""
    return str(_MODULES[format_for(Path(), fmt)].write(draft, stems))
