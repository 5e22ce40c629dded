"""Clips straight from selection -> a render plan, for callers that have no draft (the quick path).

It wraps the clips in a plain draft (one video track, the sources' own aspect) and plans that,
so there is one planner (:mod:`reelcut.render.compose`) whatever the caller holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

from reelcut.media.probe import MediaInfo
from reelcut.render.compose import (
    AUDIO_RATE,
    PlannedSegment,
    RenderAssets,
    RenderPlan,
    RenderSettings,
    plan_draft,
)
from reelcut.selection.clips import Clip
from reelcut.timeline.model import Draft, Source, Track, TrackType, VideoSegment

__all__ = [
    "AUDIO_RATE",
    "PlannedSegment",
    "RenderPlan",
    "RenderSettings",
    "clip_segment",
    "output_fps",
    "plan_render",
    "source_from_info",
]


def output_fps(info: MediaInfo) -> Fraction:
    """The reel's frame rate for footage like ``info``: its own, capped at 60, whole when VFR."""
    fps = info.video.fps
    if fps > 60:
        return Fraction(60)
    if info.video.variable_frame_rate:
        return Fraction(round(float(fps))) or Fraction(30)
    return fps


def source_from_info(info: MediaInfo, source_id: str) -> Source:
    w, h = info.video.display_size
    return Source(
        id=source_id,
        kind="video",
        path=str(info.path.resolve()),  # a project must render from any folder
        duration_ms=int(info.duration_s * 1000),
        width=w,
        height=h,
        has_audio=info.has_audio,
        title=info.path.name,
        rate=str(info.video.fps),
    )


def clip_segment(clip: Clip, source_id: str) -> VideoSegment:
    return VideoSegment(
        source_id=source_id,
        source_in_ms=clip.source_in_ms,
        source_out_ms=clip.source_out_ms,
        score=round(clip.score, 4),
        reason=clip.reason,
        peak_ms=clip.peak_ms,
    )


def assets_for(sources: Sequence[MediaInfo], fps: Fraction, gain_db: float | None) -> RenderAssets:
    return RenderAssets(
        files={f"s{i}": s.path for i, s in enumerate(sources)},
        display={f"s{i}": s.video.display_size for i, s in enumerate(sources)},
        has_audio={f"s{i}": s.has_audio for i, s in enumerate(sources)},
        fps=fps,
        gain_db=gain_db,
        start_s={f"s{i}": s.start_s for i, s in enumerate(sources) if s.start_s},
    )


def plan_render(
    sources: Sequence[MediaInfo],
    clips: Sequence[Clip],
    output: Path,
    settings: RenderSettings = RenderSettings(),
) -> RenderPlan:
    """Plan ``clips`` (from ``sources``) at ``settings.height`` lines in the first clip's aspect."""
    if not clips:
        raise ValueError("nothing to render: no clips")
    first = sources[clips[0].source_index]
    srcs = tuple(source_from_info(s, f"s{i}") for i, s in enumerate(sources))
    segs = tuple(clip_segment(c, f"s{c.source_index}") for c in clips)
    w, h = first.video.display_size
    height = settings.height
    # the planner treats ``height`` as the shorter side; keep "lines" for portrait footage too
    short = height if w >= h else max(2, int(round(height * w / h / 2)) * 2)
    draft = Draft(sources=srcs, tracks=(Track(TrackType.VIDEO, "Video", segs),), height=short)
    fps = settings.fps or output_fps(first)
    return plan_draft(draft, assets_for(sources, fps, None), output, settings)
