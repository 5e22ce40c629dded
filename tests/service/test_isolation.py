"""Sessions, uploads, drafts and renders belong to their account: anyone else gets 404."""

from __future__ import annotations

from pathlib import Path

from tests.service.conftest import Server, anonymous_token, new_session, run_sse, upload, wait_for


def test_two_tokens_cannot_see_each_others_sessions_or_renders(server: Server, clip: Path):
    with (
        server.client(anonymous_token(server)) as alice,
        server.client(anonymous_token(server)) as bob,
    ):
        sid = new_session(alice)
        assert upload(alice, sid, clip).status_code == 200
        events, _ = run_sse(alice, sid, "make a 5 second reel")
        assert events
        r = alice.post("/api/render/proxy/lambda", json={"id": "mine", "sessionId": sid})
        assert r.status_code == 200, r.text
        wait_for(
            lambda: (
                alice.get("/api/render/proxy/lambda/mine").json()["data"]["status"]
                in ("completed", "failed")
            ),
            what="render",
        )

        r = bob.get(f"/api/state/nemo_agent/me/{sid}/latest")
        assert (r.status_code, r.json()["code"]) == (404, 1002)
        assert (upload(bob, sid, clip).status_code, 404) == (404, 404)
        body = {"session_id": sid, "new_message": {"parts": [{"text": "make a reel"}]}}
        r = bob.post("/run_sse", json=body)
        assert (r.status_code, r.json()["code"]) == (404, 1002)
        r = bob.post("/api/render/proxy/lambda", json={"id": "theirs", "sessionId": sid})
        assert (r.status_code, r.json()["code"]) == (404, 1002)
        r = bob.get("/api/render/proxy/lambda/mine")
        assert (r.status_code, r.json()["code"]) == (404, 404)
        # bob may use the same render id in his own session without touching alice's
        own = new_session(bob)
        r = bob.post("/api/render/proxy/lambda", json={"id": "mine", "sessionId": own})
        assert r.status_code == 400 and "nothing to render" in r.json()["message"]
        assert alice.get("/api/render/proxy/lambda/mine").json()["data"]["status"] == "completed"


def test_download_url_is_unguessable(server: Server):
    r = server.client().get("/api/files/not-a-token/mine.mp4")
    assert (r.status_code, r.json()["code"]) == (404, 404)


def test_disconnecting_client_does_not_cancel_the_edit(server: Server, clip: Path):
    import httpx

    with server.client(anonymous_token(server)) as c:
        sid = new_session(c)
        assert upload(c, sid, clip).status_code == 200
        body = {"session_id": sid, "new_message": {"parts": [{"text": "make a 5 second reel"}]}}
        with c.stream("POST", "/run_sse", json=body) as r:
            assert r.status_code == 200
            job_id = r.headers["x-job-id"]
        # the stream is closed before any event was read: the worker goes on regardless
        state = wait_for(
            lambda: (
                (s := c.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"])[
                    "draft"
                ]
                and not s["editing"]
                and s
            ),
            what="the edit to finish",
        )
        assert state["draft"]["d"] > 0
        assert job_id.startswith("job_")
        balance = wait_for(
            lambda: (b := c.get("/api/credits/balance/simple").json()["data"])["frozen"] == 0 and b,
            what="credits settled",
        )
        assert balance["spent"] == 2  # analysis + the edit, each once
        assert isinstance(httpx.__version__, str)


def test_a_render_whose_source_vanished_fails_with_a_reason(server: Server, clip: Path):
    with server.client(anonymous_token(server)) as c:
        sid = new_session(c)
        [media] = upload(c, sid, clip).json()["data"]["files"]
        assert run_sse(c, sid, "make a 5 second reel")[0]
        wait_for(
            lambda: (
                not c.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"][
                    "editing"
                ]
            ),
            what="the edit",
        )
        [stored] = list((server.data_dir / "media").glob(f"*/{media['id']}.mp4"))
        stored.unlink()
        r = c.post("/api/render/proxy/lambda", json={"id": "gone", "sessionId": sid})
        assert r.status_code == 200, r.text
        failed = wait_for(
            lambda: (
                (d := c.get("/api/render/proxy/lambda/gone").json()["data"])["status"]
                in ("failed", "completed")
                and d
            ),
            what="the render to end",
        )
        assert failed["status"] == "failed" and "no such file" in failed["error"]
        assert str(server.data_dir) not in failed["error"]


def test_stream_sends_heartbeats_while_the_edit_waits(server: Server, clip: Path):
    with server.client(anonymous_token(server)) as c:
        sid = new_session(c)
        assert upload(c, sid, clip).status_code == 200
        assert run_sse(c, sid, "make a 5 second reel")[0]
        draft = c.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]["draft"]
        draft["m"].update(height=1080, aspect="9:16", reframe="blur")
        for n in range(2):  # both workers busy with exports: the next edit has to wait
            body = {"id": f"busy{n}", "sessionId": sid, "draft": draft}
            assert c.post("/api/render/proxy/lambda", json=body).status_code == 200
        events, comments = run_sse(c, sid, "make a 4 second reel")
        assert ": ping" in comments and events
