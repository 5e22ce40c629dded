"""20 sessions uploading and rendering at once on ``reelcut serve`` behind Celery, with 1, 2
and 3 ``reelcut worker`` processes: time until the last render is done, and how long jobs
waited in the queue (a job's ``started_at - created_at``, from its row), p50 and p99.

Each configuration gets a fresh PostgreSQL database (the machine's server), a fresh Redis
database, a fresh data dir, one API process and N workers (each runs one job at a time). A
warm-up session makes one reel through the chat to get a draft; then 20 sessions, each with its
own anonymous token, at once: upload the same generated clip (its analysis is a job), post a
render of that draft pointed at their own upload (a job), poll until it is done. 40 jobs per
configuration; analysis of the uploads in the API process is turned off (``EARLY_ANALYSES=0``)
so every job runs on the workers.

    flock /work/bench.lock env PYTHONPATH=src .venv/bin/python bench/scale.py [--sessions 20]
        [--workers 1 2 3] [--seconds 8]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
POSTGRES = os.environ.get("REELCUT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("REELCUT_TEST_REDIS", "redis://127.0.0.1:6379") + "/14"


@dataclass(frozen=True, slots=True)
class Row:
    workers: int
    finish_s: float
    all_done_s: float
    jobs: int
    wait_p50_s: float
    wait_p99_s: float
    run_mean_s: float
    failed: int


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _clip(path: Path, seconds: float) -> Path:
    from reelcut.media.ffmpeg import ffmpeg_exe

    subprocess.run(
        [ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", f"testsrc2=size=640x360:rate=25:duration={seconds}",
         "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
         "-shortest", str(path)],
        check=True,
    )  # fmt: skip
    return path


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


class Stack:
    """Fresh database, broker database and data dir; one API process and ``workers`` workers."""

    def __init__(self, workers: int, root: Path) -> None:
        import psycopg
        import redis

        self.name = f"reelcut_bench_{uuid.uuid4().hex[:10]}"
        self.admin = psycopg.connect(POSTGRES, autocommit=True)
        self.admin.execute(f'CREATE DATABASE "{self.name}"')
        self.db_url = f"{POSTGRES.rsplit('/', 1)[0]}/{self.name}"
        self.redis = redis.Redis.from_url(REDIS)
        self.redis.flushdb()
        self.data = root / f"data-{workers}"
        self.data.mkdir()
        self.port = _free_port()
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT / "src"),
            "REELCUT_DATA_DIR": str(self.data),
            "REELCUT_CACHE_DIR": str(self.data / "cache"),
            "REELCUT_DATABASE_URL": self.db_url,
            "REELCUT_BROKER_URL": REDIS,
            "REELCUT_RATE_LIMIT_PER_MINUTE": "0",
            "REELCUT_ANONYMOUS_TOKENS_PER_HOUR": "100000",
            "REELCUT_MAX_JOBS_PER_ACCOUNT": "100",
            "REELCUT_EARLY_ANALYSES": "0",
            "REELCUT_DEFAULT_REEL_S": "5",
        }
        self.procs: list[subprocess.Popen[bytes]] = []
        api = self._spawn(["-m", "reelcut.service", "--port", str(self.port)], "api.log")
        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if api.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the API did not start: {(self.data / 'api.log').read_text()}")
            time.sleep(0.2)
        for n in range(workers):
            log = f"worker-{n}.log"
            worker = self._spawn(["-m", "reelcut", "worker"], log)
            while b"ready." not in (self.data / log).read_bytes():
                if worker.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"a worker did not start: {(self.data / log).read_text()}")
                time.sleep(0.2)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _spawn(self, args: list[str], log: str) -> subprocess.Popen[bytes]:
        with (self.data / log).open("wb") as out:
            proc = subprocess.Popen(
                [sys.executable, *args], env=self.env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        self.procs.append(proc)
        return proc

    def jobs(self) -> list[dict[str, Any]]:
        import psycopg
        from psycopg.rows import dict_row

        with psycopg.connect(self.db_url, row_factory=dict_row) as db:
            return db.execute(
                "SELECT kind, status, created_at, started_at, finished_at FROM jobs"
            ).fetchall()

    def close(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.redis.flushdb()
        self.admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.admin.close()


def _client(stack: Stack) -> httpx.Client:
    r = httpx.post(
        f"{stack.url}/api/auth/anonymous-token", headers={"X-Client-Id": uuid.uuid4().hex}
    )
    r.raise_for_status()
    token = r.json()["data"]["token"]
    return httpx.Client(
        base_url=stack.url, headers={"Authorization": f"Bearer {token}"}, timeout=600
    )


def _session_with_upload(c: httpx.Client, clip: Path) -> tuple[str, str]:
    r = c.post("/api/tasks/me/with-session/nemo_agent", json={"task_name": "p", "language": "en"})
    sid = r.json()["data"]["session_id"]
    with clip.open("rb") as fh:
        r = c.post(f"/api/upload-video/nemo_agent/me/{sid}", files=[("files", (clip.name, fh))])
    r.raise_for_status()
    return sid, r.json()["data"]["files"][0]["id"]


def _wait_render(c: httpx.Client, render_id: str) -> str:
    while True:
        data = c.get(f"/api/render/proxy/lambda/{render_id}").json()["data"]
        if data["status"] in ("completed", "failed"):
            return str(data["status"])
        time.sleep(0.25)


def _template(stack: Stack, clip: Path) -> tuple[dict[str, Any], str]:
    """A draft made through the chat once, and the media id its sources name."""
    with _client(stack) as c:
        sid, media_id = _session_with_upload(c, clip)
        body = {"app_name": "nemo_agent", "user_id": "me", "session_id": sid,
                "new_message": {"parts": [{"text": "make a 5 second reel"}]}}  # fmt: skip
        with c.stream("POST", "/run_sse", json=body) as r:
            for _ in r.iter_lines():
                pass
        draft = c.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]["draft"]
    if not draft:
        raise SystemExit("the warm-up chat made no draft")
    return draft, media_id


def run(workers: int, sessions: int, clip: Path, root: Path) -> Row:
    stack = Stack(workers, root)
    try:
        template, template_media = _template(stack, clip)
        text = json.dumps(template)
        warmup_jobs = len(stack.jobs())
        statuses: list[str] = []
        go = threading.Barrier(sessions + 1)

        def one(n: int) -> None:
            with _client(stack) as c:
                go.wait()
                sid, media_id = _session_with_upload(c, clip)
                draft = json.loads(text.replace(template_media, media_id))
                r = c.post(
                    "/api/render/proxy/lambda",
                    json={"id": f"bench_{n}", "sessionId": sid, "draft": draft,
                          "output": {"quality": "high"}},
                )  # fmt: skip
                r.raise_for_status()
                statuses.append(_wait_render(c, f"bench_{n}"))

        threads = [threading.Thread(target=one, args=(n,)) for n in range(sessions)]
        for t in threads:
            t.start()
        go.wait()
        started = time.monotonic()
        started_wall = datetime.now(UTC).replace(tzinfo=None)  # rows keep naive UTC
        for t in threads:
            t.join()
        finish_s = time.monotonic() - started
        # wait for analyses that are still running (a render does not need its upload's)
        deadline = time.monotonic() + 600
        while any(j["status"] in ("queued", "running") for j in stack.jobs()):
            if time.monotonic() > deadline:
                break
            time.sleep(0.5)
        jobs = _bench_jobs(stack.jobs(), warmup_jobs)
        ends = [j["finished_at"] for j in jobs if j["finished_at"]]
        all_done_s = (max(ends) - started_wall).total_seconds() if ends else float("nan")
        waits = [
            (j["started_at"] - j["created_at"]).total_seconds() for j in jobs if j["started_at"]
        ]
        runs = [
            (j["finished_at"] - j["started_at"]).total_seconds()
            for j in jobs
            if j["started_at"] and j["finished_at"]
        ]
        return Row(
            workers=workers,
            finish_s=finish_s,
            all_done_s=all_done_s,
            jobs=len(jobs),
            wait_p50_s=statistics.median(waits) if waits else float("nan"),
            wait_p99_s=_percentile(waits, 0.99),
            run_mean_s=statistics.fmean(runs) if runs else float("nan"),
            failed=sum(1 for j in jobs if j["status"] != "completed")
            + sum(1 for s in statuses if s != "completed"),
        )
    finally:
        stack.close()


def _bench_jobs(rows: list[dict[str, Any]], warmup: int) -> list[dict[str, Any]]:
    """The jobs made after the warm-up (rows ordered by creation)."""
    ordered = sorted(rows, key=lambda j: j["created_at"])
    return ordered[warmup:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--seconds", type=float, default=8.0, help="length of the uploaded clip")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="reelcut-scale-"))
    try:
        clip = _clip(root / "clip.mp4", args.seconds)
        load_before = os.getloadavg()
        rows = [run(w, args.sessions, clip, root) for w in args.workers]
        load_after = os.getloadavg()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"{args.sessions} sessions, each: upload a {args.seconds:.0f} s 640x360 clip "
          f"(analysis job) + render a 5 s reel (render job); {os.cpu_count()} CPUs")  # fmt: skip
    print(f"load average before {load_before[0]:.1f}, after {load_after[0]:.1f}")
    print("| workers | last render done (s) | all jobs done (s) | jobs | queue wait p50 (s) "
          "| p99 (s) | mean job run (s) | jobs/min | not completed |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        per_min = r.jobs / r.all_done_s * 60
        print(f"| {r.workers} | {r.finish_s:.1f} | {r.all_done_s:.1f} | {r.jobs} | "
              f"{r.wait_p50_s:.1f} | {r.wait_p99_s:.1f} | {r.run_mean_s:.2f} | {per_min:.1f} | "
              f"{r.failed} |")  # fmt: skip


if __name__ == "__main__":
    main()
