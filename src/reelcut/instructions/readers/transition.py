"""How clips join: hard cuts, crossfades, fades through black."""

from __future__ import annotations

from reelcut.instructions import lexicon
from reelcut.instructions.clause import Clause, Context, Request
from reelcut.instructions.readers.base import (
    Reader,
)


def read(c: Clause, ctx: Context) -> None:
    kinds = (
        (
            r"\bfade (?:to|through|into) black\b|\bdip to black\b|\bblack fades?\b|黑场|渐黑|闪黑|淡出到黑",
            "fade_black",
        ),
        (
            r"\bhard cuts?\b|\bstraight cuts?\b|\bjump cuts?\b|\bno transitions?\b|\bplain cuts?\b|硬切|直接切|不要转场|无转场",
            "cut",
        ),
        (
            r"\bcrossfades?\b|\bdissolves?\b|\bfades? between\b|\bsmooth transitions?\b|淡入淡出|交叉淡化|叠化|溶解|渐变",
            "crossfade",
        ),
        (r"\btransitions?\b|转场|过渡", "crossfade"),
        (r"\bfades?\b", "crossfade"),
    )
    for pattern, kind in kinds:
        m = c.has(pattern)
        if not m:
            continue
        if kind == "crossfade" and pattern.startswith(r"\bfades?") and c.has(lexicon.MUSIC):
            return  # "fade the music out" is the music's
        if kind == "crossfade" and pattern.startswith(r"\btransitions") and c.has(lexicon.REMOVE):
            kind = "cut"
        request: Request = {"op": "set_transition", "kind": kind}
        if kind != "cut":
            seconds = c.take_duration(most_s=5)
            request["duration_ms"] = int(seconds * 1000) if seconds is not None else 500
        c.add(m.start(), request)
        return


EXAMPLES = (
    "crossfade between clips",
    "use smooth transitions",
    "fade to black between clips",
    "use hard cuts",
    "no transitions",
    "加转场",
    "用淡入淡出转场",
    "不要转场",
    "片段之间黑场过渡",
    "smooth transitions between clips",
    "dissolve between the clips",
    "dip to black between shots",
    "straight cuts from clip to clip",
    "片段之间平滑过渡",
    "镜头之间加淡入淡出",
    "直接切换不要过渡",
)
READER = Reader("transition", read, EXAMPLES)
