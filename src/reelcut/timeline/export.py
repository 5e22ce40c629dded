"""Export the draft for a person to finish the cut in their own editor, through OpenTimelineIO.

Four formats, each written by its OpenTimelineIO adapter (see :data:`FORMATS`): OpenTimelineIO
JSON, FCPXML (Final Cut Pro X, DaVinci Resolve), FCP7 XML (Premiere Pro, Resolve, Avid via
import) and a CMX3600 EDL. The draft's integer ms become whole frames at the reel's rate (the
first video source's ``rate``, capped at 60 like the renderer; 30 when there is none):

* a clip's source in and out are each rounded to the nearest frame; its length on the timeline
  is ``out - in`` (slow motion: that divided by the speed, rounded), and clips follow each other,
  so the timeline's length is exactly the sum of its clips and no cut drifts. Text and music are
  placed relative to the clip they start in, so a title set on a clip's first frame stays there.
* source files are linked by absolute path (a ``file://`` URL in OTIO JSON and the XML formats, a
  plain path in the EDL's comments). Missing files do not stop an export: editors relink.

What each format keeps (the adapters set the limits):

=========  =========================================================================================
otio       everything: clips, cards (``SolidColor`` generators), slow motion (``LinearTimeWarp``),
           music on an audio track (built-in music as a ``MissingReference`` named after its mood),
           overlays on upper video tracks, text as markers, all segment metadata under ``reelcut``
fcpxml     clips, music and overlays in lanes, text as markers on the clip it starts in; cards are
           gaps; slow motion is the replay's source range at normal speed followed by a gap as long
           as the rest of the slowed clip (set the speed in the editor; a sped-up clip keeps only
           its first timeline-length of source), no metadata
fcp7       clips, cards as Color generators, music and overlays on their own tracks, text as
           sequence markers; slow motion as in fcpxml
edl        the main video track only (an EDL holds one video track): clips, cards as black (BL)
           events, slow motion as M2 lines; music, overlays and texts are dropped, texts and each
           clip's score and reason survive as comments
=========  =========================================================================================
"""

from __future__ import annotations

import math
import os
import re
import urllib.parse
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import opentimelineio as otio

from reelcut.errors import InvalidArgumentError
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

FORMATS: dict[str, tuple[str, str]] = {
    "otio": ("otio_json", ".otio"),
    "fcpxml": ("fcpx_xml", ".fcpxml"),
    "fcp7": ("fcp_xml", ".xml"),
    "edl": ("cmx_3600", ".edl"),
}
DEFAULT_RATE = Fraction(30)  # the renderer's rate when no source says one
MAX_RATE = Fraction(60)
_FCPX_PROXY_RATE = 25  # the fcpx_xml adapter only knows a few rates and times them as floats
_FCPX_GAP_START_S = 3600  # the fcpx_xml adapter starts every gap's own time at 3600 s
_TIME_ATTR = re.compile(r'\b(offset|start|duration)="([^"]*)"')
_RATE_COMMENT = "REELCUT RATE"

RT = otio.opentime.RationalTime
TR = otio.opentime.TimeRange


# -- frames ------------------------------------------------------------------------------------


def reel_rate(draft: Draft) -> Fraction:
    """The frame rate exports are timed at: the first video source's, capped at 60; else 30."""
    for s in draft.sources:
        if s.kind == "video" and s.rate:
            try:
                rate = Fraction(s.rate)
            except (ValueError, ZeroDivisionError):
                continue
            if rate > 0:
                return min(rate, MAX_RATE)
    return DEFAULT_RATE


def ms_to_frames(ms: int, rate: Fraction) -> int:
    """Nearest frame to ``ms`` at ``rate`` (halves round up, the same way everywhere)."""
    return math.floor(Fraction(ms) * rate / 1000 + Fraction(1, 2))


@dataclass(frozen=True, slots=True)
class _Cut:
    """A clip of the main track, in frames: source in/out and its place on the timeline."""

    index: int  # 1-based, as people count clips
    segment: VideoSegment
    source: Source | None
    in_frame: int
    out_frame: int
    record_start: int
    record_frames: int
    start_ms: int


