"""The demo generator's close events: strong moments seconds apart, each with its own truth."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from reelcut.footage.demo.schedule import GENRES
from reelcut.footage.truth import GRADES


@functools.cache
def plan(genre: str, seed: int, minutes: float, close: bool):
    return GENRES[genre](np.random.default_rng(seed), minutes * 60, False, close)


def strong_starts(p) -> list[float]:
    return sorted(e.core_start_s for e in p.events if e.grade == 2)


@pytest.mark.parametrize(
    ("genre", "minutes", "gap_s"), [("sports", 5, 14.0), ("talk", 4, 10.0), ("gaming", 4, 15.0)]
)
@pytest.mark.parametrize("seed", [2, 5])
def test_close_events_put_strong_moments_seconds_apart_each_with_its_own_truth(
    genre, minutes, gap_s, seed
):
    p = plan(genre, seed, minutes, close=True)
    starts = strong_starts(p)
    assert min(np.diff(starts)) < gap_s, starts
    events = sorted(p.events, key=lambda e: e.start_s)
    last_end = 0.0
    for e in events:
        assert e.grade == GRADES[e.kind]
        assert e.start_s <= e.core_start_s < e.core_end_s <= e.end_s
        if e.grade >= 1:
            assert e.end_s <= p.duration_s
            assert e.start_s >= last_end - 1e-6, "two events claim the same seconds"
            last_end = e.end_s
    for a, b in zip(p.shots, p.shots[1:], strict=False):
        assert a.end_s <= b.start_s + 1e-6, "shots overlap"


def test_sports_close_events_add_a_goal_and_put_a_chance_just_before_another():
    plain, close = plan("sports", 5, 5, False), plan("sports", 5, 5, True)
    goals = [e for e in close.events if e.kind == "goal"]
    assert len(goals) == len([e for e in plain.events if e.kind == "goal"]) + 1
    chances = [e for e in close.events if e.kind == "near_miss"]
    assert any(0 < g.core_start_s - c.core_end_s < 8 for g in goals for c in chances)


def test_the_crowd_stays_up_between_two_goals_seconds_apart():
    p = plan("sports", 5, 5, True)
    goals = sorted((e for e in p.events if e.kind == "goal"), key=lambda e: e.core_start_s)
    a, b = next(
        (a, b)
        for a, b in zip(goals, goals[1:], strict=False)
        if b.core_start_s - a.core_start_s < 14
    )
    xs, ys = zip(*p.bed_points, strict=True)
    between = np.interp(np.arange(a.core_end_s, b.core_start_s, 0.25), xs, ys)
    assert between.min() > 5.0, "one roar runs into the next, no dip to the murmur"
