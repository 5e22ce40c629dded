"""Face detection on real footage (the shared clips), and the 9:16 crop that follows the face.

Where the face is was read by eye from frames of carphone_pristine.mp4 (bench/faces.py holds the
hand labels): the face sits a little left of centre, in the upper middle of the picture.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np

from reelcut.reframe import crop_path
from reelcut.reframe.faces import detect_faces, faces_available
from reelcut.reframe.sample import sample_frames
from tests.conftest import shared_clip


def _faces(name: str, start_s: float = 0.0, end_s: float = 100.0) -> list[np.ndarray]:
    samples = sample_frames(shared_clip(name), start_s, end_s, 5.0)
    h, w = samples.rgb.shape[1:3]
    return [detect_faces(rgb) / np.array([w, h, w, h]) for rgb in samples.rgb]


def test_the_face_model_ships_and_loads_here() -> None:
    assert faces_available() is True


def test_the_car_interview_face_is_found_left_of_centre() -> None:
    found = _faces("carphone_pristine.mp4")
    assert len(found) == 20
    assert all(len(f) == 1 for f in found)  # one face in every sample, nothing else
    boxes = np.concatenate(found)
    cx, cy = boxes[:, 0] + boxes[:, 2] / 2, boxes[:, 1] + boxes[:, 3] / 2
    assert ((cx > 0.25) & (cx < 0.55)).all()  # labelled by eye: centres 0.31-0.49
    assert ((cy > 0.35) & (cy < 0.60)).all()  # labelled by eye: 0.41-0.49
    assert ((boxes[:, 2] > 0.2) & (boxes[:, 2] < 0.4)).all()  # about a third of the width


def test_street_scene_faces_only_where_a_person_faces_the_camera() -> None:
    """bikes.mp4: the cyclist in a suit riding left to right (1.2-1.6 s, seen in the frames) has a
    face; cars, fences, a parked bike and a cyclist seen from far away (4 s, a face of 9 px at the
    sampled size) do not count."""
    found = _faces("bikes.mp4")
    with_face = [i for i, f in enumerate(found) if len(f)]
    assert with_face and set(with_face) <= {5, 6, 7, 8, 9}  # samples at 1.0-1.8 s
    assert all(len(found[i]) == 1 for i in with_face)
    x, y, w, h = np.concatenate([found[i] for i in with_face]).T
    assert ((x + w / 2 > 0.35) & (x + w / 2 < 0.85) & (y + h / 2 < 0.35)).all()  # head, top
    assert (np.diff(x) > 0).all()  # he rides to the right


def test_the_916_crop_keeps_the_car_interview_face(tmp_path: Path) -> None:
    """Every sampled frame's face (as the detector found it at the sampled size) is at least 90%
    inside the 9:16 window; bench/faces.py measures it against hand labels."""
    path = crop_path(shared_clip("carphone_pristine.mp4"), 0.0, 4.0, Fraction(9, 16))
    samples = sample_frames(shared_clip("carphone_pristine.mp4"), 0.0, 4.0, 5.0)
    h, w = samples.rgb.shape[1:3]
    inside = []
    for t, rgb in zip(samples.times_s, samples.rgb, strict=True):
        ((x, _, fw, _),) = detect_faces(rgb) / np.array([w, h, w, h])
        cx, _ = path.center_at(float(t))
        left, right = cx - path.crop_w / 2, cx + path.crop_w / 2
        inside.append((min(x + fw, right) - max(x, left)) / fw >= 0.9)
    assert np.mean(inside) >= 0.9
