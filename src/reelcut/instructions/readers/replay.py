"""Slow-motion replays of a clip (adding one, or removing the replays)."""

from __future__ import annotations

import re

from reelcut.instructions import lexicon
from reelcut.instructions.clause import Clause, Context, Request
from reelcut.instructions.readers.base import (
    Reader,
    which_clip,
)


def read(c: Clause, ctx: Context) -> None:
    m = c.has(
        r"\bslow motion\b|\breplay\b|\bhalf[\s-]speed\b|\bquarter[\s-]speed\b|\bslow(?:ed)? (?:it )?down\b"
        r"|慢动作|慢放|慢镜头|回放|慢速|半速"
    )
    if not m:
        return
    if c.has(lexicon.REMOVE):
        clips = ctx.draft.clips if ctx.draft is not None else ()
        replays = [k + 1 for k, clip in enumerate(clips) if clip.role == "replay"]
        for k in reversed(replays):
            c.add(m.start(), {"op": "remove_clip", "index": k})
        if not replays:
            c.add(m.start(), {"op": "question", "text": ctx.say(
                "I don't see a slow-motion replay in the reel. Which clip should I remove?",
                "视频里没有慢动作回放。要删除哪个片段？",
            )})  # fmt: skip
        return
    request: Request = {"op": "slow_motion"}
    free = c.free_refs()
    if free:
        c.used_refs.add(free[0].start)
        index = free[0].index(ctx.n_clips)
        if index is None:
            c.add(m.start(), which_clip(ctx, "replay"))
            return
        request["index"] = index
    if c.has(r"\bquarter\b|0?\.25\s*x|四分之一"):
        request["speed"] = 0.25
    elif c.has(r"\bhalf\b|0?\.5\s*x|半速|一半"):
        request["speed"] = 0.5
    else:
        speed = re.search(r"(0?\.\d+)\s*x\b|(\d+)%\s*(?:speed|速度)", c.text)
        if speed:
            request["speed"] = float(speed[1]) if speed[1] else int(speed[2]) / 100
            if speed[2]:
                c.take_percent()
    seconds = c.take_duration(most_s=10)
    if seconds is not None:
        request["seconds"] = seconds if seconds % 1 else int(seconds)
    c.add(m.start(), request)


EXAMPLES = (
    "add a slow motion replay",
    "slow down the best moment",
    "replay the goal in slow motion",
    "加个慢动作回放",
    "慢放最精彩的瞬间",
    "去掉慢动作",
    "show the best moment again in slow motion",
    "add a slow-mo of the top play",
    "slow motion replay of the highlight",
    "加一段慢放",
    "把最精彩的镜头慢放一遍",
)
READER = Reader("replay", read, EXAMPLES)
