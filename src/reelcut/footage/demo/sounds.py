"""Studio A's sound primitives, mono float32 at 48 kHz, levels as RMS in dBFS.

Made to sound like their real counterparts in the ways that matter to a listener (and so to any
honest detector): crowds are broadband noise with slow swells, music is tonal with a beat, speech
is espeak-ng (or, when speech is off, voiced syllables at 4-5 Hz), whistles are narrow tones.
"""

from __future__ import annotations

import functools

import numpy as np
from scipy import signal

from reelcut.footage.speech import RATE, espeak


def db(x: float) -> float:
    return float(10 ** (x / 20))


def at_level(x: np.ndarray, rms_dbfs: float) -> np.ndarray:
    rms = float(np.sqrt(np.mean(x.astype(np.float64) ** 2))) or 1.0
    return (x * (db(rms_dbfs) / rms)).astype(np.float32)


# ITU-R BS.1770 K-weighting at 48 kHz: a high shelf (+4 dB above ~1.5 kHz), then a high-pass.
_K_SHELF = (
    [1.53512485958697, -2.69169618940638, 1.19839281085285],
    [1.0, -1.69065929318241, 0.73248077421585],
)
_K_HIGHPASS = ([1.0, -2.0, 1.0], [1.0, -1.99004745483398, 0.99007225036621])


def loudness(x: np.ndarray) -> float:
    """BS.1770 loudness in LUFS of a dense sound, ungated, as a meter reads the clip it ends up in.

    Ungated is the integrated loudness for sounds without pauses (music beds, jingles). The clip
    carries ``x`` on both channels, and BS.1770 sums the channels: +3 dB over ``x`` alone.
    """
    y = signal.lfilter(*_K_HIGHPASS, signal.lfilter(*_K_SHELF, x.astype(np.float64)))
    return float(-0.691 + 10 * np.log10(2 * np.mean(y**2) + 1e-20))


def at_loudness(x: np.ndarray, lufs: float) -> np.ndarray:
    return (x * db(lufs - loudness(x))).astype(np.float32)


def envelope(n: int, points: list[tuple[float, float]]) -> np.ndarray:
    """Gain curve in dB through (seconds, dB) points, as a linear factor per sample."""
    t = np.arange(n) / RATE
    xs, ys = zip(*points, strict=True)
    return (10 ** (np.interp(t, xs, ys) / 20)).astype(np.float32)


def crowd(rng: np.random.Generator, seconds: float) -> np.ndarray:
    """Crowd noise: many voices blurred into band-limited pink-ish noise with slow wobble."""
    n = int(seconds * RATE)
    white = rng.standard_normal(n).astype(np.float32)
    b, a = signal.butter(2, [250, 5000], btype="band", fs=RATE)
    x = signal.lfilter(b, a, white).astype(np.float32)
    wobble = 1 + 0.15 * np.sin(
        2 * np.pi * rng.uniform(0.05, 0.2) * np.arange(n) / RATE + rng.uniform(0, 6)
    )
    return x * wobble.astype(np.float32)


def music(
    rng: np.random.Generator, seconds: float, bpm: float = 120.0, soft: bool = False
) -> np.ndarray:
    """A chord progression of saw-ish tones with a kick drum on every beat (ads, menus)."""
    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    roots = [220.0, 329.6, 246.9, 293.7] if rng.random() < 0.5 else [261.6, 392.0, 440.0, 349.2]
    bar = 60.0 / bpm * 4
    out = np.zeros(n, np.float32)
    for i, root in enumerate(roots * int(seconds / bar / len(roots) + 2)):
        a, b = int(i * bar * RATE), int((i + 1) * bar * RATE)
        if a >= n:
            break
        seg = t[a : min(b, n)]
        for ratio in (1.0, 1.26, 1.5, 2.0):
            f = root * ratio
            for h in (1, 2, 3):
                out[a : a + len(seg)] += (0.3 / h) * np.sin(2 * np.pi * f * h * seg).astype(
                    np.float32
                )
    if not soft:
        beat = 60.0 / bpm
        kick_t = np.arange(int(0.15 * RATE)) / RATE
        kick = (
            np.sin(2 * np.pi * (60 + 90 * np.exp(-kick_t * 30)) * kick_t) * np.exp(-kick_t * 18)
        ).astype(np.float32)
        for k in range(int(seconds / beat)):
            a = int(k * beat * RATE)
            m = min(len(kick), n - a)
            out[a : a + m] += 2.5 * kick[:m]
    return out


