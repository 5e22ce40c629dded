"""Mix a script's beds and cues into 48 kHz stereo, one chunk at a time.

Chunks keep memory flat for a 90-minute clip: beds are filtered noise whose filter state runs
across chunk edges, and each cue is rendered when its start is reached and dropped once played.
:func:`speech_activity` measures each on-screen speaker's speech per video frame so the picture
can move their mouth; it needs no mixing, so picture and sound can be rendered side by side.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from scipy import signal

from . import music, sounds, voices
from .script import Bed, Cue, Script
from .sounds import RATE

CHUNK = 480 * 1024  # a whole number of control steps
CONTROL = 48  # envelopes are computed at 1 kHz and held
LIMIT_KNEE = 0.7
SPEAKERS = 2


class Mixer:
    """Renders ``script`` to float32 stereo chunks at ``reference_dbfs`` for level 0 dB."""

    def __init__(
        self,
        script: Script,
        seed: int,
        fps: int,
        reference_dbfs: float,
        use_espeak: bool,
    ) -> None:
        self.script = script
        self.seed = seed
        self.fps = fps
        self.use_espeak = use_espeak
        self.gain = 10 ** (reference_dbfs / 20)
        self.n_samples = round(script.duration_s * fps) * RATE // fps

    def chunks(self) -> Iterator[np.ndarray]:
        beds = [_BedSource(bed, self.seed, i) for i, bed in enumerate(self.script.beds)]
        cues = sorted(enumerate(self.script.cues), key=lambda ic: ic[1].start_s)
        nxt = 0
        playing: list[tuple[int, np.ndarray]] = []
        for c0 in range(0, self.n_samples, CHUNK):
            c1 = min(c0 + CHUNK, self.n_samples)
            mix = np.zeros((c1 - c0, 2), np.float64)
            for bed in beds:
                mix += bed.render(c0, c1)
            while nxt < len(cues) and int(cues[nxt][1].start_s * RATE) < c1:
                index, cue = cues[nxt]
                playing.append((int(cue.start_s * RATE), self._render(index, cue)))
                nxt += 1
            for at, audio in playing:
                lo, hi = max(at, c0), min(at + len(audio), c1)
                if hi > lo:
                    mix[lo - c0 : hi - c0] += audio[lo - at : hi - at]
            playing = [(at, a) for at, a in playing if at + len(a) > c1]
            yield _soft_limit(mix * self.gain).astype(np.float32)

    def _render(self, index: int, cue: Cue) -> np.ndarray:
        rng = np.random.default_rng([self.seed, 1000 + index])
        gain = 10 ** (cue.level_db / 20)
        if cue.is_speech:
            dry = voices.phrase(cue.text, cue.voice, self.use_espeak)
            if cue.sound == "public_address":
                return sounds.public_address(rng, dry) * gain
            return sounds.stereo(dry, cue.pan) * gain
        if cue.sound == "explosion":
            return sounds.explosion(rng) * gain
        makers = {
            "whistle": sounds.whistle,
            "applause": sounds.applause,
            "laughter": sounds.laughter,
            "gunfire": sounds.gunfire,
            "advert": music.advert,
            "menu_music": music.menu_loop,
            "chant": music.chant,
        }
        return makers[cue.sound](rng, cue.duration_s) * gain


def speech_activity(script: Script, fps: int, use_espeak: bool) -> np.ndarray:
    """How wide each visible speaker's mouth opens, per video frame: shape (speakers, frames)."""
    n_frames = round(script.duration_s * fps)
    activity = np.zeros((SPEAKERS, n_frames), np.float32)
    per_frame = RATE // fps
    for cue in script.cues:
        if not cue.is_speech or not 0 <= cue.speaker < SPEAKERS:
            continue
        dry = voices.phrase(cue.text, cue.voice, use_espeak)
        n = len(dry) // per_frame
        level = np.sqrt(np.mean(dry[: n * per_frame].reshape(n, per_frame) ** 2, axis=1))
        f0 = round(cue.start_s * fps)
        f1 = min(f0 + n, n_frames)
        span = activity[cue.speaker, f0:f1]
        np.maximum(span, np.clip(level[: f1 - f0] / 1.5, 0, 1), out=span)
    return activity


class _BedSource:
    """Stateful noise band: the same samples whatever the chunk size."""

    def __init__(self, bed: Bed, seed: int, index: int) -> None:
        self.bed = bed
        self.rng = np.random.default_rng([seed, 100 + index])
        self.sos = signal.butter(2, [bed.lo_hz, bed.hi_hz], btype="band", fs=RATE, output="sos")
        self.zi = np.zeros((self.sos.shape[0], 2, 2))
        probe = signal.sosfilt(self.sos, np.random.default_rng(0).standard_normal(RATE))
        self.unit = 1 / float(np.sqrt(np.mean(probe[RATE // 10 :] ** 2)))
        times, gains = zip(*bed.points, strict=True)
        self.times, self.gains = np.array(times), np.array(gains)
        motion = np.random.default_rng([seed, 200 + index])
        self.wander = [(motion.uniform(0.02, 0.1), motion.uniform(0, 2 * np.pi)) for _ in range(3)]
        self.flutter = [(motion.uniform(1.5, 6.0), motion.uniform(0, 2 * np.pi)) for _ in range(5)]

    def render(self, c0: int, c1: int) -> np.ndarray:
        noise = self.rng.standard_normal((c1 - c0, 2), dtype=np.float32)
        out, self.zi = signal.sosfilt(self.sos, noise, axis=0, zi=self.zi)
        t = (c0 + np.arange(0, c1 - c0, CONTROL)) / RATE
        points_db = np.interp(t, self.times, self.gains)
        if self.bed.lift:
            amp = np.sqrt(np.maximum(10 ** (points_db / 10) - 1, 0.0))
        else:
            amp = 10 ** (points_db / 20)
        wander_db = sum(0.5 * np.sin(2 * np.pi * f * t + p) for f, p in self.wander)
        amp = amp * 10 ** ((self.bed.level_db + wander_db) / 20) * self.unit
        if self.bed.babble:
            amp = amp * (1 + sum(0.06 * np.sin(2 * np.pi * f * t + p) for f, p in self.flutter))
        return out * np.repeat(amp, CONTROL)[: c1 - c0, None]


def _soft_limit(x: np.ndarray) -> np.ndarray:
    """Leave samples under the knee alone; bend louder ones smoothly to stay under 0.99."""
    mag = np.abs(x)
    over = mag > LIMIT_KNEE
    if over.any():
        room = 0.99 - LIMIT_KNEE
        x = x.copy()
        x[over] = np.sign(x[over]) * (LIMIT_KNEE + room * np.tanh((mag[over] - LIMIT_KNEE) / room))
    return x
