"""Edit requests as JSON, the one vocabulary the CLI's ``apply``, the instruction parser and
planners share: every timeline op by name (``remove_clip``, ``set_format``...) plus the requests
that need the media first (``set_length``, ``next_best``, ``slow_motion``, ``music``,
``captions``, ``import_srt``) and a few short forms (``title``). :func:`resolve` turns one into a plain op.
"""

from __future__ import annotations

from typing import Any

from reelcut.durations import reel_length
from reelcut.errors import EditError
from reelcut.instructions.vocabulary import MEDIA_REQUESTS
from reelcut.timeline.model import Draft, TextSegment
from reelcut.timeline.opjson import op_from_json
from reelcut.timeline.ops import OPS, AddText, Batch, Op


def _take(body: dict[str, Any], key: str, kind: type | tuple[type, ...], default: Any) -> Any:
    value = body.pop(key, default)
    if value is not default and not isinstance(value, kind):
        raise EditError(f"{key} has the wrong type ({value!r})")
    return value


def resolve(draft: Draft, request: Any, *, use_cache: bool = True) -> Op:
    """The op for ``request`` on ``draft`` (analysis and speech run here when needed)."""
    from reelcut.editor import edits

    if not isinstance(request, dict) or not isinstance(request.get("op"), str):
        raise EditError('a request is an object with an "op" name')
    body = dict(request)
    name = body.pop("op")
    if name == "batch":
        items = body.get("ops")
        if not isinstance(items, list) or not items:
            raise EditError('a batch holds a non-empty "ops" list')
        ops: list[Op] = []
        for item in items:  # later requests see the effect of earlier ones
            op = resolve(draft, item, use_cache=use_cache)
            draft = op.apply(draft)
            ops.append(op)
        return Batch(tuple(ops))
    if name not in MEDIA_REQUESTS:
        if name not in OPS:
            known = ", ".join(sorted({*OPS, *MEDIA_REQUESTS}))
            raise EditError(f"unknown operation {name!r}; known: {known}")
        return op_from_json(request)
    number = (int, float)
    if name == "set_length":
        seconds = reel_length(_take(body, "seconds", number, None), EditError)
        op = edits.reselect(draft, seconds, use_cache=use_cache)
    elif name == "next_best":
        op = edits.next_best(draft, _take(body, "index", int, 1), use_cache=use_cache)
    elif name == "slow_motion":
        op = edits.slow_motion_replay(
            draft,
            _take(body, "index", int, None),
            float(_take(body, "speed", number, 0.5)),
            float(_take(body, "seconds", number, 3.0)),
        )
    elif name == "music":
        what = _take(body, "what", str, None)
        if not what:
            raise EditError("music needs a mood (lofi, upbeat, epic, calm...) or a file")
        op = edits.music_op(
            what,
            volume=_take(body, "volume", int, 35),
            fade_in_ms=_take(body, "fade_in_ms", int, 1000),
            fade_out_ms=_take(body, "fade_out_ms", int, 2000),
            duck=_take(body, "duck", bool, True),
        )
    elif name == "captions":
        floor = _take(body, "min_confidence", (int, float, type(None)), None)
        op = edits.captions_op(
            draft,
            _take(body, "engine", str, None),
            style=_take(body, "style", str, "classic"),
            min_confidence=None if floor is None else float(floor),
        )
    elif name == "import_srt":
        text = _take(body, "srt", str, None)
        if not text:
            raise EditError('import_srt needs the SRT text: {"op": "import_srt", "srt": "1\\n..."}')
        op = edits.srt_captions_op(draft, text)
    elif name == "focus":
        op = edits.focus_op(
            draft,
            _take(body, "kind", str, ""),
            _take(body, "keyword", (str, type(None)), None),
            use_cache=use_cache,
        )
    else:  # title
        text = _take(body, "text", str, "")
        seconds = float(_take(body, "seconds", number, 3.0))
        start = float(_take(body, "start", number, 0.0))
        seg = TextSegment(
            text,
            int(start * 1000),
            int(seconds * 1000),
            role=_take(body, "role", str, "title"),
            position=_take(body, "position", str, "center"),
            size=float(_take(body, "size", number, 0.08)),
            colour=_take(body, "colour", str, "#ffffff"),
            box=_take(body, "box", bool, False),
            font=_take(body, "font", str, "sans"),
        )
        op = AddText(seg)
    if body:
        raise EditError(f"{name}: unknown field(s) {', '.join(sorted(body))}")
    return op


def from_words(text: str) -> tuple[float | None, list[dict[str, Any]]]:
    """What a make-a-reel instruction asks for ("2-minute reel, vertical, lofi music"): the
    length it names (None: none) and the other edits as requests, for :func:`make_reels`.

    Raises :class:`InvalidArgumentError` when the words ask a question or are not understood.
    """
    from reelcut.errors import InvalidArgumentError
    from reelcut.instructions import parse

    said = parse(text)
    if said.question or said.unknown:
        raise InvalidArgumentError(said.question or said.unknown or "")
    length: float | None = None
    requests: list[dict[str, Any]] = []
    for r in said.requests:
        if r.get("op") == "set_length":
            length = float(r["seconds"])
        else:
            requests.append(r)
    return length, requests
