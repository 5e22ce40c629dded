"""Goals seconds apart are all in the reel, and a reel too short for them says what it left out.

Footage from the demo generator with close events: in this 4-minute match (seed 2) the second
goal comes 10 s after the first, with two more goals' worth of distractors around them. Before
selection put every strong moment in first, a reel of 15 s or 10 s a goal showed two of three.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reelcut.editor.make import make_reels
from reelcut.footage import Truth, make_footage
from reelcut.footage.score import score_reel
from reelcut.render import RenderSettings
from reelcut.selection import SelectionParams

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")


@pytest.fixture(scope="module")
def match(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Truth]:
    src = tmp_path_factory.mktemp("close") / "match.mp4"
    truth = make_footage(src, genre="sports", minutes=4, height=180, seed=2, close_events=True)
    return src, truth


@pytest.fixture(scope="module")
def _analysis_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("close-cache")


@pytest.fixture(autouse=True)
def _one_analysis(_analysis_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The match is analysed once for the file: its reels differ in selection and render only,
    and the CLI test's process finds the same cache."""
    monkeypatch.setenv("REELCUT_CACHE_DIR", str(_analysis_cache))


@pytest.mark.parametrize("per_goal", [15.0, 10.0])
def test_every_goal_is_shown_when_two_come_ten_seconds_apart(match, tmp_path, per_goal):
    src, truth = match
    goals = truth.of_kind("goal")
    assert len(goals) == 3
    assert goals[1].core_start_s - goals[0].core_start_s < 12.0, "two goals seconds apart"
    target = per_goal * len(goals)
    out = tmp_path / "reel.mp4"
    (reel,) = make_reels(
        [src],
        [out],
        SelectionParams(target_s=target),
        RenderSettings(height=180, preset="ultrafast"),
        projects=[None],
    )
    score = score_reel(out, truth)
    assert score.recall == 1.0, [(e.core_start_s, e.shown) for e in score.events]
    assert abs(score.reel_duration_s - target) <= 1.0
    assert score.cuts_inside_speech == 0
    assert reel.room_note is None


def test_make_says_what_a_short_reel_left_out(match, tmp_path):
    src, truth = match
    out = tmp_path / "short.mp4"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "reelcut",
            "make",
            str(src),
            "-l",
            "12s",
            "-o",
            str(out),
            "--no-project",
            "--preset",
            "ultrafast",
            "--json",
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    doc = json.loads(proc.stdout)
    left = [m for m in doc["left_out"] if m["strong"] and m["clip"] is None]
    assert left and all(m["why"] == "no room at this length" for m in left)
    note = doc["room_note"]
    assert note.startswith(f"{len(left)} more moment") and " would fit in " in note, note
    goals = truth.of_kind("goal")
    missed = {round(m["peak_s"]) for m in left}
    assert all(any(g.start_s <= p <= g.end_s for g in goals) for p in missed), missed
    plain = subprocess.run(
        [sys.executable, "-m", "reelcut", "make", str(src), "-l", "12s", "-o", str(out)]
        + ["--no-project", "--preset", "ultrafast"],  # notes are silenced by -q
        capture_output=True,
        text=True,
    )
    assert plain.returncode == 0, plain.stderr[-2000:]
    assert note in plain.stderr, "make says it in one line"
