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


#: Sentence breaks heard in the voice (:func:`spoken_sentences`): any pause this long ends a
#: sentence; a pause this long after sentence punctuation does too. Generated talk with a breath
#: of 0.35-0.6 s inside its sentences measures 0.2-0.5 s of voice pause there and 0.75-0.9 s
#: between sentences (tests/speechmedia.py lecture); tiny.en puts full stops at those breaths.
VOICE_PAUSE_S = 0.7
VOICE_PUNCT_PAUSE_S = 0.55
_NEAR_S = 0.3  # how loose a small model's word times are around a pause


def spoken_sentences(
    words: Sequence[Word], pauses_s: Sequence[tuple[float, float]]
) -> list[tuple[int, int]]:
    """(start_ms, end_ms) of each sentence of ``words``, its breaks confirmed by the voice.

    For cut points: a break between two words stands only where the voice track (``pauses_s``,
    the quiet spans it hears) pauses long enough between them (:data:`VOICE_PAUSE_S`, or
    :data:`VOICE_PUNCT_PAUSE_S` after sentence punctuation), so a breath a model punctuated is
    no break. Each sentence's edges move out to the voice: to the pause's edge where a pause lies
    within the words' looseness, so a cut in that pause is in the quiet, not on a loose word time.
    """
    ws = sorted((w for w in words if w.text.strip()), key=lambda w: (w.start_ms, w.end_ms))
    if not ws:
        return []
    gaps = sorted((float(a), float(b)) for a, b in pauses_s if b > a)

    def pause_between(a_ms: int, b_ms: int) -> tuple[float, float] | None:
        a, b = a_ms / 1000 - _NEAR_S, b_ms / 1000 + _NEAR_S
        hit = [(p0, p1) for p0, p1 in gaps if p0 < b and p1 > a]
        return max(hit, key=lambda p: p[1] - p[0]) if hit else None

    out: list[tuple[int, int]] = []
    start = _onset(ws[0].start_ms, gaps)
    for prev, nxt in zip(ws, ws[1:], strict=False):
        p = pause_between(prev.end_ms, nxt.start_ms)
        length = p[1] - p[0] if p else 0.0
        if length >= VOICE_PAUSE_S or (ends_sentence(prev.text) and length >= VOICE_PUNCT_PAUSE_S):
            assert p is not None
            out.append((start, max(prev.end_ms, round(p[0] * 1000))))
            start = min(nxt.start_ms, round(p[1] * 1000))
    out.append((start, _offset(ws[-1].end_ms, gaps)))
    return out


def _onset(start_ms: int, gaps: Sequence[tuple[float, float]]) -> int:
    """The voice's own onset for a first word said at ``start_ms`` (a loose time): where the
    pause before it ends, when that is a little earlier."""
    t = start_ms / 1000
    ends = [p1 for _, p1 in gaps if t - 2 * _NEAR_S <= p1 <= t]
    return round(min(ends) * 1000) if ends else start_ms


def _offset(end_ms: int, gaps: Sequence[tuple[float, float]]) -> int:
    """The voice's own end for a last word ending at ``end_ms``: where the next pause starts,
    when that is a little later."""
    t = end_ms / 1000
    starts = [p0 for p0, _ in gaps if t <= p0 <= t + 2 * _NEAR_S]
    return round(max(starts) * 1000) if starts else end_ms
