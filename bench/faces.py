"""Faces in the vertical crop: does the 9:16 "follow" crop keep the face in the picture?

One run plans the crop of each clip three ways: with OpenCV's Haar cascade (the detector reelcut
used before), with BlazeFace (the one it ships now), and with no face detector at all (motion and
contrast only). Each is checked against face boxes labelled by hand: frames of the shared clips
were drawn with a 10% grid and looked at, and the box from eyebrows to chin, cheek to cheek, was
read off the grid (about +-0.03 of the picture). A face counts as kept when at least 90% of its
width is inside the crop at that frame's time. Prints the markdown table for bench/RESULTS.md.

    PYTHONPATH=src python bench/faces.py
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import cv2
import numpy as np

from reelcut.reframe import CropPath, crop_path
from reelcut.reframe.faces import detect_faces

MEDIA = Path(__file__).resolve().parents[2] / "shared" / "media"
KEPT_SHARE = 0.9

# (clip, span in s, {time s: (x, y, w, h) as fractions of the displayed picture}), read by eye
LABELS: list[tuple[str, tuple[float, float], dict[float, tuple[float, float, float, float]]]] = [
    (
        "carphone_pristine.mp4",
        (0.0, 4.0),
        {
            0.0: (0.34, 0.30, 0.27, 0.35),
            0.5: (0.35, 0.32, 0.28, 0.33),
            1.0: (0.30, 0.31, 0.28, 0.37),
            1.5: (0.29, 0.31, 0.27, 0.35),
            2.0: (0.29, 0.28, 0.30, 0.32),
            2.5: (0.16, 0.22, 0.31, 0.38),
            3.0: (0.16, 0.26, 0.34, 0.37),
            3.5: (0.20, 0.22, 0.31, 0.41),
        },
    ),
    (
        "bikes.mp4",  # the cyclist in a suit riding to the right; the rest has no face to keep
        (0.0, 10.0),
        {1.2: (0.41, 0.10, 0.09, 0.20), 1.6: (0.71, 0.02, 0.10, 0.20)},
    ),
]


@functools.cache
def _cascade() -> cv2.CascadeClassifier:
    return cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")  # type: ignore[attr-defined]


def haar_faces(rgb: np.ndarray) -> np.ndarray:
    """The detector reelcut used before: OpenCV's frontal-face Haar cascade, same settings."""
    cascade = _cascade()
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    found = cascade.detectMultiScale(gray, scaleFactor=1.15, minNeighbors=4, minSize=(20, 20))
    return np.asarray(found, np.float32).reshape(-1, 4)


def no_faces(rgb: np.ndarray) -> np.ndarray:
    return np.zeros((0, 4), np.float32)


DETECTORS: list[tuple[str, Callable[[np.ndarray], np.ndarray]]] = [
    ("Haar cascade (before)", haar_faces),
    ("BlazeFace (now)", detect_faces),
    ("no face detector", no_faces),
]


def visible_share(path: CropPath, t_s: float, box: tuple[float, float, float, float]) -> float:
    """How much of the face's width the crop shows at ``t_s`` (the 9:16 crop is full height)."""
    x, _, w, _ = box
    cx, _ = path.center_at(t_s)
    left, right = cx - path.crop_w / 2, cx + path.crop_w / 2
    return max(0.0, min(x + w, right) - max(x, left)) / w


def main() -> None:
    print(
        "| clip | detector | labelled frames with the face kept | mean share of the face shown | plan time |"
    )
    print("|---|---|---|---|---|")
    for name, (start, end), labels in LABELS:
        for label, detector in DETECTORS:
            began = time.perf_counter()
            path = crop_path(MEDIA / name, start, end, Fraction(9, 16), faces=detector)
            took = time.perf_counter() - began
            shares = [visible_share(path, t - start, box) for t, box in labels.items()]
            kept = sum(s >= KEPT_SHARE for s in shares)
            per_frame = ", ".join(f"{t:g}s {s:.0%}" for t, s in zip(labels, shares, strict=True))
            print(f"<!-- {name} {label}: {per_frame} -->")
            print(
                f"| {name} | {label} | {kept} of {len(shares)} | {np.mean(shares):.0%} "
                f"| {took:.1f} s |"
            )


if __name__ == "__main__":
    main()
