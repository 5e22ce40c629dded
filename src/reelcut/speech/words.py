"""The values speech produces: timed words, segments of them, and a whole transcript.

Kept apart from the engines and the registry so that every module of the package (and the
engines the registry imports lazily) can name these types without importing each other.
Times are integer milliseconds of the source (or of the reel, after :func:`~.retime.retime`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Word:
    """One recognised word; times in milliseconds of the source (or the reel, after retime)."""

    text: str
    start_ms: int
    end_ms: int
    confidence: float  # 0..1, as the engine reports it; not comparable across engines


@dataclass(frozen=True, slots=True)
class Segment:
    """A phrase as the engine heard it (usually a sentence), from its first word to its last."""

    words: tuple[Word, ...]

    @property
    def start_ms(self) -> int:
        return self.words[0].start_ms if self.words else 0

    @property
    def end_ms(self) -> int:
        return self.words[-1].end_ms if self.words else 0

    @property
    def text(self) -> str:
        return join_words(w.text for w in self.words)


@dataclass(frozen=True, slots=True)
class Transcript:
    """What was said in a source (or the ranges of it that were asked for).

    ``language`` is the ISO 639-1 code the engine used or detected (None when it heard nothing
    and was not told); ``model`` names the model that produced it, for caches and for reports.
    """

    language: str | None
    segments: tuple[Segment, ...]
    model: str = ""

    def words(self) -> list[Word]:
        """Every word of every segment, in time order."""
        return [w for s in self.segments for w in s.words]

    def to_json(self) -> dict[str, Any]:
        """The ``reelcut transcript --json`` document: seconds of the source, three decimals."""
        return {
            "language": self.language,
            "model": self.model,
            "segments": [
                {
                    "start": _s(s.start_ms),
                    "end": _s(s.end_ms),
                    "text": s.text,
                    "words": [
                        {
                            "start": _s(w.start_ms),
                            "end": _s(w.end_ms),
                            "word": w.text,
                            "probability": round(w.confidence, 3),
                        }
                        for w in s.words
                    ],
                }
                for s in self.segments
            ],
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Transcript:
        """The inverse of :meth:`to_json` (used by the cache)."""
        segments = tuple(
            Segment(
                tuple(
                    Word(
                        str(w["word"]),
                        round(float(w["start"]) * 1000),
                        round(float(w["end"]) * 1000),
                        float(w.get("probability", 1.0)),
                    )
                    for w in s["words"]
                )
            )
            for s in doc["segments"]
        )
        return cls(doc.get("language"), segments, str(doc.get("model", "")))


_CLOSING = frozenset(".,!?;:…%)]}。，、！？；：）」』》】")


def _s(ms: int) -> float:
    return round(ms / 1000, 3)


def is_wide(char: str) -> bool:
    """True for characters of scripts written without spaces (CJK ideographs, kana, fullwidth)."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def join_words(words: Iterable[str]) -> str:
    """Words as one line of text: a space between two words unless both sides are CJK.

    ``["我们", "进球了"]`` gives ``"我们进球了"``; ``["We", "scored"]`` gives ``"We scored"``;
    a mixed ``["用", "Python", "写"]`` gives ``"用 Python 写"`` (as people type it).
    """
    return join_tokens(w.strip() for w in words)


def join_tokens(words: Iterable[str]) -> str:
    """:func:`join_words` without stripping each word (for blanked-out words, see captions)."""
    out = ""
    for word in words:
        if not word:
            continue
        if out and not (is_wide(out[-1]) and is_wide(word[0])) and not _is_closing(word[0]):
            out += " "
        out += word
    return out


def _is_closing(char: str) -> bool:
    """Punctuation that sticks to the word before it (Whisper sometimes emits it alone)."""
    return char in _CLOSING


def segment_words(words: Sequence[Word]) -> tuple[Segment, ...]:
    """Words that came without segments (an engine that gives only words) as one segment each
    run between pauses of 600 ms or sentence punctuation."""
    segments: list[Segment] = []
    run: list[Word] = []
    for w in sorted(words, key=lambda w: (w.start_ms, w.end_ms)):
        if run and (w.start_ms - run[-1].end_ms >= 600 or run[-1].text.endswith((".", "?", "!"))):
            segments.append(Segment(tuple(run)))
            run = []
        run.append(w)
    if run:
        segments.append(Segment(tuple(run)))
    return tuple(segments)
