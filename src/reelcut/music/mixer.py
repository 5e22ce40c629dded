"""Render notes to stereo: each part on its own bus (level, pan, filter, wow, ducking), one reverb.

Parts are rendered one at a time and summed, so memory stays at a few full-length buffers
whatever the arrangement. A note is synthesised once per distinct (voice, pitch, length) and
placed many times; drums keep three takes each so repeated hits are not machine-identical.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy import signal

from reelcut.music import drums, tones
from reelcut.music.compose import Note
from reelcut.music.dsp import RATE, lowpass, samples, time_axis
from reelcut.music.styles import Part, Style

Voice = Callable[[float, int, np.random.Generator], np.ndarray]

VOICES: dict[str, Voice] = {
    name: getattr(module, name)
    for module, names in (
        (
            drums,
            "kick_soft kick_punch kick_boom snare snare_dusty snare_big clap hat_closed "
            "hat_open shaker tom",
        ),
        (
            tones,
            "ep_keys piano pad strings staccato pluck marimba bell bass_round bass_synth "
            "bass_sub whistle horn",
        ),
    )
    for name in names.split()
}
_DRUMS = frozenset(n for n in VOICES if getattr(drums, n, None) is VOICES[n])
_TAKES = 3


def _pan_gains(pan: float) -> np.ndarray:
    angle = (pan + 1.0) * np.pi / 4.0
    return np.array([np.cos(angle), np.sin(angle)])


def _render_part(part: Part, notes: Sequence[Note], n: int, rng: np.random.Generator) -> np.ndarray:
    voice = VOICES[part.voice]
    bus = np.zeros((2, n), dtype=np.float64)
    rendered: dict[tuple[float, int, int], np.ndarray] = {}
    is_drum = part.voice in _DRUMS
    for note in notes:
        start = samples(note.start_s)
        if start >= n:
            continue
        length = 0 if is_drum else max(samples(note.length_s), 1)
        take = int(rng.integers(_TAKES)) if is_drum else 0
        key = (note.pitch, length, take)
        if key not in rendered:
            rendered[key] = voice(note.pitch, length, rng)
        sound = rendered[key][: n - start]
        gains = _pan_gains(note.pan) * (note.velocity * part.level)
        bus[:, start : start + len(sound)] += gains[:, None] * sound[None, :]
    if part.lowpass_hz:
        bus = lowpass(bus, part.lowpass_hz)
    if part.wow:
        bus = _wow(bus)
    return bus


def _wow(bus: np.ndarray) -> np.ndarray:
    """Tape/vinyl wow: a slow 0.5 % pitch drift, read off a time-warped copy of the bus."""
    n = bus.shape[1]
    t = np.arange(n, dtype=np.float64)
    warp = t + 0.0016 * RATE * np.sin(2 * np.pi * 0.55 * t / RATE)
    return np.stack([np.interp(warp, t, ch) for ch in bus])


def _ducking(kicks: Sequence[Note], n: int, depth: float) -> np.ndarray:
    """Side-chain gain: dips by ``depth`` at each kick and recovers in ~150 ms (the dance pump)."""
    gain = np.ones(n)
    m = samples(0.25)
    t = time_axis(m)
    shape = 1.0 - depth * np.exp(-t / 0.09) * np.minimum(t / 0.004, 1.0)
    for kick in kicks:
        at = samples(kick.start_s)
        end = min(at + m, n)
        if end > at:
            gain[at:end] = np.minimum(gain[at:end], shape[: end - at])
    return gain


def _reverb_ir(seconds: float, rng: np.random.Generator) -> np.ndarray:
    """Stereo room: decorrelated decaying noise per side, darker as it decays, 15 ms predelay."""
    m = samples(seconds)
    t = time_axis(m)
    noise = rng.standard_normal((2, m)) * np.exp(-6.9 * t / seconds)
    noise = 0.6 * lowpass(noise, 6000) + 0.4 * lowpass(noise, 1500)
    ir = np.concatenate([np.zeros((2, samples(0.015))), noise], axis=1)
    return ir / np.sqrt(np.sum(ir**2, axis=1, keepdims=True))


def mix(style: Style, notes: Sequence[Note], n: int, rng: np.random.Generator) -> np.ndarray:
    """The dry-plus-reverb stereo mix (2 x n float64) of ``notes``, before mastering."""
    by_part: list[list[Note]] = [[] for _ in style.parts]
    for note in notes:
        by_part[note.part].append(note)
    kicks = [
        note
        for part, part_notes in zip(style.parts, by_part, strict=True)
        if part.voice.startswith("kick")
        for note in part_notes
    ]
    out = np.zeros((2, n))
    send = np.zeros((2, n))
    for part, part_notes in zip(style.parts, by_part, strict=True):
        if not part_notes:
            continue
        bus = _render_part(part, part_notes, n, rng)
        if part.duck and kicks:
            bus *= _ducking(kicks, n, part.duck)
        out += bus
        if part.reverb:
            send += part.reverb * bus
    ir = _reverb_ir(style.reverb_s, rng)
    wet = np.stack([signal.oaconvolve(send[c], ir[c])[:n] for c in range(2)])
    return out + 0.5 * wet
