"""Bring chosen windows to the exact reel length and move their cut points into pauses.

The windows come from :mod:`.pick`; here they are trimmed (tails first, never into a moment's
peak) or grown to the target, and then every cut point moves to its best option
(``snap.cut_options``) all at once, so that the reel keeps its length.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from reelcut.analysis.signals import Signals
from reelcut.selection.candidates import Candidate
from reelcut.selection.clips import SelectionParams
from reelcut.selection.sentences import SentenceSpans, prefer_breaks
from reelcut.selection.snap import CutOption, cut_options, voice_gaps

MIN_GAP_S = 1.0  # between two clips of the same source
PEAK_MARGIN_S = 2.0  # never trimmed closer than this to a peak


@dataclass(slots=True)
class Window:
    """A clip in the making: the moments it holds (strongest first) and its current span."""

    members: list[Candidate]
    start: float
    end: float
    need_lo: float  # the span its moments need: build-up, peak, reaction
    need_hi: float
    limit_lo: float = 0.0  # how far the window may grow (source start or the clip before)
    limit_hi: float = field(default=float("inf"))

    @property
    def cand(self) -> Candidate:
        return self.members[0]

    @property
    def source_index(self) -> int:
        return self.members[0].source_index

    @property
    def length(self) -> float:
        return self.end - self.start

    @property
    def keep_lo(self) -> float:
        """Trimming stops here: just before the first peak it holds."""
        return min(m.peak_s for m in self.members) - PEAK_MARGIN_S

    @property
    def keep_hi(self) -> float:
        return max(m.peak_s for m in self.members) + PEAK_MARGIN_S

    def holds(self, t: float) -> bool:
        return self.start <= t <= self.end

    def absorb(self, other: Window) -> None:
        """Take ``other``'s moments and span (the two play better as one clip)."""
        self.members = sorted(self.members + other.members, key=lambda m: -m.score)
        self.start, self.end = min(self.start, other.start), max(self.end, other.end)
        self.need_lo, self.need_hi = (
            min(self.need_lo, other.need_lo),
            max(self.need_hi, other.need_hi),
        )
        self.limit_lo, self.limit_hi = (
            min(self.limit_lo, other.limit_lo),
            max(self.limit_hi, other.limit_hi),
        )


def merge_close(windows: list[Window], longest_s: float, gap_s: float) -> list[Window]:
    """Two clips of one source with a blink between them play better as one (sorted input),
    unless together they would run past ``longest_s``: then they stay two."""
    out: list[Window] = []
    for w in windows:
        prev = out[-1] if out else None
        if (
            prev
            and prev.source_index == w.source_index
            and w.start - prev.end < gap_s
            and max(prev.end, w.end) - prev.start <= longest_s
        ):
            prev.absorb(w)
        else:
            out.append(w)
    return out


def set_limits(windows: list[Window], signals: Sequence[Signals]) -> None:
    for k, w in enumerate(windows):
        src = w.source_index
        prev = windows[k - 1] if k and windows[k - 1].source_index == src else None
        nxt = (
            windows[k + 1] if k + 1 < len(windows) and windows[k + 1].source_index == src else None
        )
        w.limit_lo = prev.end + MIN_GAP_S if prev else 0.0
        w.limit_hi = nxt.start - MIN_GAP_S if nxt else signals[src].duration_s


def fit(windows: list[Window], params: SelectionParams) -> None:
    """Trim or grow the windows until they add up to the target (to within a millisecond)."""
    for _ in range(50):
        diff = sum(w.length for w in windows) - params.target_s
        if abs(diff) < 1e-3 or not windows:
            return
        if diff > 0:
            room = [_trim_room(w, params) for w in windows]
            avail = sum(t + h for t, h in room)
            if avail < diff - 1e-6:
                if len(windows) > 1:
                    weakest = min(range(len(windows)), key=lambda k: windows[k].cand.score)
                    windows.pop(weakest)  # the others grow back into the gap below
                else:
                    _centre_on_peak(windows[0], params.target_s)
                continue
            share = diff / avail
            for w, (tail, head) in zip(windows, room, strict=True):
                w.end -= tail * share
                w.start += head * share
        else:
            need = -diff
            room = [_grow_room(w, params) for w in windows]
            avail = sum(t + h for t, h in room)
            if avail <= 1e-6:
                unbounded = replace(params, max_clip_s=float("inf"))
                if sum(t + h for t, h in (_grow_room(w, unbounded) for w in windows)) <= 1e-6:
                    return  # nothing can grow: every window hemmed in by its neighbours
                # Every window at max_clip: let them grow past it rather than miss the target.
                params = replace(params, max_clip_s=params.max_clip_s * 1.5)
                continue
            share = min(need / avail, 1.0)
            for w, (tail, head) in zip(windows, room, strict=True):
                w.end += tail * share
                w.start -= head * share
            if share >= 1.0:
                # Everything reached max_clip: let windows grow past it rather than miss the target.
                params = replace(params, max_clip_s=params.max_clip_s * 1.5)


def _centre_on_peak(w: Window, length: float) -> None:
    """Last resort for a single window: keep ``length`` seconds around its peak, lead-in first."""
    start = max(w.limit_lo, w.cand.peak_s - 0.6 * length)
    w.start, w.end = start, start + length


