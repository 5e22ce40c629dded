"""Where a cut point may go: gaps between phrases first, never inside a word if it can be helped.

For one cut point, :func:`cut_options` lists the places it could move to, each with a cost: a
pause in the voice (longer is better, a shot cut inside it better still), then a short gap
between two words, and last the point itself or a shot cut even if someone is mid-word. Moving
costs too, and moving past the usual window costs more. ``pick`` then chooses one option per cut
point for the whole reel at once, so that one cut may move far (to the end of a long sentence)
while others give back the length it took, and the reel still hits its target.

The voice track is ``Signals.voice_activity`` (50 ms frames); it already counts the quiet ends
of words as voice where a noisy background hides them (see ``analysis.voice``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reelcut.analysis.signals import Signals

FRAME_S = 0.05
_MIN_PAUSE_S = 0.2
_EDGE_S = 0.05  # a cut keeps this far inside its pause
_GRID_S = 0.05  # positions tried inside a pause

# Costs, lower is better. A word is never worth cutting into while a pause is reachable.
IN_WORD = 10.0
WORD_GAP = 6.0
_LONG_PAUSE_BONUS = 1.0  # for a pause of a second or more, less for shorter
_SHOT_BONUS = 0.8
_MOVE = 0.8  # per second moved within the usual window
_FAR_MOVE = 2.0  # extra per second past it


@dataclass(frozen=True, slots=True)
class CutOption:
    at_s: float
    cost: float
    kind: str  # "pause", "pause+shot", "word gap", "shot", "none"


@dataclass(frozen=True, slots=True)
class VoiceGaps:
    """Pauses (start_s, end_s) between phrases and the frames quiet between words."""

    pauses: np.ndarray  # shape (k, 2), seconds
    quiet: np.ndarray  # bool per frame: the raw track hears no word here
    known: bool  # False when the footage has no voice track (no audio, hand-made signals)

    def in_pause(self, t: float) -> float:
        """Length of the pause ``t`` falls in (its usable interior), or 0."""
        if not self.known:
            return 0.0
        p = self.pauses
        hit = (p[:, 0] + _EDGE_S <= t + 1e-9) & (t - 1e-9 <= p[:, 1] - _EDGE_S)
        return float((p[hit, 1] - p[hit, 0]).max()) if hit.any() else 0.0

    def quiet_at(self, t: float) -> bool:
        i = int(t / FRAME_S)
        return bool(self.known and 0 <= i < len(self.quiet) and self.quiet[i])


def voice_gaps(signals: Signals) -> VoiceGaps:
    act = signals.voice_activity
    if not signals.has_audio or len(act) == 0:
        return VoiceGaps(np.zeros((0, 2)), np.zeros(0, bool), False)
    speaking = act >= 0.5
    edges = np.diff(np.concatenate([[1], speaking.astype(np.int8), [1]]))
    starts, ends = np.flatnonzero(edges == -1), np.flatnonzero(edges == 1)
    spans = np.column_stack([starts, ends]).astype(float) * FRAME_S
    spans[:, 1] = np.minimum(spans[:, 1], signals.duration_s)
    long_enough = spans[:, 1] - spans[:, 0] >= _MIN_PAUSE_S
    return VoiceGaps(spans[long_enough], ~speaking, True)


def _move_cost(d: float, window_s: float) -> float:
    return _MOVE * d + _FAR_MOVE * max(d - window_s, 0.0)


def cut_options(
    signals: Signals,
    gaps: VoiceGaps,
    t: float,
    lo: float,
    hi: float,
    window_s: float,
    reach_s: float,
) -> list[CutOption]:
    """Places within [lo, hi] and ``reach_s`` of ``t`` where the cut could go; ``t`` is first.

    Pauses are searched out to ``reach_s``; shot cuts in speech and gaps between words only
    within ``window_s``, as a fallback.
    """
    here = gaps.in_pause(t)
    if here or not gaps.known:
        first = CutOption(t, -_bonus(here) if here else 0.0, "pause" if here else "none")
    else:
        first = CutOption(t, WORD_GAP if gaps.quiet_at(t) else IN_WORD, "none")
    out = [first]
    a, b = max(lo, t - reach_s), min(hi, t + reach_s)
    if a > b:
        return out
    for p0, p1 in gaps.pauses[(gaps.pauses[:, 1] > a) & (gaps.pauses[:, 0] < b)]:
        u0, u1 = max(p0 + _EDGE_S, a), min(p1 - _EDGE_S, b)
        if u0 > u1:
            continue
        k0, k1 = int(np.ceil((u0 - t) / _GRID_S - 1e-9)), int(np.floor((u1 - t) / _GRID_S + 1e-9))
        points = {t + k * _GRID_S for k in range(k0, k1 + 1)} | {u0, u1}
        bonus = _bonus(p1 - p0)
        out += [
            CutOption(x, _move_cost(abs(x - t), window_s) - bonus, "pause")
            for x in sorted(points)
            if abs(x - t) > 1e-6
        ]
    for cut in signals.shot_cuts_s[np.abs(signals.shot_cuts_s - t) <= reach_s]:
        x = float(cut)
        if not lo <= x <= hi:
            continue
        pause = gaps.in_pause(x)
        if pause or not gaps.known:
            cost = _move_cost(abs(x - t), window_s) - _bonus(pause) - _SHOT_BONUS
            out.append(CutOption(x, cost, "pause+shot" if pause else "shot"))
        elif abs(x - t) <= window_s:
            base = WORD_GAP if gaps.quiet_at(x) else IN_WORD
            out.append(CutOption(x, base - _SHOT_BONUS + _move_cost(abs(x - t), window_s), "shot"))
    if gaps.known and not here:
        out += _word_gaps(signals, gaps, t, max(lo, t - window_s), min(hi, t + window_s), window_s)
    return out


def _bonus(pause_s: float) -> float:
    return _LONG_PAUSE_BONUS * min(pause_s, 1.0) if pause_s > 0 else 0.0


def _word_gaps(
    signals: Signals, gaps: VoiceGaps, t: float, a: float, b: float, window_s: float
) -> list[CutOption]:
    """The quietest frame of each short gap between words in [a, b]: better than mid-word."""
    i0, i1 = max(int(np.ceil(a / FRAME_S)), 0), min(int(b / FRAME_S), len(gaps.quiet) - 1)
    out: list[CutOption] = []
    if i1 < i0:
        return out
    quiet = gaps.quiet[i0 : i1 + 1]
    edges = np.diff(np.concatenate([[0], quiet.astype(np.int8), [0]]))
    energy = signals.frame_energy_db
    for s, e in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True):
        frames = np.arange(i0 + s, i0 + e)
        if len(energy) > frames[-1]:
            frames = frames[np.argsort(energy[frames], kind="stable")]
        x = (frames[0] + 0.5) * FRAME_S
        out.append(CutOption(x, WORD_GAP + _move_cost(abs(x - t), window_s), "word gap"))
    return out


def snap_point(
    signals: Signals, t: float, window_s: float, lo: float, hi: float
) -> tuple[float, str]:
    """Best single place near ``t`` within [lo, hi] (or ``t`` itself), with no length budget."""
    options = cut_options(signals, voice_gaps(signals), t, lo, hi, window_s, window_s)
    best = min(options, key=lambda o: o.cost)
    return best.at_s, best.kind
