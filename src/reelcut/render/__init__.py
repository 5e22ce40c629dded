"""Render: plan (pure: draft + assets -> FFmpeg arguments) and run (one process, progress, atomic
output). Finding the assets a draft needs (files, crops, music, loudness) is the application
layer's job (:mod:`reelcut.editor.assets`); nothing here analyses or selects.
"""

from reelcut.render.compose import RenderAssets, RenderPlan, RenderSettings, plan_draft
from reelcut.render.run import RenderResult, check_writable, run_plan

__all__ = [
    "RenderAssets",
    "RenderPlan",
    "RenderResult",
    "RenderSettings",
    "check_writable",
    "plan_draft",
    "run_plan",
]
