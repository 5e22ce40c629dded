"""Caption grouping, SRT/WebVTT text and retiming words from source to reel time."""

from __future__ import annotations

import pytest

from reelcut.errors import InvalidArgumentError
from reelcut.speech import Caption, Word, group_captions, retime, to_srt, to_vtt


def w(text: str, start_ms: int, end_ms: int, confidence: float = 0.9) -> Word:
    return Word(text, start_ms, end_ms, confidence)


def test_pause_starts_a_new_caption() -> None:
    words = [w("Hello", 0, 400), w("there", 450, 800), w("how", 2000, 2200)]
    words += [w("are", 2250, 2400), w("you", 2450, 2700)]
    assert group_captions(words) == [
        Caption(0, 800, "Hello there"),
        Caption(2000, 2700, "how are you"),
    ]


def test_gap_just_under_min_gap_stays_in_one_caption() -> None:
    words = [w("one", 0, 300), w("two", 899, 1200)]
    assert group_captions(words, min_gap_ms=600) == [Caption(0, 1200, "one two")]
    assert len(group_captions(words, min_gap_ms=599)) == 2


def test_full_lines_wrap_then_start_a_new_caption() -> None:
    words = [
        w(t, i * 100, i * 100 + 100) for i, t in enumerate("one two three four five six".split())
    ]
    assert group_captions(words, max_chars=10, max_lines=2) == [
        Caption(0, 400, "one two\nthree four"),
        Caption(400, 600, "five six"),
    ]


def test_caption_ends_before_max_duration() -> None:
    words = [w(t, i * 1000, i * 1000 + 1000) for i, t in enumerate("a b c d e".split())]
    assert group_captions(words, max_duration_ms=4000) == [
        Caption(0, 4000, "a b c d"),
        Caption(4000, 5000, "e"),
    ]


def test_word_longer_than_a_line_gets_its_own_line_unsplit() -> None:
    long = "supercalifragilisticexpialidocious"
    words = [w("a", 0, 100), w(long, 100, 900), w("b", 900, 1000)]
    assert group_captions(words, max_chars=10) == [
        Caption(0, 900, f"a\n{long}"),
        Caption(900, 1000, "b"),
    ]
    assert group_captions([w(long, 0, 800)], max_chars=10) == [Caption(0, 800, long)]


def test_sentence_punctuation_ends_a_caption() -> None:
    words = [w("Goal!", 0, 300), w("What", 350, 500), w("a", 500, 550), w("shot.", 550, 900)]
    assert group_captions(words) == [Caption(0, 300, "Goal!"), Caption(350, 900, "What a shot.")]


def test_words_in_any_order_and_blank_words() -> None:
    words = [w("world", 500, 900), w("  ", 100, 200), w("hello", 0, 400)]
    assert group_captions(words) == [Caption(0, 900, "hello world")]


def test_no_words_no_captions() -> None:
    assert group_captions([]) == []
    assert to_srt([]) == ""
    assert to_vtt([]) == "WEBVTT\n"


def test_bad_limits_are_refused() -> None:
    with pytest.raises(InvalidArgumentError):
        group_captions([w("a", 0, 1)], max_chars=0)


CUES = [Caption(0, 800, "Hello there"), Caption(3_723_004, 3_725_500, "how are\nyou")]


def test_srt_numbers_cues_and_uses_comma_milliseconds() -> None:
    assert to_srt(CUES) == (
        "1\n00:00:00,000 --> 00:00:00,800\nHello there\n\n"
        "2\n01:02:03,004 --> 01:02:05,500\nhow are\nyou\n"
    )


def test_vtt_has_header_dot_milliseconds_and_escapes_markup() -> None:
    assert to_vtt(CUES) == (
        "WEBVTT\n\n"
        "00:00:00.000 --> 00:00:00.800\nHello there\n\n"
        "01:02:03.004 --> 01:02:05.500\nhow are\nyou\n"
    )
    assert (
        to_vtt([Caption(0, 10, "R&D <3")])
        == "WEBVTT\n\n00:00:00.000 --> 00:00:00.010\nR&amp;D &lt;3\n"
    )


def test_retime_drops_outside_clips_straddlers_and_keeps_majority_inside() -> None:
    words = [
        w("before", 500, 900),  # outside the piece
        w("edge", 900, 1400),  # 400 of 500 ms inside: kept, clipped to the cut
        w("in", 1200, 1500),
        w("late", 2800, 3400),  # 200 of 600 ms inside: dropped
    ]
    assert retime(words, [(1000, 3000, 0, 1.0)]) == [w("edge", 0, 400), w("in", 200, 500)]


def test_retime_slow_and_fast_motion_stretch_and_squeeze() -> None:
    words = [w("slow", 1200, 1600)]
    assert retime(words, [(1000, 2000, 5000, 0.5)]) == [w("slow", 5400, 6200)]
    assert retime(words, [(1000, 2000, 5000, 2.0)]) == [w("slow", 5100, 5300)]


def test_retime_word_on_a_seam_is_kept_once() -> None:
    pieces = [(0, 1000, 0, 1.0), (1000, 2000, 3000, 1.0)]
    assert retime([w("seam", 900, 1100)], pieces) == [w("seam", 900, 1000)]


def test_retime_overlapping_pieces_in_any_order_give_the_word_in_reel_order() -> None:
    pieces = [(1000, 2000, 5000, 1.0), (1500, 2500, 0, 1.0)]  # a replay placed first
    words = [w("late", 2200, 2300), w("twice", 1600, 1800)]
    assert retime(words, pieces) == [
        w("twice", 100, 300),
        w("late", 700, 800),
        w("twice", 5600, 5800),
    ]


def test_retime_empty_inputs_and_bad_pieces() -> None:
    assert retime([], [(0, 1000, 0, 1.0)]) == []
    assert retime([w("a", 0, 100)], []) == []
    with pytest.raises(InvalidArgumentError):
        retime([w("a", 0, 100)], [(1000, 1000, 0, 1.0)])
    with pytest.raises(InvalidArgumentError):
        retime([w("a", 0, 100)], [(0, 1000, 0, 0.0)])
