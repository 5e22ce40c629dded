"""The rolling baseline under excitement on short clips whose known steps are few."""

from __future__ import annotations

import numpy as np

from reelcut.analysis.excitement import _rolling_pct


def test_baseline_of_a_short_clip_known_only_in_its_tail() -> None:
    # 7 s at 0.5 s: the 2 s cells cover 12 steps; music masked all of them, the last 2 are known
    a = np.full(14, np.nan)
    a[12:] = [-30.0, -20.0]
    base = _rolling_pct(a, 70, 120.0, 0.5)
    assert base.shape == a.shape
    assert np.isfinite(base).all()
    assert -30.0 <= base[0] <= -20.0


def test_baseline_of_a_clip_shorter_than_one_cell() -> None:
    a = np.array([np.nan, -25.0, np.nan])
    base = _rolling_pct(a, 70, 120.0, 0.5)
    assert np.allclose(base, -25.0)
