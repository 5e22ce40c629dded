"""Ops as JSON (``{"op": "remove_clip", "index": 2}``): for project history, the CLI's
``apply`` and planners that answer with typed operations. Reading validates field names and
types, so a malformed op is an :class:`EditError` before it touches a draft.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from reelcut.errors import EditError
from reelcut.timeline.model import (
    AudioSegment,
    OverlaySegment,
    Source,
    TextSegment,
    VideoSegment,
)
from reelcut.timeline.ops import OPS, Batch, Op
from reelcut.timeline.serialize import build_value as _build
from reelcut.timeline.serialize import segment_to_json

# fields that hold timeline values rather than plain numbers and words
_NESTED: dict[str, type] = {
    "clip": VideoSegment,
    "clips": VideoSegment,
    "captions": TextSegment,
    "source": Source,
    "image": Source,
}
_SEGMENT_FOR_OP: dict[str, type] = {
    "add_text": TextSegment,
    "add_overlay": OverlaySegment,
    "set_music": AudioSegment,
}
_PLAIN = (int, float, str, bool, type(None))
# {"op": "add_text", "text": "hi"}: free words on screen, from the start, for three seconds
_TEXT_DEFAULTS: dict[str, Any] = {"start_ms": 0, "duration_ms": 3000, "role": "text"}


def _value_to_json(value: Any) -> Any:
    if isinstance(value, Op):
        return op_to_json(value)
    if isinstance(value, VideoSegment | TextSegment | AudioSegment | OverlaySegment):
        body = segment_to_json(value)
        body.pop("type")
        return body
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_value_to_json(v) for v in value]
    return value


def op_to_json(op: Op) -> dict[str, Any]:
    body = {f.name: _value_to_json(getattr(op, f.name)) for f in dataclasses.fields(op)}  # type: ignore[arg-type]
    return {"op": op.name, **body}


def op_from_json(data: Any) -> Op:
    """Read one op; ``{"op": "batch", "ops": [...]}`` holds several applied as one step.

    ``add_text`` also takes the text's fields directly (``{"op": "add_text", "text": "hi"}``:
    free text from 0 s for 3 s) besides ``{"op": "add_text", "segment": {...}}``."""
    if not isinstance(data, dict) or not isinstance(data.get("op"), str):
        raise EditError('an operation is an object with an "op" name')
    body = dict(data)
    name = body.pop("op")
    cls = OPS.get(name)
    if cls is None:
        raise EditError(f"unknown operation {name!r}; known: {', '.join(sorted(OPS))}")
    if cls is Batch:
        ops = body.pop("ops", None)
        if not isinstance(ops, list) or body:
            raise EditError('a batch holds an "ops" list and nothing else')
        return Batch(tuple(op_from_json(o) for o in ops))
    if name == "add_text" and "segment" not in body:
        body = {"segment": {**_TEXT_DEFAULTS, **body}}  # the natural form: the text's own fields
    fields = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    args: dict[str, Any] = {}
    for key, value in body.items():
        if key not in fields:
            raise EditError(f"{name}: unknown field {key!r} (fields: {', '.join(sorted(fields))})")
        kind = _SEGMENT_FOR_OP.get(name) if key == "segment" else _NESTED.get(key)
        if kind is None:
            if not isinstance(value, _PLAIN):
                raise EditError(f"{name}: {key} must be a number, text or true/false")
            args[key] = value
        elif isinstance(value, list):
            args[key] = tuple(_build(kind, v, f"{name}.{key}") for v in value)
        elif value is None:
            args[key] = None
        else:
            args[key] = _build(kind, value, f"{name}.{key}")
    try:
        op: Op = cls(**args)
    except TypeError as e:
        raise EditError(f"{name}: {e}") from None
    _check_types(op)
    return op


def _check_types(op: Op) -> None:
    """Numbers where numbers belong (JSON has no int/str discipline of its own)."""
    for f in dataclasses.fields(op):  # type: ignore[arg-type]
        value = getattr(op, f.name)
        hint = str(f.type)
        if value is None or not hint.startswith(("int", "float", "str", "bool")):
            continue
        ok = {
            "int": isinstance(value, int) and not isinstance(value, bool),
            "flo": isinstance(value, int | float) and not isinstance(value, bool),
            "str": isinstance(value, str),
            "boo": isinstance(value, bool),
        }[hint[:3]]
        if not ok:
            raise EditError(f"{op.name}: {f.name} must be {hint.split(' ')[0]}, not {value!r}")
