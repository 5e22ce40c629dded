"""A real ``reelcut serve`` on loopback (a child process), driven with httpx.

Each server gets its own data dir and settings through ``REELCUT_*`` variables; it runs in its own
process group so a test can kill it (and its FFmpeg children) like a crash.
"""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import lavfi_clip

FAST = {
    "REELCUT_HEARTBEAT_S": "0.1",
    "REELCUT_RATE_LIMIT_PER_MINUTE": "0",
    "REELCUT_MAX_UPLOAD_MB": "2",
    "REELCUT_DEFAULT_REEL_S": "5",
    "REELCUT_RENDER_PRESET": "ultrafast",
    "REELCUT_ANONYMOUS_TOKENS_PER_HOUR": "100000",
}


# One TLS context for all the tests' HTTP clients: httpx builds one per client otherwise
# (certifi's bundle loaded, ~28 ms of CPU against 0.07 ms), and the tests make hundreds of
# clients, all to loopback over plain HTTP.
TLS = ssl.create_default_context()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    start_timeout_s = 90.0  # at load 40 on the shared 2-core machine the import took over 30 s

    def __init__(self, data_dir: Path, **settings: Any) -> None:
        self.data_dir = data_dir
        self.env = {**os.environ, **FAST, "REELCUT_CACHE_DIR": str(data_dir / "cache")}
        self.env.update({f"REELCUT_{k.upper()}": str(v) for k, v in settings.items()})
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = data_dir / "server.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "reelcut.service",
                    "--port",
                    str(self.port),
                    "--data-dir",
                    str(self.data_dir),
                ],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + self.start_timeout_s
        # One client for all the polls: httpx.get() builds a client (and its TLS context) per
        # call, ~28 ms of CPU, 10 times a second for as long as the server takes to start.
        with httpx.Client(timeout=1, verify=TLS) as poll:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise AssertionError(f"server exited: {self.log.read_text()[-2000:]}")
                try:
                    if poll.get(self.url + "/healthz").status_code == 200:
                        return self
                except httpx.HTTPError:
                    pass
                time.sleep(0.1)
        self.kill()  # a server that never answered must not outlive the test
        raise AssertionError(f"server did not start: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        """Like a crash: SIGKILL to the whole process group."""
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()

    def client(
        self, token: str | None = None, headers: dict[str, str] | None = None
    ) -> httpx.Client:
        all_headers = {"Authorization": f"Bearer {token}"} if token else {}
        all_headers.update(headers or {})
        return httpx.Client(base_url=self.url, headers=all_headers, timeout=60, verify=TLS)


@pytest.fixture(scope="session")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 4 s 320x180 H.264/AAC clip with a tone."""
    return lavfi_clip(tmp_path_factory.mktemp("media") / "clip.mp4", seconds=4.0)


@pytest.fixture(scope="session")
def long_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 6 s 640x360 clip, for a render that takes a moment."""
    return lavfi_clip(tmp_path_factory.mktemp("media") / "long.mp4", seconds=6.0, size="640x360")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(tmp_path_factory.mktemp("serve")).start()
    yield srv
    srv.stop()


def anonymous_token(srv: Server, client_id: str | None = None) -> str:
    r = httpx.post(
        srv.url + "/api/auth/anonymous-token",
        headers={"X-Client-Id": client_id or uuid.uuid4().hex},
        verify=TLS,
    )
    assert r.status_code == 200, r.text
    token = r.json()["data"]["token"]
    assert isinstance(token, str)
    return token


def new_session(c: httpx.Client) -> str:
    r = c.post(
        "/api/tasks/me/with-session/nemo_agent", json={"task_name": "project", "language": "en"}
    )
    assert r.status_code == 200, r.text
    sid = r.json()["data"]["session_id"]
    assert isinstance(sid, str)
    return sid


def upload(c: httpx.Client, sid: str, path: Path, name: str | None = None) -> httpx.Response:
    with path.open("rb") as fh:
        return c.post(
            f"/api/upload-video/nemo_agent/me/{sid}",
            files=[("files", (name or path.name, fh, "application/octet-stream"))],
        )


def run_sse(c: httpx.Client, sid: str, text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Send a message; all ``data:`` events (parsed) and all comment lines of the stream."""
    import json

    body = {
        "app_name": "nemo_agent",
        "user_id": "me",
        "session_id": sid,
        "new_message": {"parts": [{"text": text}]},
    }
    events: list[dict[str, Any]] = []
    comments: list[str] = []
    with c.stream("POST", "/run_sse", json=body, headers={"Accept": "text/event-stream"}) as r:
        assert r.status_code == 200, r.read().decode()
        assert r.headers["content-type"].startswith("text/event-stream")
        for line in r.iter_lines():
            if line.startswith("data: "):
                events.append(json.loads(line[6:]))
            elif line.startswith(":"):
                comments.append(line)
    return events, comments


def follow(
    c: httpx.Client, ref: str, last_event_id: int | None = None
) -> list[tuple[datetime, str, dict[str, Any], str | None]]:
    """Read ``/api/jobs/{ref}/events`` to its end: (arrival, event, data, id) of each frame."""
    import json

    frames: list[tuple[datetime, str, dict[str, Any], str | None]] = []
    headers = {"Accept": "text/event-stream"}
    if last_event_id is not None:
        headers["Last-Event-ID"] = str(last_event_id)
    event, frame_id = "message", None
    with c.stream("GET", f"/api/jobs/{ref}/events", headers=headers, timeout=120) as r:
        assert r.status_code == 200, r.read().decode()
        for line in r.iter_lines():
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("id: "):
                frame_id = line[4:]
            elif line.startswith("data: "):
                arrived = datetime.now(UTC).replace(tzinfo=None)
                frames.append((arrived, event, json.loads(line[6:]), frame_id))
                event, frame_id = "message", None
    return frames


def wait_for(predicate: Any, timeout_s: float = 60, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None (the SQLite default in the data dir) or a fresh PostgreSQL database of its own."""
    if request.param == "sqlite":
        yield None
        return
    from tests.service.databases import fresh_postgres

    with fresh_postgres() as url:
        yield url
