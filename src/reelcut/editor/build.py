"""The first draft of a reel: selected clips as segments of one video track, with their sources."""

from __future__ import annotations

from collections.abc import Sequence

from reelcut.media.probe import MediaInfo
from reelcut.selection.clips import Clip
from reelcut.timeline.model import Draft, Source, Track, TrackType, VideoSegment
from reelcut.timeline.validate import validate


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
