"""Lengths of time as people type them, the one duration parser of the package.

:func:`find_durations` finds every length in a chat message ("a 2-minute reel", "90 seconds",
"1:30", "两分钟", "半分钟"); :func:`parse_duration` reads a whole option value (``90``, ``90s``,
``2m``, ``1m30s``, ``1:30``, ``01:02:03``) with the same patterns, so ``reelcut make -l`` and
the chat agree on what a length means. Chat text is expected after
:func:`reelcut.instructions.numbers.normalize_numbers` (number words as digits).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from reelcut.errors import InvalidArgumentError, ReelcutError

# The shortest reel any door makes (chat, ``make -l``, ``set_length`` in ``apply``/``edit`` and
# the API): one clip of the selection's shortest length (``SelectionParams.min_clip_s``).
MIN_REEL_S = 3


def reel_length(seconds: object, error: type[ReelcutError] = InvalidArgumentError) -> float:
    """``seconds`` as a reel length: a number of at least :data:`MIN_REEL_S`, else ``error``
    (4008 for an option, 4010 for an edit request) saying so."""
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not seconds > 0:
        raise error(f"the reel length must be a positive number of seconds, not {seconds!r}")
    if seconds < MIN_REEL_S:
        raise error(
            f"a reel is at least {MIN_REEL_S} seconds long (one clip); {seconds:g} s was asked"
        )
    return float(seconds)


@dataclass(frozen=True, slots=True)
class Found:
    """A value found in the text and where (``start``/``end`` index the searched string)."""

    value: float
    start: int
    end: int


Pattern = tuple[re.Pattern[str], Callable[[re.Match[str]], float]]


def find_all(text: str, patterns: tuple[Pattern, ...]) -> list[Found]:
    """Every match of ``patterns`` in ``text``; earlier patterns claim their words first."""
    found: list[Found] = []
    taken = [False] * len(text)
    for pattern, value in patterns:
        for m in pattern.finditer(text):
            if any(taken[m.start() : m.end()]):
                continue
            for k in range(m.start(), m.end()):
                taken[k] = True
            found.append(Found(float(value(m)), m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


def _clock(m: re.Match[str]) -> float:
    """``1:30`` is minutes and seconds; ``1:02:03`` hours, minutes and seconds."""
    a, b, c, frac = int(m[1]), int(m[2]), m[3], float(m[4] or 0)
    return (a * 3600 + b * 60 + int(c) if c else a * 60 + b) + frac


_NUM = r"(\d+(?:\.\d+)?)"
_SEC = r"(?:seconds?|secs?|s)\b"
_MIN = r"(?:minutes?|mins?|m)(?![a-z])"
_HOUR = r"(?:hours?|hrs?|h)(?![a-z])"
_DURATIONS: tuple[Pattern, ...] = (
    (re.compile(rf"{_NUM}\s*(?:ms|milliseconds?|毫秒)"), lambda m: float(m[1]) / 1000),
    (
        re.compile(r"(?<![\d:])(?!9:16)(\d{1,2}):([0-5]\d)(?::([0-5]\d))?(\.\d+)?(?![\d:])"),
        _clock,
    ),
    (re.compile(rf"{_NUM}\s+and\s+a\s+half[\s-]*{_MIN}"), lambda m: (float(m[1]) + 0.5) * 60),
    (re.compile(rf"{_NUM}[\s-]*{_MIN}\s*and\s+a\s+half"), lambda m: (float(m[1]) + 0.5) * 60),
    (
        re.compile(rf"{_NUM}[\s-]*{_MIN}(?:\s*(?:and\s*)?{_NUM}[\s-]*{_SEC})?"),
        lambda m: float(m[1]) * 60 + float(m[2] or 0),
    ),
    (re.compile(rf"{_NUM}[\s-]*{_HOUR}"), lambda m: float(m[1]) * 3600),
    (re.compile(rf"{_NUM}[\s-]*{_SEC}"), lambda m: float(m[1])),
    (re.compile(r"half[\s-](?:an?\s+)?minute"), lambda m: 30.0),
    (re.compile(r"half[\s-](?:an?\s+)?second"), lambda m: 0.5),
    (re.compile(r"half[\s-](?:an?\s+)?hour"), lambda m: 1800.0),
    (re.compile(rf"{_NUM}\s*个?\s*(?:分钟|分)\s*半\s*钟?"), lambda m: float(m[1]) * 60 + 30),
    (
        re.compile(rf"{_NUM}\s*个?\s*(?:分钟|分)(?:\s*{_NUM}\s*秒钟?)?"),
        lambda m: float(m[1]) * 60 + float(m[2] or 0),
    ),
    (re.compile(rf"{_NUM}\s*个?\s*(?:小时)"), lambda m: float(m[1]) * 3600),
    (re.compile(rf"{_NUM}\s*秒钟?"), lambda m: float(m[1])),
    (re.compile(r"半分钟"), lambda m: 30.0),
    (re.compile(r"半小时"), lambda m: 1800.0),
    (re.compile(r"半秒"), lambda m: 0.5),
)


def find_durations(text: str) -> list[Found]:
    """Every length in ``text`` in seconds: "2-minute", "90 seconds", "1:30", "2分钟", "半分钟"."""
    return find_all(text, _DURATIONS)


def parse_duration(text: str | float | int) -> float:
    """Seconds for a whole option value; raises :class:`InvalidArgumentError` with the accepted
    forms. A bare number is seconds; lengths in a row add up ("1h 30m", "1m30s")."""
    seconds = -1.0
    if isinstance(text, int | float):
        seconds = float(text)
    else:
        raw = text.strip().lower()
        if re.fullmatch(r"\d+(\.\d+)?", raw):
            seconds = float(raw)
        elif found := find_durations(raw):
            gaps = [raw[: found[0].start], raw[found[-1].end :]]
            gaps += [raw[a.end : b.start] for a, b in zip(found, found[1:], strict=False)]
            if all(re.fullmatch(r"\s*(?:and\s*)?", gap) for gap in gaps):
                seconds = sum(f.value for f in found)
    if not seconds > 0:
        raise InvalidArgumentError(
            f"length {text!r} is not understood: use e.g. 90, 90s, 2m, 1m30s or 1:30"
        )
    return seconds


def format_duration(seconds: float) -> str:
    """``125.4`` -> ``2:05.4``."""
    m, s = divmod(seconds, 60)
    return f"{int(m)}:{s:04.1f}"
