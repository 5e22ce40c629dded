"""Faces with MediaPipe's BlazeFace (short range), a single-shot detector from 2019 that ships
inside reelcut's wheel (230 KB, Apache-2.0; see ``models/README.md``) and runs on OpenCV's own
DNN module, so no other runtime and no download is needed.

OpenCV's Haar cascade did this before: it lost the face of a talking head turned a little away
from the camera (``bench/faces.py`` measures both). BlazeFace looks at a 128x128 square; a wide
picture is covered by overlapping squares of its height, so a face of about a tenth of the
picture's height or more is found in any part of it. Smaller faces are crowds, not the subject.

When the model cannot load (an OpenCV built without its TFLite reader, a wheel without the file)
reframing works on motion and contrast alone and :func:`faces_available` says so.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np

MODEL_PATH = Path(__file__).parent / "models" / "face_detection_short_range.tflite"
# MediaPipe's default of 0.5 also takes a car's rear window in bikes.mp4 (0.50-0.61) and cartoon
# faces in bigbuckbunny.mp4 (up to 0.77); real faces in the shared clips score 0.81-0.99.
MIN_SCORE = 0.75
_INPUT = 128
_STRIDES = (8, 16, 16, 16)  # MediaPipe's SSD anchor options for the short-range model
_NMS_OVERLAP = 0.3
_SQUARE_OVERLAP = 0.25  # neighbouring squares over a wide picture share this much


class FaceDetector(Protocol):
    """Finds faces in one upright RGB picture: boxes ``(x, y, w, h)`` in its pixels, (k, 4)."""

    def __call__(self, rgb: np.ndarray) -> np.ndarray: ...


@functools.cache
def _network() -> Any:
    reader = getattr(cv2.dnn, "readNetFromTFLite", None)
    if reader is None or not MODEL_PATH.is_file():
        return None
    try:
        return reader(str(MODEL_PATH))
    except cv2.error:
        return None


@functools.cache
def _anchors() -> np.ndarray:
    """Anchor centres (fractions of the square), in the order of the model's outputs."""
    out: list[tuple[float, float]] = []
    i = 0
    while i < len(_STRIDES):
        j = i
        while j < len(_STRIDES) and _STRIDES[j] == _STRIDES[i]:
            j += 1
        cells = _INPUT // _STRIDES[i]
        per_cell = 2 * (j - i)
        for y in range(cells):
            for x in range(cells):
                out += [((x + 0.5) / cells, (y + 0.5) / cells)] * per_cell
        i = j
    return np.asarray(out, np.float32)


def faces_available() -> bool:
    """True when face detection can run here (the model loads in this OpenCV)."""
    return _network() is not None


def detect_faces(rgb: np.ndarray) -> np.ndarray:
    """Face boxes ``(x, y, w, h)`` in pixels of the ``(h, w, 3)`` RGB picture; (0, 4) when none
    (or when the model is unavailable). Boxes hold the eyes, nose and mouth (not the hair)."""
    net = _network()
    h, w = rgb.shape[:2]
    if net is None or h < 8 or w < 8:
        return np.zeros((0, 4), np.float32)
    boxes: list[np.ndarray] = []
    scores: list[np.ndarray] = []
    for x0, y0, side in _squares(w, h):
        b, s = _detect_square(net, rgb[y0 : y0 + side, x0 : x0 + side])
        boxes.append(b + np.array([x0, y0, 0, 0], np.float32))
        scores.append(s)
    all_boxes, all_scores = np.concatenate(boxes), np.concatenate(scores)
    if len(all_boxes) == 0:
        return np.zeros((0, 4), np.float32)
    keep = cv2.dnn.NMSBoxes(all_boxes.tolist(), all_scores.tolist(), MIN_SCORE, _NMS_OVERLAP)
    return all_boxes[np.asarray(keep, int).reshape(-1)]


def _squares(w: int, h: int) -> list[tuple[int, int, int]]:
    """Overlapping squares ``(x0, y0, side)`` of the shorter side that cover the picture."""
    side = min(w, h)
    long_side = max(w, h)
    n = (
        1
        if long_side == side
        else math.ceil((long_side - side) / (side * (1 - _SQUARE_OVERLAP))) + 1
    )
    starts = [round(k * (long_side - side) / max(n - 1, 1)) for k in range(n)]
    return [(s, 0, side) if w >= h else (0, s, side) for s in starts]


def _detect_square(net: Any, rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    side = rgb.shape[0]
    blob = cv2.dnn.blobFromImage(
        np.ascontiguousarray(rgb), 1 / 127.5, (_INPUT, _INPUT), (127.5, 127.5, 127.5)
    )
    net.setInput(blob)
    names = net.getUnconnectedOutLayersNames()
    outputs = dict(zip(names, net.forward(names), strict=True))
    raw = outputs["regressors"].reshape(-1, 16)
    logits = np.clip(outputs["classificators"].reshape(-1), -80.0, 80.0)
    score = 1.0 / (1.0 + np.exp(-logits))
    keep = score > MIN_SCORE
    reg = raw[keep, :4] / _INPUT
    anchor = _anchors()[keep]
    cx, cy = anchor[:, 0] + reg[:, 0], anchor[:, 1] + reg[:, 1]
    bw, bh = reg[:, 2], reg[:, 3]
    boxes = np.stack([cx - bw / 2, cy - bh / 2, bw, bh], axis=1) * side
    return boxes.astype(np.float32), score[keep].astype(np.float32)
