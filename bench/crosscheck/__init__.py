"""The cross-check generator: footage designed from the brief alone, by an engineer who never
saw the detector. It lives in bench/, not in the installed package: it exists to check the
product, not to be part of it (``make_footage(path, studio=crosscheck.produce)``).

A genre planner (:mod:`.sports`, :mod:`.talk`, :mod:`.gaming`) writes a :class:`.script.Script`
from the seed; the mixer (:mod:`.mix`) and the painter (:mod:`.painter`) only read it. Its
sounds aim to be physically plausible (claps at a few hertz per person, a pea whistle's
trill, beds of filtered noise that swell), its pictures are drawn scenes (a pitch with players,
a studio set with hosts whose mouths move, a side-scrolling game) at 640x360 in YUV.
It was written blind, but it is no longer held out: its missed laughs led to the detector's
``burst`` component and 1.5 s median (see bench/RESULTS.md), so talk scores here are partly
tuning. ``bench/blind`` is the generator written without sight of the detector since.
"""

from __future__ import annotations

import numpy as np

from reelcut.footage.production import Production

from . import gaming, sports, talk
from .mix import Mixer, speech_activity
from .painter import Painter
from .pictures import BASE_H, BASE_W
from .voices import phrase_s

PLANNERS = {"sports": sports.plan, "talk": talk.plan, "gaming": gaming.plan}
#: dBFS of each genre's 0 dB (its calm speech), chosen so the whole clip lands near -18 LUFS.
REFERENCE_DBFS = {"sports": -21.5, "talk": -18.0, "gaming": -19.0}


def produce(
    genre: str,
    duration_s: float,
    seed: int,
    fps: int,
    tag: int,
    use_espeak: bool,
    close_events: bool = False,
) -> Production:
    """Plan the clip, then hand its mixer and painter to the encoder.

    ``close_events`` puts some events seconds apart (see each genre's planner).
    """

    def length_of(text: str, voice: str) -> float:
        return phrase_s(text, voice, use_espeak)

    script = PLANNERS[genre](np.random.default_rng(seed), duration_s, length_of, close_events)
    mixer = Mixer(script, seed, fps, REFERENCE_DBFS[genre], use_espeak)
    painter = Painter(script, seed, fps, tag, speech_activity(script, fps, use_espeak))
    return Production(
        script.events,
        script.utterances,
        mixer.chunks,
        painter.frames,
        painter.n_frames,
        (BASE_W, BASE_H),
        "yuv420p",
    )
