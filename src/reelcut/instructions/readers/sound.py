"""The footage's own sound: mute it, restore it, set its volume."""

from __future__ import annotations

import re

from reelcut.instructions import lexicon
from reelcut.instructions.clause import Clause, Context
from reelcut.instructions.readers.base import (
    Reader,
    relative,
)


def read(c: Clause, ctx: Context) -> None:
    noun = c.has(lexicon.ORIGINAL)
    music = c.has(lexicon.MUSIC)
    if not noun and not music and ctx.draft is not None and ctx.music_volume is None:
        noun = c.has(
            rf"\bvolume\b|音量|{lexicon.LOUDER}|{lexicon.QUIETER}"
        )  # no music: the footage's sound
    bare_mute = c.has(lexicon.MUTE) and not music
    if not noun and not bare_mute:
        return
    if music and noun and not re.search(r"原声|原音|original|game|crowd|commentary", noun.group(0)):
        return  # "声音"/"sound" next to music is the music's
    if music and not noun:
        return
    pos = (noun or bare_mute).start()  # type: ignore[union-attr]
    base = ctx.draft.original_volume if ctx.draft is not None else 100
    if c.has(lexicon.UNMUTE):
        c.add(pos, {"op": "set_original_volume", "volume": 100})
        return
    if c.has(lexicon.MUTE) or c.has(lexicon.REMOVE):
        c.add(pos, {"op": "set_original_volume", "volume": 0})
        return
    volume = c.take_percent(pos)
    if volume is not None:
        c.add(pos, {"op": "set_original_volume", "volume": volume})
        return
    way = c.direction(pos)
    if way:
        much = bool(c.has(r"\bmuch\b|\ba lot\b|很多"))
        c.add(pos, {"op": "set_original_volume", "volume": relative(base, way == "louder", much)})


EXAMPLES = (
    "mute the original audio",
    "turn off the game sound",
    "make the crowd noise quieter",
    "restore the original sound",
    "把原声静音",
    "原声小一点",
    "恢复原声",
    "turn off the original sound",
    "make the game audio louder",
    "make the commentary louder",
    "lower the crowd noise",
    "bring back the original audio",
    "关掉原声",
    "现场声音大一点",
    "解说声音小一点",
    "原声调大",
)
READER = Reader("sound", read, EXAMPLES)
