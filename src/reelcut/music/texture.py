"""Vinyl surface noise for lo-fi: a bed of filtered hiss, rumble, and random clicks and pops.

Crackle is what makes lo-fi sound sampled off a record; it also means the track is never
digitally silent, even between chords. The hiss is a few seconds of noise tiled (nobody hears a
noise bed repeat at -55 dBFS) and clicks are placed one by one, so it costs almost nothing.
"""

from __future__ import annotations

import numpy as np

from reelcut.music.dsp import RATE, bandpass, highpass, lowpass, samples

_BED_S = 5.3
_CLICKS_PER_S = 12.0


def vinyl(n: int, rng: np.random.Generator, level: float = 1.0) -> np.ndarray:
    """Stereo (2 x n float32) crackle: ~12 clicks a second, a few loud pops, hiss and rumble."""
    m = min(samples(_BED_S), n)
    bed = bandpass(rng.standard_normal((2, m)), 1500, 9000) * 0.0025
    bed += lowpass(rng.standard_normal(m), 40) * 0.01
    out = np.tile(bed.astype(np.float32), (1, -(-n // m)))[:, :n]
    shapes = [
        highpass(lowpass(rng.standard_normal(samples(0.004)), 7000), 700, order=1)
        * np.exp(-np.arange(samples(0.004)) / 30.0)
        for _ in range(6)
    ]
    count = int(rng.poisson(_CLICKS_PER_S * n / RATE))
    for at, size, shape in zip(
        rng.integers(0, n, size=count),
        rng.pareto(2.5, size=count) * 0.05 + 0.01,
        rng.integers(len(shapes), size=count),
        strict=True,
    ):
        click = shapes[shape][: n - at] * size
        side = rng.uniform(0.3, 1.0, size=(2, 1))
        out[:, at : at + len(click)] += (side * click).astype(np.float32)
    return level * out
