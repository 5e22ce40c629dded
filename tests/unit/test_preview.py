"""The still of a reel at a moment: the clip under the playhead, cut to a few frames at the right
source time, with only the texts shown then (no fade, so the first frame shows them)."""

from __future__ import annotations

import pytest

from reelcut.editor.preview import still_draft
from reelcut.errors import EditError
from reelcut.timeline.model import Draft, Source, TextSegment, Track, TrackType, VideoSegment


def _draft() -> Draft:
    sources = (
        Source("a", "video", "/m/a.mp4", 60_000, 1280, 720),
        Source("b", "video", "/m/b.mp4", 60_000, 1280, 720),
    )
    clips = (
        VideoSegment("a", 10_000, 14_000),  # reel 0-4 s
        VideoSegment("b", 30_000, 32_000, speed=0.5),  # reel 4-8 s, slow motion
    )
    texts = (
        TextSegment("Title", 0, 3_000),
        TextSegment("Replay", 5_000, 2_000, role="lower_third", position="bottom"),
    )
    return Draft(
        sources=sources,
        tracks=(Track(TrackType.VIDEO, "Video", clips), Track(TrackType.TEXT, "Text", texts)),
        aspect="9:16",
        height=1080,
    )


def test_still_of_the_first_clip_shows_the_title_from_its_source_time():
    still = still_draft(_draft(), 1.0)
    (clip,) = still.clips
    assert (clip.source_id, clip.source_in_ms) == ("a", 11_000)
    assert [t.text for t in still.texts] == ["Title"]
    assert still.texts[0].start_ms == 0 and still.texts[0].fade_ms == 0
    assert [s.id for s in still.sources] == ["a"]
    assert still.aspect == "9:16" and still.height == 360


def test_still_in_slow_motion_follows_the_clip_speed_and_its_own_texts():
    still = still_draft(_draft(), 6.0)  # 2 s into a half-speed clip: 1 s of source
    (clip,) = still.clips
    assert (clip.source_id, clip.source_in_ms) == ("b", 31_000)
    assert clip.speed == 0.5
    assert [t.text for t in still.texts] == ["Replay"]


@pytest.mark.parametrize("at_s", [-0.1, 8.0, 30.0])
def test_still_outside_the_reel_is_refused(at_s: float):
    with pytest.raises(EditError, match="outside the reel"):
        still_draft(_draft(), at_s)
