"""Negative controls: the scorer and the counter say "no" when a reel is wrong.

Every other test of ``score_reel`` expects success, so a scorer that always answered "perfect"
would pass them. Here reels are cut by FFmpeg straight from generated footage (no reelcut
selection involved), each wrong in one known way, and each must score what it is: an empty reel
shows nothing, distractors only score no precision, a reel shifted off every event scores
nothing, frames out of order are caught. A perfect reel cut the same way is the positive
control that shows the negatives fail for the right reason.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bench.controls import cut, free_spans
from reelcut.footage import Truth, counter, make_footage
from reelcut.footage.score import score_reel
from tests.conftest import ffmpeg


@pytest.fixture(scope="module")
def footage(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Truth]:
    src = tmp_path_factory.mktemp("controls") / "match.mp4"
    truth = make_footage(src, genre="sports", minutes=1.5, height=180, seed=1, speech=False)
    assert truth.highlights(2) and truth.distractors(), "the seed must draw both"
    return src, truth


def _cores(truth: Truth) -> list[tuple[float, float]]:
    return [(e.core_start_s, e.core_end_s) for e in truth.highlights(2)]


def test_positive_control_a_reel_of_every_core_scores_perfect(footage, tmp_path):
    src, truth = footage
    score = score_reel(cut(src, _cores(truth), tmp_path / "cores.mp4"), truth)
    assert score.recall == 1.0 and score.precision == 1.0
    assert score.distractor_share == 0.0 and score.in_order and score.unreadable_share < 0.01


def test_an_empty_reel_shows_nothing(footage, tmp_path):
    src, truth = footage
    empty = tmp_path / "black.mp4"
    ffmpeg("-f", "lavfi", "-i", "color=black:size=320x180:rate=30:duration=5",
           "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(empty))  # fmt: skip
    score = score_reel(empty, truth)
    assert score.recall == 0.0 and score.recall_grade1 in (None, 0.0)
    assert score.precision is None and score.distractor_share is None
    assert score.unreadable_share == 1.0 and score.segments == () and score.cuts == 0


def test_a_reel_of_distractors_only_has_no_precision(footage, tmp_path):
    src, truth = footage
    spans = [(e.start_s, e.end_s) for e in truth.distractors()]
    score = score_reel(cut(src, spans, tmp_path / "distractors.mp4"), truth)
    assert score.recall == 0.0 and score.precision == 0.0
    assert score.distractor_share is not None and score.distractor_share > 0.9


def test_a_reel_shifted_off_every_event_scores_nothing(footage, tmp_path):
    src, truth = footage
    cores = _cores(truth)
    length = min(b - a for a, b in cores)
    spans = free_spans(truth, min(length, 8.0))[: len(cores) + 1]
    assert spans, "the footage has room between its events"
    score = score_reel(cut(src, spans, tmp_path / "shifted.mp4"), truth)
    assert score.recall == 0.0 and score.precision == 0.0 and score.distractor_share == 0.0
    assert score.in_order and score.unreadable_share < 0.01


def test_a_reel_with_clips_out_of_order_is_caught(footage, tmp_path):
    src, truth = footage
    a, b = _cores(truth)[0]
    mid = (a + b) / 2
    score = score_reel(cut(src, [(mid, b), (a, mid)], tmp_path / "swapped.mp4"), truth)
    assert score.recall == 1.0  # everything is shown ...
    assert not score.in_order and score.backward_jumps == 1  # ... but not in order


def test_a_reel_with_frames_played_backwards_is_caught(footage, tmp_path):
    src, truth = footage
    a, b = _cores(truth)[0]
    score = score_reel(cut(src, [(a, a + 4.0)], tmp_path / "backwards.mp4", reverse=True), truth)
    assert not score.in_order and score.backward_jumps >= 4.0 * truth.fps - 2
    assert score.cuts > 4.0 * truth.fps / 2  # no continuous run forwards


def test_counter_reads_nothing_from_frames_without_one() -> None:
    reader = counter.Reader(640, 360)
    rng = np.random.default_rng(3)
    assert reader.read(rng.integers(0, 256, (360, 640), dtype=np.uint8)) is None
    assert reader.read(np.full((360, 640), 128, np.uint8)) is None
    assert reader.read(np.zeros((360, 640), np.uint8)) is None
