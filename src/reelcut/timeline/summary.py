"""The draft at a glance, as values: one :class:`TrackLine` per track a person would check (the
video's clips, the music, each title or card, the captions, the original sound's level).

Chat replies and ``reelcut show`` write these in words, each in its language
(:mod:`reelcut.instructions.reply`); nothing here is a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

from reelcut.timeline.model import AudioSegment, Draft, TextSegment, TrackType


class TrackLine:
    """Base of the summary's lines (the kinds below carry the values)."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class VideoLine(TrackLine):
    clips: int  # cards are not counted as clips
    end_ms: int
    aspect: str | None  # None: the source's shape
    replays: int = 0
    cards: int = 0


@dataclass(frozen=True, slots=True)
class PicturesLine(TrackLine):
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class MusicLine(TrackLine):
    title: str
    start_ms: int
    end_ms: int
    volume: int


@dataclass(frozen=True, slots=True)
class SoundsLine(TrackLine):
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class CaptionsLine(TrackLine):
    count: int


@dataclass(frozen=True, slots=True)
class TextLine(TrackLine):
    role: str  # "title" | "card" | "lower_third" | other: free text
    text: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True, slots=True)
class OriginalSoundLine(TrackLine):
    volume: int  # 0: muted


def tracks(draft: Draft) -> list[TrackLine]:
    """One line per track, in track order (a music track or a text track gives one line per
    segment), then the original sound's level when it is not 100%."""
    lines: list[TrackLine] = []
    end = draft.duration_ms
    main = draft.main_index
    for k, track in enumerate(draft.tracks):
        segs = track.segments
        if not segs and k != main:
            continue
        if k == main:
            clips = draft.clips
            lines.append(
                VideoLine(
                    clips=sum(1 for c in clips if c.role != "card"),
                    end_ms=end,
                    aspect=None if draft.aspect == "source" else draft.aspect,
                    replays=sum(1 for c in clips if c.role == "replay"),
                    cards=sum(1 for c in clips if c.role == "card"),
                )
            )
        elif track.type == TrackType.VIDEO:
            lines.append(PicturesLine(track.name, len(segs)))
        elif track.type == TrackType.AUDIO and track.name == "Music":
            for seg in segs:
                assert isinstance(seg, AudioSegment)
                src = draft.source(seg.source_id)
                stop = end if seg.duration_ms is None else seg.start_ms + seg.duration_ms
                lines.append(MusicLine(src.title or src.path, seg.start_ms, stop, seg.volume))
        elif track.type == TrackType.AUDIO:
            lines.append(SoundsLine(track.name, len(segs)))
        else:
            texts = [s for s in segs if isinstance(s, TextSegment)]
            if track.name == "Captions":
                lines.append(CaptionsLine(len(texts)))
                continue
            lines.extend(TextLine(t.role, t.text, t.start_ms, t.end_ms) for t in texts)
    if draft.original_volume != 100:
        lines.append(OriginalSoundLine(draft.original_volume))
    return lines
