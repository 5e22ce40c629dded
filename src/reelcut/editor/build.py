"""The first draft of a reel: selected clips on a video track, plus what the person asked for
at ``make`` time (aspect, title, music, captions), as one first version of the project.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reelcut.errors import EditError
from reelcut.media.probe import MediaInfo
from reelcut.selection.clips import Clip
from reelcut.timeline.model import Draft, Source, TextSegment, Track, TrackType, VideoSegment
from reelcut.timeline.ops import AddText, Op, SetFormat, SetTransition
from reelcut.timeline.validate import validate


@dataclass(frozen=True, slots=True)
class ReelOptions:
    """What ``make`` was asked for beyond the length. Defaults keep the footage as it is."""

    aspect: str = "source"
    height: int = 1080
    reframe: str = "follow"
    transition: str = "cut"
    transition_ms: int = 500
    title: str | None = None
    title_s: float = 3.0
    music: str | None = None  # a mood of the built-in library or a file
    music_volume: int = 35
    captions: bool = False


def source_from_info(info: MediaInfo, source_id: str) -> Source:
    """A draft source for probed footage (absolute path: a project must render from any folder)."""
    w, h = info.video.display_size
    return Source(
        id=source_id,
        kind="video",
        path=str(info.path.resolve()),
        duration_ms=int(info.duration_s * 1000),
        width=w,
        height=h,
        has_audio=info.has_audio,
        title=info.path.name,
        rate=str(info.video.fps),
    )


def clip_segment(clip: Clip, source_id: str) -> VideoSegment:
    """A selected clip as a segment of the reel's video track, keeping why it was chosen."""
    return VideoSegment(
        source_id=source_id,
        source_in_ms=clip.source_in_ms,
        source_out_ms=clip.source_out_ms,
        score=round(clip.score, 4),
        reason=clip.reason,
        peak_ms=clip.peak_ms,
    )


def draft_from_clips(infos: Sequence[MediaInfo], clips: Sequence[Clip], target_s: float) -> Draft:
    sources = tuple(source_from_info(info, f"s{i}") for i, info in enumerate(infos))
    segs = tuple(clip_segment(c, f"s{c.source_index}") for c in clips)
    draft = Draft(
        sources=sources,
        tracks=(Track(TrackType.VIDEO, "Video", segs),),
        target_ms=int(target_s * 1000),
    )
    validate(draft)
    return draft


def option_ops(draft: Draft, options: ReelOptions) -> list[Op]:
    """The edits that turn a plain reel into what ``options`` ask for (captions excepted)."""
    from reelcut.editor.edits import music_op

    ops: list[Op] = []
    if options.aspect != "source" or options.height != draft.height or options.reframe != "follow":
        ops.append(SetFormat(options.aspect, options.height, options.reframe))
    if options.transition != "cut":
        ops.append(SetTransition(options.transition, options.transition_ms))
    if options.title:
        if options.title_s <= 0:
            raise EditError("the title must show for more than 0 s")
        span = int(min(options.title_s * 1000, draft.duration_ms))
        ops.append(AddText(TextSegment(options.title, 0, span, role="title", box=False, size=0.08)))
    if options.music:
        ops.append(music_op(options.music, volume=options.music_volume))
    return ops
