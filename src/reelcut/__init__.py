"""reelcut: raw footage in, a highlight reel out.

The library is the product; the CLI and the service are thin doors over these calls::

    import reelcut
    info = reelcut.probe("game.mp4")
    signals = reelcut.analyze(info)
    clips = reelcut.select_clips([signals], reelcut.SelectionParams(target_s=120))
    reels = reelcut.make_reels(["game.mp4"], [Path("reel.mp4")], reelcut.SelectionParams(120))
"""

from reelcut.analysis import Signals, analyze
from reelcut.editor.make import Reel, make_reels
from reelcut.editor.quick import plan_render
from reelcut.errors import ReelcutError
from reelcut.media.probe import MediaInfo, probe
from reelcut.render import RenderSettings, run_plan
from reelcut.selection import (
    Clip,
    LeftOut,
    Selection,
    SelectionParams,
    find_candidates,
    select,
    select_clips,
)

__version__ = "0.1.0"
__all__ = [
    "Clip",
    "LeftOut",
    "MediaInfo",
    "Reel",
    "ReelcutError",
    "RenderSettings",
    "Selection",
    "SelectionParams",
    "Signals",
    "analyze",
    "find_candidates",
    "make_reels",
    "plan_render",
    "probe",
    "run_plan",
    "select",
    "select_clips",
]
