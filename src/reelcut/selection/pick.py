"""Pick clips for a target length: every strong moment gets in before any clip grows.

1. Every excitement peak is a moment (:func:`find_candidates`) with two spans: its core (from a
   second before the excitement passes half its height to where it falls back; at most a few
   seconds either side of the peak) and what it needs (the build-up and the reaction as long
   as the signals show them, ``Candidate.rise_s`` to ``settle_s``, capped by ``lead_in_s`` and
   ``tail_s``). Lengths come from the moment, not from a share of the target.
2. Strong moments (at least half the best score) go in first, each with its core, strongest
   first. Among comparable ones (within 20% of the strongest left) the one furthest from the
   clips already in goes first: spreading over the recording breaks ties, and never drops a
   strong moment for a weaker one far away. A moment within a few seconds of a clip joins it
   (one clip holds both) unless that clip would pass ``max_clip_s``; then it gets its own.
3. Then every clip grows towards what its moments need; then weaker moments come in the same
   way; only then do clips grow beyond their moments (``fit``), and where even that cannot
   fill the reel, quieter stretches and sliding windows come in.
4. The clips are trimmed or grown to the exact target and their cut points move into pauses
   between phrases or onto shot cuts, all at once so the reel keeps its length (``fit``).

Every moment that did not get a clip of its own is reported with the reason (:class:`LeftOut`).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from reelcut.analysis.signals import Signals
from reelcut.errors import NotEnoughFootageError
from reelcut.selection.candidates import Candidate, find_candidates
from reelcut.selection.clips import Clip, LeftOut, Selection, SelectionParams
from reelcut.selection.fit import (
    MIN_GAP_S,
    PEAK_MARGIN_S,
    Window,
    fit,
    merge_close,
    set_limits,
    snap,
)
from reelcut.selection.sentences import SentenceSpans, cuts_inside

STRONG = 0.5  # a moment at least this share of the best score is strong: it must not be left out
_WEAK = 0.25  # under this share of the best score a peak is filler
_TIE = 0.8  # moments within 20% of the strongest left are comparable: spread decides among them
_JOIN_S = 2.5  # a moment this close to a clip joins it
_CORE_BEFORE_S = 1.0  # the core starts this long before the excitement passes half its height
_CORE_REACH_S = (6.0, 5.0)  # the core reaches at most this far before and after the peak
_CONTEXT_S = (1.5, 1.0)  # what a moment needs at least beyond its core, before and after
_IN = "in"  # a moment's fate once it has a clip (its own or one it joined)


@dataclass(slots=True)
class _Moment:
    cand: Candidate
    core: tuple[float, float]
    need: tuple[float, float]
    strong: bool
    fate: str = LeftOut.WEAKER
    cost_s: float = 0.0  # what it would have added to the reel, when there was no room


def select(
    signals: Sequence[Signals],
    params: SelectionParams,
    sentences: Sequence[SentenceSpans | None] | None = None,
) -> Selection:
    """Clips from one or more analysed sources, in source order, summing to the target ±tolerance,
    and the moments left out with the reason for each.

    ``sentences`` (per source, where known) makes cut points fall between sentences
    (``selection.sentences``); without them cuts go to pauses and gaps between words.
    """
    total = sum(s.duration_s for s in signals)
    if params.target_s > total + params.tolerance_s:
        raise NotEnoughFootageError(
            f"the footage is {total:.1f} s long, shorter than the {params.target_s:.1f} s reel asked for"
        )
    if params.target_s >= total - params.tolerance_s:
        return Selection(tuple(_whole(i, s) for i, s in enumerate(signals)), ())
    moments = _moments(signals, params)
    windows = _choose(signals, params, moments)
    windows.sort(key=lambda w: (w.source_index, w.start))
    windows = merge_close(windows, params.max_clip_s, _JOIN_S)
    set_limits(windows, signals)
    fit(windows, params)
    if sentences and any(s is not None for s in sentences):
        top = max((m.cand.score for m in moments), default=0.0)
        windows = _between_sentences(windows, signals, params, sentences, STRONG * top)
    else:
        snap(windows, signals, params)
    clips = tuple(_to_clip(w) for w in windows)
    return Selection(clips, _left_out(moments, windows))


def _between_sentences(
    windows: list[Window],
    signals: Sequence[Signals],
    params: SelectionParams,
    sentences: Sequence[SentenceSpans | None],
    strong_score: float,
) -> list[Window]:
    """Snap with the sentences known; while a cut point still falls inside a sentence (no break
    reachable within the length budget), drop a clip and let the others grow into its length,
    then snap again: the weakest clip with such a cut that is not a strong moment's, else the
    weakest that is not a strong moment's (its length pays for the far breaks of the others).

    Strong moments (issue 14) give way only to leave no cut inside a sentence at all: the
    weakest strong clip with such a cut goes, and only when that ends with every cut between
    sentences (a reel too short for its strong moments in whole sentences; a dropped one is
    reported left out for want of room). Otherwise the pick that kept every strong clip stands,
    with the fewest cuts inside a sentence. A single clip is never dropped.
    """

    def bad(ws: list[Window]) -> list[int]:
        return [
            k
            for k, w in enumerate(ws)
            if cuts_inside([(w.start, w.end)], sentences[w.source_index])
        ]

    strong_in = sum(w.cand.score >= strong_score for w in windows)
    kept_strong: list[Window] | None = None  # best pick that dropped no strong clip
    current = windows
    for _ in range(len(windows)):
        trial = [replace(w) for w in current]
        snap(trial, signals, params, sentences)
        inside = bad(trial)
        lost = strong_in - sum(w.cand.score >= strong_score for w in trial)
        if lost == 0 and (kept_strong is None or len(inside) < len(bad(kept_strong))):
            kept_strong = trial
        if not inside:
            return trial
        if len(current) == 1:
            break
        weak = [w for w in current if w.cand.score < strong_score]
        stuck = [current[k] for k in inside]
        victims = [w for w in stuck if w in weak] or weak or stuck
        drop = min(victims, key=lambda w: w.cand.score)
        current = [replace(w) for w in current if w is not drop]
        set_limits(current, signals)
        fit(current, params)
    assert kept_strong is not None
    return kept_strong


def select_clips(
    signals: Sequence[Signals],
    params: SelectionParams,
    sentences: Sequence[SentenceSpans | None] | None = None,
) -> list[Clip]:
    """The clips of :func:`select`, for callers that do not report what was left out."""
    return list(select(signals, params, sentences).clips)


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


def _moments(signals: Sequence[Signals], params: SelectionParams) -> list[_Moment]:
    """Every real moment of every source above the filler line, strongest first."""
    cands = [c for i, s in enumerate(signals) for c in find_candidates(s, i, min_gap_s=3.0)]
    top = max((c.score for c in cands), default=0.0)
    out = [
        _moment(c, params, signals[c.source_index].duration_s, c.score >= STRONG * top)
        for c in cands
        if top > 0 and c.score >= _WEAK * top
    ]
    out.sort(key=lambda m: -m.cand.score)
    return out


def _moment(c: Candidate, params: SelectionParams, duration: float, strong: bool) -> _Moment:
    """Core and need of one moment, inside [0, duration] and no longer than ``max_clip_s``."""
    before, after = _CORE_REACH_S
    lo = max(min(c.start_s - _CORE_BEFORE_S, c.peak_s - PEAK_MARGIN_S), c.peak_s - before)
    hi = min(max(c.end_s, c.peak_s + PEAK_MARGIN_S), c.peak_s + after)
    if hi - lo < params.min_clip_s:
        lo = min(lo, c.peak_s - 0.4 * params.min_clip_s)
        hi = lo + params.min_clip_s
    if hi - lo > params.max_clip_s:  # short clips asked for: the peak, a little more before it
        lo = max(lo, c.peak_s - 0.6 * params.max_clip_s)
        hi = lo + params.max_clip_s
    lo, hi = _inside(lo, hi, duration)
    rise = c.rise_s if c.rise_s >= 0 else c.start_s
    settle = c.settle_s if c.settle_s >= 0 else c.end_s
    need_lo = max(min(rise, lo - _CONTEXT_S[0]), lo - params.lead_in_s)
    need_hi = min(max(settle, hi + _CONTEXT_S[1]), hi + params.tail_s)
    longest = params.max_clip_s
    if need_hi - need_lo > longest:  # the reaction gives way first, then the build-up
        need_hi = max(hi, need_lo + longest)
        need_lo = max(need_lo, need_hi - longest)
    need_lo, need_hi = _inside(need_lo, need_hi, duration)
    return _Moment(c, (lo, hi), (need_lo, need_hi), strong)


def _inside(lo: float, hi: float, duration: float) -> tuple[float, float]:
    if lo < 0:
        lo, hi = 0.0, min(hi - lo, duration)
    if hi > duration:
        lo, hi = max(0.0, lo - (hi - duration)), duration
    return lo, hi


def _choose(
    signals: Sequence[Signals], params: SelectionParams, moments: list[_Moment]
) -> list[Window]:
    windows: list[Window] = []
    typical = float(np.clip(params.target_s / 4, params.min_clip_s, min(params.max_clip_s, 12.0)))
    expected = max(params.target_s / typical, 1.0)
    radius = {i: s.duration_s / (3.0 * expected) for i, s in enumerate(signals)}
    # With several inputs, each first gets its own best moment (a combined reel shows them all),
    # when the reel is long enough to hold one shortest clip of each.
    if len(signals) > 1 and params.target_s >= len(signals) * params.min_clip_s:
        # Each first clip is kept to a fair share of the reel so that the last input has room.
        share = replace(params, max_clip_s=max(params.min_clip_s, params.target_s / len(signals)))
        for i in range(len(signals)):
            mine = [m for m in moments if m.cand.source_index == i]
            if not mine:  # all its peaks are under the filler line of the loudest input
                own = find_candidates(signals[i], i, min_gap_s=3.0)[:1]
                mine = [_moment(c, params, signals[i].duration_s, False) for c in own]
                moments.extend(mine)
            if mine:
                first = mine[0]
                fair = _moment(first.cand, share, signals[i].duration_s, first.strong)
                first.core, first.need = fair.core, fair.need
                _place(first, windows, params)
    for group in ([m for m in moments if m.strong], [m for m in moments if not m.strong]):
        pending = [m for m in group if m.fate == LeftOut.WEAKER]
        while pending:
            m = _next(pending, windows, params, radius, len(signals) > 1)
            pending.remove(m)
            _place(m, windows, params)
        _grow_to_need(windows, params, signals)
    if _room(windows, params) < params.target_s - _used(windows) - 1e-6:
        _fill(signals, params, windows, typical)
    return windows


def _used(windows: list[Window]) -> float:
    return sum(w.length for w in windows)


def _next(
    pending: list[_Moment],
    windows: list[Window],
    params: SelectionParams,
    radius: dict[int, float],
    several: bool,
) -> _Moment:
    """The strongest moment left, or, among those within ``_TIE`` of it, the furthest from the
    clips already in (and, with several inputs, one from an input with fewer clips)."""
    best = max(m.cand.score for m in pending)
    # the placed moments' peaks per input, sorted: the nearest one is found by bisection (a
    # match's hundreds of near-equal moments made a scan of every clip's members per moment
    # about a second of a 90-minute make)
    peaks: dict[int, list[float]] = {}
    for w in windows:
        peaks.setdefault(w.source_index, []).extend(p.peak_s for p in w.members)
    for placed in peaks.values():
        placed.sort()

    def spread_score(m: _Moment) -> float:
        c = m.cand
        placed = peaks.get(c.source_index)
        score = c.score
        if placed:
            at = bisect.bisect_left(placed, c.peak_s)
            d = min(abs(placed[k] - c.peak_s) for k in (at - 1, at) if 0 <= k < len(placed))
            score *= 1 - params.spread * math.exp(-d / radius[c.source_index])
            if several:
                score *= 1 - 0.3 * params.spread
        return score

    comparable = [m for m in pending if m.cand.score >= _TIE * best]
    return max(comparable, key=spread_score)


def _place(m: _Moment, windows: list[Window], params: SelectionParams) -> None:
    """Put ``m`` in the reel with its core if there is room: inside a clip, joined to one, or as
    a clip of its own; otherwise record why not (``m.fate``)."""
    c = m.cand
    free = params.target_s - _used(windows)
    mine = [w for w in windows if w.source_index == c.source_index]
    home = next((w for w in mine if w.holds(c.peak_s)), None)
    lo, hi = m.core
    if home is not None:
        grow = max(home.start - lo, 0.0) + max(hi - home.end, 0.0)
        if max(hi, home.end) - min(lo, home.start) <= params.max_clip_s and grow <= free:
            home.start, home.end = min(lo, home.start), max(hi, home.end)
        home.members = sorted(home.members + [c], key=lambda x: -x.score)
        home.need_lo, home.need_hi = min(home.need_lo, m.need[0]), max(home.need_hi, m.need[1])
        m.fate = LeftOut.INSIDE
        return
    near = [w for w in mine if w.start - _JOIN_S < hi and lo < w.end + _JOIN_S]
    if near:
        a, b = min([lo] + [w.start for w in near]), max([hi] + [w.end for w in near])
        if b - a <= params.max_clip_s:
            cost = (b - a) - sum(w.length for w in near)
            if cost > free + 1e-6:
                m.fate, m.cost_s = LeftOut.NO_ROOM, cost
                return
            keep = near[0]
            for w in near[1:]:
                keep.absorb(w)
                windows.remove(w)
            keep.members = sorted(keep.members + [c], key=lambda x: -x.score)
            keep.start, keep.end = a, b
            keep.need_lo, keep.need_hi = min(keep.need_lo, m.need[0]), max(keep.need_hi, m.need[1])
            m.fate = _IN
            return
    # Its own clip, far enough from its neighbours to stay a clip of its own (``merge_close``).
    for w in mine:
        if w.end <= c.peak_s:
            lo = max(lo, w.end + _JOIN_S)
        elif w.start >= c.peak_s:
            hi = min(hi, w.start - _JOIN_S)
    if hi - lo < params.min_clip_s or not lo <= c.peak_s <= hi:
        m.fate = LeftOut.TOO_SHORT
        return
    if hi - lo > free + 1e-6:
        m.fate, m.cost_s = LeftOut.NO_ROOM, hi - lo
        return
    windows.append(Window([c], lo, hi, m.need[0], m.need[1]))
    m.fate = _IN


def _grow_to_need(
    windows: list[Window], params: SelectionParams, signals: Sequence[Signals]
) -> None:
    """Grow every clip towards the span its moments need, all by the same share of what each
    lacks, as far as the reel's length allows; neighbours share the gap between them."""
    free = params.target_s - _used(windows)
    if free <= 1e-6 or not windows:
        return
    windows.sort(key=lambda w: (w.source_index, w.start))
    heads = [max(w.start - max(w.need_lo, 0.0), 0.0) for w in windows]
    tails = [max(min(w.need_hi, signals[w.source_index].duration_s) - w.end, 0.0) for w in windows]
    for k in range(len(windows) - 1):
        a, b = windows[k], windows[k + 1]
        if a.source_index != b.source_index:
            continue
        gap = max(b.start - a.end - MIN_GAP_S, 0.0)
        if tails[k] + heads[k + 1] > gap:
            share = gap / (tails[k] + heads[k + 1])
            tails[k] *= share
            heads[k + 1] *= share
    want = sum(heads) + sum(tails)
    if want <= 1e-6:
        return
    share = min(free / want, 1.0)
    for w, head, tail in zip(windows, heads, tails, strict=True):
        w.start -= head * share
        w.end += tail * share


