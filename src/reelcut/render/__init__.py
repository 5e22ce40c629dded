"""Render: plan (pure: clips -> FFmpeg arguments) and run (one process, progress, atomic output)."""

from reelcut.render.plan import RenderPlan, RenderSettings, plan_render
from reelcut.render.run import RenderResult, check_writable, run_plan

__all__ = [
    "RenderPlan",
    "RenderResult",
    "RenderSettings",
    "check_writable",
    "plan_render",
    "run_plan",
]
