"""Captions from speech: add them or remove them."""

from __future__ import annotations

from reelcut.instructions import lexicon
from reelcut.instructions.clause import Clause, Context
from reelcut.instructions.readers.base import (
    Reader,
)


def read(c: Clause, ctx: Context) -> None:
    m = c.has(r"\bcaptions?\b|\bsubtitles?\b|\bsubs\b|\bclosed captions?\b|\bcc\b|字幕")
    if not m:
        return
    if c.has(lexicon.REMOVE):
        c.add(m.start(), {"op": "set_captions", "captions": []})
    else:
        c.add(m.start(), {"op": "captions"})


EXAMPLES = (
    "add subtitles",
    "add captions",
    "remove the captions",
    "加字幕",
    "去掉字幕",
    "put subtitles on the video",
    "show what people say as captions",
    "turn on captions",
    "get rid of the subtitles",
    "给视频配上字幕",
    "把对话做成字幕",
    "关掉字幕",
)
READER = Reader("captions", read, EXAMPLES)
