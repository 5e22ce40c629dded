"""Event sounds built from noise and tones: whistles, applause, laughter, explosions, gunfire.

Each generator returns stereo float32 at 48 kHz whose loudest 0.4 s has an RMS of 1.0; the
mixer then places it at a level in dB. They aim to be physically plausible (broadband claps
at a few hertz per person, a pea whistle's trill, an explosion's fast attack and low-passed
decay) rather than to trip any particular detector.
"""

from __future__ import annotations

import numpy as np
from scipy import signal

from reelcut.footage.encode import RATE


def seconds(n_s: float) -> int:
    return int(round(n_s * RATE))


def normalise_peak_window(x: np.ndarray, window_s: float = 0.4) -> np.ndarray:
    """Scale so the loudest ``window_s`` has RMS 1 (the level a listener hears at its peak)."""
    power = x.astype(np.float64) ** 2
    if power.ndim == 2:
        power = power.mean(axis=1)
    win = max(min(seconds(window_s), len(power)), 1)
    csum = np.concatenate([[0.0], np.cumsum(power)])
    peak = float(np.max(csum[win:] - csum[:-win]) / win) if len(power) >= win else power.mean()
    return (x / np.sqrt(max(peak, 1e-12))).astype(np.float32)


def stereo(mono: np.ndarray, pan: float = 0.0) -> np.ndarray:
    """Constant-power pan of a mono signal (-1 left, +1 right)."""
    angle = (pan + 1) * np.pi / 4
    return np.stack([mono * np.cos(angle), mono * np.sin(angle)], axis=1).astype(np.float32)


def band_noise(
    rng: np.random.Generator, n: int, lo: float, hi: float, order: int = 2
) -> np.ndarray:
    sos = signal.butter(order, [lo, hi], btype="band", fs=RATE, output="sos")
    return signal.sosfilt(sos, rng.standard_normal(n))


def whistle(rng: np.random.Generator, duration_s: float) -> np.ndarray:
    """A referee's pea whistle: ~3.2 kHz with the pea's 25-35 Hz trill, sharp on and off."""
    n = seconds(duration_s)
    t = np.arange(n) / RATE
    trill = rng.uniform(25, 35)
    f = rng.uniform(3000, 3400) + 60 * np.sin(2 * np.pi * trill * t)
    phase = 2 * np.pi * np.cumsum(f) / RATE
    tone = np.sin(phase) + 0.1 * np.sin(2 * phase)
    tone *= 1 - 0.45 * (0.5 + 0.5 * np.sin(2 * np.pi * trill * t))
    ramp = np.clip(np.minimum(t / 0.015, (duration_s - t) / 0.04), 0, 1)
    mono = tone * ramp + 0.05 * band_noise(rng, n, 2000, 6000)
    return normalise_peak_window(stereo(mono, rng.uniform(-0.2, 0.2)), min(0.4, duration_s))


def applause(rng: np.random.Generator, duration_s: float) -> np.ndarray:
    """Many people clapping: sparse broadband impulses at 3-6 Hz each, quick rise, slow fade."""
    n = seconds(duration_s)
    out = np.zeros((n, 2))
    for group in range(6):
        train = np.zeros(n)
        for _ in range(8):
            rate = rng.uniform(3.0, 6.0)
            times = np.arange(rng.uniform(0, 0.3), duration_s, 1 / rate)
            times = times + rng.normal(0, 0.012, times.size)
            idx = (np.clip(times, 0, duration_s - 1e-3) * RATE).astype(int)
            train[idx] += rng.uniform(0.5, 1.0, idx.size)
        k = seconds(0.012)
        kernel = rng.standard_normal(k) * np.exp(-np.arange(k) / (0.002 * RATE))
        lo = rng.uniform(600, 1200)
        kernel = signal.sosfilt(
            signal.butter(2, [lo, lo * 5], "band", fs=RATE, output="sos"), kernel
        )
        claps = signal.fftconvolve(train, kernel)[:n]
        out += stereo(claps, -0.8 + 1.6 * group / 5)
    t = np.arange(n) / RATE
    env = np.clip(t / 0.4, 0, 1) * np.clip((duration_s - t) / 1.5, 0, 1) ** 1.5
    return normalise_peak_window(out * env[:, None])


