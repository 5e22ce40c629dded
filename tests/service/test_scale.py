"""``reelcut serve`` scaled out: two API processes and ``reelcut worker`` processes on the
machine's real PostgreSQL and Redis (Celery). With a bucket (moto's S3 server) every process has
its own data dir and nothing is shared on disk: the client's whole flow crosses processes. The
other tests share one data dir (no bucket): a worker SIGKILLed mid-render or mid-analysis loses
its job to the other, which completes it with the credits charged once; an API restart leaves
the workers' jobs running."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from reelcut.media.probe import probe
from tests.conftest import lavfi_clip
from tests.service.buckets import CREDENTIALS, make_bucket, moto_server
from tests.service.conftest import (
    Server,
    anonymous_token,
    follow,
    new_session,
    run_sse,
    upload,
    wait_for,
)
from tests.service.databases import fresh_postgres
from tests.service.workers import Worker, fresh_redis

LEASE_S = 10  # a killed worker's job runs again within about this (short for the tests)


@dataclass
class Cluster:
    data: Path
    database_url: str
    broker_url: str
    apis: list[Server]
    workers: list[Worker]
    settings: dict[str, Any]
    own_dirs: bool = False  # each process its own data dir (with a bucket: no shared disk)
    env: dict[str, str] = field(default_factory=dict)  # the bucket's credentials
    endpoint: str = ""  # the bucket's S3 endpoint, if any
    bucket: Any = None  # a boto3 client looking into it

    def data_dir(self, role: str, number: int) -> Path:
        return self.data / f"{role}-{number}" if self.own_dirs else self.data

    def api(self) -> Server:
        made = Server(self.data_dir("api", len(self.apis)), **self.settings)
        made.env.update(self.env)
        return made

    def worker(self) -> Worker:
        number = len(self.workers)
        data = self.data_dir("worker", number)
        data.mkdir(exist_ok=True)
        made = Worker(data, self.data / f"worker-{number}.log", **self.settings)
        made.env.update(self.env)
        self.workers.append(made.start())
        return made

    def rows(self, sql: str, **where: Any) -> list[dict[str, Any]]:
        import psycopg
        from psycopg.rows import dict_row

        with psycopg.connect(self.database_url, row_factory=dict_row) as db:
            return db.execute(sql, where).fetchall()

    def job(self, **where: str) -> dict[str, Any]:
        """The one job row matching ``where`` (read straight from PostgreSQL)."""
        clause = " AND ".join(f"{k} = %({k})s" for k in where)
        rows = self.rows(f"SELECT * FROM jobs WHERE {clause}", **where)
        assert len(rows) == 1, rows
        return rows[0]

    def ledger(self, job_id: str) -> list[str]:
        rows = self.rows("SELECT kind FROM ledger WHERE job_id = %(j)s ORDER BY id", j=job_id)
        return [r["kind"] for r in rows]


@contextmanager
def _cluster(data: Path, **settings: Any) -> Iterator[Cluster]:
    with fresh_postgres() as db, fresh_redis() as broker:
        settings = {
            "database_url": db,
            "broker_url": broker,
            "lease_s": LEASE_S,
            "max_upload_mb": 20,
            **settings,
        }
        made = Cluster(data, db, broker, [], [], settings)
        made.data.mkdir()
        try:
            yield made
        finally:
            for w in made.workers:
                w.stop()
            for a in made.apis:
                a.stop()


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    """API processes and workers sharing one data dir."""
    with _cluster(tmp_path / "data") as made:
        yield made


@pytest.fixture
def bucket_cluster(tmp_path: Path) -> Iterator[Cluster]:
    """API processes and workers each with its own data dir, uploads and renders in a bucket."""
    with moto_server(tmp_path / "moto.log") as endpoint:
        bucket = make_bucket(endpoint, "reels")
        url = f"s3://reels?endpoint={endpoint}"
        with _cluster(tmp_path / "data", storage_url=url, scratch_mb=64) as made:
            made.own_dirs = True
            made.env.update(CREDENTIALS)
            made.endpoint, made.bucket = endpoint, bucket
            yield made


#: What the tests that stop a render in the middle ask for: a titled reel. Drawing text takes
#: the full encode, through FFmpeg (slowed by :func:`_slow_ffmpeg`); an untitled cut of these
#: one-GOP clips is smart-rendered, its pictures copied in well under a second.
SLOW_REEL = "make a 5 second reel, add the title 'Slow' for 3 seconds"


def _slow_ffmpeg(folder: Path, rate: float = 1.0) -> Path:
    """An FFmpeg that reads every input at ``rate`` x real time (``-readrate`` before each ``-i``).

    Named by ``REELCUT_FFMPEG`` for the workers, it makes a 5 s render last at least 5 s of
    wall time on any machine while costing next to no CPU, so a kill or a restart lands in the
    middle of it (a slow preset did the same by burning CPU, and a quiet machine still won)."""
    from reelcut.media.ffmpeg import ffmpeg_exe

    wrapper = folder / "ffmpeg-at-real-time"
    wrapper.write_text(
        "#!/usr/bin/env bash\n"
        "args=()\n"
        f'for a in "$@"; do [ "$a" = -i ] && args+=(-readrate {rate}); args+=("$a"); done\n'
        f'exec {ffmpeg_exe()!s} "${{args[@]}}"\n'
    )
    wrapper.chmod(0o755)
    return wrapper


def _start_api(cluster: Cluster, **extra: Any) -> Server:
    srv = cluster.api()
    srv.start_timeout_s = 120  # a loaded CI machine starts Python processes slowly
    srv.env.update({f"REELCUT_{k.upper()}": str(v) for k, v in extra.items()})
    srv.log = cluster.data / f"api-{len(cluster.apis)}.log"
    cluster.apis.append(srv)  # stopped at the end also when it fails to start
    return srv.start()


def _render(c: httpx.Client, sid: str, render_id: str) -> None:
    r = c.post(
        "/api/render/proxy/lambda",
        json={"id": render_id, "sessionId": sid, "draft": None, "output": {"quality": "high"}},
    )
    assert r.status_code == 200, r.text


def _rendered(c: httpx.Client, render_id: str, timeout_s: float = 120) -> dict[str, Any]:
    def done() -> dict[str, Any] | None:
        data = c.get(f"/api/render/proxy/lambda/{render_id}").json()["data"]
        assert data["status"] != "failed", data
        return data if data["status"] == "completed" else None

    found: dict[str, Any] = wait_for(done, timeout_s, f"render {render_id}")
    return found


def _running_on(cluster: Cluster, timeout_s: float = 60, **where: str) -> dict[str, Any]:
    """The job once a worker runs it (its runner names the worker)."""

    def running() -> dict[str, Any] | None:
        job = cluster.job(**where)
        assert job["status"] in ("queued", "running"), job
        return job if job["status"] == "running" and job["runner"] else None

    found: dict[str, Any] = wait_for(running, timeout_s, f"a worker to start {where}")
    return found


def test_two_api_processes_and_two_workers_share_no_disk(
    bucket_cluster: Cluster, clip: Path, tmp_path: Path
):
    cluster = bucket_cluster
    a, b = _start_api(cluster), _start_api(cluster)
    cluster.worker(), cluster.worker()
    token = anonymous_token(a)
    with a.client(token) as ca, b.client(token) as cb:
        sid = new_session(ca)
        r = upload(ca, sid, clip)  # API 1 takes the upload into the bucket
        assert r.status_code == 200, r.text
        [media] = r.json()["data"]["files"]
        events, _ = run_sse(cb, sid, "make a 5 second reel")  # via API 2, run on a worker
        assert not any("errorMessage" in e for e in events), events
        assert any("functionResponse" in p for e in events for p in e["content"]["parts"]), str(
            [e["content"] for e in events]
        )[:3000]
        state = ca.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]
        assert state["draft"]["t"], state  # the worker's draft, read by API 1 from PostgreSQL
        edit = {"requests": [{"op": "set_format", "aspect": "9:16"}]}
        r = cb.post(f"/api/web/sessions/{sid}/edit", json=edit)  # a hand edit on API 2
        assert r.status_code == 200 and r.json()["data"]["version"] == 2, r.text
        page = r.json()["data"]["files"][media["id"]]  # the page's links to the upload
        still = cb.get(f"{page}/still.jpg", params={"t": 1, "h": 90})  # fetched into API 2
        assert still.status_code == 200 and still.content[:2] == b"\xff\xd8", still.text[:200]
        moved = cb.get(f"{page}/source")  # the upload itself: from the bucket
        assert moved.status_code == 307 and moved.headers["location"].startswith(cluster.endpoint)
        assert httpx.get(moved.headers["location"], timeout=30).content == clip.read_bytes()
        state = ca.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]
        assert state["draft"]["m"]["aspect"] == "9:16", state  # API 1 sees version 2
        _render(cb, sid, "render_1")
        data = _rendered(ca, "render_1")  # polled on the process that did not take it
        link = data["output"]["url"]  # presigned: straight from the bucket, Range and all
        assert link.startswith(f"{cluster.endpoint}/reels/renders/"), link
        whole = httpx.get(link, timeout=30)
        part = httpx.get(link, headers={"Range": "bytes=0-99"}, timeout=30)
        assert whole.status_code == 200 and part.status_code == 206
        assert part.content == whole.content[:100]
        out = tmp_path / "reel.mp4"
        out.write_bytes(whole.content)
        info = probe(out)
        assert 3.5 <= info.duration_s <= 5.5 and info.video.height > info.video.width  # 9:16
        balance = wait_for(
            lambda: (x := cb.get("/api/credits/balance/simple").json()["data"])["frozen"] == 0 and x
        )
        assert (balance["available"], balance["spent"]) == (98, 2)  # analysis 1 + edit 1
    names = {w.name for w in cluster.workers}
    ran = cluster.rows("SELECT * FROM jobs ORDER BY created_at")
    assert [j["kind"] for j in ran] == ["analysis", "edit", "edit", "render"]  # chat, by hand
    for job in ran:
        assert job["status"] == "completed" and job["attempts"] == 1, job
        assert job["runner"].split("/")[0] in names, job["runner"]  # ran on a worker
    assert cluster.job(kind="analysis")["params"]["media_id"] == media["id"]
    render = cluster.job(kind="render")
    assert not any(Path(s["path"]).is_absolute() for s in render["params"]["draft"]["sources"])
    files = cluster.rows("SELECT name, version FROM session_files WHERE session_id = %(s)s", s=sid)
    assert {"project.reelcut.json": 2}.items() <= {f["name"]: f["version"] for f in files}.items()
    # nothing shared on disk: each data dir holds only what its own process fetched or made
    dirs = [cluster.data_dir(role, n) for role in ("api", "worker") for n in (0, 1)]
    assert len({d.resolve() for d in dirs}) == 4
    key = render["result"]["key"]
    assert not any((d / key).exists() for d in dirs[:2])  # no API process streamed the render
    assert sum((d / key).exists() for d in dirs[2:]) == 1  # the local copy of its worker
    stored = [o["Key"] for o in cluster.bucket.list_objects_v2(Bucket="reels")["Contents"]]
    assert len([k for k in stored if k.startswith("analysis/")]) == 1, stored  # analysed once


def test_a_worker_killed_mid_render_loses_it_to_the_other(bucket_cluster: Cluster, tmp_path: Path):
    """With nothing shared on disk: the survivor fetches the upload from the bucket into its own
    data dir, renders, and the bucket holds the reel whole."""
    cluster = bucket_cluster
    clip = lavfi_clip(tmp_path / "clip.mp4", seconds=8.0)
    api = _start_api(cluster)
    cluster.settings["ffmpeg"] = _slow_ffmpeg(tmp_path)  # the render lasts >= 5 s
    first, second = cluster.worker(), cluster.worker()
    token = anonymous_token(api)
    with api.client(token) as c:
        sid = new_session(c)
        assert upload(c, sid, clip).status_code == 200
        events, _ = run_sse(c, sid, SLOW_REEL)
        assert not any("errorMessage" in e for e in events), events
        _render(c, sid, "render_k")
        job = _running_on(cluster, public_id="render_k")
        victim = first if job["runner"].startswith(first.name + "/") else second
        wait_for(lambda: cluster.job(public_id="render_k")["progress"] > 0, 60, "progress")
        victim.kill()
        _rendered(c, "render_k")
    job = cluster.job(public_id="render_k")
    survivor = second if victim is first else first
    assert job["attempts"] == 2 and job["runner"].startswith(survivor.name + "/"), job
    key, size = job["result"]["key"], job["result"]["size_bytes"]
    assert cluster.bucket.head_object(Bucket="reels", Key=key)["ContentLength"] == size
    survivor_dir = cluster.data_dir("worker", cluster.workers.index(survivor))
    assert (survivor_dir / key).stat().st_size == size


def test_a_worker_killed_mid_analysis_is_charged_once(cluster: Cluster, tmp_path: Path):
    footage = lavfi_clip(tmp_path / "long.mp4", seconds=75, size="320x180")  # 2 credits
    api = _start_api(cluster)
    first = cluster.worker()
    token = anonymous_token(api)
    with api.client(token) as c:
        sid = new_session(c)
        r = upload(c, sid, footage)
        assert r.status_code == 200 and r.json()["data"]["credits_frozen"] == 2, r.text
        job = _running_on(cluster, kind="analysis")
        assert job["runner"].startswith(first.name + "/")
        first.kill()
        assert cluster.job(kind="analysis")["status"] == "running"  # the row still says so
        second = cluster.worker()  # started after the kill: only it can finish the job
        wait_for(lambda: cluster.job(kind="analysis")["status"] == "completed", 120, "analysis")
        balance = c.get("/api/credits/balance/simple").json()["data"]
        assert (balance["available"], balance["frozen"], balance["spent"]) == (98, 0, 2)
    job = cluster.job(kind="analysis")
    assert job["attempts"] == 2 and job["runner"].startswith(second.name + "/"), job
    assert cluster.ledger(job["id"]) == ["freeze", "settle"]


def test_an_api_restart_leaves_the_workers_jobs_running(cluster: Cluster, tmp_path: Path):
    long_clip = lavfi_clip(tmp_path / "clip.mp4", seconds=8.0)
    api = _start_api(cluster)
    # the 5 s render lasts >= 20 s: longer than a new API process takes to start on a loaded machine
    cluster.settings["ffmpeg"] = _slow_ffmpeg(tmp_path, rate=0.25)
    cluster.worker()
    token = anonymous_token(api)
    with api.client(token) as c:
        sid = new_session(c)
        assert upload(c, sid, long_clip).status_code == 200
        events, _ = run_sse(c, sid, SLOW_REEL)
        assert not any("errorMessage" in e for e in events), events
        _render(c, sid, "render_r")
        _running_on(cluster, public_id="render_r")
    api.kill()
    again = _start_api(cluster)
    restarted = datetime.now(UTC).replace(tzinfo=None)  # rows keep naive UTC
    with again.client(token) as c:
        _rendered(c, "render_r")
    job = cluster.job(public_id="render_r")
    # it was still running when the new API process was up, and that process left it alone
    assert job["finished_at"] > restarted and job["attempts"] == 1 and job["reason"] is None


def test_a_broker_that_does_not_answer_is_a_429_and_nothing_is_charged(tmp_path: Path):
    srv = Server(tmp_path / "d", broker_url="redis://127.0.0.1:1/0")  # nothing listens there
    srv.start_timeout_s = 120
    try:
        srv.start()
        token = anonymous_token(srv)
        with srv.client(token) as c:
            sid = new_session(c)
            body = {"app_name": "nemo_agent", "user_id": "me", "session_id": sid,
                    "new_message": {"parts": [{"text": "make a 5 second reel"}]}}  # fmt: skip
            r = c.post("/run_sse", json=body)
            assert r.status_code == 429 and "broker does not answer" in r.json()["message"], r.text
            balance = c.get("/api/credits/balance/simple").json()["data"]
            assert (balance["available"], balance["frozen"]) == (100, 0)
    finally:
        srv.stop()


def test_an_sse_client_on_another_api_follows_a_workers_job_at_once(
    cluster: Cluster, tmp_path: Path
):
    # long enough that its analysis reports progress a moment before it ends (~1 s CPU here)
    footage = lavfi_clip(tmp_path / "90s.mp4", seconds=90, size="320x180")
    # streams read the row on their own every 30 s only: what arrives sooner came over pub/sub
    quiet = {"early_analyses": 0, "event_poll_s": 30}
    a, b = _start_api(cluster, **quiet), _start_api(cluster, **quiet)
    worker = cluster.worker()
    token = anonymous_token(a)
    with a.client(token) as ca, b.client(token) as cb:
        sid = new_session(ca)
        r = upload(ca, sid, footage)  # submitted through API 1 ...
        assert r.status_code == 200, r.text
        job_id = r.json()["data"]["files"][0]["analysis_job_id"]
        frames = follow(cb, job_id)  # ... followed on API 2 while a worker runs it
        states = [data for _, event, data, _ in frames if event == "status"]
        assert states[-1]["status"] == "completed" and states[-1]["result"]["duration_s"] > 89
        assert any(0 < s["progress"] < 1 for s in states), states  # progress on the way
        row = cluster.job(id=job_id)
        # the end reached API 2 well before its own 30 s read (usually within a fraction of a
        # second of the worker's commit; 10 s leaves room for a loaded machine)
        latency_s = (frames[-1][0] - row["finished_at"]).total_seconds()
        assert 0 <= latency_s < 10, (latency_s, states)
        again = follow(cb, job_id)  # a client that reconnects gets the whole state at once
        assert [e for _, e, _, _ in again] == ["status"] and again[0][2] == states[-1]

        body = {"app_name": "nemo_agent", "user_id": "me", "session_id": sid,
                "new_message": {"parts": [{"text": "make a 5 second reel"}]}}  # fmt: skip
        with ca.stream("POST", "/run_sse", json=body) as r:  # an edit through API 1 ...
            assert r.status_code == 200
            edit_id = r.headers["X-Job-Id"]
        frames = follow(cb, edit_id)  # ... its messages and its end on API 2
        messages = [(i, data) for _, event, data, i in frames if event == "message"]
        assert messages and frames[-1][2]["status"] == "completed", frames[-3:]
        assert [int(i or -1) for i, _ in messages] == list(range(len(messages)))
        latency_s = (frames[-1][0] - cluster.job(id=edit_id)["finished_at"]).total_seconds()
        assert 0 <= latency_s < 10, latency_s
        resumed = follow(cb, edit_id, last_event_id=0)  # Last-Event-ID: the rest only
        assert [d for _, e, d, _ in resumed if e == "message"] == [d for _, d in messages[1:]]

        # the page's hand edits run on the worker too; the answer waits for it through pub/sub
        edit = f"/api/web/sessions/{sid}/edit"
        r = cb.post(edit, json={"requests": [{"op": "set_format", "aspect": "9:16"}]})
        assert r.status_code == 200 and r.json()["data"]["version"] == 2, r.text
        r = ca.post(f"/api/web/sessions/{sid}/history", json={"step": "undo"})  # the other API
        assert r.status_code == 200 and r.json()["data"]["can_redo"], r.text
        r = cb.post(edit, json={"requests": [{"op": "remove_clip", "index": 99}]})
        assert r.status_code == 400 and r.json()["code"] == 4010, r.text  # the worker's error
    import psycopg

    with psycopg.connect(cluster.database_url) as db:
        rows = db.execute(
            "SELECT status, runner, params FROM jobs WHERE kind = 'edit' ORDER BY created_at"
        ).fetchall()
    assert [(status, "hand" in params) for status, _, params in rows] == [
        ("completed", False), ("completed", True), ("completed", True), ("failed", True)
    ], rows  # fmt: skip
    assert all(runner.startswith(worker.name + "/") for _, runner, _ in rows), rows


def test_the_queue_size_holds_across_api_processes_and_a_refused_job_costs_nothing(
    cluster: Cluster, clip: Path, tmp_path: Path
):
    other = lavfi_clip(tmp_path / "other.mp4", seconds=3.0)  # other bytes: not a duplicate
    # no worker runs: what is sent waits; REELCUT_QUEUE_SIZE=1 across both API processes
    a, b = _start_api(cluster, queue_size=1), _start_api(cluster, queue_size=1)
    token = anonymous_token(a)
    with a.client(token) as ca, b.client(token) as cb:
        sid = new_session(ca)
        r = upload(ca, sid, clip)  # its analysis is the one job waiting
        assert r.status_code == 200, r.text
        [first] = r.json()["data"]["files"]
        body = {"app_name": "nemo_agent", "user_id": "me", "session_id": sid,
                "new_message": {"parts": [{"text": "make a 5 second reel"}]}}  # fmt: skip
        r = cb.post("/run_sse", json=body)  # the other API process counts it too
        assert r.status_code == 429 and r.json()["code"] == 429, r.text
        assert "queue is full" in r.json()["message"] and r.headers["Retry-After"]
        r = upload(cb, sid, other)  # kept; its analysis waits for an edit
        assert r.status_code == 200, r.text
        [second] = r.json()["data"]["files"]
        assert second["analysis_job_id"] and second["analysis_job_id"] != first["analysis_job_id"]
        balance = ca.get("/api/credits/balance/simple").json()["data"]
        assert (balance["available"], balance["frozen"], balance["spent"]) == (99, 1, 0)
    edit = cluster.job(kind="edit")
    assert (edit["status"], edit["error_code"]) == ("failed", 429), edit
    assert cluster.ledger(edit["id"]) == ["freeze", "release"]  # charged nothing
    refused = cluster.job(id=second["analysis_job_id"])
    assert refused["status"] == "failed" and cluster.ledger(refused["id"]) == ["freeze", "release"]
    assert cluster.job(id=first["analysis_job_id"])["status"] == "queued"


def test_a_client_cancels_a_queued_job_and_one_running_on_a_worker(
    cluster: Cluster, clip: Path, tmp_path: Path
):
    from reelcut.service.runtime import leftover_encoders

    other = lavfi_clip(tmp_path / "other.mp4", seconds=3.0)
    a, b = _start_api(cluster, early_analyses=0), _start_api(cluster, early_analyses=0)
    token = anonymous_token(a)
    with a.client(token) as ca, b.client(token) as cb:
        first = new_session(ca)
        r = upload(ca, first, other)  # no worker yet: its analysis waits, 1 credit frozen
        queued = r.json()["data"]["files"][0]["analysis_job_id"]
        r = cb.post(f"/api/jobs/{queued}/cancel")  # through the other API process
        assert r.status_code == 200, r.text
        state = r.json()["data"]
        assert (state["status"], state["error"], state["code"]) == ("failed", "cancelled", 4990)
        assert cluster.ledger(queued) == ["freeze", "release"]

        # a render that lasts >= 10 s on the worker, cancelled in the middle of it
        cluster.settings["ffmpeg"] = _slow_ffmpeg(tmp_path, rate=0.5)
        worker = cluster.worker()
        sid = new_session(ca)
        assert upload(ca, sid, clip).status_code == 200
        events, _ = run_sse(ca, sid, SLOW_REEL)
        assert not any("errorMessage" in e for e in events), events
        _render(ca, sid, "render_c")
        _running_on(cluster, public_id="render_c")
        wait_for(lambda: cluster.job(public_id="render_c")["progress"] > 0, 60, "progress")
        asked = datetime.now(UTC).replace(tzinfo=None)
        r = cb.post("/api/jobs/render_c/cancel")
        assert r.status_code == 200 and r.json()["data"]["status"] == "rendering", r.text
        frames = follow(cb, "render_c")  # the worker stops it at its next progress point
        assert frames[-1][2]["status"] == "failed" and frames[-1][2]["error"] == "cancelled"
        job = cluster.job(public_id="render_c")
        assert job["result"] is None and (job["finished_at"] - asked).total_seconds() < 5, job
        assert job["runner"].startswith(worker.name + "/") and job["attempts"] == 1
        assert leftover_encoders(cluster.data / "tmp") == []  # its FFmpeg is gone
        assert not list((cluster.data / "renders").glob(f"{job['id']}*"))
        r = cb.post("/api/jobs/render_c/cancel")  # ended: left as it was
        assert r.json()["data"]["status"] == "failed"
        balance = ca.get("/api/credits/balance/simple").json()["data"]
        assert (balance["available"], balance["frozen"], balance["spent"]) == (98, 0, 2)
    assert cluster.job(id=queued)["attempts"] == 0  # the worker never ran the cancelled job


def test_mcp_tools_run_on_a_worker_and_a_cancelled_make_stops_there(
    cluster: Cluster, clip: Path, tmp_path: Path
):
    import anyio

    from tests.service.test_mcp_http import _ok, mcp_client

    api = _start_api(cluster)
    cluster.settings["ffmpeg"] = _slow_ffmpeg(tmp_path, rate=0.25)  # a 3 s reel takes >= 12 s
    worker = cluster.worker()
    token = anonymous_token(api)
    with api.client(token) as c:
        sid = new_session(c)
        media_id = upload(c, sid, clip).json()["data"]["files"][0]["id"]
    wait_for(lambda: cluster.job(kind="analysis")["status"] == "completed", 60, "analysis")

    async def session() -> None:
        async with mcp_client(api, token) as client:
            info = await _ok(client, "analyze_media", {"path": media_id})
            assert 3.5 < info["duration_s"] < 4.5, info
            started = anyio.Event()

            async def progress(value: float, total: float | None, message: str | None) -> None:
                started.set()

            async with anyio.create_task_group() as tg:

                async def make() -> None:
                    args = {"inputs": [media_id], "length_s": 3,  # titled: the full encode
                            "instruction": "add the title 'Slow' for 2 seconds"}  # fmt: skip
                    await client.call_tool("create_reel", args, progress_callback=progress)

                tg.start_soon(make)
                with anyio.fail_after(120):
                    await started.wait()  # relayed from the worker's job row
                tg.cancel_scope.cancel()

    anyio.run(session)
    import psycopg
    from psycopg.rows import dict_row

    def ended() -> list[dict[str, Any]] | None:
        with psycopg.connect(cluster.database_url, row_factory=dict_row) as db:
            rows = db.execute(
                "SELECT * FROM jobs WHERE kind <> 'analysis' ORDER BY created_at"
            ).fetchall()
        return None if any(r["status"] in ("queued", "running") for r in rows) else rows

    rows = wait_for(ended, 60, "the cancelled make to end")  # not ~12 s of render
    kinds = [(r["kind"], r["params"].get("tool") or r["params"].get("work")) for r in rows]
    assert kinds == [("mcp", "analyze_media"), ("mcp", "create_reel"), ("render", "make")], kinds
    analyse, make, render = rows
    assert analyse["status"] == "completed" and analyse["runner"].startswith(worker.name + "/")
    assert (make["status"], make["reason"]) == ("failed", "cancelled"), make
    assert make["runner"].startswith(worker.name + "/")
    assert render["status"] == "failed" and "cancel" in render["reason"], render  # in the worker
    assert cluster.ledger(render["id"]) == ["freeze", "release"]  # the make's credit
    with api.client(token) as c:
        balance = c.get("/api/credits/balance/simple").json()["data"]
    assert (balance["available"], balance["frozen"], balance["spent"]) == (99, 0, 1)

    # the same call with its worker SIGKILLed mid-render: it runs again on a worker started
    # after the kill, and the first attempt's make is failed with its credit released
    async def killed() -> dict[str, Any]:
        async with mcp_client(api, token) as client:
            started = anyio.Event()
            answer: dict[str, Any] = {}

            async def progress(value: float, total: float | None, message: str | None) -> None:
                started.set()

            async def make() -> None:
                args = {"inputs": [media_id], "length_s": 3}
                result = await client.call_tool("create_reel", args, progress_callback=progress)
                assert not result.is_error, result.content
                answer.update(result.structured_content or {})

            async with anyio.create_task_group() as tg:
                tg.start_soon(make)
                with anyio.fail_after(120):
                    await started.wait()
                worker.kill()
                await anyio.to_thread.run_sync(cluster.worker)
            return answer

    reel = anyio.run(killed)
    assert reel["output"].startswith(api.url) and reel["project"] == sid, reel
    rows = wait_for(ended, 60, "the second make to end")[3:]
    kinds = [(r["kind"], r["params"].get("tool") or r["params"].get("work")) for r in rows]
    assert kinds == [("mcp", "create_reel"), ("render", "make"), ("render", "make")], kinds
    call, first, second = rows
    assert call["status"] == "completed" and call["attempts"] == 2, call
    assert first["status"] == "failed" and "worker stopped" in first["reason"], first
    assert cluster.ledger(first["id"]) == ["freeze", "release"]
    assert second["status"] == "completed" and cluster.ledger(second["id"]) == ["freeze", "settle"]
