"""Reframing pieces without media: window size, camera path, keyframes, filter text, cuts."""

from __future__ import annotations

import math
import re
from fractions import Fraction

import numpy as np
import pytest

from reelcut.errors import InvalidArgumentError
from reelcut.reframe import CropPath, center_path, crop_filter, crop_size, crop_size_px
from reelcut.reframe import faces as faces_mod
from reelcut.reframe.cuts import detect_cuts, merge_cuts
from reelcut.reframe.faces import detect_faces, faces_available
from reelcut.reframe.keyframes import simplify
from reelcut.reframe.saliency import subject_targets
from reelcut.reframe.sample import Samples, _grid_hist
from reelcut.reframe.smooth import smooth_axis

FPS = 5.0


@pytest.mark.parametrize(
    ("size", "aspect", "expected"),
    [
        ((1920, 1080), Fraction(9, 16), (0.31640625, 1.0)),
        ((1920, 1080), Fraction(1, 1), (0.5625, 1.0)),
        ((1920, 1080), Fraction(4, 5), (0.45, 1.0)),
        ((1080, 1920), Fraction(16, 9), (1.0, 0.31640625)),
        ((1280, 720), Fraction(16, 9), (1.0, 1.0)),
    ],
)
def test_crop_is_the_largest_window_of_the_aspect(size, aspect, expected) -> None:
    assert crop_size(*size, aspect) == pytest.approx(expected)


def test_bad_aspect_is_an_argument_error() -> None:
    with pytest.raises(InvalidArgumentError):
        crop_size(640, 360, Fraction(0))


def test_center_path_is_one_keyframe_in_the_middle() -> None:
    path = center_path(640, 360, Fraction(9, 16))
    assert path.keyframes == ((0.0, 0.5, 0.5),)
    assert crop_filter(path, 640, 360) == "crop=w=202:h=360:x=219:y=0"


def _times(seconds: float) -> np.ndarray:
    return np.arange(0.0, seconds, 1 / FPS)


def test_jittering_still_subject_gives_a_still_centred_crop() -> None:
    rng = np.random.default_rng(1)
    t = _times(6)
    target = 0.3 + rng.normal(0, 0.006, len(t))
    path = smooth_axis(t, target, np.ones(len(t)), crop=0.316)
    assert np.ptp(path) < 1e-6
    assert path[0] == pytest.approx(0.3, abs=0.005)


def test_path_is_smooth_on_a_jittery_moving_subject() -> None:
    rng = np.random.default_rng(2)
    t = _times(8)
    truth = 0.25 + 0.06 * t  # drifts right
    target = truth + rng.normal(0, 0.01, len(t))
    path = smooth_axis(t, target, np.ones(len(t)), crop=0.316)
    second = np.abs(np.diff(path, n=2))
    assert second.max() < 0.2 * np.abs(np.diff(target, n=2)).max()
    assert second.max() < 0.01
    assert np.abs(path - truth).max() < 0.3 * 0.316  # the subject stays well inside


def test_path_never_leaves_the_picture() -> None:
    t = _times(4)
    path = smooth_axis(t, np.linspace(-0.2, 1.3, len(t)), np.ones(len(t)), crop=0.4)
    assert path.min() >= 0.2 - 1e-9 and path.max() <= 0.8 + 1e-9


def test_nothing_to_follow_holds_the_middle() -> None:
    t = _times(3)
    assert np.allclose(smooth_axis(t, np.full(len(t), 0.9), np.zeros(len(t)), 0.3), 0.5)


def test_unsure_samples_do_not_move_the_camera() -> None:
    t = _times(4)
    target = np.full(len(t), 0.3)
    weight = np.ones(len(t))
    target[8], weight[8] = 0.9, 0.0  # one wild guess with no confidence
    path = smooth_axis(t, target, weight, 0.316)
    assert np.ptp(path) < 1e-6


def test_simplify_keeps_only_corners() -> None:
    t = _times(4)
    xs = np.interp(t, [0, 2, 4], [0.2, 0.6, 0.6])
    kfs = simplify(t, xs, np.full(len(t), 0.5))
    assert [k[0] for k in kfs] == [0.0, 2.0, pytest.approx(3.8)]
    assert simplify(t, np.full(len(t), 0.4), np.full(len(t), 0.5)) == [(0.0, 0.4, 0.5)]


def _evaluate(expr: str, t: float) -> float:
    """Evaluate an FFmpeg expression of t (the subset crop_filter writes) in Python."""
    py = expr.strip("'").replace("\\,", ",")
    py = re.sub(r"\bclip\(", "_clip(", py)
    py = re.sub(r"\bgte\(", "_gte(", py)
    env = {"t": t, "_clip": lambda v, a, b: min(max(v, a), b), "_gte": lambda a, b: float(a >= b)}
    return float(eval(py, {"__builtins__": {}}, env))


