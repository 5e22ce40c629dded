"""The crop window: its size for a target aspect, and the path value the renderer reads.

Everything here is in fractions of the *displayed* source picture (after its rotation flag), so a
path does not depend on the size the renderer decodes or scales to.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from reelcut.errors import InvalidArgumentError
from reelcut.geometry import window

Keyframe = tuple[float, float, float]  # (t_s from clip start, center_x, center_y)


@dataclass(frozen=True, slots=True)
class CropPath:
    """Where a crop of ``aspect`` sits over time.

    ``crop_w``/``crop_h`` are fractions of the displayed source width/height (both <= 1).
    ``keyframes`` are sorted by time; the centre moves in a straight line between two of them and
    holds the first/last value before/after the ends. A shot cut is a step: two keyframes with
    the same time, the last position of the old shot first, then the first of the new one.
    """

    aspect: Fraction  # target width / height
    crop_w: float
    crop_h: float
    keyframes: tuple[Keyframe, ...]
    # (t_s from clip start, top, bottom): the biggest face seen in a sample, as shares of the
    # crop's height, so titles and captions can keep off it; empty when no face was seen
    face_bands: tuple[tuple[float, float, float], ...] = ()

    def center_at(self, t_s: float) -> tuple[float, float]:
        """The crop centre at ``t_s`` (a frame at a step time already shows the new shot)."""
        kfs = self.keyframes
        if not kfs:
            return 0.5, 0.5
        if t_s < kfs[0][0]:
            return kfs[0][1], kfs[0][2]
        for (t0, x0, y0), (t1, x1, y1) in zip(kfs, kfs[1:], strict=False):
            if t_s < t1:
                if t1 <= t0:
                    continue
                a = (t_s - t0) / (t1 - t0)
                return x0 + a * (x1 - x0), y0 + a * (y1 - y0)
        return kfs[-1][1], kfs[-1][2]


def crop_size(width: int, height: int, aspect: Fraction) -> tuple[float, float]:
    """Largest window of ``aspect`` inside a ``width`` x ``height`` picture, as fractions
    (:func:`reelcut.geometry.window`, the one the renderer's centre crop also takes)."""
    if aspect <= 0:
        raise InvalidArgumentError(f"aspect must be a positive width/height ratio, not {aspect}")
    if width <= 0 or height <= 0:
        raise InvalidArgumentError(f"picture size {width}x{height} makes no sense")
    share_w, share_h = window(width, height, Fraction(aspect))
    return float(share_w), float(share_h)


def center_path(width: int, height: int, aspect: Fraction) -> CropPath:
    """A static crop in the middle of the picture: the fallback when nothing guides the camera."""
    crop_w, crop_h = crop_size(width, height, aspect)
    return CropPath(Fraction(aspect), crop_w, crop_h, ((0.0, 0.5, 0.5),))
