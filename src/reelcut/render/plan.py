"""Planning helpers that need only probed facts about the footage (no draft building here)."""

from __future__ import annotations

from fractions import Fraction

from reelcut.media.probe import MediaInfo
from reelcut.render.compose import (
    AUDIO_RATE,
    PlannedSegment,
    RenderAssets,
    RenderPlan,
    RenderSettings,
    plan_draft,
)

__all__ = [
    "AUDIO_RATE",
    "PlannedSegment",
    "RenderAssets",
    "RenderPlan",
    "RenderSettings",
    "output_fps",
    "plan_draft",
]


def output_fps(info: MediaInfo) -> Fraction:
    """The reel's frame rate for footage like ``info``: its own, capped at 60, whole when VFR."""
    fps = info.video.fps
    if fps > 60:
        return Fraction(60)
    if info.video.variable_frame_rate:
        return Fraction(round(float(fps))) or Fraction(30)
    return fps
