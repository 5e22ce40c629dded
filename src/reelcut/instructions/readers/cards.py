"""Intro and outro cards: a coloured card with words before or after the clips."""

from __future__ import annotations

from reelcut.instructions import lexicon
from reelcut.instructions.clause import Clause, Context, Request
from reelcut.instructions.readers.base import (
    Reader,
    text_after,
)

_INTRO = r"\bintro(?:duction)?\b|\bopening (?:card|screen|title)\b|\btitle card\b|\bstart card\b|片头|开场|开头卡片|封面"


_OUTRO = r"\boutro\b|\bend(?:ing)? (?:card|screen|slate)\b|\bclosing (?:card|screen)\b|片尾|结尾卡片|结束卡片|结束画面"


def read(c: Clause, ctx: Context) -> None:
    for pattern, where in ((_INTRO, "intro"), (_OUTRO, "outro")):
        m = c.has(pattern)
        if not m:
            continue
        if c.has(lexicon.REMOVE):
            clips = ctx.draft.clips if ctx.draft is not None else ()
            at = 1 if where == "intro" else len(clips)
            if clips and clips[at - 1].role == "card":
                c.add(m.start(), {"op": "remove_clip", "index": at})
            else:
                c.add(m.start(), {"op": "question", "text": ctx.say(
                    f"I don't see an {where} card in the reel. Which clip should I remove?",
                    f"视频里没有{'片头' if where == 'intro' else '片尾'}卡片。要删除哪个片段？",
                )})  # fmt: skip
            continue
        text = c.quote()
        if text is None:
            text = text_after(
                c.raw,
                r"(?:\bsaying|\bthat says|\bwith the (?:text|words)|\breading|\bwith|:"
                r"|写着|内容是|文字是|文字|显示|写)",
            )
        request: Request = {"op": "add_card", "where": where, "text": text or ""}
        seconds = c.take_duration(most_s=15)
        if seconds is not None:
            request["duration_ms"] = int(seconds * 1000)
        c.add(m.start(), request)


EXAMPLES = (
    "add an intro card",
    "add an outro card",
    "put an end screen",
    "add a closing card",
    "加个片头",
    "加个片尾",
    "去掉片头",
    "add an intro card that says welcome",
    "add an end card saying thanks",
    "put an opening card at the start",
    "finish on an end card",
    "加一张片头卡片",
    "最后放一张结束卡片",
    "片尾写着谢谢观看",
)
READER = Reader("cards", read, EXAMPLES)
