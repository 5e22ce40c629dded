"""What ``make`` was asked for beyond the length (aspect, title, music, transitions, captions),
and the edits that turn a plain first draft into it.
"""

from __future__ import annotations

from dataclasses import dataclass

from reelcut.editor.edits import music_op
from reelcut.errors import EditError
from reelcut.timeline.model import SOURCE_HEIGHT, Draft, TextSegment
from reelcut.timeline.ops import AddText, Op, SetFormat, SetTransition


@dataclass(frozen=True, slots=True)
class ReelOptions:
    """What ``make`` was asked for beyond the length. Defaults keep the footage as it is."""

    aspect: str = "source"
    height: int = SOURCE_HEIGHT  # 0: the footage's own size, at most 1080p (no upscaling)
    reframe: str = "follow"
    transition: str = "cut"
    transition_ms: int = 500
    title: str | None = None
    title_s: float = 3.0
    music: str | None = None  # a mood of the built-in library or a file
    music_volume: int = 35
    captions: bool = False


def option_ops(draft: Draft, options: ReelOptions) -> list[Op]:
    """The edits that turn a plain reel into what ``options`` ask for (captions excepted)."""
    ops: list[Op] = []
    if options.aspect != "source" or options.height != draft.height or options.reframe != "follow":
        ops.append(SetFormat(options.aspect, options.height, options.reframe))
    if options.transition != "cut":
        ops.append(SetTransition(options.transition, options.transition_ms))
    if options.title:
        if options.title_s <= 0:
            raise EditError("the title must show for more than 0 s")
        span = int(min(options.title_s * 1000, draft.duration_ms))
        ops.append(AddText(TextSegment(options.title, 0, span, role="title", box=False, size=0.08)))
    if options.music:
        ops.append(music_op(options.music, volume=options.music_volume))
    return ops
