"""Shape, size and reframing: 9:16 for TikTok, 1080p, blurred background."""

from __future__ import annotations

import re

from reelcut.instructions import lexicon
from reelcut.instructions.clause import Clause, Context, Request
from reelcut.instructions.readers.base import (
    Reader,
)


def read(c: Clause, ctx: Context) -> None:
    request: Request = {"op": "set_format"}
    pos = len(c.text)
    for table in (lexicon.SHAPES, lexicon.PLATFORMS):
        hits = [(m.start(), aspect) for p, aspect in table if (m := re.search(p, c.text))]
        if hits:  # the table's order decides: "YouTube Shorts" is Shorts
            start, aspect = hits[0]
            request["aspect"] = aspect
            pos = min(pos, start)
            break
    m = c.has(r"(?<!\d)(\d{3,4})\s*p(?![a-z])")
    big = c.has(r"\b4k\b|\b2160p\b|\b1440p\b|\b2k\b|\buhd\b|4k|超高清")
    if m and int(m[1]) in (360, 480, 720, 1080):
        request["height"] = int(m[1])
        pos = min(pos, m.start())
    elif big:
        c.add(big.start(), {"op": "question", "text": ctx.say(
            "The sharpest output reelcut makes is 1080p. Shall I use 1080p?",
            "最高只能输出1080p。用1080p可以吗？",
        )})  # fmt: skip
    else:
        for p, height in lexicon.HEIGHT_WORDS:
            if hm := c.has(p):
                request["height"] = height
                pos = min(pos, hm.start())
                break
    if "aspect" in request or c.has(r"\breframe\b|\bcrop\b|\bfit\b|裁剪|画面|背景|构图"):
        for p, mode in lexicon.REFRAMES:
            if rm := c.has(p):
                request["reframe"] = mode
                pos = min(pos, rm.start())
                break
    if len(request) > 1:
        c.add(pos, request)


EXAMPLES = (
    "make it vertical",
    "make it square for Instagram",
    "make it horizontal for YouTube",
    "1080p please",
    "crop it with a blurred background",
    "改成竖屏",
    "改成横屏",
    "做成正方形",
    "用1080p",
    "背景模糊",
    "make it vertical to fit a phone screen",
    "make it tall for stories",
    "make it wide for a tv",
    "turn it sideways for YouTube",
    "export size 720p",
    "手机竖屏",
    "改成适合电视的横屏",
    "做成方形的",
)
READER = Reader("format", read, EXAMPLES)
