"""Selection on hand-made signals: the moments are known, so the clips can be checked exactly."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from reelcut.analysis.signals import COMPONENTS, Signals
from reelcut.errors import InvalidArgumentError, NotEnoughFootageError
from reelcut.selection import LeftOut, SelectionParams, find_candidates, select, select_clips

STEP = 0.5


def signals(
    duration_s: float, peaks: list[tuple[float, float, float]], cuts=(), pauses=()
) -> Signals:
    """Excitement that is low everywhere except Gaussian bumps (centre_s, height, width_s)."""
    n = int(duration_s / STEP)
    t = (np.arange(n) + 0.5) * STEP
    rng = np.random.default_rng(0)
    x = 0.02 + 0.005 * rng.random(n)
    for centre, height, width in peaks:
        x += height * np.exp(-0.5 * ((t - centre) / width) ** 2)
    energy = np.full(int(duration_s / 0.05), -20.0)
    for p in pauses:
        i = int(p / 0.05)
        energy[max(i - 3, 0) : i + 3] = -70.0
    z = np.zeros(n)
    return Signals(
        step_s=STEP,
        duration_s=duration_s,
        has_audio=True,
        fps=30.0,
        loudness_momentary_lufs=z - 23,
        loudness_short_lufs=z - 23,
        speech=z,
        music=z,
        whistle=z,
        motion=z,
        excitement=x,
        components=np.vstack([x] + [z] * (len(COMPONENTS) - 1)),
        penalty=z + 1,
        block_power=np.full(int(duration_s / 0.1), 1e-3),
        frame_energy_db=energy,
        shot_cuts_s=np.asarray(cuts, float),
        keyframes_s=np.zeros(1),
        voice_activity=(energy > -60).astype(np.float32),
    )


def covered(clips, t_s: float) -> bool:
    return any(c.source_in_ms <= t_s * 1000 <= c.source_out_ms for c in clips)


def total_s(clips) -> float:
    return sum(c.duration_ms for c in clips) / 1000


@pytest.mark.parametrize("target", [20.0, 45.0, 60.0, 90.0])
def test_hits_the_target_length_within_a_second(target):
    s = signals(600, [(100, 1.0, 3), (250, 0.8, 3), (400, 0.9, 4), (520, 0.6, 3)])
    clips = select_clips([s], SelectionParams(target_s=target))
    assert abs(total_s(clips) - target) <= 1.0


def test_the_strongest_moments_are_in_the_reel_with_their_build_up():
    peaks = [(60, 1.0, 3), (200, 0.9, 3), (330, 0.3, 3), (480, 0.95, 3)]
    s = signals(600, peaks)
    clips = select_clips([s], SelectionParams(target_s=45))
    for centre in (60, 200, 480):
        assert covered(clips, centre)
        clip = next(c for c in clips if covered([c], centre))
        assert centre - clip.source_in_ms / 1000 >= 3.0, "a lead-in before the peak"


def test_clips_are_in_source_order_and_never_overlap():
    s = signals(600, [(x, 0.5 + (x % 7) / 10, 3) for x in range(30, 600, 40)])
    clips = select_clips([s], SelectionParams(target_s=120))
    for a, b in zip(clips, clips[1:], strict=False):
        assert a.source_out_ms <= b.source_in_ms


def test_clip_lengths_respect_min_and_max():
    s = signals(900, [(x, 1.0, 10) for x in range(60, 900, 100)])
    params = SelectionParams(target_s=90, min_clip_s=4, max_clip_s=12)
    clips = select_clips([s], params)
    assert all(4000 - 1000 <= c.duration_ms <= 12000 + 1000 for c in clips)


def test_one_busy_stretch_does_not_eat_the_reel():
    busy = [(x, 1.0, 2) for x in range(100, 160, 8)]  # eight strong peaks within a minute
    spread = [(400, 0.9, 3), (700, 0.9, 3), (1000, 0.9, 3)]  # comparable: spread decides
    s = signals(1200, busy + spread)
    clips = select_clips([s], SelectionParams(target_s=60))
    assert all(covered(clips, c) for c, _, _ in spread)


def test_cut_points_move_onto_shot_cuts_nearby():
    s = signals(300, [(100, 1.0, 2)])
    (plain,) = select_clips([s], SelectionParams(target_s=16))
    cut_a, cut_b = plain.source_in_ms / 1000 + 0.6, plain.source_out_ms / 1000 + 0.7
    s = signals(300, [(100, 1.0, 2)], cuts=[cut_a, cut_b])
    (clip,) = select_clips([s], SelectionParams(target_s=16))
    assert (clip.source_in_ms, clip.source_out_ms) == (round(cut_a * 1000), round(cut_b * 1000))


def test_cut_points_move_into_pauses():
    s = signals(300, [(100, 1.0, 2)])
    (plain,) = select_clips([s], SelectionParams(target_s=16))
    pause_a, pause_b = plain.source_in_ms / 1000 - 0.4, plain.source_out_ms / 1000 - 0.5
    s = signals(300, [(100, 1.0, 2)], pauses=[pause_a, pause_b])
    (clip,) = select_clips([s], SelectionParams(target_s=16))
    assert abs(clip.source_in_ms / 1000 - pause_a) < 0.2
    assert abs(clip.source_out_ms / 1000 - pause_b) < 0.2


def test_reasons_name_the_component_that_scored():
    s = signals(300, [(100, 1.0, 2)])
    (cand, *_) = find_candidates(s)
    assert "loudness rise" in cand.reason()


def test_several_sources_each_get_clips_in_input_order():
    a = signals(300, [(50, 1.0, 3), (200, 1.0, 3)])
    b = signals(300, [(120, 0.5, 3)])
    clips = select_clips([a, b], SelectionParams(target_s=40))
    assert [c.source_index for c in clips] == sorted(c.source_index for c in clips)
    assert {c.source_index for c in clips} == {0, 1}
    assert abs(total_s(clips) - 40) <= 1.0


def test_a_reel_longer_than_the_footage_is_refused():
    with pytest.raises(NotEnoughFootageError):
        select_clips([signals(30, [])], SelectionParams(target_s=60))


def test_a_reel_as_long_as_the_footage_is_the_whole_footage():
    clips = select_clips([signals(30, [])], SelectionParams(target_s=29.5))
    assert len(clips) == 1 and clips[0].duration_ms == 30000


def test_flat_footage_still_gives_a_reel_of_the_right_length():
    clips = select_clips([signals(300, [])], SelectionParams(target_s=60))
    assert abs(total_s(clips) - 60) <= 1.0


def test_bad_parameters_are_refused():
    with pytest.raises(InvalidArgumentError):
        SelectionParams(target_s=10, min_clip_s=5, max_clip_s=2)
    with pytest.raises(InvalidArgumentError):
        SelectionParams(target_s=0)


def talk_signals(duration_s: float, peak_s: float, pauses: list[tuple[float, float]]) -> Signals:
    """One strong moment; someone talks all the time except in ``pauses`` (start_s, end_s)."""
    return with_pauses(signals(duration_s, [(peak_s, 1.0, 2)]), pauses)


def with_pauses(s: Signals, pauses: list[tuple[float, float]]) -> Signals:
    """Voice everywhere (energy and voice track agree) except in ``pauses``."""
    t = (np.arange(len(s.frame_energy_db)) + 0.5) * 0.05
    voice = np.ones(len(t), np.float32)
    for a, b in pauses:
        voice[(t >= a) & (t < b)] = 0.0
    return replace(s, voice_activity=voice, frame_energy_db=np.where(voice > 0, -20.0, -70.0))


def inside(spans, t_s: float) -> bool:
    return any(a < t_s < b for a, b in spans)


def test_a_cut_waits_for_the_pause_after_a_long_sentence_and_the_reel_keeps_its_length():
    (plain,) = select_clips([signals(300, [(100, 1.0, 2)])], SelectionParams(target_s=16))
    start, end = plain.source_in_ms / 1000, plain.source_out_ms / 1000
    # The in-point falls 1.6 s into a sentence (no pause within a second of it); the out-point
    # sits in a long pause that can give the length back.
    pauses = [(start - 1.9, start - 1.6), (end - 2.0, end + 2.0)]
    s = talk_signals(300, 100, pauses)
    (clip,) = select_clips([s], SelectionParams(target_s=16))
    cut_in, cut_out = clip.source_in_ms / 1000, clip.source_out_ms / 1000
    assert inside(pauses, cut_in), (cut_in, pauses)
    assert inside(pauses, cut_out), (cut_out, pauses)
    assert abs(total_s([clip]) - 16) <= 0.8


def test_with_no_pause_in_reach_a_cut_goes_between_two_words():
    (plain,) = select_clips([signals(300, [(100, 1.0, 2)])], SelectionParams(target_s=16))
    start = plain.source_in_ms / 1000
    s = talk_signals(300, 100, [])
    voice = s.voice_activity.copy()
    gap = int((start + 0.45) / 0.05)
    voice[gap] = 0.0  # one 50 ms gap between two words
    energy = s.frame_energy_db.copy()
    energy[gap] = -45.0
    s = replace(s, voice_activity=voice, frame_energy_db=energy)
    (clip,) = select_clips([s], SelectionParams(target_s=16))
    assert abs(clip.source_in_ms / 1000 - (gap + 0.5) * 0.05) < 0.03


def test_cuts_keep_out_of_words_across_a_reel_of_many_clips():
    peaks = [(x, 1.0, 2) for x in (60, 150, 240, 330, 420, 510)]
    rng = np.random.default_rng(3)
    # Sentences of 2-5 s with 0.3-0.8 s pauses between them, all the way through.
    pauses, t = [], 1.0
    while t < 590:
        t += rng.uniform(2, 5)
        gap = rng.uniform(0.3, 0.8)
        pauses.append((t, t + gap))
        t += gap
    s = with_pauses(signals(600, peaks), pauses)
    clips = select_clips([s], SelectionParams(target_s=60))
    for c in clips:
        for cut in (c.source_in_ms / 1000, c.source_out_ms / 1000):
            assert inside(pauses, cut), (cut, c)
    assert abs(total_s(clips) - 60) <= 0.8
    for a, b in zip(clips, clips[1:], strict=False):
        assert a.source_out_ms < b.source_in_ms


def peak_shown(clips, centre: float) -> bool:
    """The clip holds the peak and a second either side of it."""
    return any(
        c.source_in_ms <= (centre - 1) * 1000 and (centre + 1) * 1000 <= c.source_out_ms
        for c in clips
    )


# Five goals in a 10-minute match, the last 10 s after the one before; near misses between.
GOALS = [(70, 1.0, 2.5), (220, 0.95, 2.5), (330, 0.9, 2.5), (480, 0.97, 2.5), (490, 0.93, 2.5)]
CHANCES = [(150, 0.45, 2.0), (270, 0.4, 2.0), (400, 0.42, 2.0), (560, 0.38, 2.0)]


@pytest.mark.parametrize("per_goal", [15.0, 10.0])
def test_a_goal_ten_seconds_after_another_is_shown(per_goal):
    s = signals(600, GOALS + CHANCES)
    target = per_goal * len(GOALS)
    clips = select_clips([s], SelectionParams(target_s=target))
    assert all(peak_shown(clips, g) for g, _, _ in GOALS), [
        (c.source_in_ms, c.source_out_ms) for c in clips
    ]
    assert abs(total_s(clips) - target) <= 1.0


def test_spreading_never_drops_a_strong_moment_for_a_weaker_far_one():
    close = [(100, 1.0, 2), (109, 0.95, 2), (300, 0.9, 2)]
    far = [(500, 0.45, 2), (700, 0.45, 2), (850, 0.4, 2)]  # weaker, spread out
    s = signals(900, close + far)
    result = select([s], SelectionParams(target_s=30))
    assert all(peak_shown(result.clips, c) for c, _, _ in close)
    for m in result.left_out:
        if m.peak_s > 400:
            assert m.why in (LeftOut.WEAKER, LeftOut.NO_ROOM) and not m.strong


def test_close_moments_share_a_clip_and_the_weaker_is_reported_inside_it():
    s = signals(600, [(200, 1.0, 2), (206, 0.9, 2), (450, 0.95, 2)])
    result = select([s], SelectionParams(target_s=30))
    assert all(peak_shown(result.clips, c) for c in (200, 206, 450))
    inside = [m for m in result.left_out if m.why == LeftOut.INSIDE]
    assert [round(m.peak_s) for m in inside] == [206]
    k = inside[0].clip
    assert (
        k is not None and result.clips[k].source_in_ms <= 200_000 <= result.clips[k].source_out_ms
    )


def test_a_reel_too_short_for_every_strong_moment_says_how_much_more_would_fit():
    moments = [(x, 1.0 - x / 2000, 2) for x in range(60, 600, 60)]  # nine strong moments
    s = signals(600, moments)
    short = select([s], SelectionParams(target_s=30))
    count, seconds = short.short_of_room()
    assert count > 0 and seconds > 0
    assert short.room_note() == f"{count} more moments would fit in {math.ceil(seconds)} s more"
    missed = [m.peak_s for m in short.left_out if m.why == LeftOut.NO_ROOM]
    assert not any(peak_shown(short.clips, p) for p in missed)
    longer = select([s], SelectionParams(target_s=30 + math.ceil(seconds) + 1))
    assert all(peak_shown(longer.clips, p) for p in missed), "the note told the truth"
    assert longer.room_note() is None


def test_clips_hold_what_their_moment_needs_before_they_grow():
    """A long build-up is kept for the moment that has one; with strong moments waiting, no clip
    is longer than its moment needs."""
    s = signals(600, [(100, 1.0, 2), (300, 1.0, 2), (500, 1.0, 2)])
    n = int(600 / STEP)
    t = (np.arange(n) + 0.5) * STEP
    ramp = np.clip((t - 290) / 10, 0, 1) * (t < 300) * 0.6  # a 10 s climb to the peak at 300 s
    x = s.excitement + ramp
    s = replace(s, excitement=x, components=np.vstack([x, s.components[1:]]))
    (cand,) = [c for c in find_candidates(s) if abs(c.peak_s - 300) < 1]
    assert cand.build_up_s >= 3.0
    result = select([s], SelectionParams(target_s=27))
    by_peak = {round(c.peak_ms / 1000): c for c in result.clips}
    lead = {p: p - by_peak[p].source_in_ms / 1000 for p in (100, 300, 500)}
    assert lead[300] >= lead[100] + 1.5 and lead[300] >= lead[500] + 1.5, lead
    assert all(c.duration_ms <= 12_000 for c in result.clips), "no clip grew past its moment"


def test_short_clips_asked_for_stay_short_even_when_moments_crowd_together():
    s = signals(30, [(4, 1.0, 1), (7, 0.8, 1), (16, 0.5, 1), (28, 0.4, 1)])
    params = SelectionParams(target_s=10, min_clip_s=2, max_clip_s=4)
    clips = select_clips([s], params)
    assert len(clips) >= 3
    assert all(c.duration_ms <= 4000 + 1000 for c in clips), [c.duration_ms for c in clips]
    assert abs(total_s(clips) - 10) <= 1.0
