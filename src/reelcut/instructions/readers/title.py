"""A reel's title: add one, change its words or how long it shows, remove it."""

from __future__ import annotations

import re

from reelcut.instructions import lexicon
from reelcut.instructions.clause import Clause, Context, Request
from reelcut.instructions.readers.base import (
    Reader,
    text_after,
)


def read(c: Clause, ctx: Context) -> None:
    m = c.has(
        r"\btitle[sd]?\b|\bheadline\b|\bheading\b|\bcall it\b|\bname it\b|标题|片名|题目|视频名"
    )
    if not m or c.has(r"\btitle card\b|\bsubtitles?\b|副标题") or c.has(r"\bintro\b|片头"):
        return
    if c.has(lexicon.REMOVE):
        c.add(m.start(), {"op": "remove_text", "role": "title"})
        return
    text = c.quote()
    if text is None:
        text = text_after(
            c.raw,
            r"(?:\btitle[sd]?\s*(?:to|as|:|=|is|saying|that says|reading|called|named|should say"
            r"|should be)|\btitled|\bcall it|\bname it|\brename it(?: to)?"
            r"|(?:标题|片名|题目)\s*(?:改成|改为|换成|设为|设成|设置为|叫做|叫|是|为|:|写))",
        )
    seconds = _title_seconds(c)
    if text is None:
        if seconds is not None and ctx.has_title:
            c.add(
                m.start(), {"op": "edit_text", "role": "title", "duration_ms": int(seconds * 1000)}
            )
        else:
            c.add(m.start(), {"op": "title", "text": ""})  # dropped below with a question
        return
    change = c.has(lexicon.CHANGE) and not c.has(r"\badd\b|添加|加上|加个|加一个")
    if (change and (ctx.draft is None or ctx.has_title)) or (
        ctx.has_title and not c.has(lexicon.ADD)
    ):
        request: Request = {"op": "edit_text", "role": "title", "text": text}
        if seconds is not None:
            request["duration_ms"] = int(seconds * 1000)
    else:
        request = {"op": "title", "text": text}
        if seconds is not None:
            request["seconds"] = seconds if seconds % 1 else int(seconds)
    c.add(m.start(), request)


#: What follows a duration that is the reel's length, not the title's: "a 5 second reel with the
#: title 'X'" (one clause: the title reader, which reads first, took the 5 s and the length was
#: lost), "a 30-second highlight video titled ...".
_REEL_AFTER = re.compile(
    r"\s*(?:-\s*)?(?:long\s+)?(?:highlights?\s+)?"
    r"(?:reel|video|highlights?|montage|compilation|recap|supercut|edit|clip|short)s?\b"
    r"|\s*的?\s*(?:视频|集锦|短片|片子)"
)


def _title_seconds(c: Clause) -> float | None:
    """How long the title shows: a duration the clause names that is not the reel's length."""
    for d in c.durations:
        if d.value <= 60 and not _REEL_AFTER.match(c.text[d.end : d.end + 40]):
            c.durations.remove(d)
            return d.value
    return None


EXAMPLES = (
    "add a title",
    "put a title on it",
    "change the title",
    "remove the title",
    "加个标题",
    "把标题改成",
    "删掉标题",
    "去掉片名",
    "put a title on the video",
    "add a headline at the start",
    "the title should say Derby Day",
    "take off the title",
    "给视频起个标题",
    "标题改成周末",
    "标题去掉",
)
READER = Reader("title", read, EXAMPLES)
