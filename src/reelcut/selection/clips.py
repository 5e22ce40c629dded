"""The values selection hands to the timeline and render: clips and the parameters that shaped them."""

from __future__ import annotations

from dataclasses import dataclass

from reelcut.errors import InvalidArgumentError


@dataclass(frozen=True, slots=True)
class SelectionParams:
    """How to pick clips. Times in seconds; ``tolerance_s`` bounds |reel length - target|."""

    target_s: float
    min_clip_s: float = 3.0
    max_clip_s: float = 20.0
    lead_in_s: float = 4.0  # shown before the excitement starts to rise: the build-up
    tail_s: float = 3.0  # shown after it falls back
    spread: float = 0.5  # 0..1: how strongly clips are pushed apart across the recording
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
