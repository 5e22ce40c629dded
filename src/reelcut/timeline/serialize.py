"""The draft as JSON, two ways: readable (``reelcut.draft/1``) and the compact form agent tools speak.

Readable JSON names every field. The compact form is what hosted editors' agent tools already
read and send: ``t`` tracks, ``tt`` track type, ``sg`` segments, ``st`` start and ``d`` duration in
ms, ``m`` metadata (everything else about a segment). Both round-trip exactly; reading either
validates, so a hand-edited or client-sent draft that makes no sense is refused with a clear
message instead of failing inside FFmpeg.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from reelcut.errors import EditError
from reelcut.timeline.model import (
    SCHEMA,
    AudioSegment,
    Draft,
    OverlaySegment,
    Segment,
    Source,
    TextSegment,
    Track,
    TrackType,
    VideoSegment,
)
from reelcut.timeline.validate import validate

_SEGMENT_TYPES: dict[str, type] = {
    "clip": VideoSegment,
    "overlay": OverlaySegment,
    "audio": AudioSegment,
    "text": TextSegment,
}
_TYPE_NAMES = {cls: name for name, cls in _SEGMENT_TYPES.items()}
_DRAFT_SETTINGS = (
    "aspect",
    "height",
    "reframe",
    "transition",
    "transition_ms",
    "original_volume",
    "target_ms",
)


def _fields(obj: object) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}  # type: ignore[arg-type]


def build_value(cls: type, data: Any, where: str) -> Any:
    """``cls(**data)`` for a JSON object, or an :class:`EditError` saying what is wrong."""
    if not isinstance(data, dict):
        raise EditError(f"{where}: expected an object")
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = set(data) - names
    if unknown:
        raise EditError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    try:
        return cls(**data)
    except TypeError as e:
        raise EditError(f"{where}: {e}") from None


# -- readable JSON -----------------------------------------------------------------------------


def segment_to_json(seg: Segment) -> dict[str, Any]:
    return {"type": _TYPE_NAMES[type(seg)], **_fields(seg)}


def segment_from_json(data: dict[str, Any], where: str = "segment") -> Segment:
    body = dict(data)
    kind = body.pop("type", None)
    cls = _SEGMENT_TYPES.get(str(kind))
    if cls is None:
        raise EditError(f"{where}: unknown segment type {kind!r}")
    seg: Segment = build_value(cls, body, where)
    return seg


def draft_to_json(draft: Draft) -> dict[str, Any]:
    """The readable form: every field named, schema and version first."""
    return {
        "schema": SCHEMA,
        **{k: getattr(draft, k) for k in _DRAFT_SETTINGS},
        "duration_ms": draft.duration_ms,
        "sources": [_fields(s) for s in draft.sources],
        "tracks": [
            {
                "type": int(t.type),
                "name": t.name,
                "segments": [segment_to_json(s) for s in t.segments],
            }
            for t in draft.tracks
        ],
        "meta": dict(draft.meta),
    }


def draft_from_json(data: Any) -> Draft:
    """Read and validate a readable draft (raises :class:`EditError` when it makes no sense)."""
    if not isinstance(data, dict):
        raise EditError("a draft must be a JSON object")
    if data.get("schema") != SCHEMA:
        raise EditError(f"not a {SCHEMA} draft (schema {data.get('schema')!r})")
    try:
        sources = tuple(
            build_value(Source, s, f"source {i + 1}") for i, s in enumerate(data.get("sources", []))
        )
        tracks = tuple(
            Track(
                _track_type(t.get("type")),
                str(t.get("name", "")),
                tuple(
                    segment_from_json(s, f"track {k + 1} segment {i + 1}")
                    for i, s in enumerate(t.get("segments", []))
                ),
            )
            for k, t in enumerate(data.get("tracks", []))
        )
        settings = {k: data[k] for k in _DRAFT_SETTINGS if k in data}
        draft = Draft(sources=sources, tracks=tracks, meta=dict(data.get("meta", {})), **settings)
    except (AttributeError, TypeError) as e:
        raise EditError(f"malformed draft: {e}") from None
    validate(draft)
    return draft


def _track_type(value: Any) -> TrackType:
    try:
        return TrackType(int(value))
    except (TypeError, ValueError):
        raise EditError(f"unknown track type {value!r} (0 video, 1 audio, 7 text)") from None


# -- compact form ------------------------------------------------------------------------------


def draft_to_compact(draft: Draft) -> dict[str, Any]:
    """``{"d": ms, "t": [{"tt": 0, "sg": [{"st": ms, "d": ms, "m": {...}}]}], "m": {...}}``."""
    tracks = []
    starts = iter(draft.clip_starts_ms())
    main = draft.main_index
    for k, t in enumerate(draft.tracks):
        segs = []
        for s in t.segments:
            meta = segment_to_json(s)
            if k == main and isinstance(s, VideoSegment):
                start, dur = next(starts), s.duration_ms
            else:
                start = meta.pop("start_ms")
                dur = meta.pop("duration_ms")
                if dur is None:
                    dur = max(draft.duration_ms - start, 0)
                    meta["to_end"] = True
            segs.append({"st": start, "d": dur, "m": meta})
        tracks.append({"tt": int(t.type), "n": t.name, "sg": segs})
    meta = {
        "schema": SCHEMA,
        **{k: getattr(draft, k) for k in _DRAFT_SETTINGS},
        "sources": [_fields(s) for s in draft.sources],
        **({"meta": dict(draft.meta)} if draft.meta else {}),
    }
    return {"d": draft.duration_ms, "t": tracks, "m": meta}


def draft_from_compact(data: Any) -> Draft:
    """Read the compact form (validated like :func:`draft_from_json`)."""
    if not isinstance(data, dict) or not isinstance(data.get("t"), list):
        raise EditError("a compact draft needs a 't' list of tracks")
    meta = data.get("m") or {}
    if not isinstance(meta, dict):
        raise EditError("compact draft: 'm' must be an object")
    tracks = []
    main_seen = False
    for k, t in enumerate(data["t"]):
        if not isinstance(t, dict):
            raise EditError(f"compact draft: track {k + 1} must be an object")
        kind = _track_type(t.get("tt"))
        is_main = kind == TrackType.VIDEO and not main_seen
        main_seen = main_seen or is_main
        segments = []
        for i, sg in enumerate(t.get("sg") or []):
            if not isinstance(sg, dict):
                raise EditError(f"compact draft: track {k + 1} segment {i + 1} must be an object")
            body = dict(sg.get("m") or {})
            body.setdefault("type", _default_type(kind, is_main))
            if body["type"] == "clip":
                _clip_length_from_d(body, sg.get("d"), f"track {k + 1} segment {i + 1}")
            else:
                to_end = body.pop("to_end", False)
                body["start_ms"] = sg.get("st", 0)
                body["duration_ms"] = None if to_end else sg.get("d")
            segments.append(body)
        tracks.append({"type": int(kind), "name": t.get("n", ""), "segments": segments})
    readable = {k: meta[k] for k in (*_DRAFT_SETTINGS, "sources", "meta") if k in meta}
    return draft_from_json({"schema": SCHEMA, **readable, "tracks": tracks})


def _clip_length_from_d(body: dict[str, Any], d: Any, where: str) -> None:
    """``d`` of a clip is derived from its in/out points and speed: refuse a draft where they
    disagree (a client that changed one but not the other), rather than guess which it meant."""
    if d is None:
        return
    if not isinstance(d, int | float) or isinstance(d, bool) or d <= 0:
        raise EditError(f"compact draft: {where}: d must be a positive number of ms")
    speed = body.get("speed", 1.0)
    start, stop = body.get("source_in_ms"), body.get("source_out_ms")
    if not isinstance(start, int) or not isinstance(stop, int) or not isinstance(speed, int | float):
        return  # validation names what is missing
    made = (stop - start) / speed if speed else 0
    if abs(made - d) > 1:
        raise EditError(
            f"compact draft: {where}: d is {d:g} ms but source_in_ms..source_out_ms at speed "
            f"{speed:g} make {made:g} ms: change both together"
        )


def _default_type(kind: TrackType, first: bool) -> str:
    if kind == TrackType.VIDEO:
        return "clip" if first else "overlay"
    return "audio" if kind == TrackType.AUDIO else "text"
