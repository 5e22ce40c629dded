"""The base of every edit and the helpers edits share: clip numbers, the named tracks, keeping
text anchored to the picture when clips change."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from reelcut.errors import EditError
from reelcut.timeline.changes import (
    Change,
)
from reelcut.timeline.model import (
    Draft,
    OverlaySegment,
    Source,
    TextSegment,
    Track,
    TrackType,
    VideoSegment,
)
from reelcut.timeline.validate import validate


def _secs(ms: int) -> str:
    return f"{ms / 1000:g}s"


class Op:
    """Base of every edit. ``apply`` returns a new, validated draft; ``changes`` says what it
    changes, as values."""

    name: ClassVar[str] = "op"

    def apply(self, draft: Draft) -> Draft:
        new = self._apply(draft)
        validate(new)
        return new

    def _apply(self, draft: Draft) -> Draft:
        raise NotImplementedError

    def changes(self) -> tuple[Change, ...]:
        """What this edit changes, as values (:mod:`reelcut.timeline.changes`); each language
        writes its own words from them."""
        raise NotImplementedError


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


def _text_index(draft: Draft, index: int, role: str | None) -> tuple[int, int]:
    """(track index, segment index) of the ``index``-th text (1-based; 0 = last) of ``role``."""
    found = [
        (k, i)
        for k, t in draft.tracks_of(TrackType.TEXT)
        for i, s in enumerate(t.segments)
        if isinstance(s, TextSegment)
        and (role is None or s.role == role)
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

    def changes(self) -> tuple[Change, ...]:
        return tuple(c for op in self.ops for c in op.changes())
