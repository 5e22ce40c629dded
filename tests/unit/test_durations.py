import pytest

from reelcut.durations import find_durations, format_duration, parse_duration
from reelcut.errors import InvalidArgumentError


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90", 90),
        ("90s", 90),
        ("2m", 120),
        ("1:30", 90),
        ("1m30s", 90),
        ("01:02:03", 3723),
        ("1.5m", 90),
        (" 45 ", 45),
        (12, 12),
        ("2min", 120),
        ("1h", 3600),
        ("1h 30m", 5400),
        ("2 minutes", 120),
        ("2分钟", 120),
        ("1:30.5", 90.5),
    ],
)
def test_lengths_people_type_are_understood(text, seconds):
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "abc", "-5", "0", "2x", "1:xx", "m"])
def test_nonsense_lengths_are_refused_with_the_forms_that_work(text):
    with pytest.raises(InvalidArgumentError, match="90s, 2m"):
        parse_duration(text)


def test_format_duration_reads_as_minutes_and_seconds():
    assert format_duration(125.4) == "2:05.4"


def test_lengths_in_a_message_are_found_with_the_same_patterns():
    found = find_durations("a 2-minute reel, title for 3 seconds, 9:16, 1:30 in")
    assert [f.value for f in found] == [120, 3, 90]
    assert parse_duration("2-minute") == 120


def test_one_shortest_reel_for_every_door(tmp_path):
    """The chat, ``make -l`` and ``set_length`` (apply, edit, API) agree: 3 s is a reel,
    2 s is not (the chat asks, an option is 4008, an edit request 4010)."""
    from reelcut.durations import MIN_REEL_S, reel_length
    from reelcut.editor.hand import apply_requests
    from reelcut.editor.job import MakeRequest, prepare_make
    from reelcut.errors import EditError
    from reelcut.instructions import parse

    assert MIN_REEL_S == 3
    assert parse("make a 3 second reel").requests == [{"op": "set_length", "seconds": 3}]
    assert "at least 3 seconds" in (parse("make a 2 second reel").question or "")
    clip = tmp_path / "in.mp4"
    clip.write_bytes(b"")  # prepare_make checks the length before reading any input
    with pytest.raises(InvalidArgumentError, match="at least 3 seconds") as refused:
        prepare_make(MakeRequest(inputs=(clip,), output=tmp_path / "r.mp4", length="2s"))
    assert refused.value.code == 4008
    with pytest.raises(EditError, match="at least 3 seconds") as edit:
        apply_requests(tmp_path / "p.reelcut.json", [clip], [{"op": "set_length", "seconds": 2}])
    assert edit.value.code == 4010
    assert reel_length(3) == 3.0
