"""A hand edit is made once however often it arrives: a client's retry with the same
``Idempotency-Key`` (after a lost answer, or a 503 while the worker still finished it) changes
nothing more, and a hand-edit job run a second time on another worker (its first worker died
after keeping the change, before recording the end) finds its change already in the project.
Real ``reelcut serve`` processes; the broker side on the machine's real PostgreSQL and Redis."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import update

from reelcut.service import jobs
from reelcut.service.models import Job, now
from tests.service.conftest import Server, anonymous_token, new_session, upload, wait_for
from tests.service.test_scale import LEASE_S, Cluster, _start_api, cluster  # noqa: F401


def _project(r: httpx.Response) -> dict[str, Any]:
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()["data"]
    return data


def _shape(project: dict[str, Any]) -> tuple[int, int, bool]:
    """(current version, versions in the history, can redo)."""
    return project["version"], len(project["history"]), project["can_redo"]


def test_a_retried_hand_edit_with_its_key_is_made_once(server: Server, clip: Path):
    with server.client(anonymous_token(server)) as c:
        sid = new_session(c)
        assert upload(c, sid, clip).status_code == 200
        edit, history = f"/api/web/sessions/{sid}/edit", f"/api/web/sessions/{sid}/history"

        def send(url: str, body: dict[str, Any], key: str) -> dict[str, Any]:
            return _project(c.post(url, json=body, headers={"Idempotency-Key": key}))

        make = {"requests": [{"op": "set_length", "seconds": 3}]}
        first = wait_for(  # 409 while the upload is still being analysed
            lambda: (r := c.post(edit, json=make, headers={"Idempotency-Key": "make-1"}))
            .status_code == 200 and r.json()["data"],
            60, "the first reel",
        )  # fmt: skip
        assert _shape(first) == (1, 1, False)
        assert _shape(send(edit, make, "make-1")) == (1, 1, False)  # sent again: nothing more

        vertical = {"requests": [{"op": "set_format", "aspect": "9:16"}]}
        assert _shape(send(edit, vertical, "fmt-2")) == (2, 2, False)
        assert _shape(send(edit, vertical, "fmt-2")) == (2, 2, False)
        assert _shape(send(history, {"step": "undo"}, "undo-3")) == (1, 2, True)
        assert _shape(send(history, {"step": "undo"}, "undo-3")) == (1, 2, True)  # not undone again
        assert _shape(send(history, {"restore": 2}, "back-4")) == (3, 2, False)  # 2 undone: gone
        assert _shape(send(history, {"restore": 2}, "back-4")) == (3, 2, False)  # 2 undone: gone
        assert _shape(_project(c.post(edit, json=vertical))) == (4, 3, False)  # no key: as always

        # a key sent again with another change: 422, not the first change's answer
        square = {"requests": [{"op": "set_format", "aspect": "1:1"}]}
        for url, body, key in [
            (edit, square, "fmt-2"),
            (history, {"step": "redo"}, "undo-3"),
            (history, {"restore": 1}, "back-4"),
            (edit, vertical, "undo-3"),
        ]:
            r = c.post(url, json=body, headers={"Idempotency-Key": key})
            assert r.status_code == 422 and r.json()["code"] == 422, r.text
            assert "another change" in r.json()["message"]
        assert _shape(send(edit, vertical, "fmt-2")) == (4, 3, False)  # the same: still fine

        r = c.post(edit, json=vertical, headers={"Idempotency-Key": "no spaces/slashes"})
        assert r.status_code == 400 and r.json()["code"] == 4008, r.text


def test_a_hand_edit_job_run_again_after_its_worker_died_is_not_made_twice(
    cluster: Cluster,  # noqa: F811
    clip: Path,
):
    from reelcut.service.context import Services
    from reelcut.service.settings import Settings
    from reelcut.service.tasks import run_job

    api = _start_api(cluster, early_analyses=0)
    # the "workers" are this test's own run_job calls on the cluster's data dir and database
    settings = Settings(data_dir=cluster.data, **cluster.settings)
    services = Services.build(settings, run_job)
    try:
        with api.client(anonymous_token(api)) as c:
            sid = new_session(c)
            r = upload(c, sid, clip)
            analysis = r.json()["data"]["files"][0]["analysis_job_id"]
            run_job(services, analysis, threading.Event(), f"{jobs.WORKER}host-1/a", LEASE_S)
            answer: list[httpx.Response] = []
            make = {"requests": [{"op": "set_length", "seconds": 3}]}
            waiting = threading.Thread(
                target=lambda: answer.append(c.post(f"/api/web/sessions/{sid}/edit", json=make))
            )
            waiting.start()  # the request waits for a worker to run its job
            edit = wait_for(
                lambda: cluster.rows("SELECT id FROM jobs WHERE kind = 'edit'"), 60, "the job"
            )[0]["id"]
            first = f"{jobs.WORKER}host-1/b"
            assert run_job(services, edit, threading.Event(), first, LEASE_S) is jobs.Claim.RUN
            waiting.join(60)
            assert _shape(_project(answer[0])) == (1, 1, False)
            # its worker kept the change and died before recording the end: the row says running
            with services.sessions.begin() as db:
                db.execute(
                    update(Job).where(Job.id == edit).values(
                        status="running", finished_at=None, result=None,
                        heartbeat_at=now() - timedelta(seconds=LEASE_S + 1),
                    )
                )  # fmt: skip
            second = f"{jobs.WORKER}host-2/c"
            assert run_job(services, edit, threading.Event(), second, LEASE_S) is jobs.Claim.RUN
            job = cluster.job(id=edit)
            assert (job["status"], job["attempts"], job["runner"]) == ("completed", 2, second)
            project = _project(c.get(f"/api/web/sessions/{sid}/project"))
            assert _shape(project) == (1, 1, False)  # the reel was made once, not twice

            # a retry while its job is queued with another body: 422 at once, not that job
            url, key = f"/api/web/sessions/{sid}/edit", {"Idempotency-Key": "fmt-1"}
            vertical = {"requests": [{"op": "set_format", "aspect": "9:16"}]}
            waiting = threading.Thread(
                target=lambda: answer.append(c.post(url, json=vertical, headers=key))
            )
            waiting.start()
            queued = wait_for(
                lambda: cluster.rows(
                    "SELECT id FROM jobs WHERE kind = 'edit' AND status = 'queued'"
                ), 60, "the second job",
            )[0]["id"]  # fmt: skip
            square = {"requests": [{"op": "set_format", "aspect": "1:1"}]}
            r = c.post(url, json=square, headers=key)
            assert r.status_code == 422 and r.json()["code"] == 422, r.text
            third = f"{jobs.WORKER}host-2/d"
            assert run_job(services, queued, threading.Event(), third, LEASE_S) is jobs.Claim.RUN
            waiting.join(60)
            assert _shape(_project(answer[1])) == (2, 2, False)  # the first body's change only
    finally:
        services.stop()
