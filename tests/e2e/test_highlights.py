"""Reels of generated footage contain the known highlights and not the distractors.

Scored as a black box: the frame counter burned into the footage is read back from the reel,
whatever its aspect and wherever a reframe put the crop.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import av
import pytest

from bench import crosscheck
from reelcut.editor import ReelOptions
from reelcut.editor.make import make_reels
from reelcut.footage import make_footage
from reelcut.footage.score import score_reel
from reelcut.render import RenderSettings
from reelcut.selection import SelectionParams

# Footage 180 lines high where the reel's score does not depend on it: the burned-in counter
# still reads back whole, and the footage costs about half the CPU it does at 360 (its x264
# encode is most of the cost, and the suite is CPU-bound on 2 cores). The talk reel stays at
# 360: at 180 it lost the laughter (recall 0.67), for a reason not yet found (issue 13 note).
HEIGHT = 180

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng not installed"
)


def reel_of(
    tmp_path: Path, genre: str, seed: int, minutes: float, per_highlight: float, height: int
):
    src = tmp_path / f"{genre}.mp4"
    truth = make_footage(src, genre=genre, minutes=minutes, height=height, seed=seed)
    target = per_highlight * len(truth.highlights(2))
    out = tmp_path / "reel.mp4"
    reel = make_reels(
        [src],
        [out],
        SelectionParams(target_s=target),
        RenderSettings(height=height, preset="ultrafast"),
    )[0]
    return truth, reel, score_reel(out, truth), target


@needs_espeak
def test_sports_reel_shows_every_goal_and_skips_ads_whistles_and_announcements(tmp_path):
    truth, reel, score, target = reel_of(
        tmp_path, "sports", seed=5, minutes=3, per_highlight=15, height=HEIGHT
    )  # every seed's 3 minutes hold goals, an ad break, whistles and an announcement
    kinds = {e.kind for e in truth.events}
    assert {"goal", "ad_break", "announcement", "whistle"} <= kinds
    assert score.recall == 1.0
    assert score.distractor_share <= 0.05, score.distractor_share_by_kind
    assert score.in_order and score.unreadable_share < 0.01
    assert abs(score.reel_duration_s - target) <= 1.0


@needs_espeak
def test_sports_reel_takes_the_near_miss_over_the_stadium_announcement(tmp_path):
    # Seed 1: a PA announcement before the goal, a near miss after it and an ad break after
    # that. The near miss's swell must rise above play (not above the goal roar and the ad
    # break filling its baseline), and the calm, echoey PA voice is no moment.
    src = tmp_path / "sports.mp4"
    truth = make_footage(src, genre="sports", minutes=3, height=HEIGHT, seed=1)
    assert {"goal", "near_miss", "announcement", "ad_break"} <= {e.kind for e in truth.events}
    out = tmp_path / "reel.mp4"
    make_reels(
        [src],
        [out],
        SelectionParams(target_s=30.0),
        RenderSettings(height=HEIGHT, preset="ultrafast"),
    )
    score = score_reel(out, truth)
    assert score.recall == 1.0
    assert score.recall_grade1 == 1.0, "the near miss is in the reel"
    assert score.distractor_share_by_kind["announcement"] == 0.0
    assert score.distractor_share <= 0.05, score.distractor_share_by_kind


@needs_espeak
def test_talk_reel_keeps_laughter_and_applause_and_cuts_between_phrases(tmp_path):
    truth, reel, score, target = reel_of(
        tmp_path, "talk", seed=2, minutes=3, per_highlight=10, height=360
    )
    assert score.recall >= 0.9
    assert score.cuts_inside_speech == 0, "cuts land in pauses, not mid-phrase"
    assert abs(score.reel_duration_s - target) <= 1.0


def test_gaming_reel_without_espeak_speech_still_finds_the_action(tmp_path):
    src = tmp_path / "gaming.mp4"
    truth = make_footage(src, genre="gaming", minutes=3, height=HEIGHT, seed=4, speech=False)
    out = tmp_path / "reel.mp4"
    target = 15.0 * len(truth.highlights(2))
    make_reels(
        [src],
        [out],
        SelectionParams(target_s=target),
        RenderSettings(height=HEIGHT, preset="ultrafast"),
    )
    score = score_reel(out, truth)
    assert score.recall == 1.0
    assert abs(score.reel_duration_s - target) <= 1.0


@pytest.mark.parametrize("studio", ["demo", crosscheck.produce], ids=["demo", "crosscheck"])
def test_a_vertical_reel_scores_like_the_landscape_one(tmp_path, studio):
    """A 9:16 reel whose crop follows the action is scored from its own frames, like 16:9."""
    src = tmp_path / "match.mp4"
    truth = make_footage(
        src, genre="sports", minutes=1, height=HEIGHT, seed=3, speech=False, studio=studio
    )
    target = 15.0 * len(truth.highlights(2))
    scores = {}
    for aspect in ("source", "9:16"):
        out = tmp_path / f"reel-{aspect.replace(':', 'x')}.mp4"
        make_reels(
            [src],
            [out],
            SelectionParams(target_s=target),
            RenderSettings(height=HEIGHT, preset="ultrafast"),
            options=ReelOptions(aspect=aspect, height=HEIGHT),
        )
        scores[aspect] = score_reel(out, truth)
    with av.open(str(out)) as reel:
        size = reel.streams.video[0].codec_context
        assert size.width == HEIGHT and abs(size.width / size.height - 9 / 16) < 0.02
    wide, tall = scores["source"], scores["9:16"]
    assert tall.recall == wide.recall == 1.0
    assert tall.unreadable_share < 0.01 and tall.in_order
    assert [s.source_start_s for s in tall.segments] == [s.source_start_s for s in wide.segments]


def test_readme_main_job_runs_from_the_command_line(tmp_path):
    demo, reel = tmp_path / "demo.mp4", tmp_path / "reel.mp4"
    cmd = [sys.executable, "-m", "reelcut"]
    made = subprocess.run(
        [*cmd, "sample", str(demo), "--minutes", "1", "--height", str(HEIGHT)],
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    assert json.loads(demo.with_suffix(".truth.json").read_text())["genre"] == "sports"
    cut = subprocess.run(
        [
            *cmd,
            "make",
            str(demo),
            "--length",
            "20s",
            "-o",
            str(reel),
            "--json",
        ],  # the README's command: no --resolution, the reel keeps the footage's lines
        capture_output=True,
        text=True,
    )
    assert cut.returncode == 0, cut.stderr
    doc = json.loads(cut.stdout)
    assert abs(doc["duration_s"] - 20) <= 1.0 and reel.exists()
    with av.open(str(reel)) as made_reel:
        assert made_reel.streams.video[0].codec_context.height == HEIGHT  # never upscaled
    scored = subprocess.run(
        [*cmd, "score", str(reel), "--source", str(demo)], capture_output=True, text=True
    )
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout)["recall"] == 1.0
