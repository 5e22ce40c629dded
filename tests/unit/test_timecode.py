import pytest

from reelcut.errors import InvalidArgumentError
from reelcut.timecode import format_duration, parse_duration


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
