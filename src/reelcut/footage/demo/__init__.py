"""The demo generator: footage written beside the detector, for ``reelcut sample``, the tests and
the quality suite.

A schedule (:mod:`.schedule`) lays out events, sounds and shots from the seed; the sounds are
short waveforms mixed over a crowd, room or game bed whose gain the events shape, and the
pictures (:mod:`.picture`) are panning textures per look, drawn at 320x180 in RGB.
Because it was written with the detector in view (it is the tuning generator), its scores are
checked against generators kept outside the package (bench/crosscheck, bench/blind).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from scipy import signal

from reelcut.footage.demo import sounds
from reelcut.footage.demo.picture import H, Pictures, W
from reelcut.footage.demo.schedule import GENRES, Plan
from reelcut.footage.production import Production
from reelcut.footage.truth import TruthEvent

_CHUNK_S = 30.0


def produce(
    genre: str,
    duration_s: float,
    seed: int,
    fps: int,
    tag: int,
    use_espeak: bool,
    close_events: bool = False,
) -> Production:
    """Lay out the broadcast, then hand its mix and its pictures to the encoder.

    ``close_events`` puts some events seconds apart (see :mod:`.schedule`).
    """
    plan = GENRES[genre](np.random.default_rng(seed), duration_s, use_espeak, close_events)
    events = tuple(
        TruthEvent(
            e.kind, _ms(e.start_s), _ms(e.end_s), _ms(e.core_start_s), _ms(e.core_end_s), e.grade
        )
        for e in sorted(plan.events, key=lambda e: e.start_s)
    )
    pictures = Pictures(plan, fps, seed, tag)
    n_frames = int(round(duration_s * fps))

    def frames() -> Iterator[bytes]:
        for i in range(n_frames):
            yield pictures.frame(i).tobytes()

    return Production(
        events,
        tuple(sorted(plan.utterances)),
        lambda: _mix(plan, seed),
        frames,
        n_frames,
        (W, H),
        "rgb24",
        "twoloop",
    )


def _ms(seconds: float) -> float:
    return round(float(seconds), 3)


def _mix(plan: Plan, seed: int) -> Iterator[np.ndarray]:
    """Bed + placed sounds, chunk by chunk (bounded memory), as a 16-bit stereo master."""
    rng = np.random.default_rng(seed + 2)
    rate = sounds.RATE
    if plan.bed == "crowd":
        b, a = signal.butter(2, [250, 5000], btype="band", fs=rate)
    elif plan.bed == "game":
        b, a = signal.butter(2, 400, fs=rate)
    else:
        b, a = signal.butter(1, [100, 3000], btype="band", fs=rate)
    zi = signal.lfilter_zi(b, a) * 0.0
    total = int(plan.duration_s * rate)
    points = plan.bed_points or [(0.0, 0.0)]
    px, py = zip(*points, strict=True)
    starts = sorted(plan.sounds, key=lambda s: s.start_s)
    calib = signal.lfilter(b, a, np.random.default_rng(0).standard_normal(rate))[rate // 10 :]
    bed_gain = sounds.db(plan.bed_db) / float(np.sqrt(np.mean(calib**2)))
    for c0 in range(0, total, int(_CHUNK_S * rate)):
        c1 = min(c0 + int(_CHUNK_S * rate), total)
        n = c1 - c0
        t = (c0 + np.arange(n)) / rate
        noise, zi = signal.lfilter(b, a, rng.standard_normal(n), zi=zi)
        gain = 10 ** (np.interp(t, px, py) / 20)
        wobble = 1 + 0.12 * np.sin(2 * np.pi * 0.09 * t)
        mix = (noise * gain * wobble * bed_gain).astype(np.float32)
        for s in starts:
            a0 = int(s.start_s * rate)
            a1 = a0 + len(s.samples)
            if a1 <= c0 or a0 >= c1:
                continue
            lo, hi = max(a0, c0), min(a1, c1)
            mix[lo - c0 : hi - c0] += s.samples[lo - a0 : hi - a0]
        pcm = np.clip(mix * 32767, -32768, 32767).astype(np.int16)
        yield np.repeat(pcm[:, None], 2, axis=1).astype(np.float32) / 32768
