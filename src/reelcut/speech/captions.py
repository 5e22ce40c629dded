"""Group timed words into caption cues and write them as SRT or WebVTT.

Cues break at pauses in speech, after sentence punctuation (engines that give it), and when
the lines are full or the cue has been on screen long enough. Words are never split: one longer
than a line gets a line of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reelcut.errors import InvalidArgumentError
from reelcut.speech.retime import Piece, retime
from reelcut.speech.words import Word

__all__ = ["Caption", "Piece", "group_captions", "retime", "to_srt", "to_vtt"]

_SENTENCE_END = (".", "?", "!", "…")


@dataclass(frozen=True, slots=True)
class Caption:
    """One cue: shown from ``start_ms`` to ``end_ms``; lines joined with ``"\\n"``."""

    start_ms: int
    end_ms: int
    text: str


def group_captions(
    words: Sequence[Word],
    max_chars: int = 32,
    max_lines: int = 2,
    max_duration_ms: int = 4000,
    min_gap_ms: int = 600,
) -> list[Caption]:
    """Cues for ``words`` (any order), each at most ``max_lines`` lines of ``max_chars``.

    A silence of ``min_gap_ms`` or more between two words always starts a new cue, so a cue is
    never on screen across a pause; a cue also ends before it would last over ``max_duration_ms``.
    """
    if max_chars < 1 or max_lines < 1 or max_duration_ms < 1 or min_gap_ms < 0:
        raise InvalidArgumentError("caption limits must be positive")
    captions: list[Caption] = []
    lines: list[list[str]] = []
    start = end = 0
    prev: Word | None = None

    def flush() -> None:
        if lines:
            text = "\n".join(" ".join(line) for line in lines)
            captions.append(Caption(start, end, text))
            lines.clear()

    for w in sorted(words, key=lambda w: (w.start_ms, w.end_ms)):
        text = " ".join(w.text.split())
        if not text:
            continue
        if prev is not None and (
            w.start_ms - prev.end_ms >= min_gap_ms
            or w.end_ms - start > max_duration_ms
            or prev.text.endswith(_SENTENCE_END)
        ):
            flush()
        if lines and len(" ".join(lines[-1])) + 1 + len(text) > max_chars:
            if len(lines) >= max_lines:
                flush()
            else:
                lines.append([])
        if not lines:
            lines.append([])
            start = end = w.start_ms
        lines[-1].append(text)
        end = max(end, w.end_ms)
        prev = w
    flush()
    return captions


def _clock(ms: int, decimal: str) -> str:
    ms = max(0, int(ms))
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{decimal}{millis:03d}"


def to_srt(captions: Sequence[Caption]) -> str:
    """SubRip text: numbered cues from 1, ``HH:MM:SS,mmm`` times, blank line between cues."""
    blocks = [
        f"{i}\n{_clock(c.start_ms, ',')} --> {_clock(c.end_ms, ',')}\n{c.text}"
        for i, c in enumerate(captions, start=1)
    ]
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _vtt_text(text: str) -> str:
    """Cue text with the characters WebVTT reserves escaped (``&``, ``<``, ``>``)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_vtt(captions: Sequence[Caption]) -> str:
    """WebVTT text: the ``WEBVTT`` header, then cues with ``HH:MM:SS.mmm`` times."""
    blocks = [
        f"{_clock(c.start_ms, '.')} --> {_clock(c.end_ms, '.')}\n{_vtt_text(c.text)}"
        for c in captions
    ]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n" if blocks else "WEBVTT\n"
