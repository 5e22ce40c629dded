"""Replies, written per language from values: what changed (:mod:`reelcut.timeline.changes`)
and what the draft holds (:func:`reelcut.timeline.summary.tracks`).

One writer module per language (``en``, ``zh``), each with the same four functions
(:class:`~reelcut.instructions.reply.base.Writer`); adding a language is adding a module and a
line in :data:`WRITERS`. An unknown language is answered in English.
"""

from __future__ import annotations

from collections.abc import Sequence

from reelcut.instructions.reply import en, zh
from reelcut.instructions.reply.base import Writer
from reelcut.timeline.changes import Change
from reelcut.timeline.model import Draft
from reelcut.timeline.summary import TrackLine, tracks

WRITERS: dict[str, Writer] = {"en": en, "zh": zh}


def writer(language: str) -> Writer:
    return WRITERS.get(language, en)


def describe(changes: Sequence[Change], language: str = "en") -> str:
    """The changes in one line ("removed the second clip; set aspect 9:16"), e.g. for history."""
    w = writer(language)
    return ("; " if w is en else "；").join(w.change(c) for c in changes)


def track_lines(draft: Draft | Sequence[TrackLine], language: str = "en") -> list[str]:
    """The summary as numbered lines ("1. Video: 5 clips (0-50s, 9:16)")."""
    lines = tracks(draft) if isinstance(draft, Draft) else draft
    w = writer(language)
    return [f"{i}. {w.track(line)}" for i, line in enumerate(lines, 1)]


def reply(
    language: str, changes: Sequence[Change], summary: Draft | Sequence[TrackLine] = ()
) -> str:
    """The answer to an edit message: what changed, then the tracks, in ``language``."""
    w = writer(language)
    head = w.done([w.change(c) for c in changes])
    lines = track_lines(summary, language)
    return head + (f"\n{w.tracks_head()}\n" + "\n".join(lines) if lines else "")


__all__ = ["WRITERS", "Writer", "describe", "reply", "track_lines", "writer"]
