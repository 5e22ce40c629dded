"""Where the subject is in each sampled picture: faces, then what moves, then what stands out.

Motion is a three-frame difference (a pixel counts when it differs from both the sample before
and the one after), which marks where a moving thing *is* now rather than where it was; the
camera's own pan is taken out first with phase correlation, so a pan does not light up the whole
picture. Contrast against a blurred surround finds a subject that does not move. Faces weigh most.
The target is the mass centre of the strongest region of the combined map (plus other strong
regions that fit in the crop with it). A weight of 0 says "nothing to follow here".
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from reelcut.reframe.faces import FaceDetector, detect_faces

_NOISE_LEVEL = 4.0  # grey levels of compression noise left in a difference
_CONTRAST_WEIGHT = 0.35
_FACE_WEIGHT = 1.5  # x 255 at a face centre
_FLOOR = 8.0  # a map peak below this (grey levels) is no subject
_FULL_WEIGHT = 40.0  # ... and one this far above the floor is fully trusted
_REGION_LEVEL = 0.5  # a region is the part of the map above this share of its peak
_COMPANION_MASS = 0.5  # other regions at least this heavy are framed too, if they fit
_CLEAR_SHARE = 0.25  # chosen regions holding this share of the whole map are fully trusted


@dataclass(frozen=True, slots=True)
class Targets:
    """Per sample: the subject centre as fractions of the picture, and how sure (0..1).

    ``faces`` holds, per sample, the face boxes found ``(x, y, w, h)`` as fractions of the picture.
    """

    x: np.ndarray
    y: np.ndarray
    weight: np.ndarray
    faces: tuple[np.ndarray, ...] = ()


def subject_targets(
    gray: np.ndarray,
    crop_w: float,
    crop_h: float,
    rgb: np.ndarray | None = None,
    faces: FaceDetector = detect_faces,
) -> Targets:
    """Targets for the ``(n, h, w)`` grey samples, for a crop of ``crop_w`` x ``crop_h``.

    Faces are looked for in ``rgb`` (the same samples in colour) with ``faces``; without ``rgb``
    the grey pictures are given to the detector as colour.
    """
    n, h, w = gray.shape
    frames = [cv2.GaussianBlur(g.astype(np.float32), (3, 3), 0) for g in gray]
    shifts = [(0.0, 0.0)] + [_global_shift(frames[i - 1], frames[i]) for i in range(1, n)]
    xs, ys, ws = np.full(n, 0.5), np.full(n, 0.5), np.zeros(n)
    found: list[np.ndarray] = []
    scale = np.array([w, h, w, h], np.float32)
    for i in range(n):
        smap = saliency_map(frames, shifts, i)
        colour = rgb[i] if rgb is not None else cv2.cvtColor(gray[i], cv2.COLOR_GRAY2RGB)
        boxes = np.asarray(faces(colour), np.float32).reshape(-1, 4)
        for fx, fy, fw, fh in boxes:
            smap += _blob(h, w, fx + fw / 2, fy + fh / 2, max(fw, fh) / 2, 255.0 * _FACE_WEIGHT)
        found.append(boxes / scale)
        xs[i], ys[i], ws[i] = _target(smap, crop_w, crop_h)
    return Targets(xs, ys, ws, tuple(found))


def saliency_map(frames: list[np.ndarray], shifts: list[tuple[float, float]], i: int) -> np.ndarray:
    """Motion plus contrast for sample ``i`` (grey levels, 0 where nothing stands out)."""
    h, w = frames[i].shape
    diffs: list[np.ndarray] = []
    if i > 0:
        diffs.append(_aligned_diff(frames[i], frames[i - 1], shifts[i]))
    if i + 1 < len(frames):
        dx, dy = shifts[i + 1]
        diffs.append(_aligned_diff(frames[i], frames[i + 1], (-dx, -dy)))
    if diffs:
        motion = np.minimum.reduce(diffs) if len(diffs) > 1 else diffs[0]
        motion = np.maximum(motion - (float(np.median(motion)) + _NOISE_LEVEL), 0.0)
    else:
        motion = np.zeros((h, w), np.float32)
    sigma = max(w / 48.0, 1.0)
    near = cv2.GaussianBlur(frames[i], (0, 0), 1.5)
    surround = cv2.GaussianBlur(frames[i], (0, 0), w / 10.0)
    contrast = np.abs(near - surround)
    contrast = np.maximum(contrast - (float(np.median(contrast)) + _NOISE_LEVEL), 0.0)
    combined = motion + _CONTRAST_WEIGHT * contrast
    return cv2.GaussianBlur(combined, (0, 0), sigma)


def _global_shift(prev: np.ndarray, cur: np.ndarray) -> tuple[float, float]:
    """The camera's own move from ``prev`` to ``cur`` in pixels, or none when unsure."""
    (dx, dy), response = cv2.phaseCorrelate(prev, cur)
    h, w = cur.shape
    if response < 0.08 or abs(dx) > w / 3 or abs(dy) > h / 3 or (abs(dx) < 0.5 and abs(dy) < 0.5):
        return 0.0, 0.0
    return float(dx), float(dy)