def _parts(filter_text: str) -> dict[str, str]:
    body = filter_text.removeprefix("crop=")
    return dict(part.split("=", 1) for part in re.findall(r"(?:[^:']|'[^']*')+", body))


def test_filter_expression_follows_the_path_and_steps_at_a_cut() -> None:
    kfs = ((0.0, 0.3, 0.5), (1.0, 0.3, 0.5), (2.5, 0.7, 0.5), (3.0, 0.7, 0.5), (3.0, 0.2, 0.5))
    path = CropPath(Fraction(9, 16), 0.31640625, 1.0, kfs)
    text = crop_filter(path, 1920, 1080)
    parts = _parts(text)
    assert parts["w"] == "608" and parts["h"] == "1080" and parts["y"] == "0"
    assert "gte(t,3)" in parts["x"]
    for t in np.arange(0, 4, 0.04):
        want = min(max(path.center_at(t)[0] * 1920 - 304, 0), 1920 - 608)
        assert _evaluate(parts["x"], t) == pytest.approx(want, abs=0.02)
    assert _evaluate(parts["x"], 2.99) > 1000 and _evaluate(parts["x"], 3.0) < 300


def test_filter_sizes_are_even_and_inside_odd_frames() -> None:
    path = CropPath(Fraction(4, 5), 0.45, 1.0, ((0.0, 0.0, 0.5), (1.0, 1.0, 0.5)))
    w, h = crop_size_px(path, 853, 481)
    assert (w % 2, h % 2) == (0, 0) and w <= 853 and h <= 480
    parts = _parts(crop_filter(path, 853, 481))
    xs = [_evaluate(parts["x"], t) for t in np.linspace(-1, 2, 31)]
    assert min(xs) >= 0 and max(xs) <= 853 - w


def test_known_cuts_win_and_stay_inside_the_clip() -> None:
    merged = merge_cuts(np.asarray([1.02, 2.5]), [1.0, -3.0, 9.0], span_s=4.0)
    assert merged.tolist() == [1.0, 2.5]


def _samples_from(rgbs: list[np.ndarray]) -> Samples:
    n = len(rgbs)
    gray = np.stack([r.mean(axis=2).astype(np.uint8) for r in rgbs])
    times = np.arange(n) / FPS
    return Samples(
        times, gray, np.stack(rgbs), np.stack([_grid_hist(r) for r in rgbs]), times,
        gray.astype(np.float32),
        (gray.shape[2], gray.shape[1]),
    )  # fmt: skip


def _scene(seed: int, box_x: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 255, 3)
    img = np.clip(base + rng.normal(0, 20, (72, 128, 3)), 0, 255).astype(np.uint8)
    img[30:45, box_x : box_x + 15] = 255
    return img


def test_cut_found_between_scenes_but_not_for_a_moving_subject() -> None:
    frames = [_scene(1, 10 + 8 * i) for i in range(8)] + [_scene(2, 100) for _ in range(6)]
    cuts = detect_cuts(_samples_from(frames))
    assert cuts.tolist() == [pytest.approx(7.5 / FPS)]  # midway between the two frames


def test_a_face_outweighs_motion_elsewhere() -> None:
    """How the map weighs a face against motion (the detector itself: tests/integration)."""
    rng = np.random.default_rng(3)
    gray = rng.integers(20, 40, (5, 90, 160)).astype(np.uint8)
    for i in range(5):  # a small thing moving on the left
        gray[i, 40:50, 10 + 3 * i : 18 + 3 * i] = 120
    targets = subject_targets(gray, 0.3, 1.0, faces=lambda rgb: np.asarray([[120, 30, 24, 24]]))
    assert np.allclose(targets.x, 132 / 160, atol=0.03)
    assert (targets.weight > 0.9).all()
    assert targets.faces[0] == pytest.approx(np.asarray([[0.75, 30 / 90, 0.15, 24 / 90]]))


def test_without_the_model_faces_are_skipped_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(faces_mod, "MODEL_PATH", faces_mod.MODEL_PATH.with_name("absent.tflite"))
    faces_mod._network.cache_clear()
    try:
        assert faces_available() is False
        rgb = np.random.default_rng(0).integers(0, 256, (90, 160, 3), dtype=np.uint8)
        assert detect_faces(rgb).shape == (0, 4)
    finally:
        monkeypatch.undo()
        faces_mod._network.cache_clear()
    assert faces_available() is True


def test_center_at_interpolates_and_holds_the_ends() -> None:
    path = CropPath(Fraction(1), 0.5, 1.0, ((1.0, 0.3, 0.5), (2.0, 0.5, 0.5)))
    assert path.center_at(0.0) == (0.3, 0.5)
    assert path.center_at(1.5)[0] == pytest.approx(0.4)
    assert path.center_at(5.0) == (0.5, 0.5)
    assert math.isclose(path.center_at(2.0)[0], 0.5)
