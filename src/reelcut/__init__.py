"""reelcut: raw footage in, a highlight reel out.

The library is the product; the CLI and the service are thin doors over these calls::

    import reelcut
    info = reelcut.probe("game.mp4")
    signals = reelcut.analyze(info)
    clips = reelcut.select_clips([signals], reelcut.SelectionParams(target_s=120))
    reels = reelcut.make_reels(["game.mp4"], [Path("reel.mp4")], reelcut.SelectionParams(120))
"""

import importlib
import os
from typing import TYPE_CHECKING, Any

# OpenBLAS (NumPy's) with its own thread pool deadlocks a process that forks while another of
# its threads is inside a BLAS call: OpenBLAS's fork handler waits for its pool, which that call
# holds. reelcut forks FFmpeg from job threads while other jobs run NumPy (the service's render
# beside a chat's sentence matching hung exactly so), and its matrices are small, so the pool
# buys nothing: one BLAS thread, unless the user set their own. Read when NumPy loads, so this
# must run before anything imports it (a program that imported NumPy first keeps its pool).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

if TYPE_CHECKING:
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

# Imported on first use (PEP 562): ``reelcut --version``, ``show`` or ``undo`` need none of the
# analysis stack (SciPy, PyAV, OpenCV), whose import cost about a second of CPU per process.
_HOME = {
    "Signals": "reelcut.analysis",
    "analyze": "reelcut.analysis",
    "Reel": "reelcut.editor.make",
    "make_reels": "reelcut.editor.make",
    "plan_render": "reelcut.editor.quick",
    "ReelcutError": "reelcut.errors",
    "MediaInfo": "reelcut.media.probe",
    "probe": "reelcut.media.probe",
    "RenderSettings": "reelcut.render",
    "run_plan": "reelcut.render",
    "Clip": "reelcut.selection",
    "LeftOut": "reelcut.selection",
    "Selection": "reelcut.selection",
    "SelectionParams": "reelcut.selection",
    "find_candidates": "reelcut.selection",
    "select": "reelcut.selection",
    "select_clips": "reelcut.selection",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'reelcut' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


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
