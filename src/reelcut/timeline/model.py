"""The draft: a highlight reel as pure data (tracks of segments), the thing every edit changes.

Like OpenTimelineIO's model it holds no I/O and no FFmpeg: render and export read it, ops make
new drafts from old ones. Times are integer milliseconds (exact, no float drift); the renderer
rounds them to whole frames and samples of the output rate.

Tracks follow the hosted editors' numbering: video (0), audio (1), text (7). The first video track
is the reel itself, a sequence of clips whose timeline starts follow from their order; further
video tracks hold overlays (pictures) at explicit times. Audio and text segments carry explicit
starts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from enum import IntEnum
from fractions import Fraction

from reelcut.geometry import even

SCHEMA = "reelcut.draft/1"


class TrackType(IntEnum):
    VIDEO = 0
    AUDIO = 1
    TEXT = 7


ASPECTS: dict[str, Fraction | None] = {
    "source": None,
    "16:9": Fraction(16, 9),
    "9:16": Fraction(9, 16),
    "1:1": Fraction(1, 1),
    "4:5": Fraction(4, 5),
}
HEIGHTS = (360, 480, 720, 1080)  # named output sizes (the shorter side, in lines)
SOURCE_HEIGHT = 0  # a draft's height meaning "the footage's own, capped at MAX_SOURCE_HEIGHT"
MAX_SOURCE_HEIGHT = 1080
REFRAME_MODES = ("follow", "blur", "center")  # filling a narrower aspect
TRANSITIONS = ("cut", "crossfade", "fade_black")
SOURCE_KINDS = ("video", "image", "audio", "music")
CLIP_ROLES = ("clip", "replay", "card")
TEXT_ROLES = ("title", "lower_third", "caption", "card", "text")
TEXT_POSITIONS = ("top", "center", "bottom", "lower_third")
FONT_NAMES = ("sans", "serif", "mono")  # or a path to a .ttf/.otf/.ttc file
MIN_CLIP_MS = 200
SPEED_RANGE = (0.25, 4.0)
VOLUME_RANGE = (0, 400)  # percent of the source's level


@dataclass(frozen=True, slots=True)
class Source:
    """A file (or a generated music mood) that segments cut from."""

    id: str
    kind: str  # one of SOURCE_KINDS
    path: str  # a file path; for kind "music" the mood name of the built-in library
    duration_ms: int  # 0: any length (images, generated music)
    width: int = 0
    height: int = 0
    has_audio: bool = False
    title: str = ""  # shown in summaries ("Lo-fi", "game.mp4")
    rate: str = ""  # frame rate as a fraction ("30000/1001"); "" for stills and sound


@dataclass(frozen=True, slots=True)
class VideoSegment:
    """One piece of the reel on the main video track (a clip, a slow-motion replay or a card)."""

    source_id: str | None  # None: a plain colour card
    source_in_ms: int
    source_out_ms: int
    speed: float = 1.0  # 0.5: half-speed slow motion
    role: str = "clip"  # one of CLIP_ROLES
    colour: str = "#000000"  # cards without a picture
    score: float = 0.0
    reason: str = ""
    peak_ms: int | None = None  # the moment of the clip, in source time

    @property
    def duration_ms(self) -> int:
        return int(round((self.source_out_ms - self.source_in_ms) / self.speed))


@dataclass(frozen=True, slots=True)
class OverlaySegment:
    """A picture over the reel at a place and time (a logo, a sticker)."""

    source_id: str
    start_ms: int
    duration_ms: int
    x: float = 0.85  # centre, as shares of the frame
    y: float = 0.15
    width: float = 0.2  # share of the frame width
    opacity: float = 1.0
    fade_ms: int = 300


@dataclass(frozen=True, slots=True)
class AudioSegment:
    """Music (or any added sound) under the reel."""

    source_id: str
    start_ms: int = 0
    duration_ms: int | None = None  # None: to the end of the reel
    source_in_ms: int = 0
    volume: int = 100  # percent of the source's level
    fade_in_ms: int = 1000
    fade_out_ms: int = 2000
    loop: bool = True  # repeat a short file to fill the span
    duck: bool = True  # dip under the original sound's loud moments (speech, crowd)


@dataclass(frozen=True, slots=True)
class TextSegment:
    """Words on screen: a title, a lower third, a caption line."""

    text: str
    start_ms: int
    duration_ms: int
    role: str = "title"  # one of TEXT_ROLES
    position: str = "center"  # one of TEXT_POSITIONS
    size: float = 0.07  # letter height as a share of the frame height
    colour: str = "#ffffff"
    box: bool = False
    box_colour: str = "#000000@0.55"
    outline: float = 0.003  # outline width as a share of the frame height
    outline_colour: str = "#000000"
    font: str = "sans"
    fade_ms: int = 300

    @property
    def end_ms(self) -> int:
        return self.start_ms + self.duration_ms


Segment = VideoSegment | OverlaySegment | AudioSegment | TextSegment


@dataclass(frozen=True, slots=True)
class Track:
    type: TrackType
    name: str
    segments: tuple[Segment, ...] = ()


@dataclass(frozen=True, slots=True)
class Draft:
    """The whole edit. Build new ones with ops; never mutate (frozen)."""

    sources: tuple[Source, ...]
    tracks: tuple[Track, ...]
    aspect: str = "source"  # one of ASPECTS
    height: int = SOURCE_HEIGHT  # the output's shorter side in lines; 0: the footage's own
    reframe: str = "follow"  # one of REFRAME_MODES
    transition: str = "cut"  # one of TRANSITIONS
    transition_ms: int = 500
    original_volume: int = 100  # percent; 0 mutes the footage's own sound
    target_ms: int = 0  # the length that was asked for (selection aims at it)
    meta: dict[str, object] = field(default_factory=dict)

    # -- reading -----------------------------------------------------------------------------

    def source(self, source_id: str) -> Source:
        for s in self.sources:
            if s.id == source_id:
                return s
        raise KeyError(source_id)

    @property
    def main_index(self) -> int:
        for i, t in enumerate(self.tracks):
            if t.type == TrackType.VIDEO:
                return i
        raise ValueError("the draft has no video track")

    @property
    def clips(self) -> tuple[VideoSegment, ...]:
        segs = self.tracks[self.main_index].segments
        return tuple(s for s in segs if isinstance(s, VideoSegment))

    def clip_starts_ms(self) -> list[int]:
        starts, t = [], 0
        for c in self.clips:
            starts.append(t)
            t += c.duration_ms
        return starts

    @property
    def duration_ms(self) -> int:
        return sum(c.duration_ms for c in self.clips)

    def tracks_of(self, kind: TrackType) -> Iterator[tuple[int, Track]]:
        for i, t in enumerate(self.tracks):
            if t.type == kind:
                yield i, t

    @property
    def texts(self) -> tuple[TextSegment, ...]:
        return tuple(
            s for _, t in self.tracks_of(TrackType.TEXT) for s in t.segments
            if isinstance(s, TextSegment)
        )

    @property
    def audio(self) -> tuple[AudioSegment, ...]:
        return tuple(
            s for _, t in self.tracks_of(TrackType.AUDIO) for s in t.segments
            if isinstance(s, AudioSegment)
        )

    @property
    def overlays(self) -> tuple[OverlaySegment, ...]:
        main = self.main_index
        return tuple(
            s for i, t in self.tracks_of(TrackType.VIDEO) if i != main for s in t.segments
            if isinstance(s, OverlaySegment)
        )

    def with_track(self, index: int, track: Track) -> Draft:
        tracks = list(self.tracks)
        tracks[index] = track
        return replace(self, tracks=tuple(tracks))

    def output_size(self) -> tuple[int, int]:
        """Output (width, height) in even pixels: ``height`` is the shorter side.

        At :data:`SOURCE_HEIGHT` (the default) the shorter side is the first video source's own,
        at most :data:`MAX_SOURCE_HEIGHT`: a 720p recording makes a 720p reel, never an upscaled
        one, and a 4K one a 1080p reel. Any other height is the one asked for.
        """
        first = next((s for s in self.sources if s.kind == "video" and s.height), None)
        ratio = ASPECTS.get(self.aspect)
        if ratio is None:
            ratio = Fraction(first.width, first.height) if first else Fraction(16, 9)
        short: Fraction | int = self.height
        if short == SOURCE_HEIGHT:
            own = min(first.width, first.height) if first else MAX_SOURCE_HEIGHT
            short = min(own, MAX_SOURCE_HEIGHT)
        if ratio >= 1:
            w, h = short * ratio, Fraction(short)
        else:
            w, h = Fraction(short), short / ratio
        return even(w), even(h)


def empty_draft(sources: tuple[Source, ...] = ()) -> Draft:
    return Draft(sources=sources, tracks=(Track(TrackType.VIDEO, "Video"),))
