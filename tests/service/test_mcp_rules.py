"""MCP calls follow the rules jobs follow, with nothing shared on disk (moto's S3 as the bucket,
the machine's real PostgreSQL and Redis): the uploads a call reads are held in the bounded local
copy until the call ends (eviction passes them by meanwhile), and an MCP call run on a worker
keeps its project change only while that worker holds the call's job (one that lost its lease
to another worker keeps nothing). The "worker" is this test's own ``Services`` on a data dir
of its own, running the tool as ``reelcut worker`` does (:func:`run_tool`)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from reelcut.service import jobs
from reelcut.service.db import write_session
from reelcut.service.models import Account, Job
from tests.service.conftest import anonymous_token, new_session, upload
from tests.service.test_scale import (  # noqa: F401
    LEASE_S,
    Cluster,
    _start_api,
    bucket_cluster,
)

pytest.importorskip("mcp", reason="the mcp extra is not installed")


@pytest.fixture
def worker_services(bucket_cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:  # noqa: F811
    """A worker's services in this process: its own data dir, a local copy capped at 1 KB."""
    from reelcut.service.context import Services
    from reelcut.service.settings import Settings
    from reelcut.service.tasks import run_job

    for name, value in bucket_cluster.env.items():
        monkeypatch.setenv(name, value)
    data = bucket_cluster.data / "worker-here"
    settings = Settings(data_dir=data, **{**bucket_cluster.settings, "scratch_mb": 0.001})
    services = Services.build(settings, run_job)
    services.start_worker()
    yield services
    services.stop()


def _version(r: httpx.Response) -> int:
    assert r.status_code == 200, r.text
    version: int = r.json()["data"]["version"]
    return version


def test_an_mcp_call_holds_its_uploads_and_keeps_changes_only_with_its_lease(
    bucket_cluster: Cluster,  # noqa: F811
    worker_services: Any,
    clip: Path,
):
    from reelcut.service.mcp_door import AccountPlace
    from reelcut.service.mcp_jobs import run_tool
    from reelcut.service.tasks import run_job

    cluster, services = bucket_cluster, worker_services
    api = _start_api(cluster, early_analyses=0)
    with api.client(anonymous_token(api)) as c:
        sid = new_session(c)
        [media] = upload(c, sid, clip).json()["data"]["files"]
        account = cluster.rows("SELECT account_id FROM media WHERE id = %(m)s", m=media["id"])
        account_id = account[0]["account_id"]
        run_job(services, media["analysis_job_id"], threading.Event(), "w:here-1/a", LEASE_S)

        def call(tool: str, args: dict[str, Any], runner: str, lost_lease: bool = False) -> Any:
            """The MCP call as an ``mcp`` job run by this test's worker as ``runner``."""
            with write_session(services.sessions) as db:
                job_id = jobs.new_job(
                    db, services.settings, account_id=account_id, kind="mcp", session_id=None,
                    params={"tool": tool, "args": args, "base_url": ""},
                ).id  # fmt: skip
            claimed, job = jobs.claim(services.sessions, job_id, runner, LEASE_S)
            assert claimed is jobs.Claim.RUN and job is not None
            if lost_lease:  # stalled: another worker took the call over meanwhile
                with write_session(services.sessions) as db:
                    db.execute(update(Job).where(Job.id == job_id).values(runner="w:other-2/x"))
            result, _ = run_tool(services, job, threading.Event(), AccountPlace)
            return result["value"]

        made = call("create_reel", {"inputs": [media["id"]], "length_s": 3}, "w:here-1/b")
        assert made["project"] == sid and made["version"] == 1
        assert _version(c.get(f"/api/web/sessions/{sid}/project")) == 1

        # an MCP call's upload stays in the local copy while the call reads it
        place = AccountPlace(services, account_id, "")
        path = place.media(media["id"])  # fetched from the bucket into this data dir
        assert path.is_file() and path.is_relative_to(services.settings.data_dir)
        services.storage.copies.trim()  # over the 1 KB cap: only what no call holds goes
        assert path.is_file()
        place.release()
        services.storage.copies.trim()
        assert not path.exists()

        vertical = {"project": sid, "ops": [{"op": "set_format", "aspect": "9:16"}]}
        told = call("apply_edits", vertical, "w:here-1/c", lost_lease=True)
        assert told["version"] == 2  # what the stalled attempt made ...
        assert _version(c.get(f"/api/web/sessions/{sid}/project")) == 1  # ... was not kept
        kept = call("apply_edits", vertical, "w:here-1/d")  # with its lease: kept, as before
        assert kept["version"] == 2
        assert _version(c.get(f"/api/web/sessions/{sid}/project")) == 2


