"""What every edit-family reader shares: the :class:`Reader` record, the reel's length bounds
and the helpers several families use (relative volumes, the words after a key word, the
"which clip?" question)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from reelcut.durations import MIN_REEL_S
from reelcut.instructions.clause import PLACE, Clause, Context, Request

SHORTER_SHARE = 0.75  # "make it shorter" with no number: three quarters of the current length
LONGER_SHARE = 1.25
MUSIC_VOLUME = 35  # the music op's default, used as the base when there is no draft
MIN_LENGTH_S, MAX_LENGTH_S = MIN_REEL_S, 3600  # one minimum for every door


@dataclass(frozen=True, slots=True)
class Reader:
    """One edit family (as PySceneDetect keeps one detector per module).

    ``read`` looks for the family's words in a clause and adds its requests (taking the slots it
    uses); ``examples`` are phrasings of the family that the meaning matcher
    (:mod:`reelcut.instructions.meaning`) compares unseen messages with. Each example must read,
    on its own, into a request of the family.
    """

    family: str
    read: Callable[[Clause, Context], None]
    examples: tuple[str, ...] = ()


def _round5(v: float) -> int:
    return int(5 * round(v / 5))


def relative(base: int, louder: bool, much: bool) -> int:
    if louder:
        return min(400, max(base + 10, _round5(base * (2.0 if much else 1.5))))
    return max(0, min(base - 10, _round5(base * (0.4 if much else 0.6))))


def text_after(raw: str, pattern: str) -> str | None:
    """Unquoted words after ``pattern`` ("title to Derby Day" -> "Derby Day"), tidied."""
    m = re.search(pattern + r"\s*(?P<t>\S.*)$", raw, re.IGNORECASE)
    if not m:
        return None
    text = m.group("t")
    text = re.sub(
        r"\s+(?:for|lasting|over)\s+\S+\s*(?:seconds?|secs?|s)\b.*$"
        r"|\s+(?:at|in|on) the (?:start|beginning|end)\b.*$"
        r"|\s*(?:显示|持续|停留|保持|时长)?\s*[\d零一二两三四五六七八九十半]+\s*秒钟?.*$"
        r"|(?:吧|呢|啊|哦|。|\.)+$",
        "",
        text,
        flags=re.IGNORECASE,
    ).strip(" \t:：,，")
    if not text or PLACE.search(text):
        return None
    return text


def which_clip(ctx: Context, what: str) -> Request:
    n = ctx.n_clips
    zh_what = {
        "remove": "删除",
        "replace": "替换",
        "move": "移动",
        "trim": "修剪",
        "replay": "慢放",
    }[what]
    if n:
        return {"op": "question", "text": ctx.say(
            f"Which clip should I {what}? The reel has {n} clip{'s' * (n != 1)} (1-{n}).",
            f"要{zh_what}哪个片段？目前有{n}个片段（1-{n}）。",
        )}  # fmt: skip
    return {"op": "question", "text": ctx.say(
        f"Which clip should I {what}? Say its number, e.g. \"the second clip\".",
        f"要{zh_what}哪个片段？请说编号，例如“第二个片段”。",
    )}  # fmt: skip


def whole_seconds(seconds: float) -> int | float:
    value = max(float(MIN_LENGTH_S), round(seconds, 1))
    return int(value) if value == int(value) else value


def how_long(ctx: Context) -> Request:
    return {"op": "question", "text": ctx.say(
        'How long should the reel be? For example "60 seconds".',
        "要剪成多长？例如“60秒”。",
    )}  # fmt: skip
