"""Pitched voices: electric piano, piano, pads, strings, plucks, mallets, bells, basses and leads.

Same call as the drums: ``(pitch, length in samples, rng) -> mono float64``. A voice may ring
past the note's length (a release tail); the mixer places the whole array. Each recipe is the
classic synthesis of its instrument (FM for the tine piano, detuned saws for strings, harmonics
that die faster the higher they are for plucks), cheap enough to render per distinct note.
"""

from __future__ import annotations

import numpy as np

from reelcut.music.dsp import RATE, adsr, decay, lowpass, samples, saw, time_axis
from reelcut.music.theory import midi_hz


def _partials(
    f: float, m: int, ratios: tuple[float, ...], amps: tuple[float, ...], taus: tuple[float, ...]
) -> np.ndarray:
    t = time_axis(m)
    out = np.zeros(m)
    for ratio, amp, tau in zip(ratios, amps, taus, strict=True):
        if f * ratio < 0.45 * RATE:
            out += amp * np.sin(2 * np.pi * f * ratio * t) * np.exp(-t / tau)
    return out * np.minimum(t / 0.003, 1.0)


def _gate(x: np.ndarray, n: int, release_s: float) -> np.ndarray:
    """Cut ``x`` to the note length plus a release fade: a key let go."""
    rel = samples(release_s)
    x = x[: n + rel].copy()
    if len(x) > n:
        x[n:] *= np.linspace(1.0, 0.0, len(x) - n) ** 2
    return x


def ep_keys(pitch: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Tine electric piano by FM: a bright bark at the attack that mellows as the index decays."""
    f = midi_hz(pitch)
    m = n + samples(0.3)
    t = time_axis(m)
    index = 1.3 * np.exp(-t / 0.2) + 0.2
    tone = np.sin(2 * np.pi * f * t + index * np.sin(2 * np.pi * f * t))
    tone += 0.12 * np.sin(2 * np.pi * 7 * f * t) * np.exp(-t / 0.03) * (7 * f < 0.45 * RATE)
    return _gate(tone * decay(m, 1.8), n, 0.3)


def piano(pitch: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Piano: slightly stretched partials, the upper ones fading first, soft hammer."""
    f = midi_hz(pitch)
    m = n + samples(0.5)
    ks = tuple(range(1, 9))
    ratios = tuple(k * np.sqrt(1 + 0.0004 * k * k) for k in ks)
    tone = _partials(f, m, ratios, tuple(1 / k**1.4 for k in ks), tuple(2.4 / k**0.7 for k in ks))
    return _gate(tone, n, 0.5)


def _detuned_saws(f: float, m: int, cents: tuple[float, ...]) -> np.ndarray:
    out = np.zeros(m)
    for i, c in enumerate(cents):
        out += saw(f * 2 ** (c / 1200), m, phase=0.37 * i)
    return out / len(cents)


def pad(pitch: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Warm pad: three detuned saws, low-passed, slow swell in and slow release."""
    m = n + samples(1.2)
    tone = lowpass(_detuned_saws(midi_hz(pitch), m, (-9.0, 0.0, 8.0)), 1600)
    return tone * adsr(m, 0.7, 1.2)


def strings(pitch: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Low string section: more, wider-detuned saws and a darker filter than the pad."""
    m = n + samples(0.8)
    tone = _detuned_saws(midi_hz(pitch), m, (-14.0, -5.0, 4.0, 13.0))
    return lowpass(tone, 1300, order=4) * adsr(m, 0.35, 0.8)


def staccato(pitch: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Short bowed string note for ostinatos: quick bite, no sustain."""
    m = samples(0.28)
    tone = lowpass(_detuned_saws(midi_hz(pitch), m, (-7.0, 6.0)), 2600)
    return tone * adsr(m, 0.008, 0.08, sustain=0.0, decay_s=0.09)


def pluck(pitch: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Bright synth pluck: a saw's harmonics, each dying faster than the one below."""
    f = midi_hz(pitch)
    ks = tuple(range(1, 25))
    return _partials(
        f,
        samples(0.55),
        tuple(float(k) for k in ks),
        tuple(1 / k for k in ks),
        tuple(0.32 / (1 + 0.35 * (k - 1)) for k in ks),
    )


def marimba(pitch: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Marimba: a woody fundamental and the bar's tuned fourth harmonic, both short."""
    return _partials(
        midi_hz(pitch), samples(0.7), (1.0, 3.93, 9.2), (1.0, 0.35, 0.08), (0.32, 0.06, 0.02)
    )


def bell(pitch: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Soft bell / celesta: inharmonic partials that ring for seconds."""
    return _partials(
        midi_hz(pitch),
        samples(2.5),
        (1.0, 2.0, 2.76, 5.4),
        (1.0, 0.35, 0.25, 0.08),
        (1.6, 0.9, 0.6, 0.2),
    )


def bass_round(pitch: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Round, upright-like bass: a plucked sine with a touch of second and third harmonic."""
    f = midi_hz(pitch)
    m = n + samples(0.06)
    t = time_axis(m)
    tone = np.sin(2 * np.pi * f * t) + 0.3 * np.sin(4 * np.pi * f * t) * np.exp(-t / 0.15)
    tone += 0.1 * np.sin(6 * np.pi * f * t) * np.exp(-t / 0.08)
    return _gate(tone * decay(m, 0.9), n, 0.06)


def bass_synth(pitch: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Dance bass: a filtered saw over a sine sub, tight gate."""
    f = midi_hz(pitch)
    m = n + samples(0.03)
    t = time_axis(m)
    tone = 0.8 * np.sin(2 * np.pi * f * t) + 0.5 * lowpass(saw(f, m), 700)
    return _gate(tone * adsr(m, 0.004, 0.03, sustain=0.75, decay_s=0.12), n, 0.03)


def bass_sub(pitch: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Sustained sub bass under pads: a sine with a soft saw edge so small speakers hear it."""
    f = midi_hz(pitch)
    m = n + samples(0.5)
    t = time_axis(m)
    tone = np.sin(2 * np.pi * f * t) + 0.25 * lowpass(saw(f, m), 400)
    return tone * adsr(m, 0.12, 0.5)


def whistle(pitch: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Whistled tune: a near-pure tone with delayed vibrato and a breath of noise."""
    f = midi_hz(pitch)
    m = n + samples(0.08)
    t = time_axis(m)
    depth = 0.012 * np.minimum(t / 0.25, 1.0)
    freq = f * (1 + depth * np.sin(2 * np.pi * 5.5 * t))
    phase = 2 * np.pi * np.cumsum(freq) / RATE
    tone = np.sin(phase) + 0.06 * np.sin(2 * phase)
    return _gate(tone * adsr(m, 0.03, 0.08, sustain=0.85, decay_s=0.2), n, 0.08)


def horn(pitch: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Horn-like theme voice: two detuned saws, dark filter, slow brassy swell."""
    m = n + samples(0.3)
    tone = lowpass(_detuned_saws(midi_hz(pitch), m, (-5.0, 5.0)), 1500, order=4)
    return tone * adsr(m, 0.09, 0.3, sustain=0.85, decay_s=0.3)