def _made_reel(cluster: Cluster, services: Any, clip: Path) -> tuple[str, str, str]:  # noqa: F811
    """(session, upload's storage key, account) of a reel made over MCP in this process (two
    versions), its upload analysed by this test's worker; nothing of it left in the local
    copy."""
    from reelcut.mcp import tools
    from reelcut.mcp.place import Work
    from reelcut.service.mcp_door import AccountPlace
    from reelcut.service.tasks import run_job

    api = _start_api(cluster, early_analyses=0)
    with api.client(anonymous_token(api)) as c:
        sid = new_session(c)
        [media] = upload(c, sid, clip).json()["data"]["files"]
    run_job(services, media["analysis_job_id"], threading.Event(), "w:here-1/a", LEASE_S)
    [row] = cluster.rows(
        "SELECT account_id, storage_key FROM media WHERE id = %(m)s", m=media["id"]
    )
    place = AccountPlace(services, row["account_id"], "")
    try:
        made = tools.create_reel(place, Work(), [media["id"]], length_s=3)
        ops = [{"op": "set_format", "aspect": "9:16"}]
        assert tools.apply_edits(place, Work(), made["project"], ops)["version"] == 2
    finally:
        place.release()
    services.storage.copies.trim()  # over the 1 KB cap: nothing is held, all goes
    assert not services.storage.path_of(row["storage_key"]).exists()
    return sid, row["storage_key"], row["account_id"]


def test_an_mcp_call_downloads_uploads_only_to_read_them(
    bucket_cluster: Cluster,  # noqa: F811
    worker_services: Any,
    clip: Path,
):
    """Undo and redo read no footage, and a call refused by its plan reads none: neither
    fetches the session's uploads into the process's copy (the API's, for undo and redo)."""
    from reelcut.mcp import tools
    from reelcut.mcp.place import RefusedError, Work
    from reelcut.service.mcp_door import AccountPlace

    services = worker_services
    sid, key, account_id = _made_reel(bucket_cluster, services, clip)
    local = services.storage.path_of(key)

    place = AccountPlace(services, account_id, "")
    try:
        undone = tools.step(place, Work(), sid, back=True)
        assert undone["changed"] and not local.exists()  # undone without the footage
        redone = tools.step(place, Work(), sid, back=False)
        assert redone["version"] == 2 and not local.exists()
    finally:
        place.release()

    with write_session(services.sessions) as db:
        db.execute(update(Account).where(Account.id == account_id).values(export_allowed=False))
    place = AccountPlace(services, account_id, "")
    try:
        with pytest.raises(RefusedError) as refused:
            tools.render_reel(place, Work(), sid, "reel.mp4")
        assert refused.value.code == 2002 and not local.exists()  # refused before any fetch
    finally:
        place.release()


def test_an_mcp_call_fetches_the_analysis_of_what_it_reads(
    bucket_cluster: Cluster,  # noqa: F811
    worker_services: Any,
    clip: Path,
):
    """An upload's analysis evicted from the local copy is fetched from the bucket with the
    upload when a call reads it (not made again), and held with it until the call ends."""
    from reelcut.editor.footage import analysis_file
    from reelcut.service.mcp_door import AccountPlace

    services = worker_services
    sid, key, account_id = _made_reel(bucket_cluster, services, clip)
    [media_id] = [r["id"] for r in bucket_cluster.rows("SELECT id FROM media")]
    place = AccountPlace(services, account_id, "")
    try:
        path = place.media(media_id)
        entry = analysis_file(path)
        assert entry.is_file()  # fetched from the bucket's analysis/
        services.storage.copies.trim()  # over the 1 KB cap: what the call holds stays
        assert entry.is_file() and path.is_file()
    finally:
        place.release()
    services.storage.copies.trim()
    assert not entry.exists() and not path.exists()