def whistle(rng: np.random.Generator, seconds: float) -> np.ndarray:
    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    f = rng.uniform(2800, 3400) + 40 * np.sin(2 * np.pi * 28 * t)
    x = np.sin(2 * np.pi * np.cumsum(f) / RATE).astype(np.float32)
    ramp = np.minimum(1, np.minimum(t, t[::-1]) / 0.02).astype(np.float32)
    return x * ramp


def claps(rng: np.random.Generator, seconds: float, rate_hz: float = 40.0) -> np.ndarray:
    """Applause: many short noise bursts with fast decays at random times."""
    n = int(seconds * RATE)
    out = np.zeros(n, np.float32)
    burst_n = int(0.012 * RATE)
    decay = np.exp(-np.arange(burst_n) / (0.003 * RATE)).astype(np.float32)
    for start in rng.integers(0, max(n - burst_n, 1), int(seconds * rate_hz)):
        out[start : start + burst_n] += (
            rng.standard_normal(burst_n).astype(np.float32) * decay * rng.uniform(0.4, 1)
        )
    b, a = signal.butter(2, 800, btype="high", fs=RATE)
    return signal.lfilter(b, a, out).astype(np.float32)


def laughter(rng: np.random.Generator, seconds: float) -> np.ndarray:
    """'Ha-ha-ha': voiced bursts at ~5 Hz with a falling pitch, plus breathy noise."""
    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    f0 = rng.uniform(180, 260) * (1 - 0.15 * t / max(seconds, 1e-3))
    phase = 2 * np.pi * np.cumsum(f0) / RATE
    voiced = sum((np.sin(h * phase) / h for h in range(1, 8)), np.zeros(n)).astype(np.float32)
    pulses = (np.sin(2 * np.pi * rng.uniform(4.5, 5.5) * t) > 0.1).astype(np.float32)
    pulses = np.convolve(pulses, np.ones(240) / 240, mode="same").astype(np.float32)
    breath = rng.standard_normal(n).astype(np.float32) * 0.3
    return (voiced + breath) * pulses


def explosion(rng: np.random.Generator, seconds: float) -> np.ndarray:
    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    x = rng.standard_normal(n).astype(np.float32)
    b, a = signal.butter(2, 1500, fs=RATE)
    return (signal.lfilter(b, a, x) * np.exp(-t * 2.5)).astype(np.float32)


def echo(x: np.ndarray) -> np.ndarray:
    """Stadium PA: a couple of late reflections."""
    out = x.copy()
    for delay, gain in ((0.11, 0.45), (0.23, 0.3), (0.37, 0.18)):
        d = int(delay * RATE)
        out[d:] += gain * x[:-d]
    return out


@functools.lru_cache(maxsize=512)
def _espeak(text: str, pitch: int, speed: int, voice: str) -> np.ndarray:
    """espeak-ng's phrase, trimmed to its first and last sample louder than 0.01."""
    x = espeak(text, voice, pitch, speed)
    loud = np.flatnonzero(np.abs(x) > 0.01)
    return x[loud[0] : loud[-1] + 1] if len(loud) else x


def _babble(rng: np.random.Generator, text: str, pitch: int, speed: int) -> np.ndarray:
    """Speech stand-in when espeak-ng is missing: voiced syllables with formants and gaps."""
    syllables = max(2, len(text) // 3)
    syl_s = 60.0 / (speed * 1.6)
    n = int(syllables * syl_s * RATE)
    t = np.arange(n) / RATE
    f0 = (90 + pitch * 1.6) * (1 + 0.08 * np.sin(2 * np.pi * 1.3 * t))
    phase = 2 * np.pi * np.cumsum(f0) / RATE
    voiced = sum((np.sin(h * phase) / h for h in range(1, 12)), np.zeros(n)).astype(np.float32)
    b, a = signal.butter(2, [500, 2500], btype="band", fs=RATE)
    voiced = signal.lfilter(b, a, voiced).astype(np.float32)
    gate = (np.sin(2 * np.pi * t / syl_s) > -0.3).astype(np.float32)
    gate = np.convolve(gate, np.ones(480) / 480, mode="same").astype(np.float32)
    return voiced * gate


def speech(
    rng: np.random.Generator,
    text: str,
    pitch: int = 45,
    speed: int = 165,
    use_espeak: bool = True,
    voice: str = "en",
) -> np.ndarray:
    """One spoken phrase (trimmed of leading/trailing silence); babble when not ``use_espeak``."""
    if not use_espeak:
        return _babble(rng, text, pitch, speed)
    return _espeak(text, pitch, speed, voice).astype(np.float32)
