"""The benchmark's own tools: intervals, clip-time scoring, RESULTS.md sections."""

from __future__ import annotations

import numpy as np

from bench.quality import clip_frames
from bench.run import replace_section
from bench.stats import mean_ci, paired
from reelcut.footage import Truth, TruthEvent
from reelcut.footage.score import score_frames
from reelcut.selection import Clip


def test_interval_holds_the_mean_and_narrows_with_more_seeds() -> None:
    rng = np.random.default_rng(1)
    few, many = rng.uniform(0, 1, 5).tolist(), rng.uniform(0, 1, 200).tolist()
    for values in (few, many):
        m, lo, hi = mean_ci(values) or (0, 0, 0)
        assert lo <= m <= hi and m == np.mean(values)
    (_, lo5, hi5), (_, lo200, hi200) = mean_ci(few), mean_ci(many)  # type: ignore[misc]
    assert hi200 - lo200 < hi5 - lo5
    assert mean_ci([1.0] * 20) == (1.0, 1.0, 1.0)
    assert mean_ci([None, None]) is None and mean_ci([None, 0.5]) == (0.5, 0.5, 0.5)


def test_paired_difference_uses_only_seeds_where_both_are_known() -> None:
    assert paired([1.0, 1.0, None], [0.0, 0.5, 0.2]) == mean_ci([1.0, 0.5])
    m, lo, hi = paired([0.9] * 10, [0.1] * 10) or (0, 0, 0)
    assert round(m, 6) == 0.8 and lo > 0


def test_clip_time_scoring_sees_what_a_reel_of_those_clips_shows() -> None:
    goal = TruthEvent("goal", 10.0, 30.0, 18.0, 24.0, 2)
    ad = TruthEvent("ad_break", 40.0, 60.0, 40.0, 60.0, 0)
    truth = Truth("sports", 90.0, 30, 320, 180, 3, (goal, ad), (), 3)
    on_goal = Clip(0, 16_000, 26_000, 20_000, 0, "x")
    on_ad = Clip(0, 45_000, 55_000, 50_000, 0, "x")
    good = score_frames(clip_frames([on_goal], truth), truth)
    assert good.recall == 1.0 and good.precision == 1.0 and good.reel_duration_s == 10.0
    bad = score_frames(clip_frames([on_ad], truth), truth)
    assert bad.recall == 0.0 and bad.precision == 0.0 and bad.distractor_share == 1.0
    swapped = score_frames(clip_frames([on_ad, on_goal], truth), truth)
    assert not swapped.in_order and swapped.cuts == 1


def test_run_rewrites_only_its_own_section() -> None:
    text = "# Results\n\nwritten by people\n\n<!-- bench/run.py: speed -->\nold\n<!-- /bench/run.py: speed -->\n\nmore prose\n"
    new = replace_section(text, "speed", "new table")
    assert "old" not in new and "new table" in new
    assert new.startswith("# Results\n\nwritten by people\n") and new.endswith("more prose\n")
    added = replace_section(new, "edits", "edits table")
    assert "<!-- bench/run.py: edits -->\nedits table\n<!-- /bench/run.py: edits -->" in added
