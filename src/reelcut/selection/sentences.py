"""Sentence breaks as cut points: a reel of talk cuts between sentences, not only between words.

Selection does not transcribe; the application layer (``editor.speech_cuts``) hands it where the
sentences of each source are, as plain spans of seconds. Given them, every cut option that falls
inside a sentence costs :data:`IN_SENTENCE` more (more than cutting into a word, so any reachable
break wins), and the gap between two sentences becomes an option of its own, even where the
voice track heard no pause (fast talk runs sentences together).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from reelcut.selection.snap import CutOption, _move_cost

IN_SENTENCE = 12.0
_BREAK_BONUS = 1.2
_MARGIN_S = 0.25  # a cut keeps this far from the words either side of a break
_GRID_S = 0.05
_TIMING_S = 0.3  # word times of a small model are this loose: the edges of a sentence are not dear


@dataclass(frozen=True, slots=True)
class SentenceSpans:
    """Where the sentences of one source are: (start_s, end_s) rows, sorted, seconds.

    Only the ranges that were transcribed (``known``) are known: a break is a gap between two
    sentences of one known range (the edge of a range is no break: the sentence may go on);
    outside them nothing is penalised.
    """

    spans: np.ndarray  # shape (k, 2)
    known: np.ndarray  # shape (r, 2): the ranges that were transcribed

    @classmethod
    def of(
        cls, spans_s: Sequence[tuple[float, float]], known_s: Sequence[tuple[float, float]]
    ) -> SentenceSpans:
        rows = sorted((float(a), float(b)) for a, b in spans_s if b > a)
        ranges = sorted((float(a), float(b)) for a, b in known_s if b > a)
        return cls(np.asarray(rows, float).reshape(-1, 2), np.asarray(ranges, float).reshape(-1, 2))

    def _same_range(self, a: float, b: float) -> bool:
        r = self.known
        return bool(np.any((r[:, 0] <= a) & (b <= r[:, 1])))

    def inside(self, t: float) -> bool:
        """True when ``t`` cuts a sentence (more than the word times' looseness inside it)."""
        s = self.spans
        return bool(np.any((s[:, 0] + _TIMING_S < t) & (t < s[:, 1] - _TIMING_S)))

    def breaks(self, a: float, b: float) -> list[tuple[float, float]]:
        """The usable interiors of the gaps between consecutive sentences that meet [a, b]."""
        s = self.spans
        out = []
        gaps = [(s[k, 1], s[k + 1, 0], s[k, 0], s[k + 1, 1]) for k in range(len(s) - 1)]
        if len(s) and self._same_range(0.0, s[0, 1]):
            gaps.insert(0, (0.0, s[0, 0], 0.0, s[0, 1]))  # the footage's start: before everything
        for g0, g1, first, last in gaps:
            if not self._same_range(first, last):
                continue
            m = min(_MARGIN_S, max(g1 - g0, 0.0) / 2)
            lo, hi = max(g0 + m, a), min(g1 - m, b)
            if lo <= hi:
                out.append((lo, hi))
        return out


def prefer_breaks(
    options: list[CutOption],
    sentences: SentenceSpans | None,
    t: float,
    lo: float,
    hi: float,
    window_s: float,
    reach_s: float,
) -> list[CutOption]:
    """``options`` (first one kept first) with cuts inside sentences made dear and the sentence
    breaks within ``reach_s`` of ``t`` (and inside [lo, hi]) added."""
    if sentences is None or not len(sentences.spans):
        return options
    out = [
        replace(o, cost=o.cost + IN_SENTENCE) if sentences.inside(o.at_s) else o for o in options
    ]
    for g0, g1 in sentences.breaks(max(lo, t - reach_s), min(hi, t + reach_s)):
        # a grid, so that the other cut points can give back the length this one takes
        grid = set(np.arange(g0, g1 + 1e-9, _GRID_S).tolist()) | {g1, min(max(t, g0), g1)}
        for x in grid:
            if abs(x - t) > 1e-6:
                cost = _move_cost(abs(x - t), window_s) - _BREAK_BONUS * min(g1 - g0 + 0.3, 1.0)
                out.append(CutOption(x, cost, "sentence"))
    return out
