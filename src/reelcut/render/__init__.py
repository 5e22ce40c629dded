"""Render: plan (pure: draft -> FFmpeg arguments) and run (one process, progress, atomic output)."""

from reelcut.render.assets import prepare_assets, render_draft
from reelcut.render.compose import RenderAssets, RenderPlan, RenderSettings, plan_draft
from reelcut.render.plan import plan_render
from reelcut.render.run import RenderResult, check_writable, run_plan

__all__ = [
    "RenderAssets",
    "RenderPlan",
    "RenderResult",
    "RenderSettings",
    "check_writable",
    "plan_draft",
    "plan_render",
    "prepare_assets",
    "render_draft",
    "run_plan",
]
