"""Caption grouping, SRT/WebVTT text and retiming words from source to reel time."""

from __future__ import annotations

import pytest

from reelcut.errors import InvalidArgumentError
from reelcut.speech import (
    Caption,
    Word,
    caption_cues,
    group_captions,
    highlight_layers,
    retime,
    to_srt,
    to_vtt,
)


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


def test_words_under_the_confidence_floor_are_left_out() -> None:
    words = [w("Goal", 0, 300, 0.95), w("hmm", 400, 500, 0.2), w("now", 500, 800, 0.6)]
    assert [c.text for c in caption_cues(words, min_confidence=0.4)] == ["Goal now"]
    assert caption_cues(words, min_confidence=1.0) == []
    with pytest.raises(InvalidArgumentError):
        caption_cues(words, min_confidence=1.5)


def test_chinese_breaks_between_characters_and_never_starts_a_line_with_punctuation() -> None:
    sentence = "这是一个非常非常长的中文句子，我们需要在字符之间换行。"
    cues = caption_cues([w(sentence, 0, 3000)], max_chars=16)
    lines = [line for c in cues for line in c.text.split("\n")]
    assert "".join(lines) == sentence  # nothing lost, no spaces put in
    assert all(len(line) * 2 <= 16 + 2 for line in lines)  # 8 characters (+ a closing mark)
    assert not any(line[0] in "，。！？" for line in lines)
    assert cues[0].start_ms == 0 and cues[-1].end_ms == 3000
    assert all(a.end_ms <= b.start_ms for a, b in zip(cues, cues[1:], strict=False))
    mixed = [w("我们", 0, 300), w("用", 300, 400), w("Python", 400, 800), w("写", 800, 900)]
    assert caption_cues(mixed)[0].text == "我们用 Python 写"


def test_highlight_style_shows_a_few_words_with_each_one_picked_out_in_turn() -> None:
    words = [w(t, i * 300, i * 300 + 250) for i, t in enumerate("We scored a goal tonight".split())]
    cues = caption_cues(words, "highlight")
    assert [c.text for c in cues] == ["We scored a goal", "tonight"]
    layers = highlight_layers(cues[0])
    assert [(x.start_ms, x.end_ms, x.active) for x in layers] == [
        (0, 1150, False), (0, 300, True), (300, 600, True), (600, 900, True), (900, 1150, True),
    ]  # fmt: skip
    second = layers[2].text
    # Same width as the line, character for character, with only "scored" left visible.
    assert second.strip("\ufeff") == "\u2007\u2007 scored \u2007 \u2007\u2007\u2007\u2007"
    assert len(second.strip("\ufeff")) == len(cues[0].text)
    with pytest.raises(InvalidArgumentError, match="classic"):
        caption_cues(words, "karaoke")


def test_highlight_blanks_chinese_with_full_width_spaces() -> None:
    cue = caption_cues([w("我们", 0, 300), w("进球了", 300, 700)], "highlight")[0]
    assert cue.text == "我们进球了"
    assert highlight_layers(cue)[2].text == "\ufeff\u3000\u3000进球了\ufeff"