def _trim_room(w: Window, params: SelectionParams) -> tuple[float, float]:
    """(tail, head) seconds that may come off: down to min length, never into a peak's core."""
    tail = max(w.end - max(w.keep_hi, w.start + params.min_clip_s), 0.0)
    head = max(min(w.keep_lo, w.end - tail - params.min_clip_s) - w.start, 0.0)
    # Trim the tail twice as readily as the lead-in: the build-up is worth more.
    return tail, 0.5 * head


def _grow_room(w: Window, params: SelectionParams) -> tuple[float, float]:
    spare = max(params.max_clip_s - w.length, 0.0)
    tail = min(max(w.limit_hi - w.end, 0.0), spare * 0.6)
    head = min(max(w.start - w.limit_lo, 0.0), spare - tail)
    return tail, head


def snap(
    windows: list[Window],
    signals: Sequence[Signals],
    params: SelectionParams,
    sentences: Sequence[SentenceSpans | None] | None = None,
) -> None:
    """Move every cut point to its best option (``snap.cut_options``), all at once.

    One cut point may move far, to the pause after a long sentence, while the others give the
    length back inside their own pauses: a dynamic programme over the reel's running length change
    (10 ms bins) picks the cheapest set of options whose total change keeps the reel within the
    tolerance (less 0.2 s for frame rounding).
    """
    if not windows:
        return
    budget = max(params.tolerance_s - 0.2, 0.0)
    win = params.snap_window_s
    reach = max(3.0 * win, 3.0)
    gaps = {i: voice_gaps(s) for i, s in enumerate(signals)}
    # Each cut point: (window, is_end, options); a start that moves later shortens the reel.
    points: list[tuple[Window, bool, list[CutOption]]] = []
    for k, w in enumerate(windows):
        src = w.source_index
        s = signals[src]
        prev = windows[k - 1] if k and windows[k - 1].source_index == src else None
        nxt = (
            windows[k + 1] if k + 1 < len(windows) and windows[k + 1].source_index == src else None
        )
        # Neighbouring clips of one source meet no closer than half a second apart.
        lo = max(w.limit_lo, (prev.end + w.start) / 2 + 0.25 if prev else 0.0, 0.0)
        hi = min(w.keep_lo, w.end - params.min_clip_s)
        said = sentences[src] if sentences else None
        opts = cut_options(s, gaps[src], w.start, lo, max(hi, lo), win, reach)
        points.append((w, False, prefer_breaks(opts, said, w.start, lo, max(hi, lo), win)))
        lo = max(w.keep_hi - PEAK_MARGIN_S + 0.5, w.start + params.min_clip_s)
        hi = min(w.limit_hi, (w.end + nxt.start) / 2 - 0.25 if nxt else s.duration_s, s.duration_s)
        opts = cut_options(s, gaps[src], w.end, min(lo, hi), hi, win, reach)
        points.append((w, True, prefer_breaks(opts, said, w.end, min(lo, hi), hi, win)))
    error = sum(w.length for w in windows) - params.target_s
    choice = _cheapest(
        [
            [
                ((o.at_s - (w.end if is_end else w.start)) * (1 if is_end else -1), o.cost)
                for o in opts
            ]
            for w, is_end, opts in points
        ],
        error,
        budget,
    )
    for (w, is_end, opts), k in zip(points, choice, strict=True):
        if is_end:
            w.end = opts[k].at_s
        else:
            w.start = opts[k].at_s


def _cheapest(
    options: list[list[tuple[float, float]]], error_s: float, budget_s: float, bin_s: float = 0.01
) -> list[int]:
    """One option (length change s, cost) per cut point, cheapest in total, with the reel's final
    error ``error_s + sum(changes)`` inside ±``budget_s`` (or no worse than ``error_s``).
    Option 0 of every point (no move) keeps that feasible."""
    span = sum(max(abs(c) for c, _ in opts) for opts in options)
    half = int(np.ceil(min(span, 30.0) / bin_s)) + int(np.ceil(abs(error_s) / bin_s)) + 1
    size = 2 * half + 1
    cost = np.full(size, np.inf)
    cost[half + int(round(error_s / bin_s))] = 0.0
    back: list[np.ndarray] = []
    for opts in options:
        new = np.full(size, np.inf)
        arg = np.zeros(size, np.int32)
        for k, (change, c) in enumerate(opts):
            shift = int(round(change / bin_s))
            if abs(shift) >= size:
                continue
            moved = np.full(size, np.inf)
            if shift >= 0:
                moved[shift:] = cost[: size - shift]
            else:
                moved[:shift] = cost[-shift:]
            moved += c
            better = moved < new
            new[better] = moved[better]
            arg[better] = k
        cost = new
        back.append(arg)
    err = (np.arange(size) - half) * bin_s
    limit = max(budget_s, abs(error_s)) + 1e-9  # never further off the target than before
    total = np.where(np.abs(err) <= limit, cost + 1.5 * np.abs(err), np.inf)
    j = int(np.argmin(total))
    picks: list[int] = []
    for opts, arg in zip(reversed(options), reversed(back), strict=True):
        k = int(arg[j])
        picks.append(k)
        j -= int(round(opts[k][0] / bin_s))
    return picks[::-1]
