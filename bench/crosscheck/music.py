"""Music built from tones: advert jingles, a soft menu loop, and a chanting crowd.

All three are steady by design: an advert is loud but flat (mastered, with a beat), a menu loop
repeats, a chant is rhythmic at a constant level. That steadiness is what tells them apart from
a highlight, which rises and falls. Output is stereo float32 at 48 kHz with the loudest 0.4 s
at RMS 1.0, like :mod:`crosscheck.sounds`.
"""

from __future__ import annotations

import numpy as np
from scipy import signal

from .sounds import RATE, band_noise, normalise_peak_window, seconds

_MAJOR_PROGRESSIONS = ((0, 7, 9, 5), (0, 5, 7, 5), (9, 5, 0, 7), (0, 9, 5, 7))


def _hz(midi: float) -> float:
    return 440.0 * 2 ** ((midi - 69) / 12)


def _saw(freq: float, n: int, detune: float = 0.0) -> np.ndarray:
    t = np.arange(n) / RATE
    return signal.sawtooth(2 * np.pi * freq * (1 + detune) * t)


def _place(out: np.ndarray, at: int, x: np.ndarray) -> None:
    end = min(at + len(x), len(out))
    if end > at:
        out[at:end] += x[: end - at]


def advert(rng: np.random.Generator, duration_s: float) -> np.ndarray:
    """One advert spot's jingle: four-chord loop, bass on eighths, kick, clap and hi-hats."""
    n = seconds(duration_s)
    bpm = rng.uniform(112, 132)
    beat = 60 / bpm
    key = int(rng.integers(55, 65))
    prog = _MAJOR_PROGRESSIONS[int(rng.integers(len(_MAJOR_PROGRESSIONS)))]
    pad, bass, drums = np.zeros(n), np.zeros(n), np.zeros(n)
    bar_n = seconds(4 * beat)
    lowpass = signal.butter(2, 2500, fs=RATE, output="sos")
    for bar, at in enumerate(range(0, n, bar_n)):
        root = key + prog[bar % 4]
        third = 3 if prog[bar % 4] == 9 else 4
        chord = sum(_saw(_hz(root + iv), bar_n, d) for iv in (0, third, 7) for d in (-0.004, 0.004))
        _place(pad, at, signal.sosfilt(lowpass, chord) * np.hanning(bar_n) ** 0.2)
        for eighth in range(8):
            note = _saw(_hz(root - 24), seconds(beat / 2) - 200)
            _place(
                bass,
                at + seconds(eighth * beat / 2),
                note * np.exp(-np.arange(len(note)) / 6000),
            )
    kick_n, clap_n, hat_n = seconds(0.18), seconds(0.12), seconds(0.03)
    tk = np.arange(kick_n) / RATE
    kick = np.sin(2 * np.pi * (45 * tk + 60 * 0.03 * (1 - np.exp(-tk / 0.03)))) * np.exp(-tk / 0.06)
    for i, at in enumerate(range(0, n, seconds(beat / 2))):
        hat = band_noise(rng, hat_n, 6000, 14000) * np.exp(-np.arange(hat_n) / 300)
        _place(drums, at, 0.3 * hat)
        if i % 2 == 0:
            _place(drums, at, 1.6 * kick)
        if i % 4 == 2:
            _place(
                drums,
                at,
                band_noise(rng, clap_n, 900, 5000) * np.exp(-np.arange(clap_n) / 1500),
            )
    mix = 0.35 * pad / 6 + 0.3 * bass + drums
    mix = np.tanh(2.0 * mix / (np.abs(mix).max() + 1e-9))
    t = np.arange(n) / RATE
    fade = np.clip(np.minimum(t / 0.05, (duration_s - t) / 0.3), 0, 1)
    wide = np.stack([mix, 0.9 * mix + 0.1 * np.roll(pad, 240) / 6], axis=1)
    return normalise_peak_window(wide * fade[:, None])


def menu_loop(rng: np.random.Generator, duration_s: float) -> np.ndarray:
    """A soft game-menu loop: slow sine arpeggio over a warm pad, eight seconds, repeated."""
    loop_s = 8.0
    m = seconds(loop_s)
    loop = np.zeros(m)
    key = int(rng.integers(50, 58))
    t = np.arange(m) / RATE
    for iv in (0, 7, 16):
        loop += (
            0.25
            * np.sin(2 * np.pi * _hz(key + iv) * t)
            * (0.8 + 0.2 * np.sin(2 * np.pi * t / loop_s))
        )
    step = seconds(0.5)
    pattern = (12, 16, 19, 24, 19, 16)
    for i, at in enumerate(range(0, m, step)):
        tn = np.arange(step * 2) / RATE
        note = np.sin(2 * np.pi * _hz(key + pattern[i % len(pattern)]) * tn) * np.exp(-tn / 0.5)
        _place(loop, at, 0.5 * note)
    reps = int(np.ceil(duration_s / loop_s))
    mono = np.tile(loop, reps)[: seconds(duration_s)]
    tt = np.arange(len(mono)) / RATE
    mono *= np.clip(np.minimum(tt / 1.0, (duration_s - tt) / 1.0), 0, 1)
    return normalise_peak_window(np.stack([mono, np.roll(mono, 480)], axis=1))


def chant(rng: np.random.Generator, duration_s: float) -> np.ndarray:
    """A stand singing a two-bar chant with claps on the beat, at a steady level throughout."""
    n = seconds(duration_s)
    beat = 60 / rng.uniform(100, 120)
    key = int(rng.integers(50, 56))
    melody = ((0, 1), (0, 1), (4, 0.5), (2, 0.5), (0, 1), (-1, 2), (2, 1), (0, 1))
    voice = np.zeros(n)
    sos = [
        signal.butter(2, [f * 0.8, f * 1.2], "band", fs=RATE, output="sos")
        for f in (700, 1150, 2500)
    ]
    at_s = 0.0
    i = 0
    while at_s < duration_s:
        step, beats = melody[i % len(melody)]
        m = seconds(beats * beat)
        tone = sum(_saw(_hz(key + step), m, d) for d in (-0.012, -0.004, 0.005, 0.013))
        tone = sum(signal.sosfilt(s, tone) for s in sos) + 0.3 * band_noise(rng, m, 300, 3000)
        env = np.clip(np.minimum(np.arange(m) / 2000, (m - np.arange(m)) / 3000), 0, 1)
        _place(voice, seconds(at_s), tone * env)
        at_s += beats * beat
        i += 1
    claps = np.zeros(n)
    for at in range(0, n, seconds(beat)):
        k = seconds(0.05)
        _place(claps, at, band_noise(rng, k, 800, 4000) * np.exp(-np.arange(k) / 400))
    t = np.arange(n) / RATE
    fade = np.clip(np.minimum(t / 2.0, (duration_s - t) / 2.0), 0, 1)
    mix = voice / (np.abs(voice).max() + 1e-9) + 0.6 * claps / (np.abs(claps).max() + 1e-9)
    wide = np.stack([mix, np.roll(mix, 700)], axis=1)
    return normalise_peak_window(wide * fade[:, None], window_s=4 * beat)
