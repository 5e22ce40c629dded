"""The chat over SSE carries out what it understands: batch work on one upload at a time
(the state says which), exports and previews start renders, errors are said once, no filler."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.service.conftest import Server, anonymous_token, new_session, run_sse, upload


def _texts(events: list[dict]) -> list[str]:
    return [p["text"] for e in events for p in e["content"]["parts"] if "text" in p]


def test_an_error_is_said_once_and_nothing_is_filler(server: Server):
    with server.client(anonymous_token(server)) as c:
        sid = new_session(c)  # no upload: a reel cannot be made
        events, _ = run_sse(c, sid, "make a 30 second reel")
        assert [e["errorCode"] for e in events if "errorCode" in e] == ["4010"]
        assert len(_texts(events)) == 1 and "upload a video first" in _texts(events)[0]
        assert not any(p.get("thought") for e in events for p in e["content"]["parts"])


def test_a_session_made_without_a_language_answers_in_the_message_s(server: Server):
    """The session's language used to default to "en", which overrode a Chinese message."""
    with server.client(anonymous_token(server)) as c:
        for body in (None, {"task_name": "project"}):
            r = c.post("/api/tasks/me/with-session/nemo_agent", json=body)
            sid = r.json()["data"]["session_id"]
            events, _ = run_sse(c, sid, "做一个30秒的集锦")
            assert _texts(events)[0].startswith("无法完成"), _texts(events)
            events, _ = run_sse(c, sid, "make a 30 second reel")
            assert _texts(events)[0].startswith("I could not"), _texts(events)


@pytest.mark.parametrize("language", ["en", "en-US", "zh", "zh-CN", "zh_Hans", None])
def test_replies_follow_the_message_and_the_session_language_only_without_words(
    server: Server, language: str | None
):
    """A session made with "en" answered Chinese messages in English, "zh-CN" answered
    everything in English and "zh" answered English messages in Chinese. The message's own
    language decides; the session's (any region tag) only for a message with no words."""
    chinese = (language or "").lower().startswith("zh")
    with server.client(anonymous_token(server)) as c:
        body = {"task_name": "project", "language": language}
        sid = c.post("/api/tasks/me/with-session/nemo_agent", json=body).json()["data"][
            "session_id"
        ]
        events, _ = run_sse(c, sid, "做一个30秒的集锦")
        assert _texts(events)[0].startswith("无法完成"), _texts(events)
        events, _ = run_sse(c, sid, "make a 30 second reel")
        assert _texts(events)[0].startswith("I could not"), _texts(events)
        events, _ = run_sse(c, sid, "9:16")
        assert _texts(events)[0].startswith("无法完成" if chinese else "I could not")


@pytest.mark.slow
def test_batch_each_upload_gets_its_own_draft_and_render(
    server: Server, clip: Path, long_clip: Path
):
    with server.client(anonymous_token(server)) as c:
        sid = new_session(c)
        first = upload(c, sid, long_clip).json()["data"]["files"][0]["id"]
        second = upload(c, sid, clip).json()["data"]["files"][0]["id"]

        def state() -> dict:
            return c.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]

        events, _ = run_sse(c, sid, "make a 5-second reel of the first video")
        assert "Done" in _texts(events)[-1]
        assert state()["draft_of"] == first

        events, _ = run_sse(c, sid, "now the second one, vertical")
        now = state()
        assert now["draft_of"] == second and now["draft"]["m"]["aspect"] == "9:16"
        assert {d["upload"]: d["current"] for d in now["drafts"]} == {first: False, second: True}
        events, _ = run_sse(c, sid, "export")
        [render] = [
            p["functionResponse"]["response"]
            for e in events
            for p in e["content"]["parts"]
            if p.get("functionResponse", {}).get("name") == "render"
        ]
        assert render["url"] in _texts(events)[-1]
        poll = c.get(render["poll"]).json()
        assert poll["status"] == poll["data"]["status"] and poll["id"] == render["id"]

        events, _ = run_sse(c, sid, "the first video again, make it 4 seconds")
        assert state()["draft_of"] == first

        events, _ = run_sse(c, sid, "use the ninth video")
        assert "no video 9" in _texts(events)[-1]
