"""Frame maths shared by every exchange format: the reel's rate, ms to whole frames, the main
track as a cut list in frames, and non-drop-frame timecode.

A clip's source in and out are each rounded to the nearest frame; its length on the timeline is
``out - in`` (slow motion: that divided by the speed, rounded), and clips follow each other, so
the timeline's length is exactly the sum of its clips and no cut drifts. Text and music are
placed relative to the clip they start in, so a title set on a clip's first frame stays there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import opentimelineio as otio

from reelcut.timeline.model import Draft, Source, VideoSegment

DEFAULT_RATE = Fraction(30)  # the renderer's rate when no source says one
MAX_RATE = Fraction(60)


def reel_rate(draft: Draft) -> Fraction:
    """The frame rate exports are timed at: the first video source's, capped at 60; else 30."""
    for s in draft.sources:
        if s.kind == "video" and s.rate:
            try:
                rate = Fraction(s.rate)
            except (ValueError, ZeroDivisionError):
                continue
            if rate > 0:
                return min(rate, MAX_RATE)
    return DEFAULT_RATE


def ms_to_frames(ms: int, rate: Fraction) -> int:
    """Nearest frame to ``ms`` at ``rate`` (halves round up, the same way everywhere)."""
    return math.floor(Fraction(ms) * rate / 1000 + Fraction(1, 2))


@dataclass(frozen=True, slots=True)
class Cut:
    """A clip of the main track, in frames: source in/out and its place on the timeline."""

    index: int  # 1-based, as people count clips
    segment: VideoSegment
    source: Source | None
    in_frame: int
    out_frame: int
    record_start: int
    record_frames: int
    start_ms: int


def cut_list(draft: Draft, rate: Fraction) -> list[Cut]:
    """The main track's clips in frames at ``rate``, one after another from frame 0."""
    cuts, record, start_ms = [], 0, 0
    for k, seg in enumerate(draft.clips, start=1):
        source = draft.source(seg.source_id) if seg.source_id else None
        if source is None:
            in_frame, out_frame = 0, ms_to_frames(seg.duration_ms, rate)
            length = out_frame
        else:
            in_frame = ms_to_frames(seg.source_in_ms, rate)
            out_frame = ms_to_frames(seg.source_out_ms, rate)
            length = out_frame - in_frame
            if seg.speed != 1:
                length = math.floor(Fraction(length) / Fraction(seg.speed) + Fraction(1, 2))
        length = max(length, 1)
        cuts.append(Cut(k, seg, source, in_frame, out_frame, record, length, start_ms))
        record += length
        start_ms += seg.duration_ms
    return cuts


def reel_frame(ms: int, cuts: list[Cut], rate: Fraction) -> int:
    """The timeline frame of reel time ``ms``, counted from the clip it falls in."""
    for c in cuts:
        if ms < c.start_ms + c.segment.duration_ms:
            return c.record_start + min(ms_to_frames(ms - c.start_ms, rate), c.record_frames)
    if not cuts:
        return ms_to_frames(ms, rate)
    last = cuts[-1]
    end_ms = last.start_ms + last.segment.duration_ms
    return last.record_start + last.record_frames + ms_to_frames(ms - end_ms, rate)


def timecode(frames: int, fps: float) -> str:
    """Non-drop-frame timecode (HH:MM:SS:FF) of frame ``frames``."""
    return str(
        otio.opentime.to_timecode(otio.opentime.RationalTime(frames, fps), fps, drop_frame=False)
    )
