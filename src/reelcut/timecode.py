"""Parse the lengths people type: ``90``, ``90s``, ``2m``, ``1m30s``, ``1:30``, ``01:02:03``."""

from __future__ import annotations

import re

from reelcut.errors import InvalidArgumentError

_UNIT_RE = re.compile(
    r"^\s*(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+(?:\.\d+)?)\s*m(?:in)?)?\s*(?:(\d+(?:\.\d+)?)\s*s(?:ec)?)?\s*$"
)


def parse_duration(text: str | float | int) -> float:
    """Seconds for ``text``; raises :class:`InvalidArgumentError` with the accepted forms."""
    if isinstance(text, int | float):
        seconds = float(text)
    else:
        raw = text.strip().lower()
        seconds = -1.0
        if re.fullmatch(r"\d+(\.\d+)?", raw):
            seconds = float(raw)
        elif re.fullmatch(r"\d+(:\d{1,2}){1,2}(\.\d+)?", raw):
            seconds = 0.0
            for part in raw.split(":"):
                seconds = seconds * 60 + float(part)
        elif raw and (m := _UNIT_RE.match(raw)) and any(m.groups()):
            h, mi, s = (float(g) if g else 0.0 for g in m.groups())
            seconds = h * 3600 + mi * 60 + s
    if not seconds > 0:
        raise InvalidArgumentError(
            f"length {text!r} is not understood: use e.g. 90, 90s, 2m, 1m30s or 1:30"
        )
    return seconds


def format_duration(seconds: float) -> str:
    """``125.4`` -> ``2:05.4``."""
    m, s = divmod(seconds, 60)
    return f"{int(m)}:{s:04.1f}"
