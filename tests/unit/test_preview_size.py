"""A preview render's size is lowered from the size the draft draws, never from its height field."""

from __future__ import annotations

from reelcut.service.drafts import lowered_to
from reelcut.timeline.model import Draft, Source, Track, TrackType, VideoSegment


def _draft(width: int, height: int, draft_height: int = 0, aspect: str = "source") -> Draft:
    src = Source("s0", "video", "/x.mp4", 10_000, width, height, True, "x.mp4", "25")
    clip = VideoSegment("s0", 0, 5_000)
    track = Track(TrackType.VIDEO, "Video", (clip,))
    return Draft(sources=(src,), tracks=(track,), height=draft_height, aspect=aspect)


def test_preview_of_a_draft_at_the_footages_own_size() -> None:
    small = lowered_to(_draft(1280, 720), 360)
    assert small.output_size() == (640, 360)


def test_preview_of_a_vertical_draft() -> None:
    small = lowered_to(_draft(1280, 720, draft_height=1080, aspect="9:16"), 360)
    assert small.output_size() == (360, 640)


def test_preview_never_raises_small_footage() -> None:
    tiny = lowered_to(_draft(176, 144), 360)
    assert tiny.output_size() == (176, 144)
