"""Generated footage: counter round trips (any crop), deterministic scripts, physical levels."""

from __future__ import annotations

import json
from pathlib import Path

import av
import numpy as np
import pytest

import bench.crosscheck
from bench.crosscheck import gaming, sports, talk
from bench.crosscheck.mix import Mixer
from bench.crosscheck.voices import phrase, phrase_s
from reelcut.errors import InvalidArgumentError
from reelcut.footage import GRADES, Truth, TruthEvent, counter, make_footage, truth_path
from reelcut.footage.encode import RATE

PLANNERS = {"sports": sports.plan, "talk": talk.plan, "gaming": gaming.plan}


def _stand_in_length(text: str, voice: str) -> float:
    return phrase_s(text, voice, False)


def _frame_with_code(index: int, tag: int, width: int = 640, height: int = 360) -> np.ndarray:
    y = np.random.default_rng(index).integers(16, 236, (height, width), dtype=np.uint8)
    u = np.full((height // 2, width // 2), 128, np.uint8)
    counter.draw_yuv(y, u, u.copy(), index, tag)
    return y


def _resize(gray: np.ndarray, width: int, height: int) -> np.ndarray:
    rows = (np.arange(height) * gray.shape[0] / height).astype(int)
    cols = (np.arange(width) * gray.shape[1] / width).astype(int)
    return gray[rows][:, cols]


@pytest.mark.parametrize("index", [0, 1, 2, 1799, 54_321, counter.MAX_INDEX])
@pytest.mark.parametrize("tag", [0, 5, 7])
def test_counter_cells_round_trip(index: int, tag: int) -> None:
    assert counter.decode_cells(counter.cells_of(index, tag)) == counter.Code(index, tag)


def test_counter_rejects_any_single_flipped_cell() -> None:
    cells = counter.cells_of(4242, 3)
    for k in range(len(cells)):
        broken = cells.copy()
        broken[k] ^= 1
        assert counter.decode_cells(broken) is None


def test_consecutive_frames_flip_one_cell() -> None:
    """Gray code: the counter adds one changing cell per frame, not a flickering strip."""
    for i in range(0, 5000, 7):
        assert int(np.sum(counter.cells_of(i, 1)[1:21] != counter.cells_of(i + 1, 1)[1:21])) == 1


@pytest.mark.parametrize("size", [(640, 360), (320, 180), (1280, 720), (1920, 1080)])
def test_reader_reads_scaled_frames(size: tuple[int, int]) -> None:
    gray = _resize(_frame_with_code(777, 2), *size)
    assert counter.Reader(*size).read(gray) == counter.Code(777, 2)


def test_reader_reads_vertical_centre_crop_and_letterbox() -> None:
    gray = _frame_with_code(31_337, 6)
    crop_w = 202
    x0 = (640 - crop_w) // 2
    crop = _resize(gray[:, x0 : x0 + crop_w], 360, 640)
    assert counter.Reader(360, 640).read(crop) == counter.Code(31_337, 6)
    boxed = np.zeros((1280, 720), np.uint8)
    boxed[437 : 437 + 405] = _resize(gray, 720, 405)
    assert counter.Reader(720, 1280).read(boxed) == counter.Code(31_337, 6)


@pytest.mark.parametrize("aspect", [(9, 16), (1, 1), (4, 5)])
def test_reader_reads_a_crop_wherever_a_reframe_puts_it(aspect: tuple[int, int]) -> None:
    """A crop that follows the action may sit anywhere across the picture, not just centred."""
    gray = _frame_with_code(4_321, 3)
    crop_w = round(360 * aspect[0] / aspect[1])
    for x0 in range(0, 640 - crop_w + 1, 7):
        crop = gray[:, x0 : x0 + crop_w]
        assert counter.Reader(crop_w, 360).read(crop) == counter.Code(4_321, 3), x0


def test_reader_reads_a_demo_generator_rgb_frame() -> None:
    rgb = np.random.default_rng(0).integers(0, 256, (180, 320, 3), dtype=np.uint8)
    counter.draw_rgb(rgb, 9_999, 5)
    luma = (16 + rgb @ np.array([0.257, 0.504, 0.098])).astype(np.uint8)
    assert counter.Reader(640, 360).read(_resize(luma, 640, 360)) == counter.Code(9_999, 5)


def test_reader_refuses_a_blend_of_two_frames() -> None:
    a, b = _frame_with_code(1000, 1), _frame_with_code(3000, 1)
    blend = ((a.astype(int) + b.astype(int)) // 2).astype(np.uint8)
    assert counter.Reader(640, 360).read(blend) is None


def test_every_vertical_crop_holds_a_whole_copy_of_the_counter() -> None:
    crop = (9 / 16) / (16 / 9)
    spans = [
        (a - counter.QUIET, a + counter.COLS * counter.CELL_W + counter.QUIET)
        for a in counter.copy_lefts()
    ]
    assert spans[0][0] >= 0 and spans[-1][1] <= 1
    for x0 in np.linspace(0, 1 - crop, 200):
        assert any(x0 <= a and b <= x0 + crop for a, b in spans), x0
    assert counter.CELL_W >= 1 / 40


def test_truth_json_round_trip(tmp_path: Path) -> None:
    truth = Truth(
        "talk",
        60.0,
        30,
        640,
        360,
        3,
        (TruthEvent("laughter", 1.0, 5.0, 4.0, 5.0, 2),),
        ((0.5, 1.5),),
        3,
    )
    path = tmp_path / "clip.truth.json"
    truth.to_json(path)
    assert json.loads(path.read_text())["schema"] == "reelcut.truth/1"
    assert Truth.from_json(path) == truth
    assert truth_path(tmp_path / "clip.mp4") == path


@pytest.mark.parametrize("genre", ["sports", "talk", "gaming"])
def test_script_is_deterministic_and_consistent(genre: str) -> None:
    duration = 300.0
    first = PLANNERS[genre](np.random.default_rng(5), duration, _stand_in_length)
    again = PLANNERS[genre](np.random.default_rng(5), duration, _stand_in_length)
    other = PLANNERS[genre](np.random.default_rng(6), duration, _stand_in_length)
    assert first == again
    assert first.events != other.events
    assert any(e.grade == 2 for e in first.events)
    last_end = 0.0
    for e in first.events:
        assert e.grade == GRADES[e.kind]
        assert 0 <= e.start_s <= e.core_start_s < e.core_end_s <= e.end_s <= duration
        assert e.start_s >= last_end - 1e-6, "events overlap"
        last_end = e.end_s
    shots = first.shots
    assert shots[0].start_s == 0 and abs(shots[-1].end_s - duration) < 1e-6
    assert all(abs(a.end_s - b.start_s) < 1e-6 for a, b in zip(shots, shots[1:], strict=False))
    utterances = first.utterances
    assert utterances and all(b > a for a, b in utterances)


def test_one_minute_of_sports_still_has_a_goal() -> None:
    for seed in range(6):
        script = sports.plan(np.random.default_rng(seed), 60.0, _stand_in_length)
        assert script.events and any(e.kind == "goal" for e in script.events)


@pytest.mark.parametrize(("genre", "extra"), [("sports", 2), ("talk", 1), ("gaming", 1)])
def test_crosscheck_close_events_are_seconds_apart_each_with_its_own_truth(
    genre: str, extra: int
) -> None:
    for seed in (5, 6, 7):
        plain = PLANNERS[genre](np.random.default_rng(seed), 120.0, _stand_in_length)
        close = PLANNERS[genre](np.random.default_rng(seed), 120.0, _stand_in_length, True)
        assert plain == PLANNERS[genre](np.random.default_rng(seed), 120.0, _stand_in_length, False)
        strong = sorted((e for e in close.events if e.grade == 2), key=lambda e: e.start_s)
        assert len(strong) == len([e for e in plain.events if e.grade == 2]) + extra
        graded = sorted((e for e in close.events if e.grade >= 1), key=lambda e: e.start_s)
        pairs = list(zip(graded, graded[1:], strict=False))
        assert all(a.end_s <= b.start_s + 1e-6 for a, b in pairs)  # each its own truth entry
        touching = [(a, b) for a, b in pairs if b.start_s - a.end_s < 1e-6]
        assert len(touching) >= 1 and all(b.core_start_s - a.core_end_s < 10 for a, b in touching)


def test_stand_in_speech_is_deterministic_and_speech_like() -> None:
    a = phrase("Goal! What a strike!", "excited", False)
    assert np.array_equal(a, phrase("Goal! What a strike!", "excited", False))
    assert 0.8 < len(a) / RATE < 3.0
    spectrum = np.abs(np.fft.rfft(a)) ** 2
    freqs = np.fft.rfftfreq(len(a), 1 / RATE)
    assert spectrum[(freqs > 100) & (freqs < 4000)].sum() > 0.9 * spectrum.sum()


def test_goal_roar_is_far_louder_than_the_match_around_it() -> None:
    script = sports.plan(np.random.default_rng(2), 60.0, _stand_in_length)
    audio = np.concatenate(list(Mixer(script, 2, 30, -21.0, use_espeak=False).chunks()))
    assert np.abs(audio).max() < 1.0
    power = (audio.astype(np.float64) ** 2).mean(axis=1)
    goal = next(e for e in script.events if e.kind == "goal")
    core = power[int(goal.core_start_s * RATE) : int(goal.core_end_s * RATE)].mean()
    quiet = np.ones(len(power), bool)
    for e in script.events:
        quiet[int(max(e.start_s - 2, 0) * RATE) : int((e.end_s + 2) * RATE)] = False
    assert 10 * np.log10(core / power[quiet].mean()) > 8


@pytest.mark.parametrize(
    "kwargs",
    [{"genre": "opera"}, {"minutes": 0.1}, {"height": 361}, {"fps": 240}, {"studio": "c"}],
)
def test_footage_refuses_bad_arguments(tmp_path: Path, kwargs: dict) -> None:
    with pytest.raises(InvalidArgumentError):
        make_footage(tmp_path / "x.mp4", **kwargs)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("studio", "genre", "minutes"),
    [("demo", "sports", 1.0), (bench.crosscheck.produce, "gaming", 0.5)],
    ids=["demo", "crosscheck"],
)
def test_footage_file_has_the_promised_streams_and_counter(
    tmp_path: Path, studio: object, genre: str, minutes: float
) -> None:
    out = tmp_path / "tiny.mp4"
    truth = make_footage(
        out, genre=genre, minutes=minutes, height=180, seed=9, speech=False, studio=studio
    )
    assert Truth.from_json(truth_path(out)) == truth
    assert (truth.width, truth.height, truth.tag) == (320, 180, 1)
    with av.open(str(out)) as container:
        video, audio = container.streams.video[0], container.streams.audio[0]
        assert video.codec_context.name == "h264" and audio.codec_context.name == "aac"
        assert audio.codec_context.sample_rate == 48_000 and audio.codec_context.channels == 2
        reader = counter.Reader(320, 180)
        codes = [reader.read(f.to_ndarray(format="gray")) for f in container.decode(video)]
    assert len(codes) == round(truth.duration_s * truth.fps)
    assert all(c == counter.Code(i, truth.tag) for i, c in enumerate(codes))
