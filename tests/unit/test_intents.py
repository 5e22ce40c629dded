"""What a whole message asks for besides edits, as the hosted editor's skill words it: a reel
from the footage, an export, a preview, which upload, advice instead of a dead end."""

from __future__ import annotations

import re

import pytest

from reelcut.instructions import parse, route
from reelcut.instructions.intents import ExportAsk

LENGTH = "set_length"


@pytest.mark.parametrize(
    ("message", "seconds"),
    [
        ("extract the best moments and compile them into a 2-minute highlight reel", 120),
        ("extract the best moments and compile", None),
        ("generate my raw video footage", None),
        ("把精彩瞬间剪成集锦", None),
        ("做一个两分钟的集锦", 120),
    ],
)
def test_the_skills_make_requests_ask_for_a_reel(message, seconds):
    result = parse(message)
    assert route(message) == "edit"
    assert result.intent == "make"
    assert result.unknown is None and result.question is None
    lengths = [r["seconds"] for r in result.requests if r["op"] == LENGTH]
    assert lengths == ([seconds] if seconds else [])


@pytest.mark.parametrize("message", ["make it look better", "polish it", "让视频更好看"])
def test_make_it_look_better_answers_with_requests_that_work(message):
    result = parse(message)
    assert result.unknown is None and result.question
    said = re.findall(r"[\"“](.+?)[\"”]", result.question)
    assert len(said) >= 4
    for suggestion in said:
        if suggestion.startswith("title"):
            continue  # a quoted title inside a quote
        assert parse(suggestion).requests, suggestion


@pytest.mark.parametrize(
    ("message", "height"),
    [("export", None), ("导出", None), ("download", None), ("send me the video", None),
     ("export 1080p MP4", 1080)],
)  # fmt: skip
def test_export_requests_route_to_export_with_the_size_named(message, height):
    assert route(message) == "export"
    result = parse(message)
    assert result.intent == "export"
    assert result.export == ExportAsk("mp4", height)
    assert result.unknown is None


@pytest.mark.parametrize(
    "message", ["preview it", "show me the result", "preview in timeline", "预览一下", "让我看看效果"]
)
def test_preview_requests_route_to_a_preview(message):
    assert route(message) == "preview"
    result = parse(message)
    assert result.intent == "preview" and result.unknown is None


@pytest.mark.parametrize(
    ("message", "source", "requests"),
    [
        ("make a 30-second reel of the first video", 1, [{"op": LENGTH, "seconds": 30}]),
        ("now the second one, vertical", 2, [{"op": "set_format", "aspect": "9:16"}]),
        ("第二个视频做成竖屏", 2, [{"op": "set_format", "aspect": "9:16"}]),
        ("a 5-second reel of the second video only", 2, [{"op": LENGTH, "seconds": 5}]),
        ("use only the second clip I uploaded", 2, []),
        ("make the last video vertical", -1, [{"op": "set_format", "aspect": "9:16"}]),
        ("video 3, 20 seconds", 3, [{"op": LENGTH, "seconds": 20}]),
    ],
)
def test_batch_requests_name_the_upload(message, source, requests):
    assert route(message) == "edit"
    result = parse(message)
    assert result.source == source
    assert result.requests == requests
    assert result.question is None and result.unknown is None


def test_a_clip_number_is_still_a_clip_not_an_upload():
    result = parse("remove the second clip")
    assert result.source is None
    assert result.requests == [{"op": "remove_clip", "index": 2}]
    assert route("upload another video") == "upload"
