"""Chat instructions: routing, the English/Chinese parser (a table of phrasings with the exact
requests expected), questions for what is ambiguous, help for what is not understood, and
replies in the language of the message. No media: drafts are built by hand."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from reelcut.instructions import FOCUS_KINDS, export_options, parse, reply, route
from reelcut.instructions.clause import Clause, Context
from reelcut.instructions.readers import READERS
from reelcut.instructions.reply import describe, track_lines, writer
from reelcut.instructions.vocabulary import MEDIA_REQUESTS
from reelcut.timeline import Draft, Source, TextSegment, Track, TrackType, VideoSegment
from reelcut.timeline import changes as changes_module
from reelcut.timeline import summary as summary_module
from reelcut.timeline.changes import CaptionsSet, Change, ClipsPicked, ReelMade
from reelcut.timeline.model import AudioSegment
from reelcut.timeline.opjson import op_from_json
from reelcut.timeline.summary import CaptionsLine, TrackLine, VideoLine


def six_clips(music_volume: int | None = 40, title: str | None = "Old") -> Draft:
    """Six 10-second clips (60 s), optionally lo-fi music and a title."""
    src = Source("s0", "video", "/footage/game.mp4", 600_000, 1920, 1080, True, "game.mp4", "25")
    clips = tuple(
        VideoSegment(
            "s0", k * 60_000, k * 60_000 + 10_000, score=1 - k / 10, peak_ms=k * 60_000 + 5000
        )
        for k in range(6)
    )
    sources = [src]
    tracks = [Track(TrackType.VIDEO, "Video", clips)]
    if music_volume is not None:
        sources.append(Source("music-lofi", "music", "lofi", 0, has_audio=True, title="Lo-fi"))
        tracks.append(
            Track(TrackType.AUDIO, "Music", (AudioSegment("music-lofi", volume=music_volume),))
        )
    if title is not None:
        tracks.append(Track(TrackType.TEXT, "Text", (TextSegment(title, 0, 3000),)))
    return Draft(sources=tuple(sources), tracks=tuple(tracks), target_ms=60_000)


def fmt(**fields: Any) -> dict[str, Any]:
    return {"op": "set_format", **fields}


def music(what: str, volume: int = 35) -> dict[str, Any]:
    return {"op": "music", "what": what, "volume": volume}


def focus(kind: str, keyword: str | None = None) -> dict[str, Any]:
    return {"op": "focus", "kind": kind, "keyword": keyword}


LENGTH_2M = {"op": "set_length", "seconds": 120}
CAPTIONS = {"op": "captions"}
MUTE = {"op": "set_original_volume", "volume": 0}
CROSSFADE = {"op": "set_transition", "kind": "crossfade", "duration_ms": 500}

# (message, requests) with no draft: the words alone decide
ENGLISH: list[tuple[str, list[dict[str, Any]]]] = [
    ("extract the best moments and compile them into a 2-minute highlight reel", [LENGTH_2M]),
    ("make it a 90 second reel", [{"op": "set_length", "seconds": 90}]),
    ("cut it down to 45 seconds", [{"op": "set_length", "seconds": 45}]),
    ("make a one minute highlight video", [{"op": "set_length", "seconds": 60}]),
    ("1:30", [{"op": "set_length", "seconds": 90}]),
    ("make it one and a half minutes", [{"op": "set_length", "seconds": 90}]),
    ("make it half a minute long", [{"op": "set_length", "seconds": 30}]),
    ("make it vertical for Reels", [fmt(aspect="9:16")]),
    ("make it square for Instagram", [fmt(aspect="1:1")]),
    ("make it horizontal for YouTube", [fmt(aspect="16:9")]),
    ("for my Instagram story", [fmt(aspect="9:16")]),
    ("YouTube Shorts please", [fmt(aspect="9:16")]),
    ("vertical 1080p for TikTok", [fmt(aspect="9:16", height=1080)]),
    ("4:5 please", [fmt(aspect="4:5")]),
    ("make it portrait with a blurred background", [fmt(aspect="9:16", reframe="blur")]),
    ("export 1080p MP4", [fmt(height=1080)]),
    ('add a title "Derby Day" for 3 seconds', [{"op": "title", "text": "Derby Day", "seconds": 3}]),
    # the reel's length and the title's in one clause: each its own (the title took both before)
    (
        "make a 5 second reel with the title 'Slow'",
        [{"op": "set_length", "seconds": 5}, {"op": "title", "text": "Slow"}],
    ),
    (
        "a 30 second highlight video titled 'Derby' for 4 seconds",
        [{"op": "set_length", "seconds": 30}, {"op": "title", "text": "Derby", "seconds": 4}],
    ),
    ("change the title to Derby Day", [{"op": "edit_text", "role": "title", "text": "Derby Day"}]),
    ("remove the title", [{"op": "remove_text", "role": "title"}]),
    ("add lofi music at 35%", [music("lofi", 35)]),
    ("add some epic music", [music("epic")]),
    ("use calm background music at 20 percent", [music("calm", 20)]),
    ("no music please", [{"op": "remove_music"}]),
    ("louder music", [{"op": "edit_music", "volume": 50}]),
    ("mute the original audio", [MUTE]),
    ("original audio at 50%", [{"op": "set_original_volume", "volume": 50}]),
    ("crossfade between clips", [CROSSFADE]),
    (
        "fade to black, 1 second",
        [{"op": "set_transition", "kind": "fade_black", "duration_ms": 1000}],
    ),
    ("use hard cuts", [{"op": "set_transition", "kind": "cut"}]),
    ("add subtitles", [CAPTIONS]),
    ("remove the captions", [{"op": "set_captions", "captions": []}]),
    ("add a slow motion replay", [{"op": "slow_motion"}]),
    (
        "slow-mo replay of clip 3 at quarter speed",
        [{"op": "slow_motion", "index": 3, "speed": 0.25}],
    ),
    ("remove the second clip", [{"op": "remove_clip", "index": 2}]),
    (
        "remove clips 2 and 4",
        [{"op": "remove_clip", "index": 4}, {"op": "remove_clip", "index": 2}],
    ),
    ("replace clip 2", [{"op": "next_best", "index": 2}]),
    ("I don't like the third clip", [{"op": "next_best", "index": 3}]),
    ("move clip 3 to the start", [{"op": "move_clip", "index": 3, "to": 1}]),
    ("move clip 1 after clip 3", [{"op": "move_clip", "index": 1, "to": 3}]),
    (
        "swap clips 2 and 4",
        [{"op": "move_clip", "index": 2, "to": 4}, {"op": "move_clip", "index": 3, "to": 2}],
    ),
    (
        "trim 1 second from the start of clip 2",
        [{"op": "trim_clip", "index": 2, "head_ms": 1000, "tail_ms": 0}],
    ),
    (
        "make clip 2 2 seconds longer",
        [{"op": "trim_clip", "index": 2, "head_ms": 0, "tail_ms": -2000}],
    ),
    (
        'add an outro card saying "Thanks for watching" for 3 seconds',
        [{"op": "add_card", "where": "outro", "text": "Thanks for watching", "duration_ms": 3000}],
    ),
    ("add an intro with 'Derby Day'", [{"op": "add_card", "where": "intro", "text": "Derby Day"}]),
    ("only the goals", [focus("action", "goal")]),
    ("when the crowd cheers", [focus("crowd")]),
    ("when someone says touchdown", [focus("keyword", "touchdown")]),
    ("only when people are talking", [focus("speech")]),
    # typos
    ("make it verticle", [fmt(aspect="9:16")]),
    ('add a tittle "Match Day"', [{"op": "title", "text": "Match Day"}]),
    ("add lofi musci", [music("lofi")]),
    ("captoins please", [CAPTIONS]),
    ("crosfade transitions", [CROSSFADE]),
    # several edits at once, in the order said
    (
        "make it vertical, add captions and mute the original audio",
        [fmt(aspect="9:16"), CAPTIONS, MUTE],
    ),
    (
        "only the goals, 1 minute, with epic music",
        [focus("action", "goal"), {"op": "set_length", "seconds": 60}, music("epic")],
    ),
]

CHINESE: list[tuple[str, list[dict[str, Any]]]] = [
    (
        "做一个30秒的视频标题是“德比”显示4秒",
        [{"op": "set_length", "seconds": 30}, {"op": "title", "text": "德比", "seconds": 4}],
    ),
    (
        "做一个5秒的集锦标题是“慢”",
        [{"op": "set_length", "seconds": 5}, {"op": "title", "text": "慢"}],
    ),
    ("剪成两分钟的集锦", [LENGTH_2M]),
    ("帮我把视频剪成90秒", [{"op": "set_length", "seconds": 90}]),
    ("做一个一分钟的精彩集锦", [{"op": "set_length", "seconds": 60}]),
    ("时长改成一分半", [{"op": "set_length", "seconds": 90}]),
    ("剪成一分三十秒", [{"op": "set_length", "seconds": 90}]),
    ("半分钟", [{"op": "set_length", "seconds": 30}]),
    ("九十秒", [{"op": "set_length", "seconds": 90}]),
    ("改成竖屏", [fmt(aspect="9:16")]),
    ("竖版，适合抖音", [fmt(aspect="9:16")]),
    ("做成横屏的，发B站", [fmt(aspect="16:9")]),
    ("改成正方形", [fmt(aspect="1:1")]),
    ("改成1080p的", [fmt(height=1080)]),
    ("全高清竖版", [fmt(aspect="9:16", height=1080)]),
    ("把标题改成《城市之梦》", [{"op": "edit_text", "role": "title", "text": "城市之梦"}]),
    ("标题叫城市之梦", [{"op": "edit_text", "role": "title", "text": "城市之梦"}]),
    ("加一个标题《德比日》，显示3秒", [{"op": "title", "text": "德比日", "seconds": 3}]),
    ("加个标题「决赛」三秒", [{"op": "title", "text": "决赛", "seconds": 3}]),
    ("去掉标题", [{"op": "remove_text", "role": "title"}]),
    ("加点背景音乐", [music("calm")]),
    ("加轻音乐", [music("calm")]),
    ("换成激昂的音乐", [music("epic")]),
    ("音乐音量调到百分之三十", [{"op": "edit_music", "volume": 30}]),
    ("音乐大声一点", [{"op": "edit_music", "volume": 50}]),
    ("去掉背景音乐", [{"op": "remove_music"}]),
    ("静音原声", [MUTE]),
    ("原声调到50%", [{"op": "set_original_volume", "volume": 50}]),
    ("加字幕", [CAPTIONS]),
    ("去掉字幕", [{"op": "set_captions", "captions": []}]),
    ("加淡入淡出转场", [CROSSFADE]),
    ("转场用黑场", [{"op": "set_transition", "kind": "fade_black", "duration_ms": 500}]),
    ("不要转场", [{"op": "set_transition", "kind": "cut"}]),
    ("加个慢动作回放", [{"op": "slow_motion"}]),
    ("第三个片段慢放", [{"op": "slow_motion", "index": 3}]),
    ("删掉第二个片段", [{"op": "remove_clip", "index": 2}]),
    ("删掉第二个和第四个", [{"op": "remove_clip", "index": 4}, {"op": "remove_clip", "index": 2}]),
    ("去掉片段3", [{"op": "remove_clip", "index": 3}]),
    ("换掉第二个", [{"op": "next_best", "index": 2}]),
    ("我不喜欢第四个片段", [{"op": "next_best", "index": 4}]),
    ("把第三个片段移到开头", [{"op": "move_clip", "index": 3, "to": 1}]),
    ("第二个和第三个交换", [{"op": "move_clip", "index": 2, "to": 3}]),
    (
        "第二个片段结尾剪掉2秒",
        [{"op": "trim_clip", "index": 2, "head_ms": 0, "tail_ms": 2000}],
    ),
    (
        "第二个片段开头剪掉一秒",
        [{"op": "trim_clip", "index": 2, "head_ms": 1000, "tail_ms": 0}],
    ),
    ("加个片头，写着“德比日”", [{"op": "add_card", "where": "intro", "text": "德比日"}]),
    ("加片尾“感谢观看”", [{"op": "add_card", "where": "outro", "text": "感谢观看"}]),
    ("只要进球", [focus("action", "goal")]),
    ("观众欢呼的时候", [focus("crowd")]),
    ("当有人说“加油”的时候", [focus("keyword", "加油")]),
    ("只保留说话的部分", [focus("speech")]),
    # mixed languages
    ("make it 竖屏 and add lofi music", [fmt(aspect="9:16"), music("lofi")]),
    ("改成vertical然后加字幕", [fmt(aspect="9:16"), CAPTIONS]),
    ("改成竖屏并加上lofi音乐", [fmt(aspect="9:16"), music("lofi")]),
    # several edits at once
    ("竖屏，加字幕，然后静音原声", [fmt(aspect="9:16"), CAPTIONS, MUTE]),
    (
        "把标题改成《城市之梦》，再加上轻音乐",
        [{"op": "edit_text", "role": "title", "text": "城市之梦"}, music("calm")],
    ),
]


@pytest.mark.parametrize(("message", "expected"), ENGLISH + CHINESE, ids=lambda v: str(v)[:40])
def test_phrasings_give_exactly_these_requests(message, expected):
    result = parse(message)
    assert result.requests == expected
    assert result.question is None and result.unknown is None


def test_the_table_is_half_english_half_chinese():
    assert len(ENGLISH) >= 40 and len(CHINESE) >= 40
    assert all(parse(m).language == "en" for m, _ in ENGLISH)
    assert all(parse(m).language == "zh" for m, _ in CHINESE if "make it" not in m)


# (message, requests) against six 10-second clips, lo-fi music at 40% and a title
WITH_DRAFT: list[tuple[str, list[dict[str, Any]]]] = [
    ("make it shorter", [{"op": "set_length", "seconds": 45}]),
    ("make it longer", [{"op": "set_length", "seconds": 75}]),
    ("make it 10 seconds shorter", [{"op": "set_length", "seconds": 50}]),
    ("缩短10秒", [{"op": "set_length", "seconds": 50}]),
    ("louder music", [{"op": "edit_music", "volume": 60}]),
    ("quieter music", [{"op": "edit_music", "volume": 25}]),
    ("音乐小一点", [{"op": "edit_music", "volume": 25}]),
    ("set the volume to 60%", [{"op": "edit_music", "volume": 60}]),
    ("use epic music instead", [music("epic", 40)]),
    ("make the original audio louder", [{"op": "set_original_volume", "volume": 150}]),
    ("remove the last clip", [{"op": "remove_clip", "index": 6}]),
    ("删除最后一个", [{"op": "remove_clip", "index": 6}]),
    ("remove the second to last clip", [{"op": "remove_clip", "index": 5}]),
    ("put the last clip first", [{"op": "move_clip", "index": 6, "to": 1}]),
    ("move the second clip to the end", [{"op": "move_clip", "index": 2, "to": 6}]),
    ("把最后一个片段放到最前面", [{"op": "move_clip", "index": 6, "to": 1}]),
    ("把第二个片段移到第四个后面", [{"op": "move_clip", "index": 2, "to": 4}]),
    ('title "New Title"', [{"op": "edit_text", "role": "title", "text": "New Title"}]),
    ('add a second title "Full Time"', [{"op": "title", "text": "Full Time"}]),
    ("slow motion replay of the last clip", [{"op": "slow_motion", "index": 6}]),
    (
        "make the music quieter and the original louder",
        [{"op": "edit_music", "volume": 25}, {"op": "set_original_volume", "volume": 150}],
    ),
    (
        "music at 30% and the original audio at 80%",
        [{"op": "edit_music", "volume": 30}, {"op": "set_original_volume", "volume": 80}],
    ),
    ("turn the crowd down", [{"op": "set_original_volume", "volume": 60}]),
    ("keep the original aspect", [fmt(aspect="source")]),
    (
        "去掉第一个和最后一个片段",
        [{"op": "remove_clip", "index": 6}, {"op": "remove_clip", "index": 1}],
    ),
    ("把第二段剪短一点", [{"op": "trim_clip", "index": 2, "head_ms": 0, "tail_ms": 1000}]),
]


@pytest.mark.parametrize(("message", "expected"), WITH_DRAFT, ids=lambda v: str(v)[:40])
def test_relative_requests_are_measured_against_the_draft(message, expected):
    result = parse(message, six_clips())
    assert result.requests == expected
    assert result.question is None


def test_without_music_louder_asks_for_a_mood_and_volume_means_the_footage():
    bare = six_clips(music_volume=None)
    asked = parse("louder music", bare)
    assert asked.requests == [] and "mood" in (asked.question or "")
    assert parse("set the volume to 60%", bare).requests == [
        {"op": "set_original_volume", "volume": 60}
    ]


@pytest.mark.parametrize(
    ("message", "draft", "words"),
    [
        ("remove the clip", six_clips(), "Which clip should I remove? The reel has 6 clips (1-6)."),
        ("删掉这个片段", six_clips(), "要删除哪个片段？目前有6个片段（1-6）。"),
        ("remove clip 9", six_clips(), "The reel has 6 clips. Which one did you mean (1-6)?"),
        ("make it shorter", None, 'How long should the reel be? For example "60 seconds".'),
        ("剪短一点", None, "要剪成多长？例如“60秒”。"),
        ("add a title", None, "What should the title say?"),
        ("make it 4k", None, "The sharpest output reelcut makes is 1080p. Shall I use 1080p?"),
        (
            "make a 2 second reel",
            None,
            "A reel needs at least 3 seconds: shall I make it 3 seconds?",
        ),
        ("剪一个2秒的视频", None, "集锦至少需要3秒：要做成3秒吗？"),
        (
            "remove the last clip",
            None,
            'Which clip should I remove? Say its number, e.g. "the second clip".',
        ),
    ],
)
def test_ambiguous_requests_ask_one_short_question(message, draft, words):
    result = parse(message, draft)
    assert result.question == words
    assert result.unknown is None


def test_clear_parts_are_kept_when_another_part_needs_a_question():
    result = parse("make it vertical and remove the clip", six_clips())
    assert result.requests == [fmt(aspect="9:16")]
    assert result.question is not None and "Which clip" in result.question


@pytest.mark.parametrize(
    ("message", "language", "hint"),
    [
        ("asdf qwer zxcv", "en", "remove the second clip"),
        ("what is the weather like", "en", "make it vertical"),
        ("今天天气怎么样", "zh", "删掉第二个片段"),
        ("你好", "zh", "只要进球"),
    ],
)
def test_gibberish_is_never_a_silent_no_op(message, language, hint):
    result = parse(message)
    assert result.requests == [] and result.question is None
    assert result.language == language
    assert result.unknown is not None and hint in result.unknown


def test_a_clause_not_understood_is_reported_beside_the_rest():
    result = parse("make it vertical, and frobnicate the widgets")
    assert result.requests == [fmt(aspect="9:16")]
    assert result.ignored == ("and frobnicate the widgets",)


ALL_MESSAGES = [m for m, _ in ENGLISH + CHINESE]
MEDIA_FIELDS = {
    "set_length": {"seconds"},
    "next_best": {"index"},
    "slow_motion": {"index", "speed", "seconds"},
    "music": {"what", "volume", "fade_in_ms", "fade_out_ms", "duck"},
    "captions": {"engine"},
    "title": {"text", "seconds", "start", "role", "position", "size", "colour", "box", "font"},
}


def _check_request(request: dict[str, Any]) -> None:
    name = request["op"]
    if name == "focus":
        assert set(request) == {"op", "kind", "keyword"}
        assert request["kind"] in FOCUS_KINDS
        assert request["keyword"] is None or isinstance(request["keyword"], str)
        assert request["kind"] != "keyword" or request["keyword"]
    elif name in MEDIA_REQUESTS:
        assert set(request) - {"op"} <= MEDIA_FIELDS[name]
    else:
        op_from_json(request)


@pytest.mark.parametrize("draft", [None, six_clips()], ids=["no draft", "draft"])
def test_every_request_is_in_the_shared_vocabulary(draft):
    """Every phrasing is read into requests (or, needing a draft it has not got, a question)."""
    needs_draft = {m for m, _ in WITH_DRAFT}
    for message in ALL_MESSAGES + sorted(needs_draft - set(ALL_MESSAGES)):
        result = parse(message, draft)
        asks = draft is None and message in needs_draft and bool(result.question)
        assert result.requests or asks, (message, result)
        for request in result.requests:
            _check_request(request)
        batch = result.batch()
        if batch is not None and batch["op"] == "batch":
            assert batch["ops"] == result.edits


def test_timeline_requests_apply_to_the_draft_they_were_read_against():
    draft = six_clips()
    for message, _ in WITH_DRAFT:
        for request in parse(message, draft).edits:
            if request["op"] not in MEDIA_REQUESTS:
                changed = op_from_json(request).apply(draft) != draft
                # six_clips() already keeps the source aspect; every other request changes it
                assert changed == (message != "keep the original aspect"), (message, request)


@pytest.mark.parametrize(
    ("message", "attachment", "expected"),
    [
        ("export 1080p MP4", False, "export"),
        ("send me the video", False, "export"),
        ("render it", False, "export"),
        ("download", False, "export"),
        ("exprot it", False, "export"),
        ("导出", False, "export"),
        ("下载视频", False, "export"),
        ("how many credits do I have", False, "credits"),
        ("what's my balance", False, "credits"),
        ("积分还有多少", False, "credits"),
        ("余额", False, "credits"),
        ("status", False, "status"),
        ("show tracks", False, "status"),
        ("状态", False, "status"),
        ("看看轨道", False, "status"),
        ("upload", False, "upload"),
        ("上传视频", False, "upload"),
        ("here is my footage", True, "upload"),
        ("make it vertical", False, "edit"),
        ("删掉第二个片段", False, "edit"),
    ],
)
def test_route(message, attachment, expected):
    assert route(message, has_attachment=attachment) == expected


def test_export_options_read_format_and_size():
    assert export_options("export 1080p MP4") == {"format": "mp4", "height": 1080}
    assert export_options("导出高清") == {"format": "mp4", "height": 720}
    assert export_options("send me an EDL") == {"format": "edl", "height": None}


def _edited() -> tuple[list[Change], Draft]:
    draft = six_clips(title=None)
    ops = [op_from_json(r) for r in parse("remove the second clip, make it vertical").edits]
    changes: list[Change] = []
    for op in ops:
        draft = op.apply(draft)
        changes.extend(op.changes())
    return changes, draft


def test_english_reply_says_what_changed_and_the_tracks():
    changes, draft = _edited()
    assert reply("en", changes, draft) == (
        "Done: removed the second clip; set aspect 9:16.\n"
        "Tracks:\n1. Video: 5 clips (0-50s, 9:16)\n2. Music: Lo-fi (0-50s, 40%)"
    )


def test_chinese_reply_is_in_chinese():
    changes, draft = _edited()
    assert reply("zh", changes, draft) == (
        "已完成：删除了第2个片段；设置画幅9:16。\n"
        "轨道：\n1. 视频：5个片段（0-50秒，9:16）\n2. 音乐：Lo-fi（0-50秒，40%）"
    )


def test_reply_with_nothing_applied_says_so():
    assert reply("en", [], []) == "Nothing was changed."
    assert reply("zh", [], [CaptionsLine(4)]) == "没有做任何修改。\n轨道：\n1. 字幕：4行"


def test_one_of_a_thing_is_said_in_the_singular():
    """ "1 clips" read badly in replies and summaries."""
    lines = [VideoLine(clips=1, end_ms=5000, aspect=None, replays=1, cards=1), CaptionsLine(1)]
    assert track_lines(lines) == [
        "1. Video: 1 clip (0-5s, 1 slow-motion replay, 1 card)",
        "2. Captions: 1 line",
    ]
    assert describe([ClipsPicked(1, 5000), CaptionsSet(1), ReelMade(1, 5000)]) == (
        "re-selected 1 clip (5s); added 1 caption line; made a 5s reel of 1 clip"
    )
    assert describe([ClipsPicked(2, 9000)]) == "re-selected 2 clips (9s)"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_change_and_line_has_words_in_every_language(language):
    """A writer that falls through to the type's name has forgotten a kind of change."""
    samples = [cls(**{f.name: _sample(f.type) for f in dataclasses.fields(cls)})
               for cls in _subclasses(Change) + _subclasses(TrackLine)]  # fmt: skip
    for value in samples:
        words = writer(language).change(value) if isinstance(value, Change) else (
            writer(language).track(value)
        )  # fmt: skip
        assert words and words != type(value).__name__, value


