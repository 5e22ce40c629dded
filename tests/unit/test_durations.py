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
