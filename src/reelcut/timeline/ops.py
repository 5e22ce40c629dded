"""Edits as typed values: each op is a pure function old draft -> new draft, validated.

An op that cannot apply (clip 9 of 6, a negative time, an unknown font) raises
:class:`~reelcut.errors.EditError` and the old draft is untouched (drafts are immutable). Clip
numbers in ops are 1-based, as people count them ("remove the second clip").

Ops that change the reel's clips keep text anchored to the picture: a caption follows the words
it belongs to (and goes when its clip goes), a title moves with the moment it was placed on.
Ops that need analysis or media (re-selecting for a new length, the next-best clip, captions from
speech) are computed by :mod:`reelcut.editor.edits` and arrive here as plain values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from reelcut.errors import EditError
from reelcut.timeline.model import (
    AudioSegment,
    Draft,
    OverlaySegment,
    Source,
    TextSegment,
    Track,
    TrackType,
    VideoSegment,
)
from reelcut.timeline.validate import validate

_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"]


def ordinal(n: int) -> str:
    return _ORDINALS[n - 1] if 1 <= n <= len(_ORDINALS) else f"#{n}"


def _secs(ms: int) -> str:
    return f"{ms / 1000:g}s"


class Op:
    """Base of every edit. ``apply`` returns a new, validated draft; ``describe`` says it in words."""

    name: ClassVar[str] = "op"

    def apply(self, draft: Draft) -> Draft:
        new = self._apply(draft)
        validate(new)
        return new

    def _apply(self, draft: Draft) -> Draft:
        raise NotImplementedError

    def describe(self) -> str:
        return self.name


# -- helpers -----------------------------------------------------------------------------------


def _clip_index(draft: Draft, index: int) -> int:
    n = len(draft.clips)
    if not 1 <= index <= n:
        raise EditError(f"there is no clip {index}: the reel has {n} clip{'s' * (n != 1)}")
    return index - 1


def _with_clips(draft: Draft, clips: Sequence[VideoSegment], origin: Sequence[int | None]) -> Draft:
    """Replace the main track's clips; ``origin[k]`` is the old index new clip k came from."""
    if not clips:
        raise EditError("a reel needs at least one clip")
    main = draft.main_index
    new = draft.with_track(main, replace(draft.tracks[main], segments=tuple(clips)))
    return _retime_anchored(draft, new, origin)


def _time_map(old: Draft, new: Draft, origin: Sequence[int | None]):  # type: ignore[no-untyped-def]
    old_clips, new_clips = old.clips, new.clips
    old_starts, new_starts = old.clip_starts_ms(), new.clip_starts_ms()
    by_old: dict[int, list[int]] = {}
    for k, j in enumerate(origin):
        if j is not None:
            by_old.setdefault(j, []).append(k)

    def where(t: int) -> int | None:
        """New reel time of what old reel time ``t`` showed, or None if that is cut out."""
        for j, (c, s) in enumerate(zip(old_clips, old_starts, strict=True)):
            if s <= t < s + c.duration_ms or (j == len(old_clips) - 1 and t == s + c.duration_ms):
                src = c.source_in_ms + (t - s) * c.speed
                for k in by_old.get(j, []):
                    n = new_clips[k]
                    if n.source_id == c.source_id and n.source_in_ms <= src <= n.source_out_ms:
                        return int(round(new_starts[k] + (src - n.source_in_ms) / n.speed))
                return None
        return None

    return where


def _retime_anchored(old: Draft, new: Draft, origin: Sequence[int | None]) -> Draft:
    where = _time_map(old, new, origin)
    end = new.duration_ms
    tracks = list(new.tracks)
    main = new.main_index
    for k, track in enumerate(tracks):
        if track.type not in (TrackType.TEXT, TrackType.VIDEO) or k == main:
            continue
        segs: list[Any] = []
        for seg in track.segments:
            if not isinstance(seg, TextSegment | OverlaySegment):
                segs.append(seg)
                continue
            start = where(seg.start_ms)
            if isinstance(seg, TextSegment) and seg.role in ("caption", "card"):
                # words that belong to the picture: they go with it and never spread to others
                if start is None:
                    continue
                last = where(seg.start_ms + seg.duration_ms - 1)
                stop = None if last is None else last + 1
                if stop is None or stop <= start or stop - start > 4 * seg.duration_ms:
                    stop = min(start + seg.duration_ms, end)
                if stop - start >= 200:
                    segs.append(replace(seg, start_ms=start, duration_ms=stop - start))
                continue
            if start is None:
                start = min(seg.start_ms, max(end - seg.duration_ms, 0))
            if start >= end:
                continue
            segs.append(replace(seg, start_ms=start, duration_ms=min(seg.duration_ms, end - start)))
        tracks[k] = replace(track, segments=tuple(segs))
    return replace(new, tracks=tuple(tracks))


