"""Render: plan (pure: draft + assets -> FFmpeg arguments) and run (one process, progress, atomic
output). Finding the assets a draft needs (files, crops, music, loudness) is the application
layer's job (:mod:`reelcut.editor.assets`); nothing here analyses or selects.
"""

from reelcut.render.plan import output_fps, plan_draft
from reelcut.render.run import RenderResult, check_writable, run_plan
from reelcut.render.types import PlannedSegment, RenderAssets, RenderPlan, RenderSettings

__all__ = [
    "PlannedSegment",
    "RenderAssets",
    "RenderPlan",
    "RenderResult",
    "RenderSettings",
    "check_writable",
    "output_fps",
    "plan_draft",
    "run_plan",
]
