"""Synthetic footage with known highlights and distractors, for demos, tests and benchmarks.

    from reelcut.synth import make_footage
    truth = make_footage("match.mp4", genre="sports", minutes=3, height=720, seed=1)

writes ``match.mp4`` (H.264 + AAC stereo 48 kHz) and ``match.truth.json``. The same seed always
gives the same clip. A frame counter is burned into every frame (:mod:`reelcut.synth.barcode`),
so any reel cut from the clip can be scored as a black box (``bench/score.py``).

Data flows one way: a genre planner writes a :class:`~reelcut.synth.script.Script`, the mixer
and the painter render it, FFmpeg encodes it.
"""

from reelcut.synth.footage import make_footage
from reelcut.synth.truth import GENRES, GRADES, Truth, TruthEvent, truth_path

__all__ = ["GENRES", "GRADES", "Truth", "TruthEvent", "make_footage", "truth_path"]