def laughter(rng: np.random.Generator, duration_s: float) -> np.ndarray:
    """Two or three people laughing: bursts of voiced, breathy "ha" at ~5 per second."""
    n = seconds(duration_s)
    out = np.zeros((n, 2))
    for person in range(int(rng.integers(2, 4))):
        start = 0.0 if person == 0 else rng.uniform(0.2, 0.8)
        f0 = rng.uniform(200, 340)
        mono = np.zeros(n)
        t_at = start
        while t_at < duration_s - 0.3:
            for _ in range(int(rng.integers(4, 9))):
                if t_at >= duration_s - 0.2:
                    break
                mono_syl = _ha(rng, f0 * rng.uniform(0.9, 1.1), rng.uniform(0.12, 0.18))
                a = seconds(t_at)
                b = min(a + len(mono_syl), n)
                mono[a:b] += mono_syl[: b - a]
                t_at += 1 / rng.uniform(4.5, 5.8)
                f0 *= 0.97
            t_at += rng.uniform(0.25, 0.45)
        out += stereo(mono, rng.uniform(-0.6, 0.6))
    t = np.arange(n) / RATE
    env = np.clip(t / 0.15, 0, 1) * np.clip((duration_s - t) / 0.8, 0.15, 1)
    return normalise_peak_window(out * env[:, None])


def _ha(rng: np.random.Generator, f0: float, dur: float) -> np.ndarray:
    m = seconds(dur)
    t = np.arange(m) / RATE
    phase = 2 * np.pi * f0 * (1 - 0.3 * t / dur) * t
    k = np.arange(1, int(3500 // f0) + 1)
    amp = np.exp(-0.5 * ((k * f0 - 800) / 250) ** 2) + np.exp(-0.5 * ((k * f0 - 1250) / 300) ** 2)
    voiced = (amp[:, None] * np.sin(k[:, None] * phase[None, :])).sum(axis=0)
    voiced /= np.abs(voiced).max() + 1e-9
    breath = band_noise(rng, m, 500, 3000) * 2.5
    return (voiced + breath) * np.sin(np.pi * t / dur) ** 0.7


def explosion(rng: np.random.Generator) -> np.ndarray:
    """A blast: broadband crack that decays fast into a long low rumble with a sub boom."""
    dur = rng.uniform(1.2, 2.0)
    n = seconds(dur)
    t = np.arange(n) / RATE
    crack = rng.standard_normal(n) * np.exp(-t / 0.08)
    rumble = signal.sosfilt(
        signal.butter(2, rng.uniform(250, 500), fs=RATE, output="sos"),
        rng.standard_normal(n),
    )
    rumble *= np.exp(-t / rng.uniform(0.35, 0.6)) * 4
    boom = np.sin(2 * np.pi * rng.uniform(40, 60) * t * (1 - 0.3 * t / dur)) * np.exp(-t / 0.4)
    attack = np.clip(t / 0.004, 0, 1)
    left = (crack + rumble + boom) * attack
    right = (rng.standard_normal(n) * np.exp(-t / 0.08) + rumble + boom) * attack
    return normalise_peak_window(np.stack([left, right], axis=1))


def gunfire(rng: np.random.Generator, duration_s: float) -> np.ndarray:
    """Automatic fire: short noise cracks at 8-12 per second in bursts."""
    n = seconds(duration_s)
    train = np.zeros(n)
    t_at = 0.0
    while t_at < duration_s - 0.1:
        rate = rng.uniform(8, 12)
        for _ in range(int(rng.integers(3, 10))):
            if t_at >= duration_s - 0.1:
                break
            train[seconds(t_at)] = rng.uniform(0.7, 1.0)
            t_at += 1 / rate
        t_at += rng.uniform(0.2, 0.6)
    k = seconds(0.06)
    kernel = rng.standard_normal(k) * np.exp(-np.arange(k) / (0.012 * RATE))
    kernel = signal.sosfilt(signal.butter(2, [150, 7000], "band", fs=RATE, output="sos"), kernel)
    shots = signal.fftconvolve(train, kernel)[:n]
    return normalise_peak_window(stereo(shots, rng.uniform(-0.5, 0.5)))


def public_address(rng: np.random.Generator, dry: np.ndarray) -> np.ndarray:
    """Speech through stadium loudspeakers: horn band-pass, slight drive, echoes, long tail."""
    sos = signal.butter(4, [350, 3500], "band", fs=RATE, output="sos")
    horn = np.tanh(1.5 * signal.sosfilt(sos, dry)) / 1.5
    tail_n = seconds(1.6)
    x = np.concatenate([horn, np.zeros(tail_n)])
    out = np.zeros((len(x), 2))
    for ch in range(2):
        wet = x.copy()
        for delay, gain in ((0.11, 0.45), (0.23, 0.3), (0.37, 0.18)):
            d = seconds(delay + 0.01 * ch)
            wet[d:] += gain * x[:-d]
        ir = rng.standard_normal(tail_n) * np.exp(-np.arange(tail_n) / (0.35 * RATE))
        out[:, ch] = wet + 0.25 * signal.fftconvolve(x, ir / np.sqrt(np.sum(ir**2)))[: len(x)]
    scale = np.sqrt(np.mean(dry**2) / max(np.mean(out[: len(dry)] ** 2), 1e-12))
    return (out * scale).astype(np.float32)
