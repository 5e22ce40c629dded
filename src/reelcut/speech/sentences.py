"""Sentences out of timed words: where a thought ends, for cut points and for shorts.

A sentence ends where the speaker stops for :data:`PAUSE_MS` or longer, or after a word that
ends with sentence punctuation (``. ? !`` and their CJK forms, an ellipsis) followed by at least
:data:`PUNCT_PAUSE_MS` of quiet. Why both: a small model punctuates by ear and puts full stops at
a breath inside a sentence as readily as commas at its end (measured with tiny.en on generated
talk, bench/sentence_cuts.py), so punctuation alone is not trusted without a pause behind it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reelcut.speech.words import Word, join_words

PAUSE_MS = 900
PUNCT_PAUSE_MS = 250
_ENDS = (".", "?", "!", "。", "？", "！", "…", "．")
_QUOTES = "\"'”’」』)）"


@dataclass(frozen=True, slots=True)
class Sentence:
    """Consecutive words that make one sentence; times in ms of the source."""

    words: tuple[Word, ...]

    @property
    def start_ms(self) -> int:
        return self.words[0].start_ms

    @property
    def end_ms(self) -> int:
        return self.words[-1].end_ms

    @property
    def text(self) -> str:
        return join_words(w.text for w in self.words)

    @property
    def is_question(self) -> bool:
        return self.text.rstrip(_QUOTES).endswith(("?", "？"))


def ends_sentence(text: str) -> bool:
    """True when a word closes its sentence by punctuation (closing quotes ignored)."""
    return text.strip().rstrip(_QUOTES).endswith(_ENDS)


def sentences(words: Sequence[Word], pause_ms: int = PAUSE_MS) -> list[Sentence]:
    """``words`` (any order) grouped into sentences, in time order."""
    out: list[Sentence] = []
    run: list[Word] = []
    for w in sorted(words, key=lambda w: (w.start_ms, w.end_ms)):
        if not w.text.strip():
            continue
        gap = w.start_ms - run[-1].end_ms if run else 0
        if run and (gap >= pause_ms or (ends_sentence(run[-1].text) and gap >= PUNCT_PAUSE_MS)):
            out.append(Sentence(tuple(run)))
            run = []
        run.append(w)
    if run:
        out.append(Sentence(tuple(run)))
    return out


def sentence_spans_ms(words: Sequence[Word], pause_ms: int = PAUSE_MS) -> list[tuple[int, int]]:
    """(start, end) of each sentence: a cut inside one of these cuts a sentence."""
    return [(s.start_ms, s.end_ms) for s in sentences(words, pause_ms)]
