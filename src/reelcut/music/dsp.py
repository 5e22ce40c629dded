"""Small signal helpers the voices share: the rate, oscillators, envelopes and filters.

Everything is vectorised NumPy (no per-sample Python loop) so a two-minute track renders in a
fraction of a second; oscillators are band-limited where aliasing would be audible.
"""

from __future__ import annotations

import functools

import numpy as np
from scipy import signal

RATE = 48_000


def samples(seconds: float) -> int:
    return int(round(seconds * RATE))


@functools.lru_cache(maxsize=64)
def _time_axis(n: int) -> np.ndarray:
    t = np.arange(n, dtype=np.float64) / RATE
    t.flags.writeable = False
    return t


def time_axis(n: int) -> np.ndarray:
    """Seconds of each of ``n`` samples (shared and read-only: voices ask for the same lengths)."""
    return _time_axis(n)


def saw(freq_hz: float, n: int, phase: float = 0.0) -> np.ndarray:
    """Band-limited sawtooth (PolyBLEP): bright like an analogue saw, without aliasing whistles."""
    dt = freq_hz / RATE
    t = (phase + dt * np.arange(n)) % 1.0
    out = 2.0 * t - 1.0
    head = t < dt
    x = t[head] / dt
    out[head] -= x + x - x * x - 1.0
    tail = t > 1.0 - dt
    x = (t[tail] - 1.0) / dt
    out[tail] -= x * x + x + x + 1.0
    return out


def adsr(
    n: int, attack_s: float, release_s: float, sustain: float = 1.0, decay_s: float = 0.1
) -> np.ndarray:
    """Attack to 1, decay to ``sustain``, hold, and release to 0 over the last ``release_s``."""
    t = time_axis(n)
    env = np.minimum(t / max(attack_s, 1e-4), 1.0)
    env = np.where(
        t < attack_s,
        env,
        sustain + (1.0 - sustain) * np.exp(-(t - attack_s) / max(decay_s, 1e-4)),
    )
    rel = samples(release_s)
    if 0 < rel < n:
        env[-rel:] *= np.linspace(1.0, 0.0, rel) ** 2
    return env


@functools.lru_cache(maxsize=128)
def decay(n: int, tau_s: float) -> np.ndarray:
    """exp(-t / tau), with a 2 ms attack so hits do not click. Shared and read-only."""
    t = time_axis(n)
    env = np.exp(-t / tau_s) * np.minimum(t / 0.002, 1.0)
    env.flags.writeable = False
    return env


@functools.cache
def _sos(kind: str, cutoff: float | tuple[float, float], order: int) -> np.ndarray:
    return signal.butter(order, cutoff, btype=kind, fs=RATE, output="sos")


def lowpass(x: np.ndarray, cutoff_hz: float, order: int = 2) -> np.ndarray:
    return signal.sosfilt(_sos("lowpass", cutoff_hz, order), x, axis=-1)


def highpass(x: np.ndarray, cutoff_hz: float, order: int = 2) -> np.ndarray:
    return signal.sosfilt(_sos("highpass", cutoff_hz, order), x, axis=-1)


def bandpass(x: np.ndarray, low_hz: float, high_hz: float, order: int = 2) -> np.ndarray:
    return signal.sosfilt(_sos("bandpass", (low_hz, high_hz), order), x, axis=-1)
