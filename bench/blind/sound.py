"""Sound primitives of the blind generator: mono float32 at 48 kHz, each at unit RMS.

The caller scales every sound to a level (:func:`at_db`). The shapes are chosen to differ from
the other two generators on purpose: a crowd that erupts without a build-up, tonal horns in the
roar, voiced laughter as a wash of many voices, claps whose density swells, music (tonal,
steady, loud) as a distractor, a kettle and a phone as household noises.
"""

from __future__ import annotations

import numpy as np
from scipy import signal

from reelcut.footage.encode import RATE
from reelcut.footage.speech import espeak


def n_of(seconds: float) -> int:
    return max(int(round(seconds * RATE)), 1)


def unit(x: np.ndarray) -> np.ndarray:
    rms = float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))
    return (x / rms).astype(np.float32) if rms > 0 else x.astype(np.float32)


def at_db(x: np.ndarray, db: float) -> np.ndarray:
    """``x`` scaled so its RMS is ``db`` dBFS."""
    return unit(x) * np.float32(10 ** (db / 20))


def band(rng: np.random.Generator, seconds: float, lo: float, hi: float) -> np.ndarray:
    b, a = signal.butter(2, [lo, hi], btype="band", fs=RATE)
    return unit(signal.lfilter(b, a, rng.standard_normal(n_of(seconds))))


def fade(x: np.ndarray, in_s: float, out_s: float) -> np.ndarray:
    env = np.ones(len(x), np.float32)
    a, b = min(n_of(in_s), len(x)), min(n_of(out_s), len(x))
    env[:a] = np.linspace(0, 1, a)
    env[len(x) - b :] = np.minimum(env[len(x) - b :], np.linspace(1, 0, b))
    return x * env


def crowd(rng: np.random.Generator, seconds: float) -> np.ndarray:
    """Many voices: band noise with a slow, uneven swell (people do not cheer in step)."""
    x = band(rng, seconds, 250, 3500)
    t = np.arange(len(x)) / RATE
    wobble = 1 + 0.25 * np.sin(2 * np.pi * rng.uniform(0.05, 0.2) * t + rng.uniform(0, 6))
    return unit(x * wobble)


def horns(rng: np.random.Generator, seconds: float) -> np.ndarray:
    """A stand of plastic horns: a few buzzing tones near 233 Hz, each wavering, rich in harmonics."""
    t = np.arange(n_of(seconds)) / RATE
    out = np.zeros(len(t))
    for _ in range(int(rng.integers(3, 7))):
        f = 233 * 2 ** (rng.uniform(-0.3, 0.3) / 12)
        phase = 2 * np.pi * np.cumsum(f * (1 + 0.01 * np.sin(2 * np.pi * 5 * t))) / RATE
        out += np.sign(np.sin(phase + rng.uniform(0, 6))) * rng.uniform(0.5, 1)
    b, a = signal.butter(2, 3000, fs=RATE)
    return unit(signal.lfilter(b, a, out))


def voice_stand_in(rng: np.random.Generator, seconds: float, f0: float) -> np.ndarray:
    """Speech-like sound without espeak-ng: a pulse train through two formants, in syllables."""
    n = n_of(seconds)
    t = np.arange(n) / RATE
    pitch = f0 * (1 + 0.08 * np.sin(2 * np.pi * 0.7 * t))
    pulses = (np.diff(np.floor(np.cumsum(pitch) / RATE), prepend=0) > 0).astype(float)
    out = np.zeros(n)
    for lo, hi in ((300, 900), (1100, 2600)):
        b, a = signal.butter(2, [lo, hi], btype="band", fs=RATE)
        out += signal.lfilter(b, a, pulses)
    syllables = 0.5 + 0.5 * np.sin(2 * np.pi * rng.uniform(3.5, 5.0) * t) ** 2
    return unit(out * syllables)


def speech(
    rng: np.random.Generator, text: str, voice: str, pitch: int, wpm: int, use_espeak: bool
) -> np.ndarray:
    """A phrase, trimmed of leading and trailing silence."""
    if not use_espeak:
        return voice_stand_in(rng, 0.065 * len(text) * 175 / wpm, 90 + pitch)
    x = np.array(espeak(text, voice, pitch, wpm), np.float32)
    loud = np.flatnonzero(np.abs(x) > 0.02)
    return unit(x[loud[0] : loud[-1] + 1] if len(loud) else x)


