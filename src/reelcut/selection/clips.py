"""The values selection hands to the timeline and render: clips and the parameters that shaped them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

from reelcut.errors import InvalidArgumentError


@dataclass(frozen=True, slots=True)
class SelectionParams:
    """How to pick clips. Times in seconds; ``tolerance_s`` bounds |reel length - target|."""

    target_s: float
    min_clip_s: float = 3.0
    max_clip_s: float = 20.0
    lead_in_s: float = 8.0  # the most build-up a moment needs before its peak, as the signals show
    tail_s: float = 6.0  # the most reaction it needs after its peak
    spread: float = 0.5  # 0..1: among comparable moments, how much further ones are preferred
    tolerance_s: float = 1.0
    snap_window_s: float = 1.0  # how far a cut point may move to meet a shot cut or a pause

    def __post_init__(self) -> None:
        if not self.target_s > 0:
            raise InvalidArgumentError("the reel length must be positive")
        if not 0 < self.min_clip_s <= self.max_clip_s:
            raise InvalidArgumentError(
                f"clip bounds make no sense: min {self.min_clip_s}s, max {self.max_clip_s}s"
            )


@dataclass(frozen=True, slots=True)
class Clip:
    """One piece of one source, in milliseconds of that source."""

    source_index: int
    source_in_ms: int
    source_out_ms: int
    peak_ms: int
    score: float
    reason: str
    components: tuple[tuple[str, float], ...] = ()

    @property
    def duration_ms(self) -> int:
        return self.source_out_ms - self.source_in_ms


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A moment that did not get a clip of its own, and why (``why`` is one of the constants).

    ``start_s``..``end_s`` is its core (what a clip must hold to show it), ``needs_s`` what it
    would have added to the reel, ``clip`` the index of the clip that holds it (``INSIDE``).
    ``strong`` moments are the ones selection tries never to leave out.
    """

    WEAKER: ClassVar[str] = "weaker than the last one in"
    NO_ROOM: ClassVar[str] = "no room at this length"
    INSIDE: ClassVar[str] = "inside clip"
    TOO_SHORT: ClassVar[str] = "too short"

    source_index: int
    peak_s: float
    start_s: float
    end_s: float
    score: float
    strong: bool
    why: str
    clip: int | None
    needs_s: float
    reason: str

    def describe(self) -> str:
        """``why`` in words, with the clip number (1-based) where it is inside one."""
        return f"{self.why} {self.clip + 1}" if self.clip is not None else self.why

    def to_json(self) -> dict[str, object]:
        return {
            "source_index": self.source_index,
            "peak_s": self.peak_s,
            "start_s": self.start_s,
            "end_s": self.end_s,
            "score": self.score,
            "strong": self.strong,
            "why": self.describe(),
            "clip": None if self.clip is None else self.clip + 1,
            "needs_s": self.needs_s,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Selection:
    """What selection made of the footage: the clips, in source order, and what it left out."""

    clips: tuple[Clip, ...]
    left_out: tuple[LeftOut, ...] = ()

    def short_of_room(self) -> tuple[int, float]:
        """Strong moments left out for lack of room, and the seconds that would fit them all."""
        missed = [m for m in self.left_out if m.strong and m.why == LeftOut.NO_ROOM]
        return len(missed), sum(m.needs_s for m in missed)

    def room_note(self) -> str | None:
        """One line for the user when strong moments were left out for lack of room."""
        count, seconds = self.short_of_room()
        if not count:
            return None
        what = "1 more moment" if count == 1 else f"{count} more moments"
        return f"{what} would fit in {math.ceil(seconds)} s more"
