"""The blind generator: a third footage design, written without sight of the detector.

Written after the detector had been tuned on the demo generator and (for laughs) on the
cross-check one, by someone who did not read ``analysis/`` or ``selection/`` while writing it
(only bench/RESULTS.md, which names some detector components: a loudness measure, a "burst"
component, calm-voice damping). Its event shapes and levels were picked to differ from both
other generators (see :mod:`.plan`), not to be easy or hard. Nothing in the detector has been
changed because of it; if something ever is, it stops being blind and RESULTS must say so.

``make_footage(path, studio=blind.produce)``; lives in bench/, not in the installed package.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from reelcut.footage.production import Production

from . import picture
from .plan import GENRES, REF_DB, Plan

_CHUNK = 48_000 * 10


def produce(
    genre: str,
    duration_s: float,
    seed: int,
    fps: int,
    tag: int,
    use_espeak: bool,
    close_events: bool = False,
) -> Production:
    """Lay out the clip, mix its whole sound once, and hand sound and pictures to the encoder."""
    plan = Plan(genre, duration_s, np.random.default_rng([seed, 3]), use_espeak, REF_DB[genre])
    GENRES[genre](plan, close_events)
    n_frames, frames = picture.frames(plan, fps, seed, tag)
    peak = float(np.max(np.abs(plan.audio))) if len(plan.audio) else 0.0
    audio = plan.audio / max(peak / 0.97, 1.0)  # limit, never clip
    room = np.random.default_rng([seed, 5]).standard_normal(len(audio)).astype(np.float32)

    def sound() -> Iterator[np.ndarray]:
        for a in range(0, len(audio), _CHUNK):
            mono = audio[a : a + _CHUNK]
            air = room[a : a + _CHUNK] * np.float32(3e-4)
            yield np.stack([mono + air, mono - air], axis=1).astype(np.float32)

    events = tuple(sorted(plan.events, key=lambda e: e.start_s))
    return Production(
        events,
        tuple(sorted(plan.utterances)),
        sound,
        lambda: frames,
        n_frames,
        (picture.W, picture.H),
        "yuv420p",
    )
