"""Trimming or extending one clip at its start or end."""

from __future__ import annotations

from reelcut.instructions.clause import Clause, Context
from reelcut.instructions.readers.base import (
    Reader,
    which_clip,
)


def read(c: Clause, ctx: Context) -> None:
    verb = c.has(
        r"\btrim\b|\bcut\b|\bshorten\b|\bshave\b|\bchop\b|\bsnip\b|\bextend\b|\blengthen\b"
        r"|\blonger\b|\bshorter\b|\btighten\b|剪掉|剪短|裁掉|砍掉|缩短|减掉|延长|加长|长一点|短一点|多留|剪"
    )
    free = c.free_refs()
    if not verb or not free:
        return
    longer = bool(c.has(r"\bextend\b|\blengthen\b|\blonger\b|延长|加长|长一点|多留"))
    amounts = list(c.durations)
    said = bool(amounts) or bool(
        c.has(
            r"\bshorten\b|\bshorter\b|\bextend\b|\blengthen\b|\blonger\b|剪短|缩短|延长|加长|长一点|短一点"
        )
    )
    if not said:
        return  # "cut clip 2" removes it
    c.used_refs.add(free[0].start)
    index = free[0].index(ctx.n_clips)
    head_words = r"\b(?:start|beginning|front|head|opening)\b|\bfirst\s+\d|开头|前面|开始|头部|前\d"
    tail_words = r"\b(?:end|ending|tail|back)\b|\blast\s+\d|结尾|后面|末尾|尾部|最后\d|后\d"
    head_m, tail_m = c.has(head_words), c.has(tail_words)
    ms = [int(a.value * 1000) for a in amounts] or [1000]
    c.durations.clear()
    sign = -1 if longer else 1
    head = tail = 0
    if head_m and tail_m and len(ms) > 1:
        first_head = head_m.start() < tail_m.start()
        head, tail = (ms[0], ms[1]) if first_head else (ms[1], ms[0])
    elif head_m and not tail_m:
        head = ms[0]
    else:
        tail = ms[0]
    if index is None:
        c.add(verb.start(), which_clip(ctx, "trim"))
        return
    c.add(
        verb.start(),
        {"op": "trim_clip", "index": index, "head_ms": sign * head, "tail_ms": sign * tail},
    )


EXAMPLES = (
    "trim 1 second from the start of clip 2",
    "cut 2 seconds off the end of clip 3",
    "make clip 2 longer",
    "把第二个片段开头剪掉一秒",
    "第三个片段延长两秒",
    "shorten the second clip a little",
    "cut 1 second off the beginning of clip 3",
    "extend the last clip",
    "trim 1 second from the end of the first clip",
    "第一个片段结尾剪短一点",
    "把最后一个片段延长一点",
)
READER = Reader("trim", read, EXAMPLES)
