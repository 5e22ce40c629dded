"""The camera path: an L1-optimal path like a calm camera operator's (Grundmann et al., 2011).

Per shot, one linear programme chooses the crop centre at every sample to minimise
- how far the subject strays outside a dead zone around the crop centre (none inside it),
- how far it strays towards the crop's edge (heavily: the subject must stay in the picture),
- a little plain distance to the subject (so a still subject is framed in the middle),
- the path's total movement, change of speed, and change of acceleration (L1 norms).
L1 norms make most of those derivatives exactly zero: the camera holds still, pans at an even
speed, and eases between the two; a subject jittering inside the dead zone moves nothing. Weights
are per second, so the path does not change character with the sampling rate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import linprog


@dataclass(frozen=True, slots=True)
class PathWeights:
    dead_zone: float = 0.08  # of the crop size: the subject may wander this far unfollowed
    keep_inside: float = 0.3  # of the crop size: past this the subject nears the crop's edge
    centring: float = 0.05  # pull to the subject itself, per second
    outside: float = 20.0  # pull back inside ``keep_inside``, per second
    movement: float = 0.25  # cost of moving, in seconds of being off by the same amount
    speed_change: float = 0.15
    jerk: float = 0.05


def smooth_axis(
    times_s: np.ndarray,
    target: np.ndarray,
    weight: np.ndarray,
    crop: float,
    weights: PathWeights = PathWeights(),
) -> np.ndarray:
    """Crop centres (fractions of the picture) along one axis for the samples of one shot.

    ``crop`` is the crop's size on this axis as a fraction; the centre stays within
    ``[crop/2, 1 - crop/2]`` so the window never leaves the picture.
    """
    n = len(times_s)
    lo, hi = crop / 2.0, 1.0 - crop / 2.0
    if n == 0:
        return np.zeros(0)
    if hi - lo < 1e-9:
        return np.full(n, 0.5)
    known = weight > 0
    if not np.any(known):
        return np.full(n, 0.5)
    # Targets stay unclamped: a subject at the picture's edge pulls the crop hard against it.
    c = np.where(known, target, 0.5)
    if n == 1:
        return np.clip(c, lo, hi)
    dt = float(np.median(np.diff(times_s))) if n > 1 else 1.0
    dt = max(dt, 1e-3)
    result = _solve(c, weight, dt, crop, lo, hi, weights)
    if result is None:  # the solver failed: hold the median of what was seen
        return np.full(n, float(np.clip(np.median(c[known]), lo, hi)))
    return result


def _solve(
    c: np.ndarray,
    w: np.ndarray,
    dt: float,
    crop: float,
    lo: float,
    hi: float,
    pw: PathWeights,
) -> np.ndarray | None:
    n = len(c)
    diffs = [_difference(n, k) for k in (1, 2, 3) if n > k]
    # Variables: p (n), plain error a (n), dead-zone error b (n), edge error o (n), then |D_k p|.
    sizes = [n, n, n, n] + [d.shape[0] for d in diffs]
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    total = int(offsets[-1])
    cost = np.zeros(total)
    tiny = 1e-4  # samples with nothing to follow still lean faintly to the picture's middle
    cost[offsets[1] : offsets[2]] = dt * (pw.centring * w + tiny)
    cost[offsets[2] : offsets[3]] = dt * w
    cost[offsets[3] : offsets[4]] = dt * pw.outside * w
    per_order = (pw.movement, pw.speed_change / dt, pw.jerk / dt**2)
    for k, _d in enumerate(diffs):
        cost[offsets[4 + k] : offsets[5 + k]] = per_order[k]
    eye = sparse.identity(n, format="csr")
    rows: list[sparse.csr_matrix] = []
    rhs: list[np.ndarray] = []
    # |p - c| - margin <= err, on both sides, for the three error kinds
    for block, margin in ((1, 0.0), (2, pw.dead_zone * crop), (3, pw.keep_inside * crop)):
        sel = _selector(n, offsets[block], total)
        for sign in (1.0, -1.0):
            rows.append(sparse.hstack([sign * eye, sparse.csr_matrix((n, total - n))]) - sel)
            rhs.append(sign * c + margin)
    for k, d in enumerate(diffs):
        m = d.shape[0]
        sel = _selector(m, offsets[4 + k], total)
        for sign in (1.0, -1.0):
            rows.append(sparse.hstack([sign * d, sparse.csr_matrix((m, total - n))]) - sel)
            rhs.append(np.zeros(m))
    a_ub = sparse.vstack(rows, format="csr")
    b_ub = np.concatenate(rhs)
    bounds = [(lo, hi)] * n + [(0.0, None)] * (total - n)
    res = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
    if res.status != 0 or res.x is None:
        return None
    return np.clip(np.asarray(res.x[:n]), lo, hi)


def _difference(n: int, order: int) -> sparse.csr_matrix:
    """The (n - order) x n matrix of ``order``-th forward differences."""
    coeffs = np.diff(np.eye(order + 1), n=order, axis=0)[0]  # [1, -2, 1] for 2, up to sign
    diags = [np.full(n - order, float(v)) for v in coeffs]
    return sparse.diags(diags, list(range(order + 1)), shape=(n - order, n), format="csr")


def _selector(m: int, start: int, total: int) -> sparse.csr_matrix:
    """The m x total matrix that picks variables ``start .. start + m``."""
    return sparse.csr_matrix(
        (np.ones(m), (np.arange(m), np.arange(start, start + m))), shape=(m, total)
    )
