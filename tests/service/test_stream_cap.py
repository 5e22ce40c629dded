"""An account's open event streams are capped across API processes (``max_streams_per_account``
in Redis, on the machine's real PostgreSQL and Redis): one more stream on either process is 429
before it costs anything (no job for ``/run_sse``), a stream lets go of its slot when its client
goes away, slots held longer than their lease are renewed, and those of an API process that was
SIGKILLed lapse within ``lease_s``. Without a broker the one process counts them."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import httpx

from tests.service.conftest import (
    Server,
    anonymous_token,
    free_port,
    new_session,
    upload,
    wait_for,
)
from tests.service.test_scale import (  # noqa: F401
    LEASE_S,
    Cluster,
    _render,
    _slow_ffmpeg,
    _start_api,
    cluster,
)

SSE = {"Accept": "text/event-stream"}


def _refused(r: httpx.Response) -> bool:
    """A 429 for the stream cap (read only then: an open stream never ends)."""
    if r.status_code != 429:
        return False
    r.read()
    return r.json()["code"] == 429 and "streams open" in r.json()["message"]


def _try(stack: ExitStack, c: httpx.Client, job_id: str) -> bool:
    """Open a stream on ``job_id``: True when it opened (kept open until ``stack`` closes),
    False when refused for the cap."""
    r = stack.enter_context(c.stream("GET", f"/api/jobs/{job_id}/events", headers=SSE))
    if _refused(r):
        return False
    assert r.status_code == 200, r.read()
    lines = r.iter_lines()  # kept until the stack closes: a dropped one closes the connection
    stack.callback(lines.close)
    assert next(lines).startswith("event: status")
    return True


def test_an_accounts_streams_are_capped_across_api_processes(
    cluster: Cluster,  # noqa: F811
    clip: Path,
):
    # no worker: the upload's analysis stays queued, so its streams stay open
    a = _start_api(cluster, max_streams_per_account=2, early_analyses=0)
    b = _start_api(cluster, max_streams_per_account=2, early_analyses=0)
    token = anonymous_token(a)
    with a.client(token) as ca, b.client(token) as cb, ExitStack() as on_a, ExitStack() as on_b:
        sid = new_session(ca)
        r = upload(ca, sid, clip)
        assert r.status_code == 200, r.text
        job_id = r.json()["data"]["files"][0]["analysis_job_id"]
        assert _try(on_a, ca, job_id) and _try(on_b, cb, job_id)
        with ExitStack() as probe:
            assert not _try(probe, ca, job_id)  # the third, on either process
            assert not _try(probe, cb, job_id)
        r = ca.get(f"/api/jobs/{job_id}/events", headers=SSE)
        assert r.status_code == 429 and r.headers["Retry-After"], r.text
        body = {"app_name": "nemo_agent", "user_id": "me", "session_id": sid,
                "new_message": {"parts": [{"text": "make a 5 second reel"}]}}  # fmt: skip
        assert _refused(cb.post("/run_sse", json=body))
        assert [j["kind"] for j in cluster.rows("SELECT kind FROM jobs")] == ["analysis"]
        assert _refused(cb.get("/mcp", headers=SSE))  # an MCP session's standing stream too

        time.sleep(LEASE_S + 2)  # held past their lease: renewed, still counted
        with ExitStack() as probe:
            assert not _try(probe, cb, job_id)
        on_b.close()  # the client goes away: its slot is given back
        with ExitStack() as again:
            wait_for(lambda: _try(again, cb, job_id), 30, "the slot of the closed stream")
            a.kill()  # its stream's slot is never given back: it lapses within the lease
            killed = time.monotonic()
            assert not _try(again, cb, job_id)
            wait_for(lambda: _try(again, cb, job_id), LEASE_S + 20, "the dead process's slot")
            assert time.monotonic() - killed > 1  # it lapsed; nobody gave it back


def test_without_a_broker_the_process_counts_an_accounts_streams(tmp_path: Path, clip: Path):
    # a render at a quarter of real time: its stream stays open while the test looks
    srv = Server(tmp_path / "d", max_streams_per_account=1, ffmpeg=_slow_ffmpeg(tmp_path, 0.25))
    srv.start()
    try:
        token = anonymous_token(srv)
        with srv.client(token) as c, ExitStack() as held:
            sid = new_session(c)
            assert upload(c, sid, clip).status_code == 200
            make = {"requests": [{"op": "set_length", "seconds": 3},  # titled: a full encode
                                 {"op": "title", "text": "Slow", "seconds": 2}]}  # fmt: skip
            wait_for(
                lambda: c.post(f"/api/web/sessions/{sid}/edit", json=make).status_code == 200,
                60, "the first reel",
            )  # fmt: skip
            _render(c, sid, "render_s")
            assert _try(held, c, "render_s")
            with ExitStack() as probe:
                assert not _try(probe, c, "render_s")
            held.close()  # gone: the slot is free again
            with ExitStack() as again:
                wait_for(lambda: _try(again, c, "render_s"), 30, "the slot of the closed stream")
    finally:
        srv.stop()


def test_a_redis_that_does_not_answer_does_not_stop_the_api(tmp_path: Path, clip: Path):
    """The stream cap's Redis calls run off the event loop: with the broker's Redis stopped
    (SIGSTOP: connections open, nothing answers, as when its packets are dropped), a stream
    being opened waits in a thread while the process keeps answering, and once the cap's Redis
    failed it counts the process's own streams without asking Redis again for a while."""
    from tests.service.databases import fresh_postgres

    port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    stopped = False
    try:
        with fresh_postgres() as db:
            url = f"redis://127.0.0.1:{port}/0"
            wait_for(lambda: _answers(port), 30, "redis-server")
            made = Cluster(tmp_path / "data", db, url, [], [], {"database_url": db,
                           "broker_url": url, "lease_s": LEASE_S, "max_upload_mb": 20})  # fmt: skip
            made.data.mkdir()
            try:
                api = _start_api(made, max_streams_per_account=5, early_analyses=0)
                with api.client(anonymous_token(api)) as c, ExitStack() as held:
                    sid = new_session(c)
                    [media] = upload(c, sid, clip).json()["data"]["files"]
                    job_id = media["analysis_job_id"]  # no worker: it stays queued
                    assert _try(held, c, job_id)  # Redis answers: a slot in it
                    os.kill(redis.pid, signal.SIGSTOP)
                    stopped = True
                    opened: list[bool] = []
                    opener = threading.Thread(target=lambda: opened.append(_try(held, c, job_id)))
                    opener.start()
                    time.sleep(0.5)  # the opener waits on Redis now
                    with api.client(None) as other:
                        started = time.monotonic()
                        assert other.get("/healthz").status_code == 200
                        waited = time.monotonic() - started
                    opener.join(30)
                    assert opened == [True]  # counted by the process once Redis timed out
                    assert waited < 1.0, f"the event loop waited {waited:.1f} s on Redis"
                    started = time.monotonic()  # Redis still silent: not asked again
                    assert _try(held, c, job_id)
                    assert time.monotonic() - started < 1.0
            finally:
                if stopped:
                    os.kill(redis.pid, signal.SIGCONT)
                for a in made.apis:
                    a.stop()
    finally:
        if stopped:
            os.kill(redis.pid, signal.SIGCONT)
        redis.terminate()
        redis.wait(10)


def _answers(port: int) -> bool:
    import redis

    try:
        return bool(redis.Redis(port=port, socket_timeout=1).ping())
    except redis.RedisError:
        return False