def _cuts(draft: Draft, rate: Fraction) -> list[_Cut]:
    cuts, record, start_ms = [], 0, 0
    for k, seg in enumerate(draft.clips, start=1):
        source = draft.source(seg.source_id) if seg.source_id else None
        if source is None:
            in_frame, out_frame = 0, ms_to_frames(seg.duration_ms, rate)
            length = out_frame
        else:
            in_frame = ms_to_frames(seg.source_in_ms, rate)
            out_frame = ms_to_frames(seg.source_out_ms, rate)
            length = out_frame - in_frame
            if seg.speed != 1:
                length = math.floor(Fraction(length) / Fraction(seg.speed) + Fraction(1, 2))
        length = max(length, 1)
        cuts.append(_Cut(k, seg, source, in_frame, out_frame, record, length, start_ms))
        record += length
        start_ms += seg.duration_ms
    return cuts


def _reel_frame(ms: int, cuts: list[_Cut], rate: Fraction) -> int:
    """The timeline frame of reel time ``ms``, counted from the clip it falls in."""
    for c in cuts:
        if ms < c.start_ms + c.segment.duration_ms:
            return c.record_start + min(ms_to_frames(ms - c.start_ms, rate), c.record_frames)
    if not cuts:
        return ms_to_frames(ms, rate)
    last = cuts[-1]
    end_ms = last.start_ms + last.segment.duration_ms
    return last.record_start + last.record_frames + ms_to_frames(ms - end_ms, rate)


# -- building the OTIO timeline ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Flavour:
    """What one format can hold, so one builder serves all four."""

    name: str
    url: str  # "file": file:// URLs; "path": plain absolute paths
    cards: str  # "solid": SolidColor generator; "fcp7": FCP7 Color generator; "black": BL; "gap"
    speed: bool  # True: LinearTimeWarp; False: the source range at normal speed, then a gap
    texts: str  # "track": markers on the video track; "stack": sequence markers; "clip"; "comment"
    extra_tracks: bool  # music and overlays
    rate: Fraction | None = None  # time the timeline at this rate instead (fcpxml)


_FLAVOURS = {
    "otio": _Flavour("otio", "file", "solid", True, "track", True),
    "fcpxml": _Flavour("fcpxml", "file", "gap", False, "clip", True, Fraction(_FCPX_PROXY_RATE)),
    "fcp7": _Flavour("fcp7", "file", "fcp7", False, "stack", True),
    "edl": _Flavour("edl", "path", "black", True, "comment", False),
}


def draft_to_otio(draft: Draft) -> otio.schema.Timeline:
    """The draft as an OpenTimelineIO timeline, everything kept (what the ``.otio`` file holds).

    Track 1 is the reel (clips, cards, slow-motion replays with a ``LinearTimeWarp``), then one
    audio track per lane of music (a gap before each piece), then overlay tracks. Text segments
    are markers on the reel's track. Each item's ``metadata["reelcut"]`` keeps what the draft
    knew about it (score, reason, role, volume, ms times...); the timeline's keeps the settings.
    """
    return _build(draft, _FLAVOURS["otio"])


def _build(draft: Draft, flavour: _Flavour, beside: Path | None = None) -> otio.schema.Timeline:
    true_rate = reel_rate(draft)
    cuts = _cuts(draft, true_rate)
    rate = float(flavour.rate or true_rate)
    total = sum(c.record_frames for c in cuts)

    def rt(frames: int) -> otio.opentime.RationalTime:
        return RT(frames, rate)

    def tr(start: int, frames: int) -> otio.opentime.TimeRange:
        return TR(rt(start), rt(frames))

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

    texts = sorted(draft.texts, key=lambda t: t.start_ms)
    if flavour.texts in ("track", "stack"):
        owner = video if flavour.texts == "track" else timeline.tracks
        for t in texts:
            start = _reel_frame(t.start_ms, cuts, true_rate)
            length = max(_reel_frame(t.end_ms, cuts, true_rate) - start, 1)
            owner.markers.append(_text_marker(t, tr(start, length), flavour))
    elif flavour.texts == "clip":
        _markers_on_items(video, texts, cuts, true_rate, rate)
    else:
        _comments_on_items(video, texts, cuts, true_rate)

    if flavour.extra_tracks:
        stems = beside or Path.cwd()
        for track in _audio_tracks(draft, cuts, true_rate, total, flavour, tr, stems):
            timeline.tracks.append(track)
        for track in _overlay_tracks(draft, cuts, true_rate, flavour, tr):
            timeline.tracks.append(track)
    return timeline


