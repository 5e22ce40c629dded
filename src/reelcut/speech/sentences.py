"""Sentences out of timed words: where a thought ends, for cut points and for shorts.

A sentence ends where the speaker stops for :data:`PAUSE_MS` or longer, or after a word that
ends with sentence punctuation (``. ? !`` and their CJK forms, an ellipsis) followed by at least
:data:`PUNCT_PAUSE_MS` of quiet. Why both: a small model punctuates by ear and puts full stops at
a breath inside a sentence as readily as commas at its end (measured with tiny.en on generated
talk, bench/sentence_cuts.py), so punctuation alone is not trusted without a pause behind it.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

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


#: Sentence breaks heard in the voice (:func:`spoken_sentences`). After sentence punctuation the
#: voice must pause at least :data:`PUNCT_SHARE` of the longer pauses this speaker makes at
#: punctuation (their 90th percentile, each counted up to 1 s), and never under :data:`MIN_PUNCT_PAUSE_S`: tiny.en puts
#: full stops at breaths inside sentences, which are shorter than the same speaker's stops
#: between sentences (generated lecture: 0.2-0.35 s against 0.75 s), while a quick speaker's
#: stops are all short (generated talk: 0.2-0.7 s, every one a sentence end). A pause of
#: :data:`VOICE_PAUSE_S`, or words :data:`WORD_GAP_S` apart, end a sentence without punctuation.
PUNCT_SHARE = 0.5
MIN_PUNCT_PAUSE_S = 0.25
DEFAULT_PUNCT_PAUSE_S = 0.55  # with too few punctuated pauses to measure the speaker by
VOICE_PAUSE_S = 0.7
WORD_GAP_S = 0.9
LONGEST_RUN_S = 12.0
_NEAR_S = 0.3  # how loose a small model's word times are around a pause
_LONGEST_S = 1.0


def _gap_pauses(
    ws: Sequence[Word], gaps: Sequence[tuple[float, float]]
) -> list[tuple[float, float] | None]:
    """For each gap between consecutive words, the longest voice pause that belongs to it: each
    pause goes to the one word gap it overlaps most (or lies nearest, within the looseness)."""
    out: list[tuple[float, float] | None] = [None] * max(len(ws) - 1, 0)
    bounds = [(ws[k].end_ms / 1000, ws[k + 1].start_ms / 1000) for k in range(len(ws) - 1)]
    starts = [b for _, b in bounds]
    for p0, p1 in gaps:
        k0 = max(bisect.bisect_left(starts, p0 - 2 * _NEAR_S) - 1, 0)
        best, score = None, -float("inf")
        for k in range(k0, len(bounds)):
            g0, g1 = bounds[k]
            if g0 > p1 + _NEAR_S:
                break
            overlap = min(p1, g1 + _NEAR_S) - max(p0, g0 - _NEAR_S)
            if overlap > score:
                best, score = k, overlap
        if best is not None and score > 0:
            have = out[best]
            if have is None or p1 - p0 > have[1] - have[0]:
                out[best] = (p0, p1)
    return out


def spoken_sentences(
    words: Sequence[Word], pauses_s: Sequence[tuple[float, float]]
) -> list[tuple[int, int]]:
    """(start_ms, end_ms) of each sentence of ``words``, its breaks confirmed by the voice.

    For cut points: a break between two words stands only where the voice track (``pauses_s``,
    the quiet spans it hears) pauses long enough between them (see :data:`PUNCT_SHARE`), so a
    breath a model punctuated is no break. Each sentence's edges move out to the voice: to the
    pause's edge where a pause lies within the words' looseness, so a cut in that pause is in
    the quiet, not on a loose word time.
    """
    ws = sorted((w for w in words if w.text.strip()), key=lambda w: (w.start_ms, w.end_ms))
    if not ws:
        return []
    gaps = sorted((float(a), float(b)) for a, b in pauses_s if b > a)
    owned = _gap_pauses(ws, gaps)
    punct = [  # a laugh or a change of subject is a stop, not a longer one: capped
        min(p[1] - p[0], _LONGEST_S)
        for w, p in zip(ws, owned, strict=False)
        if p is not None and ends_sentence(w.text)
    ]
    need = DEFAULT_PUNCT_PAUSE_S
    if len(punct) >= 4:
        need = max(MIN_PUNCT_PAUSE_S, PUNCT_SHARE * float(np.percentile(punct, 90)))
    breaks = [
        (p is not None and p[1] - p[0] >= VOICE_PAUSE_S)
        or (nxt.start_ms - prev.end_ms) / 1000 >= WORD_GAP_S
        or (p is not None and ends_sentence(prev.text) and p[1] - p[0] >= need - 1e-6)
        for prev, nxt, p in zip(ws, ws[1:], owned, strict=False)
    ]
    _split_long_runs(ws, owned, breaks)
    out: list[tuple[int, int]] = []
    start = _onset(ws[0].start_ms, gaps)
    for k, (prev, nxt) in enumerate(zip(ws, ws[1:], strict=False)):
        if breaks[k]:
            p = owned[k]
            out.append((start, max(prev.end_ms, round(p[0] * 1000)) if p else prev.end_ms))
            start = min(nxt.start_ms, round(p[1] * 1000)) if p else nxt.start_ms
    out.append((start, _offset(ws[-1].end_ms, gaps)))
    return out


def _split_long_runs(
    ws: Sequence[Word], owned: Sequence[tuple[float, float] | None], breaks: list[bool]
) -> None:
    """Break every run of words longer than :data:`LONGEST_RUN_S` at its longest voice pause
    (of :data:`MIN_PUNCT_PAUSE_S` or more), again until none is: nobody talks that long without
    a stop, and where the transcript's punctuation missed it (a small model writes commas at
    sentence ends as readily as full stops at breaths) the longest pauses are the likeliest."""
    todo = [(0, len(ws) - 1)]
    while todo:
        a, b = todo.pop()
        if (ws[b].end_ms - ws[a].start_ms) / 1000 <= LONGEST_RUN_S:
            continue
        inner = [
            k for k in range(a, b)
            if owned[k] is not None and not breaks[k]
            and owned[k][1] - owned[k][0] >= MIN_PUNCT_PAUSE_S  # type: ignore[index]
        ]  # fmt: skip
        cut = [k for k in range(a, b) if breaks[k]]
        if cut:  # already several runs: look at each
            edges = [a - 1, *cut, b]
            todo += [(edges[i] + 1, edges[i + 1]) for i in range(len(edges) - 1)]
            continue
        if not inner:
            continue
        k = max(inner, key=lambda k: owned[k][1] - owned[k][0])  # type: ignore[index]
        breaks[k] = True
        todo += [(a, k), (k + 1, b)]


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
