"""Find highlight candidates: peaks of excitement, each with its extent and its reasons."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reelcut.analysis.signals import COMPONENTS, Signals


@dataclass(frozen=True, slots=True)
class Candidate:
    source_index: int
    peak_s: float
    score: float
    start_s: float  # where the excitement rose past half the peak (the build-up starts before)
    end_s: float  # where it fell back below half the peak
    components: tuple[tuple[str, float], ...]  # why it scored, at the peak

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
        out.append(
            Candidate(
                source_index=source_index,
                peak_s=(p + 0.5) * step,
                score=height - floor,
                start_s=lo * step,
                end_s=(hi + 1) * step,
                components=comps,
            )
        )
    out.sort(key=lambda c: -c.score)
    return out