def laugh_wash(rng: np.random.Generator, seconds: float, voices: int) -> np.ndarray:
    """An audience laughing: each voice voiced "ha" syllables at its own rate and pitch."""
    n = n_of(seconds)
    t = np.arange(n) / RATE
    out = np.zeros(n)
    for _ in range(voices):
        f0 = rng.uniform(160, 380)
        rate = rng.uniform(3.0, 7.0)
        start = rng.uniform(0, min(0.6, seconds / 3))
        buzz = np.sign(np.sin(2 * np.pi * f0 * t + rng.uniform(0, 6))) * 0.7
        buzz += 0.5 * rng.standard_normal(n)
        syl = np.clip(np.sin(2 * np.pi * rate * (t - start)), 0, None) ** 2 * (t > start)
        tail = np.clip((seconds - t) / max(seconds * rng.uniform(0.3, 0.7), 0.3), 0, 1)
        out += buzz * syl * tail
    b, a = signal.butter(2, [350, 2800], btype="band", fs=RATE)
    return unit(signal.lfilter(b, a, out))


def claps(rng: np.random.Generator, seconds: float, per_s: tuple[float, float]) -> np.ndarray:
    """Applause: 5 ms noise clicks whose density swells from ``per_s[0]`` to ``per_s[1]``."""
    n = n_of(seconds)
    out = np.zeros(n)
    density = np.interp(np.arange(n), [0, n * 0.3, n], [per_s[0], per_s[1], per_s[1] * 0.6])
    hits = np.flatnonzero(rng.random(n) < density / RATE)
    click = rng.standard_normal(n_of(0.005)) * np.exp(-np.arange(n_of(0.005)) / (RATE * 0.0012))
    for h in hits:
        seg = out[h : h + len(click)]
        seg += click[: len(seg)] * rng.uniform(0.4, 1)
    b, a = signal.butter(2, 800, btype="high", fs=RATE)
    return unit(signal.lfilter(b, a, out))


def music(rng: np.random.Generator, seconds: float, bpm: float) -> np.ndarray:
    """A loop: three-note chords changing every bar, a kick on every beat. Tonal and steady."""
    n = n_of(seconds)
    t = np.arange(n) / RATE
    beat = 60 / bpm
    roots = rng.choice([110.0, 123.5, 146.8, 164.8, 98.0], 4)
    root = roots[(t // (4 * beat)).astype(int) % 4]
    out = sum(np.sin(2 * np.pi * root * r * t) / (k + 1) for k, r in enumerate((1, 1.26, 1.5, 2)))
    phase = (t % beat) / beat
    kick = np.sin(2 * np.pi * 60 * t) * np.exp(-phase * 12)
    return unit(out + 2 * kick)


def kettle(rng: np.random.Generator, seconds: float) -> np.ndarray:
    """A kettle coming to the boil: a whistle rising from 1.5 to 2.5 kHz and getting louder."""
    t = np.arange(n_of(seconds)) / RATE
    f = 1500 + 1000 * t / seconds
    tone = np.sin(2 * np.pi * np.cumsum(f) / RATE) * (0.3 + 0.7 * t / seconds)
    return unit(tone + 0.1 * rng.standard_normal(len(t)))


def phone(seconds: float) -> np.ndarray:
    """A telephone ringing: 440 + 480 Hz, 2 s on, 4 s off."""
    t = np.arange(n_of(seconds)) / RATE
    on = (t % 6) < 2
    return unit((np.sin(2 * np.pi * 440 * t) + np.sin(2 * np.pi * 480 * t)) * on + 1e-4)


def hits(rng: np.random.Generator, seconds: float, per_s: float) -> np.ndarray:
    """Game combat: low thuds (a decaying 70-120 Hz sine with a click) at ``per_s``."""
    n = n_of(seconds)
    out = np.zeros(n)
    length = n_of(0.25)
    k = np.arange(length) / RATE
    for h in np.flatnonzero(rng.random(n) < per_s / RATE):
        thud = np.sin(2 * np.pi * rng.uniform(70, 120) * k) * np.exp(-k * 18)
        thud[:40] += rng.standard_normal(40)
        seg = out[h : h + length]
        seg += thud[: len(seg)]
    return unit(out)


def fanfare(seconds: float) -> np.ndarray:
    """A victory fanfare: rising major arpeggio, brassy (odd harmonics)."""
    t = np.arange(n_of(seconds)) / RATE
    notes = np.array([261.6, 329.6, 392.0, 523.3])
    f = notes[np.minimum((t / (seconds / 4)).astype(int), 3)]
    phase = 2 * np.pi * f * t
    return unit(sum(np.sin(h * phase) / h for h in (1, 3, 5)) * fade(np.ones(len(t)), 0.05, 0.5))
