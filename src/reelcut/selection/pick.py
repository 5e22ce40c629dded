"""Pick clips for a target length: strongest moments first, spread out, with their build-up.

1. Every excitement peak becomes a window: a lead-in before the rise, the rise and fall, a tail.
2. Windows are taken strongest first; each one taken lowers the score of its neighbours, so a
   busy stretch cannot eat the whole reel. Sliding windows stand in when peaks run out.
3. The windows are trimmed (tails first, the peak is never cut) or grown to the exact target.
4. Cut points move into pauses between phrases (or onto shot cuts), never into a word if it can
   be helped; all at once, so that the reel keeps its length (see ``snap`` and ``_snap``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from reelcut.analysis.signals import Signals
from reelcut.errors import NotEnoughFootageError
from reelcut.selection.candidates import Candidate, find_candidates
from reelcut.selection.clips import Clip, SelectionParams
from reelcut.selection.snap import CutOption, cut_options, voice_gaps

_MIN_GAP_S = 1.0  # between two clips of the same source
_PEAK_MARGIN_S = 2.0  # never trimmed closer than this to a peak
_WEAK = 0.25  # a candidate under this share of the best score is filler


@dataclass(slots=True)
class _Window:
    cand: Candidate
    start: float
    end: float
    limit_lo: float  # how far the window may grow (source start or the clip before)
    limit_hi: float

    @property
    def length(self) -> float:
        return self.end - self.start


def select_clips(signals: Sequence[Signals], params: SelectionParams) -> list[Clip]:
    """Clips from one or more analysed sources, in source order, summing to the target ±tolerance."""
    total = sum(s.duration_s for s in signals)
    if params.target_s > total + params.tolerance_s:
        raise NotEnoughFootageError(
            f"the footage is {total:.1f} s long, shorter than the {params.target_s:.1f} s reel asked for"
        )
    if params.target_s >= total - params.tolerance_s:
        return [_whole(i, s) for i, s in enumerate(signals)]
    # A good reel clip runs 8-15 s: a short reel gets fewer clips, not shorter ones.
    typical = float(np.clip(params.target_s / 4, params.min_clip_s, min(params.max_clip_s, 12.0)))
    windows = _choose(signals, params, typical)
    windows.sort(key=lambda w: (w.cand.source_index, w.start))
    windows = _merge_close(windows)
    _set_limits(windows, signals)
    _fit(windows, params)
    _snap(windows, signals, params)
    return [_to_clip(w) for w in windows]


def _whole(index: int, s: Signals) -> Clip:
    peak = int(np.argmax(s.excitement)) if s.steps else 0
    return Clip(
        index,
        0,
        int(round(s.duration_s * 1000)),
        int((peak + 0.5) * s.step_s * 1000),
        float(s.excitement.max()) if s.steps else 0.0,
        "whole recording",
    )


def _window_for(
    c: Candidate, params: SelectionParams, duration: float, typical: float
) -> tuple[float, float]:
    """The span a moment deserves: lead-in, rise, peak, fall, tail; at most twice the typical clip."""
    longest = min(params.max_clip_s, max(2 * typical, params.min_clip_s))
    start = min(c.start_s, c.peak_s - _PEAK_MARGIN_S) - params.lead_in_s
    end = max(c.end_s, c.peak_s + _PEAK_MARGIN_S) + params.tail_s
    if end - start > longest:
        start = max(start, c.peak_s - 0.6 * longest)
        end = start + longest
    if end - start < params.min_clip_s:
        end = start + params.min_clip_s
    if start < 0:
        start, end = 0.0, min(end - start, duration)
    if end > duration:
        start, end = max(0.0, start - (end - duration)), duration
    return start, end


def _fallback(signals: Signals, index: int, length: float) -> list[Candidate]:
    """Sliding windows scored by mean excitement: used only when real peaks run out."""
    out: list[Candidate] = []
    step = signals.step_s
    n = max(int(length / step), 1)
    if signals.steps < n:
        return out
    csum = np.concatenate([[0.0], np.cumsum(signals.excitement)])
    for i in range(0, signals.steps - n + 1, n):
        mean = float((csum[i + n] - csum[i]) / n)
        centre = (i + n / 2) * step
        out.append(Candidate(index, centre, 0.3 * mean, i * step, (i + n) * step, ()))
    return out


def _choose(signals: Sequence[Signals], params: SelectionParams, typical: float) -> list[_Window]:
    # Pool rows: [tier, score, candidate]; tier 0 are real peaks, tier 1 sliding-window stand-ins
    # that are only used once every real peak is taken or blocked.
    pool: list[tuple[int, float, Candidate]] = []
    for i, s in enumerate(signals):
        pool += [(0, c.score, c) for c in find_candidates(s, i, min_gap_s=max(typical / 2, 3.0))]
        pool += [(1, max(c.score, 0.0), c) for c in _fallback(s, i, typical)]
    expected = max(params.target_s / typical, 1.0)
    radius = {i: s.duration_s / (3.0 * expected) for i, s in enumerate(signals)}
    chosen: list[_Window] = []
    length = 0.0
    top = max((score for tier, score, _ in pool if tier == 0), default=0.0)
    # With several inputs, each first gets its own best moment (a combined reel shows them all),
    # when the reel is long enough to hold one clip of each.
    firsts: list[int] = []
    if len(signals) > 1 and params.target_s >= 1.5 * len(signals) * params.min_clip_s:
        for i in range(len(signals)):
            mine = [k for k in range(len(pool)) if pool[k][2].source_index == i]
            if mine:
                firsts.append(max(mine, key=lambda k: (-pool[k][0], pool[k][1])))
    while pool and length < params.target_s:
        forced = bool(firsts)
        if forced:
            best = firsts.pop(0)
            firsts = [k - (k > best) for k in firsts]
        else:
            best = max(range(len(pool)), key=lambda k: (-pool[k][0], pool[k][1]))
        tier, score, cand = pool.pop(best)
        if chosen and not forced and (tier == 1 or score < _WEAK * top):
            # A weak moment only comes in when the strong ones cannot grow to fill the reel.
            room = sum(params.max_clip_s - w.length for w in chosen)
            if room >= params.target_s - length:
                break
        dur = signals[cand.source_index].duration_s
        start, end = _window_for(cand, params, dur, typical)
        start, end = _free_span(chosen, cand, start, end)
        if end - start < params.min_clip_s:
            continue
        chosen.append(_Window(cand, start, end, 0.0, dur))
        length += end - start
        r = radius[cand.source_index]
        # Neighbours of the chosen moment lose score, and so (less) does the rest of its input,
        # so that a busy stretch or a single input cannot fill the whole reel.
        pool = [
            (
                tier,
                score
                * (1 - params.spread * math.exp(-abs(c.peak_s - cand.peak_s) / r))
                * (1 - 0.3 * params.spread)
                if c.source_index == cand.source_index
                else score,
                c,
            )
            for tier, score, c in pool
        ]
    return chosen


def _free_span(
    chosen: list[_Window], cand: Candidate, start: float, end: float
) -> tuple[float, float]:
    """Shrink [start, end] so that it keeps clear of the windows already chosen from its source."""
    for w in chosen:
        if w.cand.source_index != cand.source_index:
            continue
        if w.start - _MIN_GAP_S <= cand.peak_s <= w.end + _MIN_GAP_S:
            return 0.0, 0.0
        if w.end + _MIN_GAP_S > start and w.start < cand.peak_s:
            start = w.end + _MIN_GAP_S
        if w.start - _MIN_GAP_S < end and w.end > cand.peak_s:
            end = w.start - _MIN_GAP_S
    return start, end


def _merge_close(windows: list[_Window], gap_s: float = 2.5) -> list[_Window]:
    """Two clips of one moment with a blink between them play better as one."""
    out: list[_Window] = []
    for w in windows:
        prev = out[-1] if out else None
        if prev and prev.cand.source_index == w.cand.source_index and w.start - prev.end < gap_s:
            keep = prev.cand if prev.cand.score >= w.cand.score else w.cand
            out[-1] = _Window(keep, prev.start, max(prev.end, w.end), prev.limit_lo, w.limit_hi)
        else:
            out.append(w)
    return out


def _set_limits(windows: list[_Window], signals: Sequence[Signals]) -> None:
    for k, w in enumerate(windows):
        src = w.cand.source_index
        prev = windows[k - 1] if k and windows[k - 1].cand.source_index == src else None
        nxt = (
            windows[k + 1]
            if k + 1 < len(windows) and windows[k + 1].cand.source_index == src
            else None
        )
        w.limit_lo = prev.end + _MIN_GAP_S if prev else 0.0
        w.limit_hi = nxt.start - _MIN_GAP_S if nxt else signals[src].duration_s


def _fit(windows: list[_Window], params: SelectionParams) -> None:
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
                return  # nothing can grow: every window at its maximum or hemmed in
            share = min(need / avail, 1.0)
            for w, (tail, head) in zip(windows, room, strict=True):
                w.end += tail * share
                w.start -= head * share
            if share >= 1.0:
                # Everything reached max_clip: let windows grow past it rather than miss the target.
                params = replace(params, max_clip_s=params.max_clip_s * 1.5)


def _centre_on_peak(w: _Window, length: float) -> None:
    """Last resort for a single window: keep ``length`` seconds around its peak, lead-in first."""
    start = max(w.limit_lo, w.cand.peak_s - 0.6 * length)
    w.start, w.end = start, start + length


def _trim_room(w: _Window, params: SelectionParams) -> tuple[float, float]:
    """(tail, head) seconds that may come off: down to min length, never into the peak's core."""
    peak = w.cand.peak_s
    tail = max(w.end - max(peak + _PEAK_MARGIN_S, w.start + params.min_clip_s), 0.0)
    head = max(min(peak - _PEAK_MARGIN_S, w.end - tail - params.min_clip_s) - w.start, 0.0)
    # Trim the tail twice as readily as the lead-in: the build-up is worth more.
    return tail, 0.5 * head