def _room(windows: list[Window], params: SelectionParams) -> float:
    """How much the clips could still grow (to ``max_clip_s`` each) before filler is needed."""
    return sum(max(params.max_clip_s - w.length, 0.0) for w in windows)


def _fill(
    signals: Sequence[Signals], params: SelectionParams, windows: list[Window], typical: float
) -> None:
    """Footage with too few moments: quieter peaks, then sliding windows of ``typical`` length
    scored by mean excitement, until the clips could grow to fill the reel."""
    filler: list[Candidate] = []
    for i, s in enumerate(signals):
        cands = find_candidates(s, i, min_gap_s=max(typical / 2, 3.0))
        top = max((c.score for c in cands), default=0.0)
        filler += [c for c in cands if c.score < _WEAK * top]
    filler.sort(key=lambda c: -c.score)
    slides = [c for i, s in enumerate(signals) for c in _sliding(s, i, typical)]
    slides.sort(key=lambda c: -c.score)
    for c in filler + slides:
        if _room(windows, params) >= params.target_s - _used(windows) - 1e-6:
            return
        dur = signals[c.source_index].duration_s
        span = min(typical, max(params.target_s - _used(windows), params.min_clip_s))
        lo, hi = _inside(c.peak_s - span / 2, c.peak_s + span / 2, dur)
        for w in windows:
            if w.source_index != c.source_index:
                continue
            if w.start - MIN_GAP_S <= c.peak_s <= w.end + MIN_GAP_S:
                lo, hi = 0.0, 0.0
                break
            if w.end <= c.peak_s:
                lo = max(lo, w.end + MIN_GAP_S)
            else:
                hi = min(hi, w.start - MIN_GAP_S)
        if hi - lo >= params.min_clip_s:
            windows.append(Window([c], lo, hi, lo, hi))


