"""Sentence breaks as cut points: a reel of talk cuts between sentences, not only between words.

Selection does not transcribe; the application layer (``editor.speech_cuts``) hands it where the
sentences of each source are, as plain spans of seconds, and which ranges it read. Given them, a
cut point of that source goes only where no sentence is being said:

- an option inside a sentence costs :data:`IN_SENTENCE`, so much that the reel-wide choice
  (``fit.snap``) takes one only when no combination of breaks keeps the reel's length; then
  ``pick`` drops a weaker clip or lets the others grow (see :func:`cuts_inside`);
- the gap between two sentences is an option of its own, searched out to :data:`BREAK_REACH_S`
  (further than a pause is: a long sentence's end is worth a long move), even where the voice
  track heard no pause (fast talk runs sentences together);
- an option outside what was read costs :data:`UNREAD` (the editor reads there and asks again).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from reelcut.selection.snap import CutOption, _move_cost

IN_SENTENCE = 1000.0
UNREAD = 100.0
BREAK_REACH_S = 6.0
_BREAK_BONUS = 1.2
_MARGIN_S = 0.1  # a cut keeps this far from the voice either side of a break
_GRID_S = 0.05


@dataclass(frozen=True, slots=True)
class SentenceSpans:
    """Where the sentences of one source are: (start_s, end_s) rows, sorted, seconds.

    Only the ranges that were read (``known``) are known: a break is a gap between two
    sentences of one known range, or between the footage's start or end (``duration_s``) and
    the sentence next to it; the edge of a range is no break (the sentence may go on there).
    """

    spans: np.ndarray  # shape (k, 2)
    known: np.ndarray  # shape (r, 2): the ranges that were transcribed
    duration_s: float = float("inf")

    @classmethod
    def of(
        cls,
        spans_s: Sequence[tuple[float, float]],
        known_s: Sequence[tuple[float, float]],
        duration_s: float = float("inf"),
    ) -> SentenceSpans:
        rows = sorted((float(a), float(b)) for a, b in spans_s if b > a)
        ranges = sorted((float(a), float(b)) for a, b in known_s if b > a)
        return cls(
            np.asarray(rows, float).reshape(-1, 2),
            np.asarray(ranges, float).reshape(-1, 2),
            float(duration_s),
        )

    def _same_range(self, a: float, b: float) -> bool:
        r = self.known
        return bool(np.any((r[:, 0] <= a + 1e-6) & (b <= r[:, 1] + 1e-6)))

    def is_known(self, t: float) -> bool:
        """True when ``t`` lies in a range that was read."""
        return self._same_range(t, t)

    def inside(self, t: float) -> bool:
        """True when a cut at ``t`` cuts a sentence (strictly between its first and last sound)."""
        s = self.spans
        return bool(np.any((s[:, 0] + 1e-3 < t) & (t < s[:, 1] - 1e-3)))

    def breaks(self, a: float, b: float) -> list[tuple[float, float]]:
        """The usable interiors of the gaps between consecutive sentences that meet [a, b]."""
        s = self.spans
        gaps = [(s[k, 1], s[k + 1, 0], s[k, 0], s[k + 1, 1]) for k in range(len(s) - 1)]
        if len(s) and self._same_range(0.0, s[0, 1]):
            gaps.insert(0, (0.0, s[0, 0], 0.0, s[0, 1]))  # the footage's start: before everything
        end = self.duration_s
        if len(s) and np.isfinite(end) and self._same_range(s[-1, 0], end - 1e-3):
            gaps.append((s[-1, 1], end, s[-1, 0], end - 1e-3))  # after the last sentence
        out = []
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
    reach_s: float = BREAK_REACH_S,
) -> list[CutOption]:
    """``options`` (first one kept first) with cuts inside sentences made all but impossible,
    cuts where nothing was read made dear, and the sentence breaks within ``reach_s`` of ``t``
    (and inside [lo, hi]) added on a grid."""
    if sentences is None or not len(sentences.known):
        return options
    out = []
    for o in options:
        if sentences.inside(o.at_s):
            o = replace(o, cost=o.cost + IN_SENTENCE)
        elif not sentences.is_known(o.at_s):
            o = replace(o, cost=o.cost + UNREAD)
        out.append(o)
    for g0, g1 in sentences.breaks(max(lo, t - reach_s), min(hi, t + reach_s)):
        # a grid, so that the other cut points can give back the length this one takes
        grid = set(np.arange(g0, g1 + 1e-9, _GRID_S).tolist()) | {g1, min(max(t, g0), g1)}
        for x in grid:
            if abs(x - t) > 1e-6:
                cost = _move_cost(abs(x - t), window_s) - _BREAK_BONUS * min(g1 - g0 + 0.3, 1.0)
                out.append(CutOption(x, cost, "sentence"))
    return out


def cuts_inside(
    starts_ends: Sequence[tuple[float, float]], sentences: SentenceSpans | None
) -> list[int]:
    """Indices of the (start, end) pairs with a cut point inside a sentence."""
    if sentences is None:
        return []
    return [k for k, (a, b) in enumerate(starts_ends) if sentences.inside(a) or sentences.inside(b)]
