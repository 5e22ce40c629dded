"""The quick path: clips straight from selection to a render plan, for callers with no project.

It wraps the clips in a plain draft (one video track, the sources' own aspect) and plans that,
so there is one planner (:func:`reelcut.render.plan_draft`) whatever the caller holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

from reelcut.editor.build import clip_segment, source_from_info
from reelcut.geometry import even
from reelcut.media.probe import MediaInfo
from reelcut.render import RenderAssets, RenderPlan, RenderSettings, output_fps, plan_draft
from reelcut.selection.clips import Clip
from reelcut.timeline.model import SOURCE_HEIGHT, Draft, Track, TrackType

__all__ = ["plan_render"]


def plan_render(
    sources: Sequence[MediaInfo],
    clips: Sequence[Clip],
    output: Path,
    settings: RenderSettings = RenderSettings(),
) -> RenderPlan:
    """Plan ``clips`` (from ``sources``) at ``settings.height`` lines in the first clip's aspect
    (``None``: the footage's own size, at most 1080p)."""
    if not clips:
        raise ValueError("nothing to render: no clips")
    first = sources[clips[0].source_index]
    srcs = tuple(source_from_info(s, f"s{i}") for i, s in enumerate(sources))
    segs = tuple(clip_segment(c, f"s{c.source_index}") for c in clips)
    w, h = first.video.display_size
    height = settings.height
    # the planner treats ``height`` as the shorter side; keep "lines" for portrait footage too
    short = SOURCE_HEIGHT if height is None else height if w >= h else even(Fraction(height * w, h))
    draft = Draft(sources=srcs, tracks=(Track(TrackType.VIDEO, "Video", segs),), height=short)
    fps = settings.fps or output_fps(first)
    assets = RenderAssets(
        files={f"s{i}": s.path for i, s in enumerate(sources)},
        display={f"s{i}": s.video.display_size for i, s in enumerate(sources)},
        has_audio={f"s{i}": s.has_audio for i, s in enumerate(sources)},
        fps=fps,
        gain_db=None,
        start_s={f"s{i}": s.start_s for i, s in enumerate(sources) if s.start_s},
    )
    return plan_draft(draft, assets, output, settings)
