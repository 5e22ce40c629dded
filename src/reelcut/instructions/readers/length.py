"""The reel's length: a number of seconds, or shorter/longer than it is."""

from __future__ import annotations

import re

from reelcut.instructions import lexicon
from reelcut.instructions.clause import Clause, Context
from reelcut.instructions.readers.base import (
    LONGER_SHARE,
    MAX_LENGTH_S,
    MIN_LENGTH_S,
    SHORTER_SHARE,
    Reader,
    how_long,
    whole_seconds,
)


def read(c: Clause, ctx: Context) -> None:
    if any(r["op"] == "trim_clip" for _, r in c.found):
        return
    shorter = c.has(
        r"\bshorter\b|\bshorten\b|\btrim it down\b|\bcut it down\b|\btighter\b|\bcondense\b"
        r"|短一点|短一些|短些|缩短|剪短|短点|更短|精简|压缩|少一点"
    )
    longer = c.has(r"\blonger\b|\blengthen\b|\bextend it\b|长一点|长一些|长些|加长|延长|更长|长点")
    relative = shorter or longer
    duration = c.durations[0] if c.durations else None
    current_s = ctx.draft.duration_ms / 1000 if ctx.draft is not None else None
    if relative and duration is not None:
        before = c.text[: duration.start]
        after = c.text[duration.end : duration.end + 12]
        by = bool(
            re.search(r"\bby\s*$", before)
            or re.match(r"\s*(?:shorter|longer)", after)
            or (
                re.search(r"(?:缩短|减少|延长|加长|短|长)了?\s*$", before)
                and not re.search(r"(?:到|为|成)\s*$", before)
            )
        )
        if by:
            c.durations.remove(duration)
            if current_s is None:
                c.add(relative.start(), how_long(ctx))
                return
            delta = duration.value if longer else -duration.value
            c.add(
                relative.start(), {"op": "set_length", "seconds": whole_seconds(current_s + delta)}
            )
            return
    if duration is not None and MIN_LENGTH_S <= duration.value <= MAX_LENGTH_S:
        c.durations.remove(duration)
        c.add(duration.start, {"op": "set_length", "seconds": whole_seconds(duration.value)})
        return
    if (
        duration is not None
        and duration.value < MIN_LENGTH_S
        and c.has(r"\breels?\b|highlights?|\bvideo\b|\bclip\b|集锦|视频|短片|剪")
    ):
        c.durations.remove(duration)
        c.add(duration.start, {"op": "question", "text": ctx.say(
            f"A reel needs at least {MIN_LENGTH_S} seconds: shall I make it {MIN_LENGTH_S} seconds?",
            f"集锦至少需要{MIN_LENGTH_S}秒：要做成{MIN_LENGTH_S}秒吗？",
        )})  # fmt: skip
        return
    if relative and not c.has(
        rf"{lexicon.MUSIC}|{lexicon.ORIGINAL}|{lexicon.CLIP_NOUN}|title|标题|片头|片尾"
    ):
        if current_s is None:
            c.add(relative.start(), how_long(ctx))
            return
        share = LONGER_SHARE if longer and not shorter else SHORTER_SHARE
        c.add(relative.start(), {"op": "set_length", "seconds": whole_seconds(current_s * share)})


EXAMPLES = (
    "make it 60 seconds",
    "make a 2-minute highlight reel",
    "make it shorter",
    "make it longer",
    "cut it down to 45 seconds",
    "剪成60秒",
    "做一个两分钟的集锦",
    "短一点",
    "再长一点",
    "keep it under a minute",
    "make the reel 30 seconds long",
    "cut it to half a minute",
    "it's too long, make it shorter",
    "shorten the whole reel",
    "控制在一分钟",
    "剪到30秒",
    "太长了，短一点",
    "整体缩短一点",
)
READER = Reader("length", read, EXAMPLES)
