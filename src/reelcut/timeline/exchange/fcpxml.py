"""FCPXML (``.fcpxml``: Final Cut Pro X, DaVinci Resolve).

Clips, music and overlays in lanes, text as markers on the clip it starts in; cards are gaps;
slow motion is the replay's source range at normal speed followed by a gap as long as the rest
of the slowed clip; no metadata. Built-in music links to a WAV beside the export.

The fcpx_xml adapter knows only a table of rates and fails on 30000/1001 given exactly, so the
timeline is built at 25 frames a second and every time is then rewritten as the same number of
frames at the true rate, each a whole multiple of the frame duration as Final Cut requires. The
adapter also marks every asset on a video track as silent (``hasAudio="0"``): sources with sound
are marked as having it.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from pathlib import Path

import opentimelineio as otio

from reelcut.timeline.exchange.build import Flavour, build_timeline, item_at, locate, text_marker
from reelcut.timeline.exchange.frames import cut_list, reel_frame, reel_rate
from reelcut.timeline.model import Draft

ADAPTER = "fcpx_xml"
SUFFIX = ".fcpxml"
PROXY_RATE = 25  # the adapter times everything as floats at one of its known rates
_GAP_START_S = 3600  # the adapter starts every gap's own time at 3600 s
TIME_ATTR = re.compile(r'\b(offset|start|duration)="([^"]*)"')

FLAVOUR = Flavour(
    "fcpxml",
    "file",
    None,
    speed=False,
    texts="",
    extra_tracks=True,
    rate=Fraction(PROXY_RATE),
    gap_start_frames=_GAP_START_S * PROXY_RATE,
)


def write(draft: Draft, stems: Path) -> str:
    """The FCPXML for ``draft``; built-in music links to its stem in ``stems``."""
    timeline = build_timeline(draft, FLAVOUR, stems)
    _markers_on_items(draft, timeline.tracks[0])
    text = str(otio.adapters.write_to_string(timeline, adapter_name=ADAPTER))
    text = _retime(text, reel_rate(draft), draft.output_size())
    return _mark_sound(text, {locate(s.path, FLAVOUR) for s in draft.sources if s.has_audio})


def _markers_on_items(draft: Draft, video: otio.schema.Track) -> None:
    """Markers on the item each text starts in, in that item's own time (FCPXML has no
    timeline markers the adapter writes)."""
    rate = reel_rate(draft)
    cuts = cut_list(draft, rate)
    item_rate = float(PROXY_RATE)
    for t in sorted(draft.texts, key=lambda t: t.start_ms):
        if not len(video):
            return
        start = reel_frame(t.start_ms, cuts, rate)
        length = max(reel_frame(t.end_ms, cuts, rate) - start, 1)
        item = item_at(video, start)
        first = int(video.range_of_child(item).start_time.to_frames())
        local = int(item.source_range.start_time.to_frames()) + max(start - first, 0)
        rng = otio.opentime.TimeRange(
            otio.opentime.RationalTime(local, item_rate),
            otio.opentime.RationalTime(length, item_rate),
        )
        item.markers.append(text_marker(t, rng, FLAVOUR))


def _retime(text: str, rate: Fraction, size: tuple[int, int]) -> str:
    """Retime the adapter's output from the proxy rate to the reel's exact rate."""

    def retime(m: re.Match[str]) -> str:
        seconds = parse_time(m.group(2))
        frames = seconds * PROXY_RATE
        if frames.denominator != 1:  # not on a frame of ours: leave it
            return m.group(0)
        return f'{m.group(1)}="{_time(frames.numerator, rate)}"'

    text = TIME_ATTR.sub(retime, text)
    frame = f"{rate.denominator}/{rate.numerator}s"
    width, height = size
    return re.sub(
        r'frameDuration="[^"]*"( name="[^"]*")?',
        f'frameDuration="{frame}" width="{width}" height="{height}"',
        text,
    )


def _mark_sound(text: str, with_sound: set[str]) -> str:
    """``hasAudio="1"`` on the assets of sources that have sound (the adapter writes "0")."""

    def mark(m: re.Match[str]) -> str:
        tag = m.group(0)
        src = re.search(r'\bsrc="([^"]*)"', tag)
        if src is None or _unescape(src.group(1)) not in with_sound:
            return tag
        return tag.replace('hasAudio="0"', 'hasAudio="1"')

    return re.sub(r"<asset\b[^>]*>", mark, text)


def _unescape(value: str) -> str:
    return (
        value.replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
    )


def _time(frames: int, rate: Fraction) -> str:
    if frames == 0:
        return "0s"
    seconds = Fraction(frames) / rate
    if seconds.denominator == 1:
        return f"{seconds.numerator}s"
    # Final Cut writes times over the frame duration's own denominator (1001/30000s -> n/30000s).
    scale = rate.numerator // math.gcd(rate.numerator, seconds.denominator)
    num, den = seconds.numerator * scale, seconds.denominator * scale
    return f"{num}/{den}s"


def parse_time(value: str) -> Fraction:
    """An FCPXML time ("1001/30000s", "3600s") in seconds; anything else is 0."""
    body = value.strip().removesuffix("s") or "0"
    try:
        return Fraction(body)
    except (ValueError, ZeroDivisionError):
        return Fraction(0)
