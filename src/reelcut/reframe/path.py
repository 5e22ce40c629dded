"""``crop_path``: sample the clip, find its shots and subject, and plan a calm camera per shot."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np

from reelcut.errors import InvalidArgumentError
from reelcut.progress import ProgressFn, no_progress
from reelcut.reframe.cuts import detect_cuts, merge_cuts
from reelcut.reframe.faces import FaceDetector, detect_faces
from reelcut.reframe.geometry import CropPath, Keyframe, crop_size
from reelcut.reframe.keyframes import simplify
from reelcut.reframe.saliency import subject_targets
from reelcut.reframe.sample import sample_frames
from reelcut.reframe.smooth import smooth_axis


def crop_path(
    source: Path,
    source_in_s: float,
    source_out_s: float,
    aspect: Fraction,
    *,
    cuts_s: Sequence[float] = (),
    sample_fps: float = 5.0,
    faces: FaceDetector = detect_faces,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> CropPath:
    """Plan a crop of ``aspect`` over ``source`` from ``source_in_s`` to ``source_out_s``.

    The window is the largest of ``aspect`` that fits the displayed picture; its centre follows
    the subject smoothly within a shot and jumps at each cut. ``cuts_s`` are cut times the caller
    already knows, in source seconds like ``source_in_s`` (e.g. ``VideoFeatures.shot_cuts_s``);
    cuts inside the clip are also found from the pictures. Keyframe times count from the clip
    start, matching a filter chain that begins with ``setpts=PTS-STARTPTS``. ``faces`` finds the
    faces the crop favours (BlazeFace by default; ``bench/faces.py`` passes the old Haar cascade).
    """
    if not source_out_s > source_in_s:
        raise InvalidArgumentError(
            f"clip ends ({source_out_s:.3f} s) before it starts ({source_in_s:.3f} s)"
        )
    aspect = Fraction(aspect)
    if aspect <= 0:
        raise InvalidArgumentError(f"aspect must be a positive width/height ratio, not {aspect}")
    samples = sample_frames(
        Path(source), source_in_s, source_out_s, sample_fps, progress=progress, cancel=cancel
    )
    crop_w, crop_h = crop_size(*samples.display_size, aspect)
    if crop_w >= 1.0 - 1e-9 and crop_h >= 1.0 - 1e-9:
        return CropPath(aspect, 1.0, 1.0, ((0.0, 0.5, 0.5),))
    span = source_out_s - source_in_s
    cuts = merge_cuts(detect_cuts(samples), [c - source_in_s for c in cuts_s], span)
    targets = subject_targets(samples.gray, crop_w, crop_h, samples.rgb, faces)
    times = samples.times_s
    shot_of = np.searchsorted(cuts, times, side="right")
    keyframes: list[Keyframe] = []
    for shot in np.unique(shot_of):
        idx = np.flatnonzero(shot_of == shot)
        t = times[idx]
        xs = smooth_axis(t, targets.x[idx], targets.weight[idx], crop_w)
        ys = smooth_axis(t, targets.y[idx], targets.weight[idx], crop_h)
        shot_kfs = simplify(t, xs, ys)
        shot_end = float(cuts[shot]) if shot < len(cuts) else span
        shot_kfs.append(_carried_on(shot_kfs, shot_end, crop_w, crop_h))
        if keyframes:
            cut = float(cuts[shot - 1])
            if shot_kfs[0][0] > cut:
                keyframes.append((cut, shot_kfs[0][1], shot_kfs[0][2]))
            else:
                shot_kfs[0] = (cut, shot_kfs[0][1], shot_kfs[0][2])
        keyframes.extend(shot_kfs)
    path = CropPath(aspect, crop_w, crop_h, _rounded(keyframes, crop_w, crop_h))
    return replace(path, face_bands=_face_bands(path, times, targets.faces))


def _face_bands(
    path: CropPath, times: np.ndarray, faces: tuple[np.ndarray, ...]
) -> tuple[tuple[float, float, float], ...]:
    """Per sample with a face, the biggest face's top and bottom as shares of the crop's height."""
    bands = []
    for t, boxes in zip(times, faces, strict=True):
        if len(boxes) == 0:
            continue
        _, y, _, h = boxes[int(np.argmax(boxes[:, 2] * boxes[:, 3]))]
        _, cy = path.center_at(float(t))
        top = (float(y) - (cy - path.crop_h / 2)) / path.crop_h
        bands.append((round(float(t), 4), round(top, 4), round(top + float(h) / path.crop_h, 4)))
    return tuple(bands)


def _carried_on(kfs: list[Keyframe], end_s: float, crop_w: float, crop_h: float) -> Keyframe:
    """The shot's last move carried on to its end (a cut or the clip's end), not a sudden stop."""
    t1, x1, y1 = kfs[-1]
    if len(kfs) < 2 or end_s <= t1:
        return (max(end_s, t1), x1, y1)
    t0, x0, y0 = kfs[-2]
    a = (end_s - t1) / (t1 - t0) if t1 > t0 else 0.0
    x = min(max(x1 + a * (x1 - x0), crop_w / 2), 1.0 - crop_w / 2)
    y = min(max(y1 + a * (y1 - y0), crop_h / 2), 1.0 - crop_h / 2)
    return (end_s, x, y)


def _rounded(keyframes: list[Keyframe], crop_w: float, crop_h: float) -> tuple[Keyframe, ...]:
    """Short numbers that still keep the window inside the picture."""
    out = []
    for t, x, y in keyframes:
        x = min(max(round(x, 5), crop_w / 2), 1.0 - crop_w / 2)
        y = min(max(round(y, 5), crop_h / 2), 1.0 - crop_h / 2)
        out.append((round(t, 4), x, y))
    return tuple(out)
