"""Edit requests as JSON (what `reelcut apply` and planners send): an unknown name is answered
with every name that works, timeline ops and the requests that need the media alike."""

from __future__ import annotations

import pytest

from reelcut.editor.requests import resolve
from reelcut.errors import EditError
from reelcut.timeline import Draft, Source, Track, TrackType, VideoSegment
from reelcut.timeline.ops import AddText


def one_clip() -> Draft:
    src = Source("s0", "video", "/footage/game.mp4", 60_000, 1920, 1080, True, "game.mp4", "25")
    clip = VideoSegment("s0", 0, 10_000)
    return Draft(sources=(src,), tracks=(Track(TrackType.VIDEO, "Video", (clip,)),))


def test_an_unknown_request_lists_every_known_name():
    """The list left out title, music, set_length, next_best, slow_motion and captions."""
    with pytest.raises(EditError) as caught:
        resolve(one_clip(), {"op": "fly"})
    known = caught.value.message.split("known: ")[1].split(", ")
    for name in ("title", "music", "set_length", "next_best", "slow_motion", "captions",
                 "focus", "remove_clip", "add_text", "set_format", "batch"):  # fmt: skip
        assert name in known


def test_add_text_in_its_natural_form_is_applied():
    op = resolve(one_clip(), {"op": "add_text", "text": "hi"})
    assert isinstance(op, AddText) and op.segment.text == "hi"
    assert op.apply(one_clip()).texts[0].text == "hi"


def test_a_title_said_twice_in_two_languages_is_one_title():
    """"add a title 'Weekend'" then "加上标题“周末”" drew "We周末nd"."""
    from reelcut.instructions import parse

    draft = one_clip()
    for message in ("add a title 'Weekend'", "加上标题“周末”"):
        for request in parse(message, draft).edits:
            draft = resolve(draft, request).apply(draft)
    assert [(t.role, t.text) for t in draft.texts] == [("title", "周末")]