def _cut_items(c: _Cut, flavour: _Flavour, tr: Any, rate: Fraction) -> list[otio.core.Item]:
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
        if flavour.name == "edl":
            clip.metadata["cmx_3600"] = {"comments": [_edl_note(seg)]}
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


def _card(c: _Cut, flavour: _Flavour, tr: Any, meta: dict[str, Any]) -> otio.core.Item:
    name = f"{c.index:02d} Card"
    rng = tr(0, c.record_frames)
    if flavour.cards == "gap":
        gap = _gap(flavour, tr, c.record_frames, name)
        gap.metadata["reelcut"] = meta
        return gap
    if flavour.cards == "solid":
        ref = otio.schema.GeneratorReference(
            name="Card",
            generator_kind="SolidColor",
            parameters={"color": c.segment.colour},
            available_range=rng,
        )
    elif flavour.cards == "fcp7":
        red, green, blue = _rgb(c.segment.colour)
        ref = otio.schema.GeneratorReference(
            name="Color",
            generator_kind="Color",
            metadata={
                "fcp_xml": {
                    "effectcategory": "Matte",
                    "effecttype": "generator",
                    "mediatype": "video",
                    "parameter": {
                        "parameterid": "fillcolor",
                        "name": "Color",
                        "value": {
                            "alpha": "255",
                            "red": str(red),
                            "green": str(green),
                            "blue": str(blue),
                        },
                    },
                }
            },
        )
    else:
        ref = otio.schema.GeneratorReference(name="Black", generator_kind="black")
    clip = otio.schema.Clip(name=name, media_reference=ref, source_range=rng)
    clip.metadata["reelcut"] = meta
    if flavour.name == "edl":
        clip.metadata["cmx_3600"] = {"reel": "BL", "comments": [_edl_note(c.segment)]}
    return clip


def _reference(
    source: Source, flavour: _Flavour, tr: Any, rate: Fraction
) -> otio.core.MediaReference:
    available = tr(0, ms_to_frames(source.duration_ms, rate)) if source.duration_ms else None
    if source.kind == "music":
        return otio.schema.MissingReference(
            name=f"reelcut music: {source.path}",
            available_range=available,
            metadata={"reelcut": {"generated_music": source.path}},
        )
    return otio.schema.ExternalReference(
        target_url=_locate(source.path, flavour),
        available_range=available,
    )


def _gap(flavour: _Flavour, tr: Any, frames: int, name: str = "") -> otio.schema.Gap:
    # FCPXML gaps run on their own clock from 3600 s; markers on them are timed on it.
    start = _FCPX_GAP_START_S * _FCPX_PROXY_RATE if flavour.name == "fcpxml" else 0
    return otio.schema.Gap(name=name, source_range=tr(start, frames))


