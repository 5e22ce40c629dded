"""Render notes to stereo: level, pan, spread, filter, wow and ducking per part, one shared reverb.

A note is synthesised once per distinct (pitches, length) and placed many times, straight into
the output and into a quarter-rate reverb send: no full-length buffer per part, so two minutes
of music cost well under a second. Drums keep three takes each so repeats are not identical.
Because every effect here is linear and per note (the low-pass and ducking too), placing
processed notes is the same as processing a bus, without the full-length passes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np
from scipy import signal

from reelcut.music import drums, tones
from reelcut.music.compose import Note
from reelcut.music.dsp import RATE, lowpass, samples, time_axis
from reelcut.music.styles import Part, Style

Voice = Callable[[float, int, np.random.Generator], np.ndarray]

_DRUM_NAMES = (
    "kick_soft kick_punch kick_boom snare snare_dusty snare_big clap hat_closed hat_open shaker tom"
)
_TONE_NAMES = (
    "ep_keys piano pad strings staccato pluck marimba bell bass_round bass_synth bass_sub "
    "whistle horn"
)
VOICES: dict[str, Voice] = {n: getattr(drums, n) for n in _DRUM_NAMES.split()} | {
    n: getattr(tones, n) for n in _TONE_NAMES.split()
}
_DRUMS = frozenset(_DRUM_NAMES.split())
_TAKES = 3
_SEND_RATE_DIV = 4
_WOW_SEMITONES = 0.12
_WOW_STEPS = 2
_WOW_PERIOD_S = 3.7


def _pan_gains(pan: float) -> np.ndarray:
    angle = (float(np.clip(pan, -1.0, 1.0)) + 1.0) * np.pi / 4.0
    return np.array([[np.cos(angle)], [np.sin(angle)]], dtype=np.float32)


def _downsample(x: np.ndarray) -> np.ndarray:
    """Quarter-rate copy (block means) for the reverb send; the hall is dark anyway."""
    m = x.shape[1] // _SEND_RATE_DIV * _SEND_RATE_DIV
    return x[:, :m].reshape(2, -1, _SEND_RATE_DIV).mean(axis=2)


def _retune(x: np.ndarray, semitones: float) -> np.ndarray:
    """``x`` played faster or slower by ``semitones``: a tape's wow, without resynthesis."""
    ratio = 2 ** (semitones / 12)
    src = np.arange(0, x.shape[1] - 1, ratio)
    grid = np.arange(x.shape[1])
    return np.stack([np.interp(src, grid, ch) for ch in x]).astype(np.float32)


class _PartRenderer:
    """Synthesises and caches one part's sounds as stereo float32, spread and filtered."""

    def __init__(self, part: Part, rng: np.random.Generator) -> None:
        self.part = part
        self.voice = VOICES[part.voice]
        self.is_drum = part.voice in _DRUMS
        self.rng = rng
        self.cache: dict[
            tuple[tuple[float, ...], int, int, int], tuple[np.ndarray, np.ndarray]
        ] = {}

    def sound(self, note: Note) -> tuple[np.ndarray, np.ndarray]:
        """(dry stereo at unit level and centre pan, its quarter-rate copy) for ``note``."""
        length = 0 if self.is_drum else max(samples(note.length_s), 1)
        take = int(self.rng.integers(_TAKES)) if self.is_drum else 0
        drift = 0
        if self.part.wow:
            drift = round(_WOW_STEPS * math.sin(2 * math.pi * note.start_s / _WOW_PERIOD_S))
        key = (note.pitches, length, take, drift)
        if key not in self.cache:
            if drift:
                dry, _ = self.sound(replace(note, start_s=0.0))
                dry = _retune(dry, drift * _WOW_SEMITONES / _WOW_STEPS)
                self.cache[key] = dry, _downsample(dry)
            else:
                self.cache[key] = self._render(note.pitches, length)
        return self.cache[key]

    def _render(self, pitches: tuple[float, ...], length: int) -> tuple[np.ndarray, np.ndarray]:
        voices = [self.voice(p, length, self.rng) for p in pitches]
        m = max(len(v) for v in voices)
        stereo = np.zeros((2, m))
        for j, v in enumerate(voices):
            spread = self.part.spread * (2 * j / (len(voices) - 1) - 1) if len(voices) > 1 else 0
            stereo[:, : len(v)] += _pan_gains(spread) * v[None, :] * 1.4142
        if len(voices) > 1:
            stereo *= 0.8
        if self.part.lowpass_hz:
            stereo = lowpass(stereo, self.part.lowpass_hz)
        out = stereo.astype(np.float32)
        return out, _downsample(out)


