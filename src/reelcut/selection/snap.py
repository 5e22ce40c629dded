"""Move cut points onto shot boundaries or pauses in sound, without losing the target length.

Boundaries are visited in reel order and each move is accepted only while the running change of
the reel's length stays inside a budget, so the reel still hits its target afterwards.
"""

from __future__ import annotations

import numpy as np

from reelcut.analysis.signals import Signals

_FRAME_S = 0.05


def shot_cut_near(signals: Signals, t: float, window_s: float) -> float | None:
    cuts = signals.shot_cuts_s
    if len(cuts) == 0:
        return None
    near = cuts[np.abs(cuts - t) <= window_s]
    return float(near[np.argmin(np.abs(near - t))]) if len(near) else None


def pause_near(signals: Signals, t: float, window_s: float) -> float | None:
    """The quietest 50 ms near ``t`` if it is a real dip (10 dB under its surroundings)."""
    e = signals.frame_energy_db
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


def snap_point(
    signals: Signals, t: float, window_s: float, lo: float, hi: float
) -> tuple[float, str]:
    """Best place near ``t`` within [lo, hi]: a shot cut, else a pause, else ``t`` itself."""
    for finder, kind in ((shot_cut_near, "shot"), (pause_near, "pause")):
        found = finder(signals, t, window_s)
        if found is not None and lo <= found <= hi:
            return found, kind
    return t, "none"
