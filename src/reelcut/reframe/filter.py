"""A :class:`CropPath` as one FFmpeg ``crop`` filter whose x and y are expressions of ``t``.

Each expression is a flat sum: the first position, plus ``D*clip((t-T)/L,0,1)`` for every
straight move of ``D`` pixels starting at ``T`` and lasting ``L`` seconds, plus ``J*gte(t,C)`` for
every step of ``J`` pixels at a cut ``C``. Flat sums stay short and need no nesting depth; a still
camera is a plain number. The whole sum is clipped into the frame. Expressions are single-quoted,
which protects their commas in a filtergraph (``-vf`` and ``-filter_complex`` alike).
"""

from __future__ import annotations

from reelcut.errors import InvalidArgumentError
from reelcut.geometry import even
from reelcut.reframe.geometry import CropPath

_MIN_MOVE_PX = 0.05  # moves smaller than this do not earn a term


def crop_size_px(path: CropPath, width: int, height: int) -> tuple[int, int]:
    """The crop's size in pixels for ``width`` x ``height`` frames: even, inside the frame."""
    if width < 2 or height < 2:
        raise InvalidArgumentError(f"frame size {width}x{height} is too small to crop")
    return even(path.crop_w * width, width), even(path.crop_h * height, height)


def crop_filter(path: CropPath, width: int, height: int) -> str:
    """``crop=w=..:h=..:x=..:y=..`` for upright ``width`` x ``height`` frames, t from 0 at the clip start."""
    crop_w, crop_h = crop_size_px(path, width, height)
    kfs = path.keyframes or ((0.0, 0.5, 0.5),)
    xs = [(t, _clamp(cx * width - crop_w / 2, 0.0, width - crop_w)) for t, cx, _ in kfs]
    ys = [(t, _clamp(cy * height - crop_h / 2, 0.0, height - crop_h)) for t, _, cy in kfs]
    x_expr = _expression(xs, width - crop_w)
    y_expr = _expression(ys, height - crop_h)
    return f"crop=w={crop_w}:h={crop_h}:x={x_expr}:y={y_expr}"


def _expression(points: list[tuple[float, float]], limit: int) -> str:
    """Piecewise-linear function of t through ``points`` (a repeated time is a step)."""
    terms: list[str] = []
    for (t0, v0), (t1, v1) in zip(points, points[1:], strict=False):
        delta = v1 - v0
        if abs(delta) < _MIN_MOVE_PX:
            continue
        if t1 - t0 <= 1e-6:
            terms.append(f"{_signed(delta)}*gte(t,{_num(t1, 4)})")
        else:
            since = f"t-{_num(t0, 4)}" if t0 > 0 else "t"
            terms.append(f"{_signed(delta)}*clip(({since})/{_num(t1 - t0, 4)},0,1)")
    if not terms:
        return _num(points[0][1], 2)
    return f"'clip({_num(points[0][1], 2)}{''.join(terms)},0,{limit})'"


def _num(value: float, digits: int) -> str:
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _signed(value: float) -> str:
    return ("+" if value >= 0 else "") + _num(value, 2)


def _clamp(value: float, lo: float, hi: float) -> float:
    return min(max(value, lo), hi)