def _ducking(kicks: Sequence[Note], n: int, depth: float) -> np.ndarray:
    """Side-chain gain: dips by ``depth`` at each kick and recovers in ~150 ms (the dance pump)."""
    gain = np.ones(n, dtype=np.float32)
    m = samples(0.25)
    t = time_axis(m)
    shape = (1.0 - depth * np.exp(-t / 0.09) * np.minimum(t / 0.004, 1.0)).astype(np.float32)
    for kick in kicks:
        at = samples(kick.start_s)
        end = min(at + m, n)
        if end > at:
            gain[at:end] = np.minimum(gain[at:end], shape[: end - at])
    return gain


def _reverb_ir(seconds: float, rng: np.random.Generator) -> np.ndarray:
    """Stereo hall at quarter rate: decorrelated decaying noise per side, 15 ms predelay."""
    rate = RATE // _SEND_RATE_DIV
    m = int(seconds * rate)
    t = np.arange(m) / rate
    noise = rng.standard_normal((2, m)) * np.exp(-6.9 * t / seconds)
    noise = signal.sosfilt(signal.butter(1, 2500, fs=rate, output="sos"), noise, axis=1)
    ir = np.concatenate([np.zeros((2, int(0.015 * rate))), noise], axis=1)
    return ir / np.sqrt(np.sum(ir**2, axis=1, keepdims=True))


def _add_upsampled(out: np.ndarray, hall: np.ndarray, gain: float) -> None:
    """Add quarter-rate ``hall`` into ``out`` by linear interpolation, one phase at a time."""
    nxt = np.concatenate([hall[:, 1:], hall[:, -1:]], axis=1)
    step = nxt - hall
    for j in range(_SEND_RATE_DIV):
        dst = out[:, j::_SEND_RATE_DIV]
        k = dst.shape[1]
        dst += gain * (hall[:, :k] + step[:, :k] * np.float32(j / _SEND_RATE_DIV))


def mix(style: Style, notes: Sequence[Note], n: int, rng: np.random.Generator) -> np.ndarray:
    """The dry-plus-reverb stereo mix (2 x n float32) of ``notes``, before mastering."""
    kicks = [note for note in notes if style.parts[note.part].voice.startswith("kick")]
    out = np.zeros((2, n), dtype=np.float32)
    send = np.zeros((2, n // _SEND_RATE_DIV + 1), dtype=np.float32)
    renderers = [_PartRenderer(part, rng) for part in style.parts]
    ducks = {p.duck: _ducking(kicks, n, p.duck) for p in style.parts if p.duck and kicks}
    for note in notes:
        part = style.parts[note.part]
        start = samples(note.start_s)
        if start >= n:
            continue
        dry, wet = renderers[note.part].sound(note)
        gains = _pan_gains(note.pan) * np.float32(1.4142 * note.velocity * part.level)
        end = min(start + dry.shape[1], n)
        placed = dry[:, : end - start] * gains
        if part.duck in ducks:
            placed *= ducks[part.duck][start:end]
        out[:, start:end] += placed
        if part.reverb:
            at = start // _SEND_RATE_DIV
            span = wet[:, : send.shape[1] - at]
            send[:, at : at + span.shape[1]] += span * (gains * np.float32(part.reverb))
    ir = _reverb_ir(style.reverb_s, rng).astype(np.float32)
    hall = np.stack([signal.oaconvolve(send[c], ir[c])[: send.shape[1]] for c in range(2)])
    _add_upsampled(out, hall.astype(np.float32), 0.5)
    return out