def _given(op: Op, fields: tuple[str, ...], what: str) -> dict[str, Any]:
    """The fields an edit-some-fields op sets (None = leave as is); none at all is an error."""
    changes = {f: getattr(op, f) for f in fields if getattr(op, f) is not None}
    if not changes:
        raise EditError(f"nothing to change in {what}")
    return changes


def _track_index(draft: Draft, kind: TrackType, name: str) -> int | None:
    for i, t in draft.tracks_of(kind):
        if t.name == name:
            return i
    return None


def _put_segments(draft: Draft, kind: TrackType, name: str, segments: tuple[Any, ...]) -> Draft:
    """Set the segments of the track named ``name`` (created if missing, dropped if empty)."""
    i = _track_index(draft, kind, name)
    if i is None:
        if not segments:
            return draft
        return replace(draft, tracks=(*draft.tracks, Track(kind, name, segments)))
    if not segments:
        return replace(draft, tracks=tuple(t for k, t in enumerate(draft.tracks) if k != i))
    return draft.with_track(i, replace(draft.tracks[i], segments=segments))


def _segments(draft: Draft, kind: TrackType, name: str) -> tuple[Any, ...]:
    i = _track_index(draft, kind, name)
    return () if i is None else draft.tracks[i].segments


def _with_source(draft: Draft, source: Source | None) -> Draft:
    if source is None or any(s.id == source.id for s in draft.sources):
        return draft
    return replace(draft, sources=(*draft.sources, source))


MUSIC_TRACK = "Music"
TITLE_TRACK = "Text"
CAPTION_TRACK = "Captions"
OVERLAY_TRACK = "Overlays"


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

    def describe(self) -> str:
        return f"removed the {ordinal(self.index)} clip"


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

    def describe(self) -> str:
        return f"moved clip {self.index} to position {self.to}"


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

    def describe(self) -> str:
        parts = []
        for ms, end in ((self.head_ms, "start"), (self.tail_ms, "end")):
            if ms:
                parts.append(f"{'trimmed' if ms > 0 else 'extended'} {_secs(abs(ms))} at the {end}")
        return f"clip {self.index}: " + (" and ".join(parts) or "unchanged")


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

    def describe(self) -> str:
        return f"replaced clip {self.index} with another moment"


@dataclass(frozen=True, slots=True)
class InsertClip(Op):
    """Insert ``clip`` so that it becomes clip number ``index`` (len + 1 appends)."""

    index: int
    clip: VideoSegment
    name: ClassVar[str] = "insert_clip"

    def _apply(self, draft: Draft) -> Draft:
        n = len(draft.clips)
        if not 1 <= self.index <= n + 1:
            raise EditError(f"cannot insert at position {self.index}: the reel has {n} clips")
        clips = list(draft.clips)
        clips.insert(self.index - 1, self.clip)
        origin: list[int | None] = list(range(n))
        origin.insert(self.index - 1, None)
        return _with_clips(draft, clips, origin)

    def describe(self) -> str:
        what = {"replay": "a slow-motion replay", "card": "a card"}.get(self.clip.role, "a clip")
        return f"inserted {what} as clip {self.index}"


@dataclass(frozen=True, slots=True)
class SetClips(Op):
    """All clips at once (a re-selection for a new length)."""

    clips: tuple[VideoSegment, ...]
    target_ms: int = 0
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

    def describe(self) -> str:
        total = sum(c.duration_ms for c in self.clips)
        return f"re-selected {len(self.clips)} clips ({_secs(total)})"


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

    def describe(self) -> str:
        parts = []
        if self.aspect:
            parts.append(f"aspect {self.aspect}")
        if self.height:
            parts.append(f"{self.height}p")
        if self.reframe:
            parts.append(
                {"follow": "reframed to follow the action", "blur": "blurred-background fit"}.get(
                    self.reframe, "centre crop"
                )
            )
        return "set " + ", ".join(parts)


@dataclass(frozen=True, slots=True)
class SetTransition(Op):
    kind: str
    duration_ms: int = 500
    name: ClassVar[str] = "set_transition"

    def _apply(self, draft: Draft) -> Draft:
        return replace(draft, transition=self.kind, transition_ms=self.duration_ms)

    def describe(self) -> str:
        if self.kind == "cut":
            return "hard cuts between clips"
        return f"{self.kind.replace('_', ' through ')} transitions ({_secs(self.duration_ms)})"


