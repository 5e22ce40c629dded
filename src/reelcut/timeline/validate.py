"""Checks that a draft makes sense, so that no edit and no client-sent draft reaches the renderer
in a state it cannot render. Every op's result passes through :func:`validate`.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from reelcut.errors import EditError
from reelcut.timeline.model import (
    ASPECTS,
    CLIP_ROLES,
    FONT_NAMES,
    HEIGHTS,
    MIN_CLIP_MS,
    REFRAME_MODES,
    SOURCE_HEIGHT,
    SOURCE_KINDS,
    SPEED_RANGE,
    TEXT_POSITIONS,
    TEXT_ROLES,
    TRANSITIONS,
    VOLUME_RANGE,
    AudioSegment,
    Draft,
    OverlaySegment,
    TextSegment,
    TrackType,
    VideoSegment,
)

_COLOUR = re.compile(r"^(#[0-9a-fA-F]{6}|[a-zA-Z]+)(@(0(\.\d+)?|1(\.0+)?))?$")
_FONT_FILE = re.compile(r".+\.(ttf|otf|ttc)$", re.IGNORECASE)


def check_colour(value: str, what: str) -> None:
    if not _COLOUR.match(value):
        raise EditError(f"{what}: colour {value!r} is not #rrggbb or a colour name (opacity @0.5)")


def check_font(value: str) -> None:
    if value not in FONT_NAMES and not _FONT_FILE.match(value):
        raise EditError(
            f"unknown font {value!r}: use {', '.join(FONT_NAMES)} or a .ttf/.otf/.ttc file"
        )


def check_volume(value: int, what: str) -> None:
    lo, hi = VOLUME_RANGE
    if not lo <= value <= hi:
        raise EditError(f"{what}: volume {value}% is outside {lo}-{hi}%")


def _choice(value: object, allowed: Collection[str], what: str) -> None:
    if value not in allowed:
        raise EditError(f"{what} {value!r}: use one of {', '.join(allowed)}")


def validate(draft: Draft) -> None:
    """Raise :class:`EditError` naming the first thing that makes no sense."""
    _choice(draft.aspect, ASPECTS, "aspect")
    if draft.height != SOURCE_HEIGHT and not (
        144 <= draft.height <= 2160 and draft.height % 2 == 0
    ):
        named = ", ".join(f"{h}p" for h in HEIGHTS)
        raise EditError(
            f"resolution {draft.height}p: use one of {named} (even, 144-2160), "
            "or 0 for the footage's own (at most 1080p)"
        )
    _choice(draft.reframe, REFRAME_MODES, "reframe mode")
    _choice(draft.transition, TRANSITIONS, "transition")
    if not 0 <= draft.transition_ms <= 3000:
        raise EditError("transition length must be 0-3 s")
    check_volume(draft.original_volume, "original sound")
    if draft.target_ms < 0:
        raise EditError("target length cannot be negative")

    ids = [s.id for s in draft.sources]
    if len(set(ids)) != len(ids):
        raise EditError("two sources share an id")
    sources = {s.id: s for s in draft.sources}
    for s in draft.sources:
        _choice(s.kind, SOURCE_KINDS, f"source {s.id} kind")
        if s.duration_ms < 0:
            raise EditError(f"source {s.id} has a negative duration")

    if not any(t.type == TrackType.VIDEO for t in draft.tracks):
        raise EditError("the draft has no video track")
    main = draft.main_index
    for k, track in enumerate(draft.tracks):
        for i, seg in enumerate(track.segments):
            where = f"track {k + 1} ({track.name or track.type.name.lower()}) segment {i + 1}"
            expected = (
                (VideoSegment if k == main else OverlaySegment)
                if track.type == TrackType.VIDEO
                else AudioSegment
                if track.type == TrackType.AUDIO
                else TextSegment
            )
            if not isinstance(seg, expected):
                raise EditError(f"{where}: a {type(seg).__name__} does not belong on this track")
            if isinstance(seg, VideoSegment):
                _check_clip(seg, sources, where)
            elif isinstance(seg, OverlaySegment):
                _check_span(seg.start_ms, seg.duration_ms, where)
                _check_ref(seg.source_id, sources, ("image", "video"), where)
                if not (0 <= seg.x <= 1 and 0 <= seg.y <= 1 and 0 < seg.width <= 1):
                    raise EditError(f"{where}: overlay position/size must be shares of the frame")
                if not 0 <= seg.opacity <= 1:
                    raise EditError(f"{where}: opacity must be 0-1")
            elif isinstance(seg, AudioSegment):
                _check_ref(seg.source_id, sources, ("audio", "music", "video"), where)
                if seg.start_ms < 0 or seg.source_in_ms < 0:
                    raise EditError(f"{where}: times cannot be negative")
                if seg.duration_ms is not None and seg.duration_ms <= 0:
                    raise EditError(f"{where}: the music must last more than 0 s")
                check_volume(seg.volume, where)
                if seg.fade_in_ms < 0 or seg.fade_out_ms < 0:
                    raise EditError(f"{where}: fades cannot be negative")
            else:
                _check_text(seg, where)


def _check_span(start_ms: int, duration_ms: int, where: str) -> None:
    if start_ms < 0:
        raise EditError(f"{where}: start time cannot be negative ({start_ms} ms)")
    if duration_ms <= 0:
        raise EditError(f"{where}: duration must be positive ({duration_ms} ms)")


def _check_ref(
    source_id: str | None, sources: dict, kinds: tuple[str, ...], where: str
) -> None:
    if source_id not in sources:
        raise EditError(f"{where}: unknown source {source_id!r}")
    if sources[source_id].kind not in kinds:
        raise EditError(f"{where}: a {sources[source_id].kind} source cannot be used here")


def _check_clip(seg: VideoSegment, sources: dict, where: str) -> None:
    _choice(seg.role, CLIP_ROLES, f"{where}: role")
    if seg.source_in_ms < 0:
        raise EditError(f"{where}: in point cannot be negative ({seg.source_in_ms} ms)")
    if seg.source_out_ms - seg.source_in_ms < MIN_CLIP_MS:
        raise EditError(f"{where}: a clip must be at least {MIN_CLIP_MS} ms long")
    lo, hi = SPEED_RANGE
    if not lo <= seg.speed <= hi:
        raise EditError(f"{where}: speed {seg.speed} is outside {lo}-{hi}")
    if seg.source_id is None:
        check_colour(seg.colour, where)
        return
    _check_ref(seg.source_id, sources, ("video", "image"), where)
    src = sources[seg.source_id]
    if src.duration_ms and seg.source_out_ms > src.duration_ms + 50:
        raise EditError(
            f"{where}: out point {seg.source_out_ms / 1000:.2f}s is past the end of "
            f"{src.title or src.path} ({src.duration_ms / 1000:.2f}s)"
        )


def _check_text(seg: TextSegment, where: str) -> None:
    if not seg.text.strip():
        raise EditError(f"{where}: the text is empty")
    _check_span(seg.start_ms, seg.duration_ms, where)
    _choice(seg.role, TEXT_ROLES, f"{where}: role")
    _choice(seg.position, TEXT_POSITIONS, f"{where}: position")
    if not 0.01 <= seg.size <= 0.4:
        raise EditError(f"{where}: text size must be 0.01-0.4 of the frame height")
    check_colour(seg.colour, where)
    check_colour(seg.box_colour, where)
    check_colour(seg.outline_colour, where)
    check_font(seg.font)
    if seg.fade_ms < 0 or seg.outline < 0:
        raise EditError(f"{where}: fade and outline cannot be negative")
