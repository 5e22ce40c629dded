"""The benchmark generators (bench/): the blind one's scripts, and footage cached by content key."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import blind
from bench.generators import GENERATORS, cached_footage, footage_key, version
from reelcut.footage import Truth, truth_path


@pytest.mark.parametrize("genre", ["sports", "talk", "gaming"])
@pytest.mark.parametrize("close", [False, True])
def test_blind_scripts_are_deterministic_and_consistent(genre: str, close: bool) -> None:
    a = blind.produce(genre, 75.0, 7, 30, 7, False, close)
    b = blind.produce(genre, 75.0, 7, 30, 7, False, close)
    assert a.events == b.events and a.utterances == b.utterances
    assert a.n_frames == 2250 and a.base == (320, 180)
    strong = [e for e in a.events if e.grade == 2]
    assert strong and any(e.grade == 0 for e in a.events)
    for e in a.events:
        assert 0 <= e.start_s <= e.core_start_s < e.core_end_s <= e.end_s <= 75.0, e
    ordered = sorted(a.events, key=lambda e: e.start_s)
    assert all(x.end_s <= y.start_s + 1e-6 for x, y in zip(ordered, ordered[1:], strict=False))
    sound = next(a.sound())
    assert sound.shape[1] == 2 and abs(sound).max() <= 1.0
    if close:
        gaps = [y.core_start_s - x.core_end_s for x, y in zip(strong, strong[1:], strict=False)]
        assert gaps and min(gaps) < 10  # two strong moments seconds apart


def test_footage_key_changes_with_every_parameter_and_the_generator() -> None:
    base = footage_key("blind", "talk", 5, 2.0)
    others = {
        footage_key("crosscheck", "talk", 5, 2.0),
        footage_key("blind", "sports", 5, 2.0),
        footage_key("blind", "talk", 6, 2.0),
        footage_key("blind", "talk", 5, 2.5),
        footage_key("blind", "talk", 5, 2.0, height=180),
        footage_key("blind", "talk", 5, 2.0, fps=25),
        footage_key("blind", "talk", 5, 2.0, speech=False),
        footage_key("blind", "talk", 5, 2.0, close_events=True),
    }
    assert base == footage_key("blind", "talk", 5, 2.0) and base not in others and len(others) == 8
    assert len({version(name) for name in GENERATORS}) == len(GENERATORS)


def test_cached_footage_is_made_once_and_remade_when_its_key_changes(tmp_path: Path) -> None:
    path, truth = cached_footage("blind", "gaming", 3, 0.5, 180, speech=False, cache=tmp_path)
    assert Truth.from_json(truth_path(path)) == truth
    made = path.stat().st_mtime_ns
    again, _ = cached_footage("blind", "gaming", 3, 0.5, 180, speech=False, cache=tmp_path)
    assert again == path and path.stat().st_mtime_ns == made
    other, _ = cached_footage("blind", "gaming", 4, 0.5, 180, speech=False, cache=tmp_path)
    assert other != path and sorted(p.suffix for p in tmp_path.iterdir()) == [
        ".json",
        ".json",
        ".mp4",
        ".mp4",
    ]
