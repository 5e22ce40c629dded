"""Vinyl surface noise for lo-fi: a bed of filtered hiss and random clicks and pops.

Crackle is what makes lo-fi sound sampled off a record; it also means the track is never
digitally silent, even between chords. Levels are relative to a mix peaking near 1.
"""

from __future__ import annotations

import numpy as np

from reelcut.music.dsp import RATE, bandpass, highpass, lowpass


def vinyl(n: int, rng: np.random.Generator, level: float = 1.0) -> np.ndarray:
    """Stereo (2 x n) crackle: ~12 clicks a second (a few loud pops), hiss around -55 dBFS."""
    hiss = bandpass(rng.standard_normal((2, n)), 1500, 9000) * 0.0025
    clicks = np.zeros((2, n))
    count = rng.poisson(12 * n / RATE)
    at = rng.integers(0, n, size=count)
    size = rng.pareto(2.5, size=count) * 0.02 + 0.006
    side = rng.uniform(0.3, 1.0, size=(2, count))
    clicks[:, at] = side * size * rng.choice([-1.0, 1.0], size=count)
    clicks = highpass(lowpass(clicks, 7000), 700, order=1)
    rumble = lowpass(rng.standard_normal(n), 40, order=2) * 0.01
    return level * (hiss + 3 * clicks + rumble[None, :])
