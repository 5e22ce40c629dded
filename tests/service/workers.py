"""Scale-out test parts: a Redis database of its own per test, ``reelcut worker`` processes.

Redis is the machine's real server (``REELCUT_TEST_REDIS``, default ``redis://127.0.0.1:6379``);
each test takes one of its numbered databases 1-12 in turn (a counter in database 0), empties it
before and after, so tests on parallel xdist workers do not share a queue.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.service.conftest import FAST

REDIS = os.environ.get("REELCUT_TEST_REDIS", "redis://127.0.0.1:6379")


@contextmanager
def fresh_redis() -> Iterator[str]:
    """A broker URL on a Redis database nobody else uses now; emptied on both ends."""
    import redis

    counter = redis.Redis.from_url(f"{REDIS}/0")
    number = int(counter.incr("reelcut-test-db")) % 12 + 1  # 13-15: left to benches
    counter.close()
    url = f"{REDIS}/{number}"
    db = redis.Redis.from_url(url)
    db.flushdb()
    try:
        yield url
    finally:
        db.flushdb()
        db.close()


class Worker:
    """One ``reelcut worker`` process (own process group: a kill takes its FFmpeg too)."""

    def __init__(self, data_dir: Path, log: Path, **settings: Any) -> None:
        self.env = {**os.environ, **FAST, "REELCUT_CACHE_DIR": str(data_dir / "cache")}
        self.env.update({f"REELCUT_{k.upper()}": str(v) for k, v in settings.items()})
        self.env["REELCUT_DATA_DIR"] = str(data_dir)
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Worker:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "reelcut", "worker"],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 120
        while b"ready." not in self.log.read_bytes():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"worker did not start: {self.log.read_text()[-3000:]}")
            time.sleep(0.1)
        return self

    @property
    def name(self) -> str:
        """The runner prefix its jobs carry (``w:<host>-<pid>``)."""
        import socket

        assert self.proc is not None
        return f"w:{socket.gethostname()}-{self.proc.pid}"

    def kill(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.kill()
