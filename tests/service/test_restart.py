"""A server killed mid-job: the next one on the same data dir fails the job with a reason,
releases its frozen credits and removes the half-written files."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelcut.service.admin import create_key
from reelcut.service.settings import Settings
from tests.service.conftest import Server, new_session, run_sse, upload, wait_for


@pytest.mark.slow
def test_restart_during_a_render_fails_it_and_releases_credits(tmp_path: Path, long_clip: Path):
    data = tmp_path / "data"
    first = Server(data, workers=1, render_preset="medium").start()
    try:
        token = create_key(Settings(data_dir=data), "restart", 10).key
        with first.client(token) as c:
            sid = new_session(c)
            assert upload(c, sid, long_clip).status_code == 200
            assert run_sse(c, sid, "make a 5 second reel")[0]
            draft = c.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]["draft"]
            draft["m"].update(height=1080, aspect="9:16", reframe="blur")  # a slower render
            r = c.post(
                "/api/render/proxy/lambda", json={"id": "big", "sessionId": sid, "draft": draft}
            )
            assert r.status_code == 200, r.text
            wait_for(
                lambda: (
                    c.get("/api/render/proxy/lambda/big").json()["data"]["status"] == "rendering"
                ),
                what="the render to start",
            )
            body = {"session_id": sid, "new_message": {"parts": [{"text": "make a 4 second reel"}]}}
            with c.stream("POST", "/run_sse", json=body) as stream:  # queued behind the render
                assert stream.status_code == 200
                lines = stream.iter_lines()
                assert next(line for line in lines if line) == ": ping"  # waiting, not silent
                before = c.get("/api/credits/balance/simple").json()["data"]
                assert before["frozen"] == 1
                first.kill()
    finally:
        first.stop()

    second = Server(data, workers=1).start()
    try:
        with second.client(token) as c:
            render = c.get("/api/render/proxy/lambda/big").json()["data"]
            assert render["status"] == "failed"
            assert render["error"] == "interrupted by a restart"
            balance = c.get("/api/credits/balance/simple").json()["data"]
            assert balance["frozen"] == 0
            assert balance["available"] == before["available"] + 1
            state = c.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]
            assert not state["editing"] and state["draft"] is not None
            assert [g["status"] for g in state["generated_media"]] == ["failed"]
        assert list((data / "tmp").iterdir()) == []
        assert list((data / "renders").iterdir()) == []
        # the service works on after the restart: the same draft renders now
        with second.client(token) as c:
            r = c.post("/api/render/proxy/lambda", json={"id": "again", "sessionId": sid})
            assert r.status_code == 200
            done = wait_for(
                lambda: (
                    (d := c.get("/api/render/proxy/lambda/again").json()["data"])["status"]
                    in ("completed", "failed")
                    and d
                ),
                90,
                "the second render",
            )
            assert done["status"] == "completed", done
    finally:
        second.stop()