def _sliding(signals: Signals, index: int, length: float) -> list[Candidate]:
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


def _left_out(moments: list[_Moment], windows: list[Window]) -> tuple[LeftOut, ...]:
    """Every moment that is not the headline of a clip, with why (see :class:`LeftOut`)."""
    heads = {id(w.cand) for w in windows}
    out: list[LeftOut] = []
    for m in moments:
        c = m.cand
        if id(c) in heads:
            continue
        k = next(
            (
                k
                for k, w in enumerate(windows)
                if w.source_index == c.source_index and w.holds(c.peak_s)
            ),
            None,
        )
        if k is not None:
            why = LeftOut.INSIDE
        elif m.fate in (_IN, LeftOut.INSIDE):
            why = LeftOut.NO_ROOM  # its clip was trimmed away to keep the length
        else:
            why = m.fate
        out.append(
            LeftOut(
                source_index=c.source_index,
                peak_s=round(c.peak_s, 3),
                start_s=round(m.core[0], 3),
                end_s=round(m.core[1], 3),
                score=round(c.score, 4),
                strong=m.strong,
                why=why,
                clip=k,
                needs_s=round(m.cost_s or (m.core[1] - m.core[0]), 2),
                reason=c.reason() or "steady activity",
            )
        )
    return tuple(out)


def _to_clip(w: Window) -> Clip:
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
