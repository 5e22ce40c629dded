"""Background music: add a mood or a file, change its volume or fades, remove it."""

from __future__ import annotations

import re

from reelcut.instructions import lexicon
from reelcut.instructions.clause import Clause, Context, Request
from reelcut.instructions.readers.base import (
    MUSIC_VOLUME,
    Reader,
    relative,
)


def read(c: Clause, ctx: Context) -> None:
    from reelcut.errors import InvalidArgumentError
    from reelcut.music.moods import MOODS, resolve_mood

    noun = c.has(lexicon.MUSIC)
    if (
        not noun
        and not c.has(lexicon.ORIGINAL)
        and (ctx.draft is None or ctx.music_volume is not None)
    ):
        noun = c.has(
            rf"\bvolume\b|音量|{lexicon.LOUDER}|{lexicon.QUIETER}"
        )  # "louder": the music, if any
    canonical = c.has(rf"\b(?:{'|'.join(MOODS)}|chillhop)\b") if not noun else None
    file = re.search(r"[\w./\\~-]+\.(?:mp3|wav|m4a|aac|flac|ogg|opus)\b", c.raw, re.IGNORECASE)
    original = c.has(lexicon.ORIGINAL)
    if not (noun or canonical or file):
        return
    if canonical and not noun and original:
        return
    pos = (noun or canonical or file).start() if (noun or canonical) else 0  # type: ignore[union-attr]
    current = ctx.music_volume
    way = c.direction(pos)
    louder, quieter = way == "louder", way == "quieter"
    if noun and not c.has(lexicon.MUTE) and c.has(lexicon.REMOVE) and not (louder or quieter):
        c.add(pos, {"op": "remove_music"})
        return
    if noun and c.has(lexicon.MUTE):
        c.add(pos, {"op": "edit_music", "volume": 0})
        return
    fade = c.has(r"\bfade[sd]?\b.*\b(in|out)\b|\bfade[sd]?[\s-](in|out)\b|淡入|淡出|渐入|渐出")
    if fade and noun:
        seconds = c.take_duration(most_s=10)
        ms = int(seconds * 1000) if seconds is not None else 2000
        which = fade.group(0)
        request: Request = {"op": "edit_music"}
        if "in" in which.split() or "入" in which or which.endswith("in"):
            request["fade_in_ms"] = ms
        if "out" in which or "出" in which:
            request["fade_out_ms"] = ms
        c.add(pos, request)
        return
    volume = c.take_percent(pos)
    if (louder or quieter) and volume is None:
        if ctx.draft is not None and current is None:
            c.add(pos, {"op": "question", "text": ctx.say(
                "There is no music yet. Which mood should I add: lofi, upbeat, epic, calm, "
                "happy or dramatic?",
                "现在还没有音乐。要加哪种：lofi、动感、激昂、舒缓、欢快还是紧张？",
            )})  # fmt: skip
            return
        much = bool(c.has(r"\bmuch\b|\ba lot\b|\bway\b|很多|多一些|再大|再小|大很多|小很多"))
        base = current if current is not None else MUSIC_VOLUME
        c.add(pos, {"op": "edit_music", "volume": relative(base, louder, much)})
        return
    what: str | None = None
    if file:
        what = file.group(0)
    else:
        for word in re.findall(r"[a-z]+", c.text):
            if word in ("music", "song", "songs", "beats", "beat", "tune", "tunes"):
                continue
            try:
                what = resolve_mood(word)
                break
            except InvalidArgumentError:
                continue
        if what is None:
            for pattern, mood in lexicon.ZH_MOODS:
                if re.search(pattern, c.text):
                    what = mood
                    break
    if what is None and volume is not None and (current is not None or ctx.draft is None):
        c.add(pos, {"op": "edit_music", "volume": volume})
        return
    if what is None and original and not c.has(lexicon.ADD):
        return  # "the audio ... music" said about the original sound
    keep = volume if volume is not None else (current if current is not None else MUSIC_VOLUME)
    c.add(pos, {"op": "music", "what": what or lexicon.DEFAULT_MOOD, "volume": keep})


EXAMPLES = (
    "add some music",
    "add lofi music",
    "make the music louder",
    "turn the music down",
    "remove the music",
    "fade the music out",
    "加点背景音乐",
    "音乐大声一点",
    "音乐小声一点",
    "去掉音乐",
    "换成欢快的音乐",
    "the music is too loud, turn it down",
    "the music is too quiet, turn it up",
    "turn up the background music",
    "lower the soundtrack",
    "get rid of the background song",
    "put a song under it",
    "背景音乐调小一点",
    "背景音乐小一点",
    "配乐声音大一点",
    "不要配乐",
    "配一首歌",
)
READER = Reader("music", read, EXAMPLES)
