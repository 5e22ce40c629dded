"""Picture sizes: rounding to even pixels and the largest window of an aspect inside a picture.

One helper of each kind for the whole package: the draft's output size (``timeline``), the
renderer's centre crop and blurred background (``render``) and the subject-following crop
(``reframe``) all round and crop the same way, so a centre crop and a "follow" crop that never
moves are the same pixels. Pure maths, imports nothing.
"""

from __future__ import annotations

import math
from fractions import Fraction

Number = int | float | Fraction


def even(value: Number, limit: int | None = None) -> int:
    """``value`` rounded to the nearest even number of pixels (halves up), at least 2.

    H.264 in 4:2:0 needs even sizes. ``limit`` caps the result at the largest even number not
    above it (a crop never leaves its frame).
    """
    px = math.floor(Fraction(value) / 2 + Fraction(1, 2)) * 2
    if limit is not None:
        px = min(px, limit - limit % 2)
    return max(2, px)


def window(width: int, height: int, aspect: Fraction) -> tuple[Fraction, Fraction]:
    """The largest window of ``aspect`` (width / height) inside ``width`` x ``height``, as exact
    shares of the picture's width and height (both at most 1).

    A picture wider than the aspect keeps its full height (16:9 -> 9:16 crops the sides); one
    narrower keeps its full width and is cropped top and bottom.
    """
    source = Fraction(width, height)
    if source >= aspect:
        return aspect / source, Fraction(1)
    return Fraction(1), source / aspect


def centre_crop(width: int, height: int, aspect: Fraction) -> tuple[int, int]:
    """The :func:`window` in even pixels: the crop a still camera in the middle would take."""
    share_w, share_h = window(width, height, aspect)
    return even(share_w * width, width), even(share_h * height, height)
