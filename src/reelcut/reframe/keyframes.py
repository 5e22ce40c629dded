"""Few keyframes for a sampled path: drop every one a straight line already explains.

The filter expression grows with each keyframe, and the camera moves in straight lines between
them anyway, so points are removed (Ramer-Douglas-Peucker) while the path stays within
``tolerance`` (a fraction of the picture) of the sampled one.
"""

from __future__ import annotations

import numpy as np

from reelcut.reframe.geometry import Keyframe

TOLERANCE = 0.005


def simplify(
    times_s: np.ndarray, xs: np.ndarray, ys: np.ndarray, tolerance: float = TOLERANCE
) -> list[Keyframe]:
    """Keyframes of one shot (no steps inside): the first, the last, and those needed between."""
    n = len(times_s)
    if n == 0:
        return []
    keep = np.zeros(n, bool)
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        i, j = stack.pop()
        if j - i < 2:
            continue
        span = times_s[j] - times_s[i]
        a = (times_s[i + 1 : j] - times_s[i]) / span if span > 0 else np.zeros(j - i - 1)
        err = np.maximum(
            np.abs(xs[i + 1 : j] - (xs[i] + a * (xs[j] - xs[i]))),
            np.abs(ys[i + 1 : j] - (ys[i] + a * (ys[j] - ys[i]))),
        )
        k = int(np.argmax(err))
        if err[k] > tolerance:
            mid = i + 1 + k
            keep[mid] = True
            stack += [(i, mid), (mid, j)]
    if np.ptp(xs) <= tolerance and np.ptp(ys) <= tolerance:  # a still camera: one keyframe
        return [(float(times_s[0]), float(np.median(xs)), float(np.median(ys)))]
    idx = np.flatnonzero(keep)
    return [(float(times_s[k]), float(xs[k]), float(ys[k])) for k in idx]