def _subclasses(base: type) -> list[type]:
    return [c for c in vars(changes_module).values() if isinstance(c, type) and issubclass(c, base)
            and c is not base] + [c for c in vars(summary_module).values() if isinstance(c, type)
            and issubclass(c, base) and c is not base]  # fmt: skip


def _sample(hint: Any) -> Any:
    hint = str(hint)
    if hint.startswith("int"):
        return 2
    if hint.startswith("bool"):
        return True
    return "9:16" if "str" in hint else None


def test_a_comma_list_of_clip_numbers_removes_them_all():
    result = parse("remove clips 2, 3 and 5", six_clips())
    assert result.requests == [
        {"op": "remove_clip", "index": 5},
        {"op": "remove_clip", "index": 3},
        {"op": "remove_clip", "index": 2},
    ]
    assert result.ignored == ()


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.family)
def test_every_family_example_reads_into_its_own_family(reader):
    """Examples are what the meaning matcher lands on: each must be read by its own reader."""
    assert reader.examples
    for example in reader.examples:
        clause = Clause.read(example, [])
        reader.read(clause, Context(six_clips(), zh=False))
        assert clause.requests(), f"{reader.family}: {example!r} read into nothing"


@pytest.mark.parametrize(
    ("message", "session", "answer"),
    [
        ("状态", "en", "zh"),
        ("status", "zh", "en"),
        ("剪一个30秒的集锦", "en-US", "zh"),
        ("make it 30秒", "zh-CN", "en"),
        ("9:16", "zh-CN", "zh"),
        ("60s", "zh_Hans", "zh"),
        ("9:16", "en", "en"),
        ("9:16", None, "en"),
        ("9:16", "fr", "en"),
    ],
)
def test_replies_are_in_the_message_s_language_the_session_s_only_without_words(
    message, session, answer
):
    from reelcut.instructions.clause import reply_language

    assert reply_language(message, session) == answer
    asked = parse("make a 2 second reel" if answer == "en" else "剪一个2秒的视频", reply_in=answer)
    assert ("至少" in (asked.question or "")) == (answer == "zh")
