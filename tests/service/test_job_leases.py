"""Leases and cancels of broker jobs at the row level (real SQLite, real Redis): a cancelled job
never stays ``running`` with its credits frozen, whether its worker died or is slow to stop.
The whole cluster (API processes, workers) is exercised in ``test_scale.py``."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from reelcut.service import credits, jobs
from reelcut.service.admin import create_key
from reelcut.service.db import make_engine, make_sessionmaker, migrate, write_session
from reelcut.service.jobs import Claim
from reelcut.service.models import Job, now
from reelcut.service.settings import Settings

RUNNER = f"{jobs.WORKER}host-1/abcd"
LEASE_S = 10.0


@dataclass
class Rows:
    factory: sessionmaker[Session]
    settings: Settings
    account: str

    def job(self, kind: str, cost: int = 1, **params: Any) -> str:
        with write_session(self.factory) as db:
            return jobs.new_job(
                db, self.settings, account_id=self.account, kind=kind, session_id=None,
                cost=cost, params=params,
            ).id  # fmt: skip

    def row(self, job_id: str) -> Job:
        with self.factory() as db:
            found = db.get(Job, job_id)
        assert found is not None
        return found

    def stall(self, job_id: str) -> None:
        """The job's worker has not beaten for a whole lease (killed, or stuck)."""
        with write_session(self.factory) as db:
            db.execute(
                update(Job)
                .where(Job.id == job_id)
                .values(heartbeat_at=now() - timedelta(seconds=LEASE_S + 1))
            )

    def frozen(self) -> int:
        with self.factory() as db:
            return credits.balance(db, self.account).frozen


@pytest.fixture
def rows(tmp_path: Path) -> Iterator[Rows]:
    settings = Settings(data_dir=tmp_path)
    account = create_key(settings, "leases", 10).account_id
    engine = make_engine(settings.db_url)
    migrate(engine)
    yield Rows(make_sessionmaker(engine), settings, account)
    engine.dispose()


class Told:
    """The queue side of a cancel as a broker queue sees it: which jobs it was told of."""

    shared_limit = None

    def __init__(self) -> None:
        self.cancels: list[tuple[str, bool]] = []

    def submit(self, job_id: str) -> None: ...

    def cancel(self, job_id: str, queued: bool = False) -> bool:
        self.cancels.append((job_id, queued))
        return False

    def start(self) -> None: ...

    def stop(self, timeout_s: float = 10.0) -> None: ...


def test_a_runner_slow_to_stop_keeps_its_lease_and_its_ending(rows: Rows):
    job_id = rows.job("render")
    assert jobs.claim(rows.factory, job_id, RUNNER, LEASE_S)[0] is Claim.RUN
    told = Told()
    assert jobs.cancel(rows.factory, told, job_id)
    assert told.cancels == [(job_id, False)]  # running: its message is not revoked
    assert jobs.beat(rows.factory, job_id, RUNNER)  # still its own while it stops
    assert jobs.orphans(rows.factory, LEASE_S) == []
    jobs.finish(rows.factory, job_id, "failed", reason=jobs.CANCELLED, code=4990, runner=RUNNER)
    row = rows.row(job_id)
    assert (row.status, row.reason) == ("failed", "cancelled") and rows.frozen() == 0


def test_a_cancelled_job_whose_worker_died_is_ended_by_the_sweep(rows: Rows):
    job_id = rows.job("render")
    jobs.claim(rows.factory, job_id, RUNNER, LEASE_S)
    jobs.cancel(rows.factory, Told(), job_id)
    assert rows.frozen() == 1
    rows.stall(job_id)
    assert jobs.orphans(rows.factory, LEASE_S) == []  # not sent again: ended here
    row = rows.row(job_id)
    assert (row.status, row.reason, row.error_code) == ("failed", "cancelled", 4990)
    assert rows.frozen() == 0


def test_a_cancelled_mcp_call_taken_over_ends_the_make_of_its_dead_attempt(rows: Rows):
    call = rows.job("mcp", cost=0, tool="create_reel")
    jobs.claim(rows.factory, call, RUNNER, LEASE_S)
    make = rows.job("render", cost=1, parent=call, work="make")  # started inside, no lease
    jobs.claim(rows.factory, make, None, None)
    other = rows.job("render", cost=1)  # someone else's: left alone
    jobs.cancel(rows.factory, Told(), call)
    rows.stall(call)
    assert jobs.claim(rows.factory, call, f"{jobs.WORKER}host-2/ef01", LEASE_S)[0] is Claim.DONE
    assert [rows.row(j).status for j in (call, make, other)] == ["failed", "failed", "queued"]
    assert rows.row(make).reason == "cancelled" and rows.frozen() == 1  # only the other's


def test_a_cancelled_edit_taken_over_runs_to_put_its_drafts_back(rows: Rows):
    base = {"versions": {"a.reelcut.json": 1}, "current": {"project": "a", "upload": None}}
    edit = rows.job("edit", base=base)
    jobs.claim(rows.factory, edit, RUNNER, LEASE_S)
    jobs.cancel(rows.factory, Told(), edit)
    assert jobs.claim(rows.factory, edit, "w:x/1", LEASE_S)[0] is Claim.BUSY  # live runner
    rows.stall(edit)
    assert jobs.orphans(rows.factory, LEASE_S) == [edit]  # handed out: a runner restores
    claimed, job = jobs.claim(rows.factory, edit, "w:x/1", LEASE_S)
    assert claimed is Claim.RUN and job is not None and job.cancel_requested
    assert job.attempts == 2


def _revoked(broker_url: str, queued: bool) -> bool:
    """Whether the broker carried a revoke of a job cancelled in that state."""
    import redis

    from reelcut.service.broker import CeleryJobQueue, celery_app

    job_id = f"job_{'q' if queued else 'r'}{time.monotonic_ns()}"
    listen = redis.Redis.from_url(broker_url).pubsub()
    listen.psubscribe("*pidbox*")
    listen.get_message(timeout=2)  # the subscribe confirmation
    app = celery_app(Settings(broker_url=broker_url))
    try:
        CeleryJobQueue(app).cancel(job_id, queued=queued)
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            message = listen.get_message(timeout=0.2)
            if message and message["type"] == "pmessage":
                sent = json.loads(message["data"])  # kombu's envelope, its body in base64
                bodies = [str(sent), base64.b64decode(sent.get("body", "")).decode()]
                if any(job_id in b for b in bodies):
                    return True
        return False
    finally:
        app.close()
        listen.close()


def test_only_a_job_not_started_has_its_broker_message_revoked():
    from tests.service.workers import fresh_redis

    with fresh_redis() as broker:
        assert _revoked(broker, queued=True)
        assert not _revoked(broker, queued=False)