# -- text --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AddText(Op):
    segment: TextSegment
    name: ClassVar[str] = "add_text"

    def _apply(self, draft: Draft) -> Draft:
        if self.segment.start_ms >= draft.duration_ms:
            raise EditError(
                f"the text starts at {_secs(self.segment.start_ms)}, after the reel ends "
                f"({_secs(draft.duration_ms)})"
            )
        segs = (*_segments(draft, TrackType.TEXT, TITLE_TRACK), self.segment)
        return _put_segments(draft, TrackType.TEXT, TITLE_TRACK, segs)

    def describe(self) -> str:
        s = self.segment
        label = s.role.replace("_", " ")
        return f'added {label} "{s.text}" ({_secs(s.start_ms)}-{_secs(s.end_ms)})'


def _text_index(draft: Draft, index: int, role: str | None) -> tuple[int, int]:
    """(track index, segment index) of the ``index``-th text (1-based; 0 = last) of ``role``."""
    found = [
        (k, i)
        for k, t in draft.tracks_of(TrackType.TEXT)
        for i, s in enumerate(t.segments)
        if isinstance(s, TextSegment) and (role is None or s.role == role)
        and (role == "caption" or s.role != "caption")
    ]
    what = role.replace("_", " ") if role else "text"
    if not found:
        raise EditError(f"the reel has no {what} to change")
    if index == 0:
        return found[-1]
    if not 1 <= index <= len(found):
        raise EditError(f"there is no {what} {index}: the reel has {len(found)}")
    return found[index - 1]


@dataclass(frozen=True, slots=True)
class EditText(Op):
    """Change some fields of a text (``index`` counts texts of ``role``; 1 = first)."""

    index: int = 1
    role: str | None = None
    text: str | None = None
    start_ms: int | None = None
    duration_ms: int | None = None
    position: str | None = None
    size: float | None = None
    colour: str | None = None
    box: bool | None = None
    font: str | None = None
    name: ClassVar[str] = "edit_text"

    def _apply(self, draft: Draft) -> Draft:
        k, i = _text_index(draft, self.index, self.role)
        track = draft.tracks[k]
        seg = track.segments[i]
        fields = ("text", "start_ms", "duration_ms", "position", "size", "colour", "box", "font")
        changes = _given(self, fields, "the text")
        segs = list(track.segments)
        segs[i] = replace(seg, **changes)
        return draft.with_track(k, replace(track, segments=tuple(segs)))

    def describe(self) -> str:
        what = (self.role or "text").replace("_", " ")
        if self.text is not None:
            return f'changed the {what} to "{self.text}"'
        return f"restyled the {what}"


@dataclass(frozen=True, slots=True)
class RemoveText(Op):
    index: int = 1
    role: str | None = None
    name: ClassVar[str] = "remove_text"

    def _apply(self, draft: Draft) -> Draft:
        k, i = _text_index(draft, self.index, self.role)
        track = draft.tracks[k]
        segs = tuple(s for j, s in enumerate(track.segments) if j != i)
        return _put_segments(draft, TrackType.TEXT, track.name, segs)

    def describe(self) -> str:
        return f"removed the {(self.role or 'text').replace('_', ' ')}"


@dataclass(frozen=True, slots=True)
class SetCaptions(Op):
    """Replace all captions (an empty tuple removes them)."""

    captions: tuple[TextSegment, ...]
    name: ClassVar[str] = "set_captions"

    def _apply(self, draft: Draft) -> Draft:
        end = draft.duration_ms
        caps = tuple(
            replace(c, role="caption", duration_ms=min(c.duration_ms, end - c.start_ms))
            for c in self.captions
            if c.start_ms < end - 100
        )
        return _put_segments(draft, TrackType.TEXT, CAPTION_TRACK, caps)

    def describe(self) -> str:
        if not self.captions:
            return "removed the captions"
        return f"added {len(self.captions)} caption lines"