def _grow_room(w: _Window, params: SelectionParams) -> tuple[float, float]:
    spare = max(params.max_clip_s - w.length, 0.0)
    tail = min(max(w.limit_hi - w.end, 0.0), spare * 0.6)
    head = min(max(w.start - w.limit_lo, 0.0), spare - tail)
    return tail, head


def _snap(windows: list[_Window], signals: Sequence[Signals], params: SelectionParams) -> None:
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
    points: list[tuple[_Window, bool, list[CutOption]]] = []
    for k, w in enumerate(windows):
        src = w.cand.source_index
        s = signals[src]
        prev = windows[k - 1] if k and windows[k - 1].cand.source_index == src else None
        nxt = (
            windows[k + 1]
            if k + 1 < len(windows) and windows[k + 1].cand.source_index == src
            else None
        )
        # Neighbouring clips of one source meet no closer than half a second apart.
        lo = max(w.limit_lo, (prev.end + w.start) / 2 + 0.25 if prev else 0.0, 0.0)
        hi = min(w.cand.peak_s - _PEAK_MARGIN_S, w.end - params.min_clip_s)
        points.append((w, False, cut_options(s, gaps[src], w.start, lo, max(hi, lo), win, reach)))
        lo = max(w.cand.peak_s + 0.5, w.start + params.min_clip_s)
        hi = min(w.limit_hi, (w.end + nxt.start) / 2 - 0.25 if nxt else s.duration_s, s.duration_s)
        points.append((w, True, cut_options(s, gaps[src], w.end, min(lo, hi), hi, win, reach)))
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


def _to_clip(w: _Window) -> Clip:
    c = w.cand
    return Clip(
        source_index=c.source_index,
        source_in_ms=int(round(w.start * 1000)),
        source_out_ms=int(round(w.end * 1000)),
        peak_ms=int(round(c.peak_s * 1000)),
        score=round(c.score, 4),
        reason=c.reason() or "steady activity",
        components=c.components,
    )
