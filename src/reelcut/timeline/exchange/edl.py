"""CMX3600 EDL (``.edl``): the main video track only (an EDL holds one video track).

Clips, cards as black (BL) events, slow motion as M2 lines; music, overlays and texts are
dropped, but texts and each clip's score and reason survive as comments. Timecode is
non-drop-frame throughout, and a comment notes the exact rate (an EDL carries none).
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import opentimelineio as otio

from reelcut.timeline.exchange.build import Flavour, build_timeline, item_at, one_line
from reelcut.timeline.exchange.frames import Cut, cut_list, reel_frame, reel_rate, timecode
from reelcut.timeline.model import Draft, VideoSegment

ADAPTER = "cmx_3600"
SUFFIX = ".edl"
RATE_COMMENT = "REELCUT RATE"  # "* REELCUT RATE 30000/1001" after the first event


def _black(colour: str, rng: otio.opentime.TimeRange) -> otio.schema.GeneratorReference:
    return otio.schema.GeneratorReference(name="Black", generator_kind="black")


def _event_notes(seg: VideoSegment) -> dict[str, Any]:
    notes: dict[str, Any] = {"comments": [_note(seg)]}
    if seg.source_id is None:
        notes = {"reel": "BL", **notes}
    return {"cmx_3600": notes}


FLAVOUR = Flavour(
    "edl",
    "path",
    _black,
    speed=True,
    texts="",
    extra_tracks=False,
    clip_metadata=_event_notes,
)


def write(draft: Draft, stems: Path) -> str:
    """The EDL for ``draft`` (``stems`` is unused: an EDL links no music)."""
    rate = reel_rate(draft)
    cuts = cut_list(draft, rate)
    timeline = build_timeline(draft, FLAVOUR)
    _comments_on_items(draft, timeline.tracks[0], cuts, rate)
    text = otio.adapters.write_to_string(timeline, adapter_name=ADAPTER, rate=float(rate))
    return _fix(str(text), cuts, rate)


def _comments_on_items(
    draft: Draft, video: otio.schema.Track, cuts: list[Cut], rate: Fraction
) -> None:
    """An EDL cannot show text: note each one on the event it starts in."""
    fps = float(rate)
    for t in sorted(draft.texts, key=lambda t: t.start_ms):
        if not len(video):
            return
        start = reel_frame(t.start_ms, cuts, rate)
        end = reel_frame(t.end_ms, cuts, rate)
        item = item_at(video, start)
        note = (
            f"REELCUT TEXT {timecode(start, fps)} {timecode(end, fps)} "
            f"{t.role.upper()}: {one_line(t.text)}"
        )
        item.metadata.setdefault("cmx_3600", {}).setdefault("comments", []).append(note)


def _fix(text: str, cuts: list[Cut], rate: Fraction) -> str:
    """Non-drop-frame timecode throughout, an FCM line, and the true source out of M2 events.

    The adapter writes drop-frame timecode at 29.97 (which its own reader cannot parse in M2
    lines) and, for a speed change, a source out of ``in + length / speed`` (twice the frames
    a half-speed replay uses); each event line is rewritten from the cut list.
    """
    fps = float(rate)
    out: list[str] = []
    events = iter(cuts)
    for line in text.splitlines():
        if line.startswith("TITLE:"):
            out += [line, "FCM: NON-DROP FRAME"]
            continue
        if re.match(r"^\d{3}\s", line):
            c = next(events)
            head = line.rsplit(" ", 4)[0]
            source_out = c.in_frame + c.record_frames if c.source is None else c.out_frame
            out.append(
                " ".join(
                    [
                        head,
                        timecode(c.in_frame, fps),
                        timecode(source_out, fps),
                        timecode(c.record_start, fps),
                        timecode(c.record_start + c.record_frames, fps),
                    ]
                )
            )
            if c.index == 1:
                out.append(f"* {RATE_COMMENT} {rate.numerator}/{rate.denominator}")
            continue
        if line.startswith("M2 "):
            line = re.sub(r"\S+$", lambda m: _to_ndf(m.group(0), fps), line)
        out.append(line)
    if "FCM:" not in "\n".join(out):
        out.insert(0, "FCM: NON-DROP FRAME")
    return "\n".join(out) + "\n"


def _to_ndf(tc: str, fps: float) -> str:
    try:
        frames = otio.opentime.from_timecode(tc, fps).to_frames()
    except ValueError:
        return tc
    return timecode(int(frames), fps)


def _note(seg: VideoSegment) -> str:
    parts = [f"REELCUT {seg.role.upper()}"]
    if seg.source_id is not None:
        parts.append(f"SCORE {seg.score:.2f}")
    if seg.speed != 1:
        parts.append(f"SPEED {seg.speed:g}")
    if seg.reason:
        parts.append(one_line(seg.reason))
    return " ".join(parts)
