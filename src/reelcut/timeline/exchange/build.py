"""One OpenTimelineIO timeline from a draft, shaped by what the target format can hold.

Each format module (:mod:`.otio`, :mod:`.fcpxml`, :mod:`.fcp7`, :mod:`.edl`) describes its
format as a :class:`Flavour`, builds the timeline here, then hands it to its OpenTimelineIO
adapter and fixes what the adapter gets wrong. Track 1 is the reel (clips, cards, slow-motion
replays), then one audio track per lane of music, then overlay tracks; each item's
``metadata["reelcut"]`` keeps what the draft knew about it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import opentimelineio as otio

from reelcut.timeline.exchange.frames import Cut, cut_list, ms_to_frames, reel_frame, reel_rate
from reelcut.timeline.model import (
    SCHEMA,
    AudioSegment,
    Draft,
    OverlaySegment,
    Source,
    TextSegment,
    TrackType,
    VideoSegment,
)

RT = otio.opentime.RationalTime
TR = otio.opentime.TimeRange
Range = Callable[[int, int], otio.opentime.TimeRange]  # (start frame, frames) -> range


@dataclass(frozen=True, slots=True)
class Flavour:
    """What one format can hold, so one builder serves all four."""

    name: str
    url: str  # "file": file:// URLs; "path": plain absolute paths
    # a card's picture from its colour ("#rrggbb") and range; None: cards become gaps
    card: Callable[[str, otio.opentime.TimeRange], otio.schema.GeneratorReference] | None
    speed: bool  # True: LinearTimeWarp; False: the source range at normal speed, then a gap
    texts: (
        str  # "track": markers on the video track; "stack": sequence markers; "": the format's own
    )
    extra_tracks: bool  # music and overlays
    rate: Fraction | None = None  # time the timeline at this rate instead (fcpxml)
    gap_start_frames: int = 0  # where a gap's own clock starts (fcpxml: 3600 s)
    clip_metadata: Callable[[VideoSegment], dict[str, Any]] | None = None  # format's own, per clip
    text_metadata: Callable[[TextSegment], dict[str, Any]] | None = None  # format's own, per marker


def build_timeline(
    draft: Draft, flavour: Flavour, stems: Path | None = None
) -> otio.schema.Timeline:
    """The draft as a timeline for ``flavour``. Built-in music links to a file of
    :func:`music_stem_name` in ``stems`` (the XML formats need a file), or with ``stems`` None
    is a ``MissingReference`` named after its mood."""
    true_rate = reel_rate(draft)
    cuts = cut_list(draft, true_rate)
    rate = float(flavour.rate or true_rate)
    total = sum(c.record_frames for c in cuts)

    def tr(start: int, frames: int) -> otio.opentime.TimeRange:
        return TR(RT(start, rate), RT(frames, rate))

    timeline = otio.schema.Timeline(name=str(draft.meta.get("title") or "reelcut reel"))
    timeline.metadata["reelcut"] = {
        "schema": SCHEMA,
        "rate": str(true_rate),
        "duration_ms": draft.duration_ms,
        "aspect": draft.aspect,
        "output_size": list(draft.output_size()),
        "transition": draft.transition,
        "transition_ms": draft.transition_ms,
        "original_volume": draft.original_volume,
        "target_ms": draft.target_ms,
    }

    video = otio.schema.Track(name="Reel", kind=otio.schema.TrackKind.Video)
    for c in cuts:
        for item in _cut_items(c, flavour, tr, true_rate):
            video.append(item)
    timeline.tracks.append(video)

    if flavour.texts:
        owner = video if flavour.texts == "track" else timeline.tracks
        for t in sorted(draft.texts, key=lambda t: t.start_ms):
            start = reel_frame(t.start_ms, cuts, true_rate)
            length = max(reel_frame(t.end_ms, cuts, true_rate) - start, 1)
            owner.markers.append(text_marker(t, tr(start, length), flavour))

    if flavour.extra_tracks:
        for track in _audio_tracks(draft, cuts, true_rate, total, flavour, tr, stems):
            timeline.tracks.append(track)
        for track in _overlay_tracks(draft, cuts, true_rate, flavour, tr):
            timeline.tracks.append(track)
    return timeline


def _cut_items(c: Cut, flavour: Flavour, tr: Range, rate: Fraction) -> list[otio.core.Item]:
    seg = c.segment
    meta: dict[str, Any] = {
        "index": c.index,
        "role": seg.role,
        "score": seg.score,
        "reason": seg.reason,
        "speed": seg.speed,
        "source_id": seg.source_id,
        "source_in_ms": seg.source_in_ms,
        "source_out_ms": seg.source_out_ms,
        "peak_ms": seg.peak_ms,
    }
    if c.source is None:
        meta["colour"] = seg.colour
        return [_card(c, flavour, tr, meta)]

    name = f"{c.index:02d} {c.source.title or _basename(c.source.path)}"
    ref = _reference(c.source, flavour, tr, rate)
    if seg.speed == 1 or flavour.speed:
        clip = otio.schema.Clip(
            name=name, media_reference=ref, source_range=tr(c.in_frame, c.record_frames)
        )
        if seg.speed != 1:
            clip.effects.append(
                otio.schema.LinearTimeWarp(name=f"Speed {seg.speed:.0%}", time_scalar=seg.speed)
            )
        clip.metadata["reelcut"] = meta
        if flavour.clip_metadata:
            clip.metadata.update(flavour.clip_metadata(seg))
        return [clip]
    # No speed effect in this format: keep the right source frames and the timeline's length.
    used = c.out_frame - c.in_frame
    clip = otio.schema.Clip(
        name=f"{name} (speed {seg.speed:.0%})",
        media_reference=ref,
        source_range=tr(c.in_frame, min(used, c.record_frames)),
    )
    clip.metadata["reelcut"] = meta
    items: list[otio.core.Item] = [clip]
    if c.record_frames > used:
        items.append(_gap(flavour, tr, c.record_frames - used))
    return items


def _card(c: Cut, flavour: Flavour, tr: Range, meta: dict[str, Any]) -> otio.core.Item:
    name = f"{c.index:02d} Card"
    if flavour.card is None:
        gap = _gap(flavour, tr, c.record_frames, name)
        gap.metadata["reelcut"] = meta
        return gap
    rng = tr(0, c.record_frames)
    ref = flavour.card(c.segment.colour, rng)
    clip = otio.schema.Clip(name=name, media_reference=ref, source_range=rng)
    clip.metadata["reelcut"] = meta
    if flavour.clip_metadata:
        clip.metadata.update(flavour.clip_metadata(c.segment))
    return clip


def _reference(
    source: Source, flavour: Flavour, tr: Range, rate: Fraction
) -> otio.core.MediaReference:
    available = tr(0, ms_to_frames(source.duration_ms, rate)) if source.duration_ms else None
    if source.kind == "music":
        return otio.schema.MissingReference(
            name=f"reelcut music: {source.path}",
            available_range=available,
            metadata={"reelcut": {"generated_music": source.path}},
        )
    return otio.schema.ExternalReference(
        target_url=locate(source.path, flavour),
        available_range=available,
    )


def _gap(flavour: Flavour, tr: Range, frames: int, name: str = "") -> otio.schema.Gap:
    return otio.schema.Gap(name=name, source_range=tr(flavour.gap_start_frames, frames))


def _audio_tracks(
    draft: Draft,
    cuts: list[Cut],
    rate: Fraction,
    total: int,
    flavour: Flavour,
    tr: Range,
    stems: Path | None,
) -> list[otio.schema.Track]:
    lanes: list[tuple[otio.schema.Track, list[int]]] = []  # track, [end frame]
    for seg in sorted(draft.audio, key=lambda a: a.start_ms):
        source = draft.source(seg.source_id)
        start = reel_frame(seg.start_ms, cuts, rate)
        end = (
            total
            if seg.duration_ms is None
            else reel_frame(seg.start_ms + seg.duration_ms, cuts, rate)
        )
        if end <= start:
            continue
        lane = next((lane for lane in lanes if lane[1][0] <= start), None)
        if lane is None:
            track = otio.schema.Track(
                name=f"Music {len(lanes) + 1}", kind=otio.schema.TrackKind.Audio
            )
            lane = (track, [0])
            lanes.append(lane)
        track, end_box = lane
        if start > end_box[0]:
            track.append(otio.schema.Gap(source_range=tr(0, start - end_box[0])))
        if source.kind == "music" and stems is not None:
            # The XML formats need a file; the editor relinks this name to the exported stem.
            ref: otio.core.MediaReference = otio.schema.ExternalReference(
                target_url=locate(str(stems / music_stem_name(source)), flavour),
                available_range=tr(0, end - start),
            )
        else:
            ref = _reference(source, flavour, tr, rate)
        name = f"Music: {source.title or _basename(source.path)}"
        clip = otio.schema.Clip(
            name=name,
            media_reference=ref,
            source_range=tr(ms_to_frames(seg.source_in_ms, rate), end - start),
        )
        clip.metadata["reelcut"] = _audio_meta(seg, source)
        track.append(clip)
        end_box[0] = end
    return [lane[0] for lane in lanes]


def music_stem_name(source: Source) -> str:
    """The file name the XML exports link built-in music to (render it there, or relink)."""
    mood = re.sub(r"[^A-Za-z0-9]+", "-", source.path).strip("-").lower() or "music"
    return f"reelcut-music-{mood}.wav"


def _audio_meta(seg: AudioSegment, source: Source) -> dict[str, Any]:
    return {
        "source_id": seg.source_id,
        "kind": source.kind,
        "start_ms": seg.start_ms,
        "duration_ms": seg.duration_ms,
        "source_in_ms": seg.source_in_ms,
        "volume": seg.volume,
        "fade_in_ms": seg.fade_in_ms,
        "fade_out_ms": seg.fade_out_ms,
        "loop": seg.loop,
        "duck": seg.duck,
    }


def _overlay_tracks(
    draft: Draft, cuts: list[Cut], rate: Fraction, flavour: Flavour, tr: Range
) -> list[otio.schema.Track]:
    tracks = []
    main = draft.main_index
    for i, track in draft.tracks_of(TrackType.VIDEO):
        overlays = [s for s in track.segments if isinstance(s, OverlaySegment)]
        if i == main or not overlays:
            continue
        out = otio.schema.Track(name=track.name or "Overlay", kind=otio.schema.TrackKind.Video)
        at = 0
        for seg in sorted(overlays, key=lambda s: s.start_ms):
            start = max(reel_frame(seg.start_ms, cuts, rate), at)
            end = reel_frame(seg.start_ms + seg.duration_ms, cuts, rate)
            if end <= start:
                continue
            if start > at:
                out.append(otio.schema.Gap(source_range=tr(0, start - at)))
            source = draft.source(seg.source_id)
            ref = otio.schema.ExternalReference(
                target_url=locate(source.path, flavour), available_range=tr(0, end - start)
            )
            clip = otio.schema.Clip(
                name=f"Overlay: {source.title or _basename(source.path)}",
                media_reference=ref,
                source_range=tr(0, end - start),
            )
            clip.metadata["reelcut"] = {
                "source_id": seg.source_id,
                "x": seg.x,
                "y": seg.y,
                "width": seg.width,
                "opacity": seg.opacity,
                "fade_ms": seg.fade_ms,
            }
            out.append(clip)
            at = end
        tracks.append(out)
    return tracks


def text_marker(
    t: TextSegment, rng: otio.opentime.TimeRange, flavour: Flavour
) -> otio.schema.Marker:
    """A text segment as a marker (no format here can show words on the picture)."""
    marker = otio.schema.Marker(name=t.text, marked_range=rng, color=otio.schema.MarkerColor.PURPLE)
    marker.metadata["reelcut"] = {
        "role": t.role,
        "position": t.position,
        "start_ms": t.start_ms,
        "duration_ms": t.duration_ms,
        "size": t.size,
        "colour": t.colour,
        "font": t.font,
    }
    if flavour.text_metadata:
        marker.metadata.update(flavour.text_metadata(t))
    return marker


def item_at(video: otio.schema.Track, frame: int) -> otio.core.Item:
    """The item of ``video`` that timeline frame ``frame`` falls in (the last one past the end)."""
    for item in video:
        rng = video.range_of_child(item)
        first = int(rng.start_time.to_frames())
        if first <= frame < first + int(rng.duration.to_frames()) or item is video[-1]:
            return item
    raise ValueError("an empty track has no items")


def locate(path: str, flavour: Flavour) -> str:
    absolute = os.path.abspath(path)
    if flavour.url == "path":
        return absolute
    return Path(absolute).as_uri()


def _basename(path: str) -> str:
    return os.path.basename(path) or path


def one_line(text: str) -> str:
    return " ".join(text.split())
