"""Reading "the part where they talk about X" (English and Chinese phrasings) and the transcript
search behind it, without speech: the phrase tables' request, and which sentences a topic's
words pick out (the encoder-free path every install has)."""

from __future__ import annotations

import pytest

from reelcut.instructions import parse
from reelcut.speech.search import find_topic, topic_words


@pytest.mark.parametrize(
    ("said", "topic"),
    [
        ("the part where they talk about pricing", "pricing"),
        ("find the part where they talk about baking bread", "baking bread"),
        ("Show me the bit about saving money", "saving money"),
        ("the section where the speaker discusses the train journey", "the train journey"),
        ('the part about "Acme Corp"', "Acme Corp"),
        ("找到讲定价的那段", "定价"),
        ("找到讲火车旅行的那段", "火车旅行"),
        ("关于省钱的部分", "省钱"),
        ("剪出他们聊足球的片段", "足球"),
    ],
)
def test_the_part_about_a_topic_is_read_as_a_topic_focus(said: str, topic: str) -> None:
    assert parse(said).requests == [{"op": "focus", "kind": "topic", "keyword": topic}]


def test_a_topic_rides_along_with_other_edits_and_spoken_words_stay_keywords() -> None:
    both = parse("keep the part where he talks about money and add lofi music").requests
    assert both[0] == {"op": "focus", "kind": "topic", "keyword": "money"}
    assert both[1]["op"] == "music"
    assert parse("when someone says touchdown").requests[0]["kind"] == "keyword"
    assert parse("提到进球的时候").requests[0]["kind"] == "keyword"


TALK = [
    "Last weekend our team played the final match of the season.",
    "The striker scored two goals in the last ten minutes.",
    "Saving money is hard when prices go up every month.",
    "I keep a notebook of everything I spend.",
    "Next summer we travel by train across the mountains.",
]


def test_words_alone_find_the_sentences_that_say_them() -> None:
    run = find_topic(TALK, "the prices")
    assert run is not None and (run.first, run.last) == (2, 2) and run.words == ("pric",)
    assert find_topic(TALK, "train travel") is not None
    assert find_topic(TALK, "quantum physics") is None
    assert find_topic(TALK, "") is None and find_topic([], "money") is None


def test_topic_words_drop_the_phrasing_and_pair_chinese_characters() -> None:
    assert topic_words("the part where they talk about pricing") == ["pric"]
    assert topic_words("找到讲火车旅行的那段") == ["火车", "车旅", "旅行"]
