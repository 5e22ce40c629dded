"""Words and pictures on the reel: titles and other text, captions, intro/outro cards, overlays."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from reelcut.errors import EditError
from reelcut.timeline.changes import (
    CaptionEdited,
    CaptionsSet,
    CardAdded,
    Change,
    PictureAdded,
    PictureRemoved,
    TextAdded,
    TextChanged,
    TextRemoved,
)
from reelcut.timeline.model import (
    Draft,
    OverlaySegment,
    Source,
    TextSegment,
    TrackType,
    VideoSegment,
)
from reelcut.timeline.ops.base import (
    CAPTION_TRACK,
    OVERLAY_TRACK,
    TITLE_TRACK,
    Op,
    _given,
    _put_segments,
    _secs,
    _segments,
    _text_index,
    _with_source,
)
from reelcut.timeline.ops.clips import InsertClip

# -- text --------------------------------------------------------------------------------------


def _without_titles(draft: Draft) -> Draft:
    """The draft with no title: a reel has one, so setting it again replaces it."""
    for _, track in reversed(list(draft.tracks_of(TrackType.TEXT))):
        kept = tuple(
            s for s in track.segments if not (isinstance(s, TextSegment) and s.role == "title")
        )
        if len(kept) != len(track.segments):
            draft = _put_segments(draft, TrackType.TEXT, track.name, kept)
    return draft


@dataclass(frozen=True, slots=True)
class AddText(Op):
    """Put words on the picture. A title replaces the reel's title, if it has one; other texts
    (lower thirds, free text) are added beside what is there."""

    segment: TextSegment
    name: ClassVar[str] = "add_text"

    def _apply(self, draft: Draft) -> Draft:
        if self.segment.start_ms >= draft.duration_ms:
            raise EditError(
                f"the text starts at {_secs(self.segment.start_ms)}, after the reel ends "
                f"({_secs(draft.duration_ms)})"
            )
        if self.segment.role == "title":
            draft = _without_titles(draft)
        segs = (*_segments(draft, TrackType.TEXT, TITLE_TRACK), self.segment)
        return _put_segments(draft, TrackType.TEXT, TITLE_TRACK, segs)

    def changes(self) -> tuple[Change, ...]:
        s = self.segment
        return (TextAdded(s.role, s.text, s.start_ms, s.end_ms),)


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

    def changes(self) -> tuple[Change, ...]:
        return (TextChanged(self.role or "text", self.text),)


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

    def changes(self) -> tuple[Change, ...]:
        return (TextRemoved(self.role or "text"),)


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

    def changes(self) -> tuple[Change, ...]:
        return (CaptionsSet(len(self.captions)),)


def caption_lines(draft: Draft) -> list[TextSegment]:
    """The caption lines as people read them, in time order: the highlight style's per-word
    colour layers (drawn over a line, no box of their own) are not lines."""
    return sorted(
        (s for s in _segments(draft, TrackType.TEXT, CAPTION_TRACK) if s.box),
        key=lambda s: (s.start_ms, s.end_ms),
    )


@dataclass(frozen=True, slots=True)
class EditCaption(Op):
    """Fix caption line ``index`` (1-based, in time order; 0 = the last): its words, its times
    (reel ms), or both. A highlight-style line whose words or times change loses its word-by-
    word colouring (the words it was timed for are gone) and shows as one line."""

    index: int
    text: str | None = None
    start_ms: int | None = None
    end_ms: int | None = None
    name: ClassVar[str] = "edit_caption"

    def _apply(self, draft: Draft) -> Draft:
        lines = caption_lines(draft)
        if not lines:
            raise EditError("the reel has no captions to change")
        if not 0 <= self.index <= len(lines):
            raise EditError(f"there is no caption {self.index}: the reel has {len(lines)}")
        old = lines[self.index - 1] if self.index else lines[-1]
        if self.text is None and self.start_ms is None and self.end_ms is None:
            raise EditError("say what to change in the caption: its text, start or end")
        said = self.text.split("\n") if self.text is not None else []
        text = old.text if self.text is None else "\n".join(" ".join(ln.split()) for ln in said)
        text = text.strip("\n")
        if not text:
            raise EditError("a caption needs words (remove the captions to have none)")
        start = old.start_ms if self.start_ms is None else self.start_ms
        end = old.end_ms if self.end_ms is None else self.end_ms
        if start < 0 or end <= start or end > draft.duration_ms:
            raise EditError(
                f"a caption shows within the reel (0-{_secs(draft.duration_ms)}), "
                f"not {_secs(start)}-{_secs(end)}"
            )
        new = replace(old, text=text, start_ms=start, duration_ms=end - start)
        caps = tuple(
            new if s is old else s
            for s in _segments(draft, TrackType.TEXT, CAPTION_TRACK)
            if s.box or not old.start_ms <= s.start_ms < s.end_ms <= old.end_ms
        )  # the word-colour layers drawn over this line go with its old words
        return _put_segments(draft, TrackType.TEXT, CAPTION_TRACK, caps)

    def changes(self) -> tuple[Change, ...]:
        return (CaptionEdited(self.index, self.text, self.start_ms, self.end_ms),)


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

    def changes(self) -> tuple[Change, ...]:
        return (CardAdded(self.where, self.text, self.duration_ms),)


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

    def changes(self) -> tuple[Change, ...]:
        s = self.segment
        return (PictureAdded(s.start_ms, s.start_ms + s.duration_ms),)


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

    def changes(self) -> tuple[Change, ...]:
        return (PictureRemoved(self.index),)
