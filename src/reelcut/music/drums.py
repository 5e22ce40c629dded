"""Drum voices from pitched envelopes and filtered noise: kicks, snares, claps, hats, shakers, toms.

Each takes the note's pitch (only toms use it), the note's length in samples (hits ring for their
own natural length instead) and a generator for the noise, and returns mono float64 with a peak
near 1. The mixer sets levels; these only decide the timbre.
"""

from __future__ import annotations

import numpy as np

from reelcut.music.dsp import RATE, bandpass, decay, highpass, lowpass, samples, time_axis
from reelcut.music.theory import midi_hz


def _sweep(n: int, start_hz: float, end_hz: float, tau_s: float) -> np.ndarray:
    """Phase of a sine gliding from ``start_hz`` down to ``end_hz``: the thump of a drum skin."""
    t = time_axis(n)
    freq = end_hz + (start_hz - end_hz) * np.exp(-t / tau_s)
    return 2 * np.pi * np.cumsum(freq) / RATE


def kick_soft(pitch: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Lo-fi kick: a round, short thump with no click, as if sampled from an old record."""
    m = samples(0.38)
    body = np.sin(_sweep(m, 130, 52, 0.035)) * decay(m, 0.11)
    return lowpass(body + 0.05 * rng.standard_normal(m) * decay(m, 0.01), 900)


def kick_punch(pitch: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Dance kick: fast pitch drop, a beater click and a long tight sub tail."""
    m = samples(0.42)
    body = np.tanh(1.6 * np.sin(_sweep(m, 190, 48, 0.03)) * decay(m, 0.16))
    click = highpass(rng.standard_normal(m), 2500) * decay(m, 0.004)
    return body + 0.35 * click


def kick_boom(pitch: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Trailer boom: very low, saturated and long, felt more than heard."""
    m = samples(1.1)
    body = np.tanh(2.2 * np.sin(_sweep(m, 110, 38, 0.06)) * decay(m, 0.35))
    thud = lowpass(rng.standard_normal(m), 400) * decay(m, 0.05)
    return body + 0.6 * thud


def snare(pitch: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Snare: a 190 Hz shell tone under band-passed wire noise."""
    m = samples(0.3)
    tone = np.sin(_sweep(m, 240, 185, 0.02)) * decay(m, 0.05)
    wires = bandpass(rng.standard_normal(m), 1500, 8000) * decay(m, 0.075)
    return 0.6 * tone + wires


def snare_dusty(pitch: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Lo-fi snare: the same recipe, low-passed and a little longer, like a dusty sample."""
    return lowpass(snare(pitch, n, rng), 4500) * 1.3


def snare_big(pitch: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Cinematic snare: a fat crack with a long noisy tail (the reverb adds the hall)."""
    m = samples(0.7)
    tone = np.sin(_sweep(m, 260, 150, 0.03)) * decay(m, 0.09)
    wires = bandpass(rng.standard_normal(m), 800, 7000) * decay(m, 0.18)
    return np.tanh(1.5 * (0.7 * tone + wires))


def clap(pitch: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Hand clap: three quick bursts (hands never meet at once) and a short diffuse tail."""
    m = samples(0.25)
    t = time_axis(m)
    env = np.zeros(m)
    for at in (0.0, 0.011, 0.022):
        env += np.where(t >= at, np.exp(-(t - at) / 0.006), 0.0) * (t < 0.03)
    env += np.where(t >= 0.03, np.exp(-(t - 0.03) / 0.06), 0.0)
    return bandpass(rng.standard_normal(m), 900, 5000) * env


def hat_closed(pitch: float, n: int, rng: np.random.Generator) -> np.ndarray:
    m = samples(0.09)
    return highpass(rng.standard_normal(m), 7000) * decay(m, 0.018)


def hat_open(pitch: float, n: int, rng: np.random.Generator) -> np.ndarray:
    m = samples(0.4)
    return highpass(rng.standard_normal(m), 6500) * decay(m, 0.12)


def shaker(pitch: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Shaker: band-passed noise that swells for 15 ms before it falls, unlike a struck hat."""
    m = samples(0.12)
    t = time_axis(m)
    env = np.minimum(t / 0.015, 1.0) * np.exp(-np.maximum(t - 0.015, 0) / 0.03)
    return bandpass(rng.standard_normal(m), 4000, 11000) * env


def tom(pitch: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Taiko-like tom at ``pitch``: a skin that drops a fourth, with a stick's noise on top."""
    m = samples(0.9)
    f = midi_hz(pitch)
    body = np.sin(_sweep(m, 1.5 * f, f, 0.04)) * decay(m, 0.22)
    stick = bandpass(rng.standard_normal(m), 300, 3000) * decay(m, 0.02)
    return np.tanh(1.4 * body) + 0.35 * stick