def _aligned_diff(cur: np.ndarray, other: np.ndarray, shift: tuple[float, float]) -> np.ndarray:
    """|cur - other moved by shift|, zero on the border the move uncovered."""
    dx, dy = shift
    if dx or dy:
        matrix = np.array([[1.0, 0.0, dx], [0.0, 1.0, dy]], np.float32)
        other = cv2.warpAffine(
            other, matrix, (cur.shape[1], cur.shape[0]), borderMode=cv2.BORDER_REPLICATE
        )
    diff = np.abs(cur - other)
    mx, my = int(np.ceil(abs(dx))) + 1, int(np.ceil(abs(dy))) + 1
    if dx or dy:
        diff[:my, :] = 0
        diff[-my:, :] = 0
        diff[:, :mx] = 0
        diff[:, -mx:] = 0
    return diff


def _blob(h: int, w: int, cx: float, cy: float, radius: float, peak: float) -> np.ndarray:
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    d2 = ((xx - cx) ** 2 + (yy - cy) ** 2) / max(radius, 1.0) ** 2
    return (peak * np.exp(-d2)).astype(np.float32)


def _target(smap: np.ndarray, crop_w: float, crop_h: float) -> tuple[float, float, float]:
    h, w = smap.shape
    peak = float(smap.max())
    if peak < _FLOOR:
        return 0.5, 0.5, 0.0
    mask = (smap >= _REGION_LEVEL * peak).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    masses = np.bincount(labels.ravel(), weights=smap.ravel(), minlength=count)[1:]
    order = np.argsort(masses)[::-1] + 1
    chosen = [int(order[0])]
    x0, y0 = stats[order[0], cv2.CC_STAT_LEFT], stats[order[0], cv2.CC_STAT_TOP]
    x1 = x0 + stats[order[0], cv2.CC_STAT_WIDTH]
    y1 = y0 + stats[order[0], cv2.CC_STAT_HEIGHT]
    for lab in order[1:]:
        if masses[lab - 1] < _COMPANION_MASS * masses[order[0] - 1]:
            break
        left, top = stats[lab, cv2.CC_STAT_LEFT], stats[lab, cv2.CC_STAT_TOP]
        nx0, ny0 = min(x0, left), min(y0, top)
        nx1 = max(x1, left + stats[lab, cv2.CC_STAT_WIDTH])
        ny1 = max(y1, top + stats[lab, cv2.CC_STAT_HEIGHT])
        if (nx1 - nx0) <= 0.8 * crop_w * w and (ny1 - ny0) <= 0.8 * crop_h * h:
            chosen.append(int(lab))
            x0, y0, x1, y1 = nx0, ny0, nx1, ny1
    sel = np.isin(labels, chosen)
    weights = np.where(sel, smap, 0.0)
    total = float(weights.sum())
    yy, xx = np.mgrid[0:h, 0:w]
    cx = float((weights * (xx + 0.5)).sum() / total) / w
    cy = float((weights * (yy + 0.5)).sum() / total) / h
    # A subject stands out: when the chosen regions hold little of the map's mass (a pan over a
    # busy street lights up everything), the target is a guess and weighs less.
    share = total / max(float(smap.sum()), 1e-6)
    confidence = min(1.0, (peak - _FLOOR) / _FULL_WEIGHT) * min(1.0, share / _CLEAR_SHARE)
    return cx, cy, confidence
