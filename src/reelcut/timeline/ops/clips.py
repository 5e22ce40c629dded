"""Edits of the clips and the reel's shape: remove, move, trim, replace, insert, re-pick; format and
transitions."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from reelcut.errors import EditError
from reelcut.timeline.changes import (
    Change,
    ClipInserted,
    ClipMoved,
    ClipRemoved,
    ClipReplaced,
    ClipsPicked,
    ClipTrimmed,
    FormatSet,
    TopicKept,
    TransitionSet,
)
from reelcut.timeline.model import (
    Draft,
    VideoSegment,
)
from reelcut.timeline.ops.base import (
    Op,
    _clip_index,
    _secs,
    _with_clips,
)

# -- clips -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RemoveClip(Op):
    index: int
    name: ClassVar[str] = "remove_clip"

    def _apply(self, draft: Draft) -> Draft:
        i = _clip_index(draft, self.index)
        if len(draft.clips) == 1:
            raise EditError("cannot remove the only clip: a reel needs at least one")
        clips = [c for k, c in enumerate(draft.clips) if k != i]
        origin = [k for k in range(len(draft.clips)) if k != i]
        return _with_clips(draft, clips, origin)

    def changes(self) -> tuple[Change, ...]:
        return (ClipRemoved(self.index),)


@dataclass(frozen=True, slots=True)
class MoveClip(Op):
    index: int
    to: int
    name: ClassVar[str] = "move_clip"

    def _apply(self, draft: Draft) -> Draft:
        i = _clip_index(draft, self.index)
        j = _clip_index(draft, self.to)
        order = list(range(len(draft.clips)))
        order.insert(j, order.pop(i))
        return _with_clips(draft, [draft.clips[k] for k in order], order)

    def changes(self) -> tuple[Change, ...]:
        return (ClipMoved(self.index, self.to),)


@dataclass(frozen=True, slots=True)
class TrimClip(Op):
    """Positive ``head_ms``/``tail_ms`` cut into the clip; negative ones extend it."""

    index: int
    head_ms: int = 0
    tail_ms: int = 0
    name: ClassVar[str] = "trim_clip"

    def _apply(self, draft: Draft) -> Draft:
        i = _clip_index(draft, self.index)
        c = draft.clips[i]
        if c.role == "card":
            raise EditError(f"clip {self.index} is a card: change its length instead")
        new_in = c.source_in_ms + int(round(self.head_ms * c.speed))
        new_out = c.source_out_ms - int(round(self.tail_ms * c.speed))
        if new_in < 0:
            raise EditError(
                f"clip {self.index} cannot start {_secs(-new_in)} before the recording begins"
            )
        if new_out - new_in < 500:
            raise EditError(f"clip {self.index} would be shorter than half a second")
        clips = list(draft.clips)
        clips[i] = replace(c, source_in_ms=new_in, source_out_ms=new_out)
        return _with_clips(draft, clips, list(range(len(clips))))

    def changes(self) -> tuple[Change, ...]:
        return (ClipTrimmed(self.index, self.head_ms, self.tail_ms),)


@dataclass(frozen=True, slots=True)
class ReplaceClip(Op):
    index: int
    clip: VideoSegment
    name: ClassVar[str] = "replace_clip"

    def _apply(self, draft: Draft) -> Draft:
        i = _clip_index(draft, self.index)
        clips = list(draft.clips)
        clips[i] = self.clip
        origin: list[int | None] = list(range(len(clips)))
        origin[i] = None
        return _with_clips(draft, clips, origin)

    def changes(self) -> tuple[Change, ...]:
        return (ClipReplaced(self.index),)


@dataclass(frozen=True, slots=True)
class InsertClip(Op):
    """Insert ``clip`` so that it becomes clip number ``index`` (len + 1 appends)."""

    index: int
    clip: VideoSegment
    name: ClassVar[str] = "insert_clip"

    def _apply(self, draft: Draft) -> Draft:
        n = len(draft.clips)
        if not 1 <= self.index <= n + 1:
            raise EditError(
                f"cannot insert at position {self.index}: the reel has {n} clip{'s' * (n != 1)}"
            )
        clips = list(draft.clips)
        clips.insert(self.index - 1, self.clip)
        origin: list[int | None] = list(range(n))
        origin.insert(self.index - 1, None)
        return _with_clips(draft, clips, origin)

    def changes(self) -> tuple[Change, ...]:
        return (ClipInserted(self.index, self.clip.role),)


@dataclass(frozen=True, slots=True)
class SetClips(Op):
    """All clips at once (a re-selection for a new length, or the part about ``about``)."""

    clips: tuple[VideoSegment, ...]
    target_ms: int = 0
    about: str = ""  # the topic these clips were found for, when they were
    name: ClassVar[str] = "set_clips"

    def _apply(self, draft: Draft) -> Draft:
        old = draft.clips
        origin: list[int | None] = []
        for c in self.clips:
            match = next(
                (
                    j
                    for j, o in enumerate(old)
                    if o.source_id == c.source_id
                    and o.source_in_ms < c.source_out_ms
                    and c.source_in_ms < o.source_out_ms
                ),
                None,
            )
            origin.append(match)
        new = _with_clips(draft, self.clips, origin)
        return replace(new, target_ms=self.target_ms or draft.target_ms)

    def changes(self) -> tuple[Change, ...]:
        if self.about and self.clips:
            return (
                TopicKept(self.about, self.clips[0].source_in_ms, self.clips[-1].source_out_ms),
            )
        return (ClipsPicked(len(self.clips), sum(c.duration_ms for c in self.clips)),)


# -- format ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SetFormat(Op):
    aspect: str | None = None
    height: int | None = None
    reframe: str | None = None
    name: ClassVar[str] = "set_format"

    def _apply(self, draft: Draft) -> Draft:
        return replace(
            draft,
            aspect=self.aspect or draft.aspect,
            height=self.height or draft.height,
            reframe=self.reframe or draft.reframe,
        )

    def changes(self) -> tuple[Change, ...]:
        return (FormatSet(self.aspect, self.height, self.reframe),)


@dataclass(frozen=True, slots=True)
class SetTransition(Op):
    kind: str
    duration_ms: int = 500
    name: ClassVar[str] = "set_transition"

    def _apply(self, draft: Draft) -> Draft:
        return replace(draft, transition=self.kind, transition_ms=self.duration_ms)

    def changes(self) -> tuple[Change, ...]:
        return (TransitionSet(self.kind, self.duration_ms),)
