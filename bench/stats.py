"""Means with 95% confidence intervals, for benchmark tables.

Seeds are the unit: each seed's footage gives one value per method, and the interval is a
percentile bootstrap over seeds (10,000 resamples, its own fixed random stream so the same values
always print the same interval). Paired differences (reelcut minus a baseline on the same seed)
are bootstrapped the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

RESAMPLES = 10_000


def mean_ci(values: Sequence[float | None]) -> tuple[float, float, float] | None:
    """Mean and 95% bootstrap interval of the known values; None when there are none."""
    known = np.array([v for v in values if v is not None], float)
    if not len(known):
        return None
    rng = np.random.default_rng(0)
    means = known[rng.integers(0, len(known), (RESAMPLES, len(known)))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(known.mean()), float(low), float(high)


def paired(
    a: Sequence[float | None], b: Sequence[float | None]
) -> tuple[float, float, float] | None:
    """Mean and interval of ``a - b`` over the seeds where both are known."""
    return mean_ci([x - y for x, y in zip(a, b, strict=True) if x is not None and y is not None])


def percent(ci: tuple[float, float, float] | None, digits: int = 0) -> str:
    """``87% [78, 95]`` (a share as percent with its interval), or ``-``."""
    if ci is None:
        return "-"
    m, lo, hi = (100 * x for x in ci)
    return f"{m:.{digits}f}% [{lo:.{digits}f}, {hi:.{digits}f}]"


def points(ci: tuple[float, float, float] | None) -> str:
    """A paired difference in percentage points: ``+35 [20, 50]``."""
    if ci is None:
        return "-"
    m, lo, hi = (100 * x for x in ci)
    return f"{m:+.0f} [{lo:+.0f}, {hi:+.0f}]"