# -- cards and overlays ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AddCard(Op):
    """An intro or outro card: a colour (or a picture) with words on it."""

    where: str  # "intro" or "outro"
    text: str = ""
    duration_ms: int = 2500
    colour: str = "#000000"
    image: Source | None = None
    name: ClassVar[str] = "add_card"

    def _apply(self, draft: Draft) -> Draft:
        if self.where not in ("intro", "outro"):
            raise EditError(f"a card goes at the intro or the outro, not {self.where!r}")
        if not 500 <= self.duration_ms <= 15000:
            raise EditError("a card lasts 0.5-15 s")
        draft = _with_source(draft, self.image)
        card = VideoSegment(
            source_id=self.image.id if self.image else None,
            source_in_ms=0,
            source_out_ms=self.duration_ms,
            role="card",
            colour=self.colour,
            reason=f"{self.where} card",
        )
        n = len(draft.clips)
        at = 1 if self.where == "intro" else n + 1
        draft = InsertClip(at, card)._apply(draft)
        if not self.text.strip():
            return draft
        start = 0 if self.where == "intro" else draft.duration_ms - self.duration_ms
        text = TextSegment(
            self.text, start, self.duration_ms, role="card", position="center", size=0.09
        )
        segs = (*_segments(draft, TrackType.TEXT, TITLE_TRACK), text)
        return _put_segments(draft, TrackType.TEXT, TITLE_TRACK, segs)

    def describe(self) -> str:
        words = f' "{self.text}"' if self.text else ""
        return f"added an {self.where} card{words} ({_secs(self.duration_ms)})"


@dataclass(frozen=True, slots=True)
class AddOverlay(Op):
    segment: OverlaySegment
    source: Source | None = None
    name: ClassVar[str] = "add_overlay"

    def _apply(self, draft: Draft) -> Draft:
        draft = _with_source(draft, self.source)
        if self.segment.start_ms >= draft.duration_ms:
            raise EditError("the picture would start after the reel ends")
        segs = (*_segments(draft, TrackType.VIDEO, OVERLAY_TRACK), self.segment)
        return _put_segments(draft, TrackType.VIDEO, OVERLAY_TRACK, segs)

    def describe(self) -> str:
        s = self.segment
        return f"added a picture ({_secs(s.start_ms)}-{_secs(s.start_ms + s.duration_ms)})"


@dataclass(frozen=True, slots=True)
class RemoveOverlay(Op):
    index: int = 1
    name: ClassVar[str] = "remove_overlay"

    def _apply(self, draft: Draft) -> Draft:
        segs = _segments(draft, TrackType.VIDEO, OVERLAY_TRACK)
        if not 1 <= self.index <= len(segs):
            raise EditError(f"there is no picture {self.index}: the reel has {len(segs)}")
        rest = tuple(s for k, s in enumerate(segs) if k != self.index - 1)
        return _put_segments(draft, TrackType.VIDEO, OVERLAY_TRACK, rest)

    def describe(self) -> str:
        return f"removed picture {self.index}"


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

    def describe(self) -> str:
        title = self.source.title if self.source else "music"
        return f"added {title} music at {self.segment.volume}%"


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

    def describe(self) -> str:
        parts = []
        if self.volume is not None:
            parts.append(f"volume {self.volume}%")
        if self.fade_in_ms is not None:
            parts.append(f"fade in {_secs(self.fade_in_ms)}")
        if self.fade_out_ms is not None:
            parts.append(f"fade out {_secs(self.fade_out_ms)}")
        if self.duck is not None:
            parts.append("ducking on" if self.duck else "ducking off")
        return "music: " + ", ".join(parts)


@dataclass(frozen=True, slots=True)
class RemoveMusic(Op):
    name: ClassVar[str] = "remove_music"

    def _apply(self, draft: Draft) -> Draft:
        if not _segments(draft, TrackType.AUDIO, MUSIC_TRACK):
            raise EditError("the reel has no music to remove")
        return _put_segments(draft, TrackType.AUDIO, MUSIC_TRACK, ())

    def describe(self) -> str:
        return "removed the music"


@dataclass(frozen=True, slots=True)
class SetOriginalVolume(Op):
    volume: int
    name: ClassVar[str] = "set_original_volume"

    def _apply(self, draft: Draft) -> Draft:
        return replace(draft, original_volume=self.volume)

    def describe(self) -> str:
        if self.volume == 0:
            return "muted the original sound"
        return f"original sound at {self.volume}%"


# -- several at once ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Batch(Op):
    """Several edits applied in order as one undoable step; all or nothing."""

    ops: tuple[Op, ...] = field(default_factory=tuple)
    name: ClassVar[str] = "batch"

    def _apply(self, draft: Draft) -> Draft:
        for op in self.ops:
            draft = op.apply(draft)
        return draft

    def describe(self) -> str:
        return "; ".join(op.describe() for op in self.ops)


OPS: dict[str, type[Op]] = {
    cls.name: cls
    for cls in (
        RemoveClip,
        MoveClip,
        TrimClip,
        ReplaceClip,
        InsertClip,
        SetClips,
        SetFormat,
        SetTransition,
        AddText,
        EditText,
        RemoveText,
        SetCaptions,
        AddCard,
        AddOverlay,
        RemoveOverlay,
        SetMusic,
        EditMusic,
        RemoveMusic,
        SetOriginalVolume,
        Batch,
    )
}