def _audio_tracks(
    draft: Draft,
    cuts: list[_Cut],
    rate: Fraction,
    total: int,
    flavour: _Flavour,
    tr: Any,
    stems: Path,
) -> list[otio.schema.Track]:
    lanes: list[tuple[otio.schema.Track, list[int]]] = []  # track, [end frame]
    for seg in sorted(draft.audio, key=lambda a: a.start_ms):
        source = draft.source(seg.source_id)
        start = _reel_frame(seg.start_ms, cuts, rate)
        end = (
            total
            if seg.duration_ms is None
            else _reel_frame(seg.start_ms + seg.duration_ms, cuts, rate)
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
        if source.kind == "music" and flavour.name != "otio":
            # The XML formats need a file; the editor relinks this name to the exported stem.
            ref: otio.core.MediaReference = otio.schema.ExternalReference(
                target_url=_locate(str(stems / music_stem_name(source)), flavour),
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
    draft: Draft, cuts: list[_Cut], rate: Fraction, flavour: _Flavour, tr: Any
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
            start = max(_reel_frame(seg.start_ms, cuts, rate), at)
            end = _reel_frame(seg.start_ms + seg.duration_ms, cuts, rate)
            if end <= start:
                continue
            if start > at:
                out.append(otio.schema.Gap(source_range=tr(0, start - at)))
            source = draft.source(seg.source_id)
            ref = otio.schema.ExternalReference(
                target_url=_locate(source.path, flavour), available_range=tr(0, end - start)
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


def _text_marker(
    t: TextSegment, rng: otio.opentime.TimeRange, flavour: _Flavour
) -> otio.schema.Marker:
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
    if flavour.name == "fcp7":
        marker.metadata["fcp_xml"] = {"comment": f"{t.role}: {t.text}"}
    return marker


def _markers_on_items(
    video: otio.schema.Track,
    texts: list[TextSegment],
    cuts: list[_Cut],
    rate: Fraction,
    item_rate: float,
) -> None:
    """Markers on the item each text starts in, in that item's own time (FCPXML)."""
    for t in texts:
        start = _reel_frame(t.start_ms, cuts, rate)
        length = max(_reel_frame(t.end_ms, cuts, rate) - start, 1)
        for item in video:
            rng = video.range_of_child(item)
            first = int(rng.start_time.to_frames())
            if first <= start < first + int(rng.duration.to_frames()) or item is video[-1]:
                local = int(item.source_range.start_time.to_frames()) + max(start - first, 0)
                item.markers.append(
                    _text_marker(
                        t, TR(RT(local, item_rate), RT(length, item_rate)), _FLAVOURS["fcpxml"]
                    )
                )
                break


def _comments_on_items(
    video: otio.schema.Track, texts: list[TextSegment], cuts: list[_Cut], rate: Fraction
) -> None:
    """An EDL cannot show text: note each one on the event it starts in."""
    fps = float(rate)
    for t in texts:
        start = _reel_frame(t.start_ms, cuts, rate)
        end = _reel_frame(t.end_ms, cuts, rate)
        for item in video:
            rng = video.range_of_child(item)
            first = int(rng.start_time.to_frames())
            if first <= start < first + int(rng.duration.to_frames()) or item is video[-1]:
                tc_in = _timecode(start, fps)
                tc_out = _timecode(end, fps)
                note = f"REELCUT TEXT {tc_in} {tc_out} {t.role.upper()}: {_one_line(t.text)}"
                item.metadata.setdefault("cmx_3600", {}).setdefault("comments", []).append(note)
                break


# -- writing -----------------------------------------------------------------------------------


def export_draft(draft: Draft, path: Path, fmt: str | None = None) -> Path:
    """Write ``draft`` to ``path`` as ``fmt`` (one of :data:`FORMATS`; by default from the suffix:
    .otio, .fcpxml, .xml, .edl) and return the path written.

    The EDL holds the main video track only. Sources need not exist on disk. Raises
    :class:`InvalidArgumentError` for an unknown format.
    """
    path = Path(path)
    name = fmt if fmt is not None else _format_from_suffix(path)
    if name not in FORMATS:
        raise InvalidArgumentError(
            f"unknown export format {name!r}: use one of {', '.join(FORMATS)}"
        )
    adapter, _suffix = FORMATS[name]
    flavour = _FLAVOURS[name]
    timeline = _build(draft, flavour, path.parent)
    rate = reel_rate(draft)
    if name == "edl":
        text = otio.adapters.write_to_string(timeline, adapter_name=adapter, rate=float(rate))
        text = _fix_edl(text, _cuts(draft, rate), rate)
    else:
        text = otio.adapters.write_to_string(timeline, adapter_name=adapter)
        if name == "fcpxml":
            text = _fix_fcpxml(text, rate, draft.output_size())
    path.write_text(text, encoding="utf-8")
    return path


def _format_from_suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    for name, (_adapter, known) in FORMATS.items():
        if suffix == known:
            return name
    raise InvalidArgumentError(
        f"cannot tell the export format from {path.name!r}: name it .otio, .fcpxml, .xml or "
        f".edl, or pass one of {', '.join(FORMATS)}"
    )


def _fix_edl(text: str, cuts: list[_Cut], rate: Fraction) -> str:
    """Non-drop-frame timecode throughout, an FCM line, and the true source out of M2 events.

    The adapter writes drop-frame timecode at 29.97 (which its own reader cannot parse in M2
    lines) and, for a speed change, a source out of ``in + length / speed`` (twice the frames
    a half-speed replay uses); we rewrite each event line from the cut list.
    """
    fps = float(rate)
    lines = text.splitlines()
    out: list[str] = []
    events = iter(cuts)
    for line in lines:
        if line.startswith("TITLE:"):
            out += [line, "FCM: NON-DROP FRAME"]
            continue
        if re.match(r"^\d{3}\s", line):
            c = next(events)
            head = line.rsplit(" ", 4)[0]
            out.append(
                " ".join(
                    [
                        head,
                        _timecode(c.in_frame, fps),
                        _timecode(
                            c.in_frame + c.record_frames if c.source is None else c.out_frame, fps
                        ),
                        _timecode(c.record_start, fps),
                        _timecode(c.record_start + c.record_frames, fps),
                    ]
                )
            )
            if c.index == 1:
                out.append(f"* {_RATE_COMMENT} {rate.numerator}/{rate.denominator}")
            continue
        if line.startswith("M2 "):
            line = re.sub(r"\S+$", lambda m: _to_ndf(m.group(0), fps), line)
        out.append(line)
    if "FCM:" not in "\n".join(out):
        out.insert(0, "FCM: NON-DROP FRAME")
    return "\n".join(out) + "\n"


def _fix_fcpxml(text: str, rate: Fraction, size: tuple[int, int]) -> str:
    """Retime the adapter's output from the proxy rate to the reel's exact rate.

    The fcpx_xml adapter knows only a table of rates and fails on 30000/1001 given exactly, so
    the timeline is built at 25 frames a second and every time here is rewritten as the same
    number of frames at the true rate, each a whole multiple of the frame duration as Final Cut
    requires.
    """

    def retime(m: re.Match[str]) -> str:
        seconds = _parse_fcpx_time(m.group(2))
        frames = seconds * _FCPX_PROXY_RATE
        if frames.denominator != 1:  # not on a frame of ours: leave it
            return m.group(0)
        return f'{m.group(1)}="{_fcpx_time(frames.numerator, rate)}"'

    text = _TIME_ATTR.sub(retime, text)
    frame = f"{rate.denominator}/{rate.numerator}s"
    width, height = size
    return re.sub(
        r'frameDuration="[^"]*"( name="[^"]*")?',
        f'frameDuration="{frame}" width="{width}" height="{height}"',
        text,
    )


def _fcpx_time(frames: int, rate: Fraction) -> str:
    if frames == 0:
        return "0s"
    seconds = Fraction(frames) / rate
    if seconds.denominator == 1:
        return f"{seconds.numerator}s"
    # Final Cut writes times over the frame duration's own denominator (1001/30000s -> n/30000s).
    scale = rate.numerator // math.gcd(rate.numerator, seconds.denominator)
    num, den = seconds.numerator * scale, seconds.denominator * scale
    return f"{num}/{den}s"


def _parse_fcpx_time(value: str) -> Fraction:
    body = value.strip().removesuffix("s") or "0"
    try:
        return Fraction(body)
    except (ValueError, ZeroDivisionError):
        return Fraction(0)


# -- reading back ------------------------------------------------------------------------------


def read_cut_list(path: Path, rate: str | None = None) -> list[tuple[str, int, int]]:
    """Re-import an exported file with its adapter: the main video track's clips as
    ``(source path, in_frame, out_frame)`` in timeline order (cards and gaps left out; ``out`` is
    exclusive and, for a speed change, the last source frame used plus one).

    For round-trip checks. An EDL carries no frame rate: ``rate`` (e.g. ``"30000/1001"``)
    overrides the one our exports note in a comment. FCPXML times are made exact before the
    fcpx_xml adapter reads them (it truncates float seconds and knows only whole rates).
    """
    timeline = read_timeline(path, rate)
    video = next((t for t in timeline.tracks if t.kind == otio.schema.TrackKind.Video), None)
    if video is None:
        return []
    cuts = []
    for item in video:
        if not isinstance(item, otio.schema.Clip):
            continue
        ref = item.media_reference
        if not isinstance(ref, otio.schema.ExternalReference) or not ref.target_url:
            continue
        start = round(item.source_range.start_time.to_frames())
        length = round(item.source_range.duration.to_frames())
        warp = next((e for e in item.effects if isinstance(e, otio.schema.LinearTimeWarp)), None)
        if warp is not None:
            length = math.floor(Fraction(length) * Fraction(warp.time_scalar) + Fraction(1, 2))
        cuts.append((_url_to_path(ref.target_url), start, start + length))
    return cuts


def read_timeline(path: Path, rate: str | None = None) -> otio.schema.Timeline:
    """Re-import any of the four formats with its adapter (see :func:`read_cut_list`)."""
    path = Path(path)
    name = _format_from_suffix(path)
    adapter = FORMATS[name][0]
    text = path.read_text(encoding="utf-8")
    if name == "edl":
        fps = _edl_rate(text, rate)
        result = otio.adapters.read_from_string(text, adapter_name=adapter, rate=float(fps))
    elif name == "fcpxml":
        result = otio.adapters.read_from_string(_exact_fcpxml(text), adapter_name=adapter)
    else:
        result = otio.adapters.read_from_string(text, adapter_name=adapter)
    if isinstance(result, otio.schema.Timeline):
        return result
    found = list(result.find_children(descended_from_type=otio.schema.Timeline))
    if not found:
        raise InvalidArgumentError(f"{path.name} holds no timeline")
    timeline: otio.schema.Timeline = found[0]
    return timeline


def _edl_rate(text: str, rate: str | None) -> Fraction:
    value = rate
    if value is None:
        m = re.search(rf"^\*\s*{_RATE_COMMENT}\s+(\S+)", text, re.MULTILINE)
        value = m.group(1) if m else None
    if value is None:
        raise InvalidArgumentError("an EDL does not say its frame rate: pass rate='25' (or ...)")
    try:
        return Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise InvalidArgumentError(
            f"frame rate {value!r} is not a number like 30000/1001"
        ) from None


def _exact_fcpxml(text: str) -> str:
    """Times the fcpx_xml adapter reads exactly: whole rates, each time nudged a third of a frame
    up so that its ``int()`` lands on the frame meant (it reads ``int(seconds * fps)``)."""
    m = re.search(r'frameDuration="([^"]+)"', text)
    if m is None:
        return text
    rate = 1 / _parse_fcpx_time(m.group(1))
    nominal = math.ceil(rate)

    def retime(match: re.Match[str]) -> str:
        frames = _parse_fcpx_time(match.group(2)) * rate
        if frames == 0:
            return match.group(0)
        seconds = (frames + Fraction(1, 3)) / nominal
        return f'{match.group(1)}="{seconds.numerator}/{seconds.denominator}s"'

    text = _TIME_ATTR.sub(retime, text)
    return re.sub(r'frameDuration="[^"]+"', f'frameDuration="1/{nominal}s"', text)


# -- small helpers -----------------------------------------------------------------------------


def _locate(path: str, flavour: _Flavour) -> str:
    absolute = os.path.abspath(path)
    if flavour.url == "path":
        return absolute
    return Path(absolute).as_uri()


def _url_to_path(url: str) -> str:
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme != "file":
        return url
    return urllib.parse.unquote(parsed.path)


def _basename(path: str) -> str:
    return os.path.basename(path) or path


def _rgb(colour: str) -> tuple[int, int, int]:
    body = colour.split("@")[0]
    if re.fullmatch(r"#[0-9a-fA-F]{6}", body):
        return int(body[1:3], 16), int(body[3:5], 16), int(body[5:7], 16)
    return {
        "white": (255, 255, 255),
        "red": (255, 0, 0),
        "green": (0, 128, 0),
        "blue": (0, 0, 255),
    }.get(body.lower(), (0, 0, 0))


def _timecode(frames: int, fps: float) -> str:
    return str(otio.opentime.to_timecode(RT(frames, fps), fps, drop_frame=False))


def _to_ndf(tc: str, fps: float) -> str:
    try:
        frames = otio.opentime.from_timecode(tc, fps).to_frames()
    except ValueError:
        return tc
    return _timecode(int(frames), fps)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _edl_note(seg: VideoSegment) -> str:
    parts = [f"REELCUT {seg.role.upper()}"]
    if seg.source_id is not None:
        parts.append(f"SCORE {seg.score:.2f}")
    if seg.speed != 1:
        parts.append(f"SPEED {seg.speed:g}")
    if seg.reason:
        parts.append(_one_line(seg.reason))
    return " ".join(parts)
