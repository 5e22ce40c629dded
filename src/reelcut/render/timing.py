"""Every clip's length in whole frames and audio samples, counted from the start of the reel.

Counting both from the reel's start (not per clip) keeps audio and video in sync at every cut,
however many clips there are. Transitions overlap the next clip, so they take no time from the
reel: each piece but the last is read ``xfade_frames`` (video) and ``fade_samples`` (audio) long.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from reelcut.render.types import AUDIO_RATE, PlannedSegment, RenderAssets, RenderSettings
from reelcut.timeline.model import Draft

_XFADE = {"crossfade": "fade", "fade_black": "fadeblack"}  # draft transition -> xfade name


@dataclass(frozen=True, slots=True)
class Timing:
    fps: Fraction
    segments: tuple[PlannedSegment, ...]
    xfade_kind: str | None  # the xfade transition, None for cuts
    xfade_frames: int  # 0: clips are joined by concat
    fade_samples: int  # audio crossfade at every cut

    @property
    def total_frames(self) -> int:
        return sum(s.frames for s in self.segments)

    @property
    def reel_samples(self) -> int:
        return int(round(self.total_frames * AUDIO_RATE / self.fps))

    @property
    def duration_s(self) -> float:
        return float(self.total_frames / self.fps)

    def video_frames(self, clip: int) -> int:
        """Frames to cut for ``clip``: its own plus the transition into the next one."""
        last = clip == len(self.segments) - 1
        return self.segments[clip].frames + (0 if last else self.xfade_frames)

    def audio_samples(self, clip: int) -> int:
        last = clip == len(self.segments) - 1
        return self.segments[clip].samples + (0 if last else self.fade_samples)


def clip_frames(duration_ms: int, fps: Fraction) -> int:
    """A clip's length in whole frames at ``fps`` (at least one)."""
    return max(int(round(duration_ms / 1000 * fps)), 1)


def plan_timing(draft: Draft, assets: RenderAssets, settings: RenderSettings) -> Timing:
    clips = draft.clips
    fps = settings.fps or assets.fps
    xfade_kind = _XFADE.get(draft.transition)
    if settings.video_crossfade_s and not xfade_kind:
        xfade_kind = "fade"
    trans_s = settings.video_crossfade_s or draft.transition_ms / 1000
    xfade_frames = int(round(trans_s * fps)) if xfade_kind and len(clips) > 1 else 0
    fade_ms = (
        max(settings.audio_fade_ms, int(trans_s * 1000)) if xfade_frames else settings.audio_fade_ms
    )
    segments: list[PlannedSegment] = []
    total_frames = 0
    for clip in clips:
        frames = clip_frames(clip.duration_ms, fps)
        s0 = int(round(total_frames * AUDIO_RATE / fps))
        total_frames += frames
        s1 = int(round(total_frames * AUDIO_RATE / fps))
        src: Path | None = assets.files.get(clip.source_id) if clip.source_id else None
        segments.append(
            PlannedSegment(src, clip.source_in_ms / 1000, frames, s1 - s0, float(s0 / AUDIO_RATE))
        )
    return Timing(fps, tuple(segments), xfade_kind, xfade_frames, int(AUDIO_RATE * fade_ms / 1000))
