"""Generated footage with known highlights and distractors, for demos, tests and benchmarks.

    from reelcut.footage import make_footage
    truth = make_footage("match.mp4", genre="sports", minutes=3, height=720, seed=1)

writes ``match.mp4`` (H.264 + AAC stereo 48 kHz) and ``match.truth.json``. The same arguments
always give the same file. Two studios design the sound and picture, so the detector is never
tuned to one generator:

* ``studio="a"`` (:mod:`.studio_a`, the default): written beside the detector; used by
  ``reelcut sample``, the e2e tests and ``bench/quality.py``.
* ``studio="b"`` (:mod:`.studio_b`): written from the brief alone, without sight of the
  detector; used by ``bench/independent.py``.

Everything else exists once for both: the truth file (:mod:`.truth`), speech through espeak-ng
(:mod:`.speech`), the FFmpeg encoding (:mod:`.encode`, :mod:`.make`), the frame counter burned
into every frame (:mod:`.counter`), and the black-box scorer that reads it back from any reel,
whatever its aspect (:mod:`.score`).
"""

from reelcut.footage import studio_a, studio_b
from reelcut.footage.make import Production, Studio, make_footage
from reelcut.footage.truth import GENRES, GRADES, Truth, TruthEvent, truth_path

STUDIOS: dict[str, Studio] = {"a": studio_a.produce, "b": studio_b.produce}

__all__ = [
    "GENRES",
    "GRADES",
    "STUDIOS",
    "Production",
    "Truth",
    "TruthEvent",
    "make_footage",
    "truth_path",
]
