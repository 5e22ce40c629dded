"""Find highlight candidates: peaks of excitement, each with its extent and its reasons."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reelcut.analysis.signals import COMPONENTS, Signals


@dataclass(frozen=True, slots=True)
class Candidate:
    """One moment. ``start_s``..``end_s`` is its peak (excitement over half its height);
    ``rise_s``..``settle_s`` the whole moment as the signals show it: from where the excitement
    began to climb towards the peak (the build-up) to where it settled after it (the reaction).
    """

    source_index: int
    peak_s: float
    score: float
    start_s: float  # where the excitement rose past half the peak
    end_s: float  # where it fell back below half the peak
    components: tuple[tuple[str, float], ...]  # why it scored, at the peak
    rise_s: float = -1.0  # where the build-up began (-1: not known, use start_s)
    settle_s: float = -1.0  # where the reaction ended (-1: not known, use end_s)

    @property
    def build_up_s(self) -> float:
        """Seconds of build-up before the excitement passed half its peak."""
        return max(self.start_s - self.rise_s, 0.0) if self.rise_s >= 0 else 0.0

    @property
    def reaction_s(self) -> float:
        """Seconds of reaction after the excitement fell below half its peak."""
        return max(self.settle_s - self.end_s, 0.0) if self.settle_s >= 0 else 0.0

    def reason(self) -> str:
        top = sorted(self.components, key=lambda kv: -kv[1])[:2]
        return ", ".join(
            f"{name.replace('_', ' ')} {value:.2f}" for name, value in top if value > 0
        )


def _peaks(x: np.ndarray, distance: int) -> list[int]:
    """Local maxima, highest first, none within ``distance`` steps of a higher one."""
    padded = np.concatenate([[-np.inf], x, [-np.inf]])
    local = np.flatnonzero((padded[1:-1] > padded[:-2]) & (padded[1:-1] >= padded[2:]))
    blocked = np.zeros(len(x), bool)
    kept: list[int] = []
    for i in local[np.argsort(-x[local], kind="stable")]:
        if not blocked[i]:
            kept.append(int(i))
            blocked[max(i - distance + 1, 0) : i + distance] = True
    return sorted(kept)


def find_candidates(
    signals: Signals, source_index: int = 0, min_gap_s: float = 4.0
) -> list[Candidate]:
    """Every local peak of excitement, strongest first, at least ``min_gap_s`` apart."""
    x = signals.excitement
    if len(x) == 0:
        return []
    step = signals.step_s
    floor = float(np.percentile(x, 20))
    distance = max(int(round(min_gap_s / step)), 1)
    peaks = _peaks(x, distance)
    out: list[Candidate] = []
    for p in peaks:
        height = float(x[p])
        if height <= floor + 1e-6:
            continue
        half = floor + 0.5 * (height - floor)
        lo = p
        while lo > 0 and x[lo - 1] > half and p - lo < int(60 / step):
            lo -= 1
        hi = p
        while hi < len(x) - 1 and x[hi + 1] > half and hi - p < int(60 / step):
            hi += 1
        comps = tuple(
            (name, round(float(signals.components[i, max(lo, p - 2) : p + 3].max()), 3))
            for i, name in enumerate(COMPONENTS)
        )
        rise, settle = _slopes(x, lo, hi, floor, height, step)
        out.append(
            Candidate(
                source_index=source_index,
                peak_s=(p + 0.5) * step,
                score=height - floor,
                start_s=lo * step,
                end_s=(hi + 1) * step,
                components=comps,
                rise_s=rise * step,
                settle_s=(settle + 1) * step,
            )
        )
    out.sort(key=lambda c: -c.score)
    return out


_SETTLED = (
    0.1  # share of the peak's height over the floor where a build-up starts or a reaction ends
)
_SLOPE_MAX_S = 12.0  # no build-up or reaction is followed further than this


def _slopes(
    x: np.ndarray, lo: int, hi: int, floor: float, height: float, step: float
) -> tuple[int, int]:
    """Steps where the climb to the peak began (before ``lo``) and the fall after it ended
    (after ``hi``): followed while the excitement keeps falling away from the peak (small
    wobbles allowed) and stays above ``_SETTLED`` of the peak's height; so a moment that
    rides on the tail of another one ends its build-up where the two meet."""
    settled = floor + _SETTLED * (height - floor)
    wobble = 0.05 * (height - floor)
    limit = int(_SLOPE_MAX_S / step)
    a, low = lo, float(x[lo])
    while a > 0 and lo - a < limit and settled < x[a - 1] <= low + wobble:
        a -= 1
        low = min(low, float(x[a]))
    b, low = hi, float(x[hi])
    while b < len(x) - 1 and b - hi < limit and settled < x[b + 1] <= low + wobble:
        b += 1
        low = min(low, float(x[b]))
    return a, b
