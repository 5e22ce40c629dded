"""What an edit changed, as values: which clip, which text, which number.

Ops say what they did with :meth:`reelcut.timeline.ops.Op.changes` and the draft says what it
holds with :func:`reelcut.timeline.summary.tracks`; both are data, never sentences, so each
language writes its own words from them (:mod:`reelcut.instructions.reply`) and nothing has to
translate English back out of a string. Clip and picture numbers are 1-based, as people count.
"""

from __future__ import annotations

from dataclasses import dataclass


class Change:
    """Base of every change (a marker: the kinds below carry the values)."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class ClipRemoved(Change):
    clip: int


@dataclass(frozen=True, slots=True)
class ClipMoved(Change):
    clip: int
    to: int


@dataclass(frozen=True, slots=True)
class ClipTrimmed(Change):
    """Positive ``head_ms``/``tail_ms`` were cut off; negative ones were added."""

    clip: int
    head_ms: int
    tail_ms: int


@dataclass(frozen=True, slots=True)
class ClipReplaced(Change):
    clip: int


@dataclass(frozen=True, slots=True)
class ClipInserted(Change):
    clip: int
    role: str  # "clip" | "replay" | "card"


@dataclass(frozen=True, slots=True)
class ClipsPicked(Change):
    """The clips were picked again (a new length)."""

    count: int
    duration_ms: int


@dataclass(frozen=True, slots=True)
class TopicKept(Change):
    """The reel became the part of the footage that talks about ``topic`` (source times)."""

    topic: str
    source_in_ms: int
    source_out_ms: int


@dataclass(frozen=True, slots=True)
class ReelMade(Change):
    """A first reel was made from the footage."""

    count: int
    duration_ms: int
    asked_ms: int | None = None  # the length asked for, when the footage allowed less


@dataclass(frozen=True, slots=True)
class FormatSet(Change):
    aspect: str | None = None
    height: int | None = None
    reframe: str | None = None  # "follow" | "blur" | "center"


@dataclass(frozen=True, slots=True)
class TransitionSet(Change):
    kind: str  # "cut" | "crossfade" | "fade_black"
    duration_ms: int


@dataclass(frozen=True, slots=True)
class TextAdded(Change):
    role: str  # "title" | "caption" | "card" | "lower_third" | "text"
    text: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True, slots=True)
class TextChanged(Change):
    role: str
    text: str | None  # None: only its look or timing changed


@dataclass(frozen=True, slots=True)
class TextRemoved(Change):
    role: str


@dataclass(frozen=True, slots=True)
class CaptionsSet(Change):
    count: int  # 0: the captions were removed


@dataclass(frozen=True, slots=True)
class CaptionEdited(Change):
    """Caption line ``index`` (1-based, as listed) now says ``text`` from ``start_ms`` to
    ``end_ms`` (reel time)."""

    index: int  # 0: the last line
    text: str | None  # None: unchanged
    start_ms: int | None
    end_ms: int | None


@dataclass(frozen=True, slots=True)
class CardAdded(Change):
    where: str  # "intro" | "outro"
    text: str
    duration_ms: int


@dataclass(frozen=True, slots=True)
class PictureAdded(Change):
    start_ms: int
    end_ms: int


@dataclass(frozen=True, slots=True)
class PictureRemoved(Change):
    picture: int


@dataclass(frozen=True, slots=True)
class MusicSet(Change):
    title: str | None  # the track's name ("Lo-fi"), None when it has none
    volume: int


@dataclass(frozen=True, slots=True)
class MusicChanged(Change):
    """Only the fields that were set are given."""

    volume: int | None = None
    fade_in_ms: int | None = None
    fade_out_ms: int | None = None
    duck: bool | None = None


@dataclass(frozen=True, slots=True)
class MusicRemoved(Change):
    pass


@dataclass(frozen=True, slots=True)
class OriginalVolumeSet(Change):
    volume: int  # 0: muted
