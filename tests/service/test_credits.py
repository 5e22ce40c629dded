"""The ledger never overspends and closes each hold once, also under concurrent requests."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from reelcut.service import credits
from reelcut.service.admin import create_key, top_up, usage
from reelcut.service.db import make_engine, make_sessionmaker, migrate, write_session
from reelcut.service.errors import ApiError
from reelcut.service.settings import Settings
from tests.service.conftest import Server, new_session, upload, wait_for


def test_analysis_cost_is_one_credit_per_started_minute():
    assert [credits.analysis_cost(s) for s in (0, 4, 60, 60.5, 61, 3600)] == [1, 1, 1, 2, 2, 60]


def test_twenty_threads_freezing_never_overspend(tmp_path: Path, database_url: str | None):
    settings = Settings(data_dir=tmp_path, database_url=database_url)
    account = create_key(settings, "race", 5).account_id
    engine = make_engine(settings.db_url)
    migrate(engine)
    factory = make_sessionmaker(engine)
    start = threading.Barrier(20)

    def spend(_: int) -> str | None:
        start.wait()
        try:
            with write_session(factory) as db:
                return credits.freeze(db, account, 1, "race")
        except ApiError as exc:
            assert exc.code == credits.NO_CREDITS
            return None

    with ThreadPoolExecutor(20) as pool:
        holds = [h for h in pool.map(spend, range(20)) if h]
    assert len(holds) == 5

    def close_twice(hold: str) -> list[bool]:
        with write_session(factory) as db:
            first = credits.settle(db, hold, 1)
        with write_session(factory) as db:
            again = credits.release(db, hold)
        return [first, again]

    with ThreadPoolExecutor(10) as pool:
        results = list(pool.map(close_twice, holds + holds))
    assert sum(r[0] for r in results) == 5 and not any(r[1] for r in results)
    with factory() as db:
        b = credits.balance(db, account)
    assert (b.available, b.frozen, b.spent, b.total) == (0, 0, 5, 0)
    assert top_up(settings, account, 3).available == 3
    [row] = usage(settings)
    assert (row.available, row.spent, row.granted) == (3, 5, 8)
    with pytest.raises(LookupError):
        top_up(settings, "key_nope", 1)


def test_twenty_concurrent_uploads_spend_exactly_the_credits(server: Server, clip: Path):
    token = create_key(Settings(data_dir=server.data_dir), "uploads", 5).key
    with server.client(token) as c:
        sid = new_session(c)
        start = threading.Barrier(20)

        def one(_: int) -> tuple[int, int]:
            with server.client(token) as own:
                own_sid = new_session(own)  # one file per session: a repeat is not charged
                start.wait()
                r = upload(own, own_sid, clip)
                return r.status_code, r.json()["code"]

        with ThreadPoolExecutor(20) as pool:
            answers = list(pool.map(one, range(20)))
        assert sorted(answers).count((200, 0)) == 5, answers
        assert sorted(answers).count((403, 2001)) == 15, answers
        balance = wait_for(
            lambda: (b := c.get("/api/credits/balance/simple").json()["data"])["frozen"] == 0 and b,
            what="analyses to settle",
        )
        assert balance == {"available": 0, "frozen": 0, "total": 0, "spent": 5}
        again = upload(c, sid, clip)  # a sixth upload: nothing left to pay its analysis with
        assert (again.status_code, again.json()["code"]) == (403, 2001)


def test_job_limits_per_account_and_per_session(tmp_path: Path, database_url: str | None):
    from reelcut.service import jobs
    from reelcut.service.models import EditSession

    settings = Settings(data_dir=tmp_path, max_jobs_per_account=2, database_url=database_url)
    account = create_key(settings, "limits", 10).account_id
    engine = make_engine(settings.db_url)
    migrate(engine)
    factory = make_sessionmaker(engine)
    with write_session(factory) as db:
        db.add(EditSession(id="s1", task_id="t1", account_id=account))
    with write_session(factory) as db:
        first = jobs.new_job(db, settings, account_id=account, kind="edit", session_id="s1", cost=1)
    with pytest.raises(ApiError) as busy, write_session(factory) as db:
        jobs.new_job(db, settings, account_id=account, kind="edit", session_id="s1", cost=1)
    assert busy.value.status == 409
    with write_session(factory) as db:
        jobs.new_job(db, settings, account_id=account, kind="render", session_id="s1")
    with pytest.raises(ApiError) as limit, write_session(factory) as db:
        jobs.new_job(db, settings, account_id=account, kind="render", session_id="s1")
    assert (limit.value.status, limit.value.code) == (429, 429)
    with factory() as db:
        assert credits.balance(db, account).frozen == 1  # the refused edit froze nothing

    queue = jobs.InProcessJobQueue(lambda job_id, cancel: None, workers=1, size=1)
    queue.submit("a")
    with pytest.raises(ApiError) as full:
        jobs.enqueue(factory, queue, first.id)  # no room: the job fails, its credit is released
    assert full.value.status == 429
    with factory() as db:
        assert credits.balance(db, account).frozen == 0
        assert db.get(jobs.Job, first.id).status == "failed"  # type: ignore[union-attr]
