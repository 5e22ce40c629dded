"""Clips by number: remove, replace with the next-best moment, move, swap."""

from __future__ import annotations

import re

from reelcut.instructions import lexicon
from reelcut.instructions.clause import Clause, Context, Ref
from reelcut.instructions.readers.base import (
    Reader,
    which_clip,
)


def read(c: Clause, ctx: Context) -> None:
    free = c.free_refs()
    n = ctx.n_clips
    swap = c.has(r"\bswap\b(?!\s+out)|\bswitch\b(?!\s+out)|\bexchange\b|交换|调换|对调|互换")
    move = c.has(
        r"\bmove\b|\bput\b|\bplace\b|\bbring\b|\bshift\b|\breorder\b"
        r"|移到|放到|挪到|调到|放在|移动到|挪|移"
    )
    replace_ = c.has(
        r"\breplace\b|\bswap out\b|\bswitch out\b|\bchange\b|\bnext best\b|\banother\b"
        r"|\bsomething else\b|\bdifferent\b|\b(?:don't|do not|dont) like\b|\bhate\b|\bboring\b"
        r"|换掉|替换|换一个|换个|换成别的|不喜欢|不好看|换一下|换"
    )
    remove = c.has(
        r"\b(?:remove|delete|drop|cut out|cut|get rid of|lose|skip|kill|take out|erase|ditch"
        r"|don't want|do not want|no)\b|删掉|删除|删了|去掉|去除|移除|不要|剪掉|拿掉|砍掉|删"
    )
    noun = c.has(rf"\b(?:{lexicon.CLIP_NOUN})\b|片段|镜头") if not c.found else None
    if swap and len(free) >= 2:
        a, b = free[0].index(n), free[1].index(n)
        if a is None or b is None:
            c.add(swap.start(), which_clip(ctx, "move"))
            return
        a, b = min(a, b), max(a, b)
        c.add(swap.start(), {"op": "move_clip", "index": a, "to": b})
        if b - a > 1:
            c.add(swap.start() + 1, {"op": "move_clip", "index": b - 1, "to": a})
        return
    target = _move_target(c, ctx, free)
    if move and free and target is not None:
        index = free[0].index(n)
        if index is None or target == -1:
            c.add(move.start(), which_clip(ctx, "move"))
        else:
            c.add(move.start(), {"op": "move_clip", "index": index, "to": target})
        return
    if replace_ and (free or noun) and not c.has(lexicon.MUSIC):
        if not free:
            c.add(replace_.start(), which_clip(ctx, "replace"))
            return
        for ref in free:
            index = ref.index(n)
            if index is None:
                c.add(replace_.start(), which_clip(ctx, "replace"))
                return
            c.add(ref.start, {"op": "next_best", "index": index})
        return
    if remove and (free or noun):
        if not free:
            c.add(remove.start(), which_clip(ctx, "remove"))
            return
        indexes = [ref.index(n) for ref in free]
        if any(i is None for i in indexes):
            c.add(remove.start(), which_clip(ctx, "remove"))
            return
        for index in sorted({i for i in indexes if i is not None}, reverse=True):
            c.add(remove.start(), {"op": "remove_clip", "index": index})


def _move_target(c: Clause, ctx: Context, free: list[Ref]) -> int | None:
    """Where "move clip 3 ..." puts it: 1 for "to the start", n for "to the end"; -1: unknown."""
    n = ctx.n_clips
    if c.has(
        r"\b(?:to|at) the (?:start|beginning|front|top|opening)\b|\bto (?:the )?front\b|\bfirst\b$|开头|最前|第一位"
    ):
        return 1
    if c.has(
        r"\b(?:to|at) the (?:end|back|bottom)\b|\bto last\b|\blast\b$|最后面|放到最后|移到最后|末尾|结尾|最后$"
    ):
        return n if n else -1
    m = c.has(r"\b(?:to|into) (?:position|place|slot|spot)\s*#?(\d+)|第(\d+)(?:个)?位置?")
    if m and (len(free) < 2 or c.has(r"\bposition\b|\bplace\b|\bslot\b|\bspot\b|位置")):
        return int(m[1] or m[2])
    if len(free) >= 2:
        source, dest = free[0].index(n), free[1].index(n)
        if source is None or dest is None:
            return -1
        between = c.text[free[0].end : free[1].start]
        after_text = c.text[free[1].end : free[1].end + 4]
        if re.search(r"\bafter\b", between) or re.match(r"\s*(?:后面|之后|后)", after_text):
            return dest if source < dest else dest + 1
        if re.search(r"\bbefore\b", between) or re.match(r"\s*(?:前面|之前|前)", after_text):
            return dest - 1 if source < dest else dest
        return dest
    return None


EXAMPLES = (
    "remove the second clip",
    "delete clip 3",
    "replace the third clip",
    "I don't like clip 2",
    "move clip 3 to the start",
    "swap clips 2 and 4",
    "删掉第二个片段",
    "换掉第三个片段",
    "把第四个片段移到开头",
    "交换第一个和第二个片段",
    "take out the fourth clip",
    "I don't want the last clip",
    "the second clip is bad, use another one",
    "put the last clip at the beginning",
    "move the first clip to the end",
    "去掉最后一个片段",
    "第二个片段不好，换一个",
    "把第一个片段放到最后",
)
READER = Reader("clips", read, EXAMPLES)
