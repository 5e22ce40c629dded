"""What every language's writer provides, and the number formats they share."""

from __future__ import annotations

from typing import Protocol

from reelcut.timeline.changes import Change
from reelcut.timeline.summary import TrackLine


class Writer(Protocol):
    """One language's words for changes, summary lines and the reply around them."""

    def change(self, change: Change) -> str:
        """One change in a few words ("removed the second clip")."""
        ...

    def track(self, line: TrackLine) -> str:
        """One summary line without its number ("Video: 5 clips (0-50s, 9:16)")."""
        ...

    def done(self, parts: list[str]) -> str:
        """The reply's first line for the changes written as ``parts`` (may be empty)."""
        ...

    def tracks_head(self) -> str:
        """The word that introduces the summary lines."""
        ...


def secs(ms: int) -> str:
    """A length as a number of seconds, as short as it can be: ``500`` -> ``"0.5"``."""
    return f"{ms / 1000:g}"


def span(start_ms: int, end_ms: int) -> tuple[str, str]:
    """The two ends of a span in whole seconds when whole, else tenths: ``("0", "33.5")``."""

    def one(ms: int) -> str:
        return f"{ms / 1000:.0f}" if ms % 1000 == 0 else f"{ms / 1000:.1f}"

    return one(start_ms), one(end_ms)


def plural(n: int, one: str, many: str | None = None) -> str:
    """``1 clip``, ``2 clips``: the count and the noun that goes with it."""
    return f"{n} {one if n == 1 else (many or one + 's')}"
