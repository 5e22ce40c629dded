"""Frontal faces with OpenCV's Haar cascade, when the installed OpenCV ships it.

Some opencv-python-headless builds come without the cascade XML files; reframing then works on
motion and contrast alone instead of failing, and :func:`faces_available` says so.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import cv2
import numpy as np

CASCADE_NAME = "haarcascade_frontalface_default.xml"
_MIN_FACE_PX = 20  # at ~224 px wide, a face smaller than this is a crowd member, not the subject


@functools.cache
def _cascade() -> Any:
    folder = getattr(getattr(cv2, "data", None), "haarcascades", "")
    path = Path(folder) / CASCADE_NAME
    if not folder or not path.is_file():
        return None
    cascade = cv2.CascadeClassifier(str(path))  # type: ignore[attr-defined]
    return None if cascade.empty() else cascade


def faces_available() -> bool:
    """True when face detection can run here (the cascade file is installed)."""
    return _cascade() is not None


def detect_faces(gray: np.ndarray) -> np.ndarray:
    """Face boxes ``(x, y, w, h)`` in pixels of ``gray``; an empty (0, 4) array without a cascade."""
    cascade = _cascade()
    if cascade is None:
        return np.zeros((0, 4), np.int32)
    found = cascade.detectMultiScale(
        gray, scaleFactor=1.15, minNeighbors=4, minSize=(_MIN_FACE_PX, _MIN_FACE_PX)
    )
    return np.asarray(found, np.int32).reshape(-1, 4)
