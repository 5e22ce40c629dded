"""What a studio (footage generator) hands back for one seed, and the studio's call shape."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from reelcut.footage.truth import TruthEvent


@dataclass(frozen=True, slots=True)
class Production:
    """What a studio made of one seed: the answer key, and the sound and picture to encode.

    ``sound`` yields stereo float32 chunks at :data:`reelcut.footage.encode.RATE`; ``frames``
    yields ``n_frames`` raw ``pix_fmt`` frames of ``base`` (width, height), counter included.
    Both are called once, on different threads. ``aac_coder`` is the studio's AAC quantiser
    search (see :func:`reelcut.footage.encode.encode_audio`).
    """

    events: tuple[TruthEvent, ...]
    utterances: tuple[tuple[float, float], ...]
    sound: Callable[[], Iterator[np.ndarray]]
    frames: Callable[[], Iterator[bytes]]
    n_frames: int
    base: tuple[int, int]
    pix_fmt: str
    aac_coder: str = "fast"


#: ``studio(genre, duration_s, seed, fps, tag, use_espeak, close_events)``
Studio = Callable[[str, float, int, int, int, bool, bool], Production]
