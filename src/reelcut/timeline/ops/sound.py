"""Sound: music under the reel and the level of the footage's own sound."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from reelcut.errors import EditError
from reelcut.timeline.changes import (
    Change,
    MusicChanged,
    MusicRemoved,
    MusicSet,
    OriginalVolumeSet,
)
from reelcut.timeline.model import (
    AudioSegment,
    Draft,
    Source,
    TrackType,
)
from reelcut.timeline.ops.base import (
    MUSIC_TRACK,
    Op,
    _given,
    _put_segments,
    _segments,
    _with_source,
)

# -- sound -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SetMusic(Op):
    """Put music under the reel (replacing any music there was)."""

    segment: AudioSegment
    source: Source | None = None
    name: ClassVar[str] = "set_music"

    def _apply(self, draft: Draft) -> Draft:
        draft = _with_source(draft, self.source)
        return _put_segments(draft, TrackType.AUDIO, MUSIC_TRACK, (self.segment,))

    def changes(self) -> tuple[Change, ...]:
        title = self.source.title if self.source and self.source.title else None
        return (MusicSet(title, self.segment.volume),)


@dataclass(frozen=True, slots=True)
class EditMusic(Op):
    volume: int | None = None
    fade_in_ms: int | None = None
    fade_out_ms: int | None = None
    duck: bool | None = None
    name: ClassVar[str] = "edit_music"

    def _apply(self, draft: Draft) -> Draft:
        segs = _segments(draft, TrackType.AUDIO, MUSIC_TRACK)
        if not segs:
            raise EditError("the reel has no music yet: add some first (lofi, upbeat, epic, calm)")
        changes = _given(self, ("volume", "fade_in_ms", "fade_out_ms", "duck"), "the music")
        new = tuple(replace(s, **changes) for s in segs)
        return _put_segments(draft, TrackType.AUDIO, MUSIC_TRACK, new)

    def changes(self) -> tuple[Change, ...]:
        return (MusicChanged(self.volume, self.fade_in_ms, self.fade_out_ms, self.duck),)


@dataclass(frozen=True, slots=True)
class RemoveMusic(Op):
    name: ClassVar[str] = "remove_music"

    def _apply(self, draft: Draft) -> Draft:
        if not _segments(draft, TrackType.AUDIO, MUSIC_TRACK):
            raise EditError("the reel has no music to remove")
        return _put_segments(draft, TrackType.AUDIO, MUSIC_TRACK, ())

    def changes(self) -> tuple[Change, ...]:
        return (MusicRemoved(),)


@dataclass(frozen=True, slots=True)
class SetOriginalVolume(Op):
    volume: int
    name: ClassVar[str] = "set_original_volume"

    def _apply(self, draft: Draft) -> Draft:
        return replace(draft, original_volume=self.volume)

    def changes(self) -> tuple[Change, ...]:
        return (OriginalVolumeSet(self.volume),)
