"""Move cut points onto shot boundaries or pauses in sound, without losing the target length.

Boundaries are visited in reel order and each move is accepted only while the running change of
the reel's length stays inside a budget, so the reel still hits its target afterwards.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from reelcut.analysis.signals import Signals

_FRAME_S = 0.05


def shot_cut_near(signals: Signals, t: float, window_s: float) -> float | None:
    cuts = signals.shot_cuts_s
    if len(cuts) == 0:
        return None
    near = cuts[np.abs(cuts - t) <= window_s]
    return float(near[np.argmin(np.abs(near - t))]) if len(near) else None


def pause_near(signals: Signals, t: float, window_s: float) -> float | None:
    """The middle of the quietest 250 ms near ``t`` if it is a real pause (10 dB under its
    surroundings). A 250 ms span skips the short gaps between words inside a phrase."""
    e = (
        ndimage.maximum_filter1d(signals.frame_energy_db, size=5, mode="nearest")
        if len(signals.frame_energy_db)
        else signals.frame_energy_db
    )
    if len(e) == 0 or not signals.has_audio:
        return None
    i0 = max(int((t - window_s) / _FRAME_S), 0)
    i1 = min(int((t + window_s) / _FRAME_S) + 1, len(e))
    if i1 - i0 < 3:
        return None
    c0 = max(int((t - 3.0) / _FRAME_S), 0)
    c1 = min(int((t + 3.0) / _FRAME_S) + 1, len(e))
    around = float(np.median(e[c0:c1]))
    seg = e[i0:i1]
    # Prefer the quietest frame, and among near-equal ones the one closest to t.
    dist = np.abs((np.arange(i0, i1) + 0.5) * _FRAME_S - t)
    cost = seg + 2.0 * dist
    j = int(np.argmin(cost))
    if seg[j] > around - 10.0 and seg[j] > -60.0:
        return None
    return (i0 + j + 0.5) * _FRAME_S


def _talking_at(signals: Signals, t: float) -> bool:
    i = int(t / signals.step_s)
    return bool(
        signals.has_audio
        and 0 <= i < signals.steps
        and signals.speech[max(i - 1, 0) : i + 2].max() > 0.3
    )


def snap_point(
    signals: Signals, t: float, window_s: float, lo: float, hi: float
) -> tuple[float, str]:
    """Best place near ``t`` within [lo, hi], or ``t`` itself.

    A shot cut is the cleanest place to cut a picture, but not in the middle of a sentence: where
    someone is talking, a pause comes first and a shot cut only if no pause is near.
    """
    order = [(shot_cut_near, "shot"), (pause_near, "pause")]
    shot = shot_cut_near(signals, t, window_s)
    if shot is not None and _talking_at(signals, shot):
        order.reverse()
    for finder, kind in order:
        found = finder(signals, t, window_s)
        if found is not None and lo <= found <= hi:
            return found, kind
    return t, "none"
