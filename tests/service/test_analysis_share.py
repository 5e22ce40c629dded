"""A fresh analysis is shared whatever the bounded local copy does meanwhile (moto's S3 as the
bucket, the machine's real PostgreSQL and Redis): the analysis job holds the entry it writes
from the moment it exists until the bucket has it, so an eviction in between (another job's
trim in this process, or another process's on the same disk) passes it by. The "worker" is this
test's own ``Services`` on a data dir of its own with a local copy capped at 1 KB."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reelcut.service.objects import ANALYSIS
from tests.service.conftest import anonymous_token, new_session, upload
from tests.service.test_scale import (  # noqa: F401
    LEASE_S,
    Cluster,
    _start_api,
    bucket_cluster,
)


@pytest.fixture
def worker_services(bucket_cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:  # noqa: F811
    from reelcut.service.context import Services
    from reelcut.service.settings import Settings
    from reelcut.service.tasks import run_job

    for name, value in bucket_cluster.env.items():
        monkeypatch.setenv(name, value)
    data = bucket_cluster.data / "worker-here"
    monkeypatch.setenv("REELCUT_CACHE_DIR", str(data / "cache"))
    settings = Settings(data_dir=data, **{**bucket_cluster.settings, "scratch_mb": 0.001})
    services = Services.build(settings, run_job)
    yield services
    services.stop()


def test_a_fresh_analysis_is_held_until_the_bucket_has_it(
    bucket_cluster: Cluster,  # noqa: F811
    worker_services: Any,
    clip: Path,
):
    from reelcut.editor.footage import analysis_file
    from reelcut.service.tasks import run_job

    cluster, services = bucket_cluster, worker_services
    storage = services.storage
    api = _start_api(cluster, early_analyses=0)  # no early analysis: the job makes it
    with api.client(anonymous_token(api)) as c:
        sid = new_session(c)
        [media] = upload(c, sid, clip).json()["data"]["files"]

    share, seen = storage.share_analysis, []

    def trimmed_first(local: Path) -> None:
        """Another process on this disk trims its copy (over the 1 KB cap) just before the
        upload to the bucket: what is not held goes."""
        seen.append([p.name for p in local.parent.iterdir()])
        storage.copies.trim()
        share(local)

    storage.share_analysis = trimmed_first
    run_job(services, media["analysis_job_id"], threading.Event(), "w:here-1/a", LEASE_S)
    [row] = cluster.rows("SELECT storage_key FROM media WHERE id = %(m)s", m=media["id"])
    entry = analysis_file(storage.local_path(row["storage_key"]))
    assert seen, "the analysis job did not share its analysis"
    assert all(not n.startswith(entry.stem) or n == entry.name for s in seen for n in s)
    stored = cluster.bucket.list_objects_v2(Bucket="reels", Prefix=ANALYSIS).get("Contents", [])
    assert [o["Key"] for o in stored] == [ANALYSIS + entry.name]  # shared, not lost
    done = cluster.job(id=media["analysis_job_id"])
    assert done["status"] == "completed", done
