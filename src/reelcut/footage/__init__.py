"""Generated footage with known highlights and distractors, for ``reelcut sample`` and ``score``.

    from reelcut.footage import make_footage
    truth = make_footage("match.mp4", genre="sports", minutes=3, height=720, seed=1)

writes ``match.mp4`` (H.264 + AAC stereo 48 kHz) and ``match.truth.json``. The same arguments
always give the same file. The installed package holds one generator, :mod:`.demo` (written
beside the detector: the demo and tuning footage). Generators that check the detector from
outside live in the repository's ``bench/`` and are passed in as ``studio=produce`` callables,
so the wheel a user installs holds the product only.

Everything else exists once for every generator: the truth file (:mod:`.truth`), speech through
espeak-ng (:mod:`.speech`), the FFmpeg encoding (:mod:`.encode`, :mod:`.make`), the frame counter
burned into every frame (:mod:`.counter`), and the black-box scorer that reads it back from any
reel, whatever its aspect (:mod:`.score`).
"""

from reelcut.footage import demo
from reelcut.footage.make import make_footage
from reelcut.footage.production import Production, Studio
from reelcut.footage.truth import GENRES, GRADES, Truth, TruthEvent, truth_path

STUDIOS: dict[str, Studio] = {"demo": demo.produce}

__all__ = [
    "GENRES",
    "GRADES",
    "STUDIOS",
    "Production",
    "Studio",
    "Truth",
    "TruthEvent",
    "make_footage",
    "truth_path",
]
