"""Uploads and renders in an S3-compatible bucket: moto's server mode on loopback, real boto3.

The server keeps its data dir as a local copy only: after the flow, the bucket holds the upload
and the render, and a render whose local copy is gone is fetched back from the bucket and still
downloads whole and by Range.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from reelcut.errors import InvalidArgumentError
from reelcut.service.objects import parse_storage_url
from tests.conftest import lavfi_clip
from tests.service import test_flow
from tests.service.conftest import Server, free_port

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "reelcut-test",
    "AWS_SECRET_ACCESS_KEY": "reelcut-test-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@pytest.fixture
def s3_endpoint(tmp_path: Path) -> Iterator[str]:
    """A moto S3 server on a free loopback port, stopped after the test."""
    pytest.importorskip("moto.server", reason="moto[server] (dev extra) is not installed")
    port = free_port()
    log = (tmp_path / "moto.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise AssertionError("moto server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


def _bucket(endpoint: str, name: str):  # type: ignore[no-untyped-def]
    import boto3

    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
    s3.create_bucket(Bucket=name)
    return s3


def test_storage_urls_are_checked():
    where = parse_storage_url("s3://reels/prod?endpoint=http://127.0.0.1:9000&region=eu-west-1")
    assert (where.bucket, where.prefix, where.endpoint, where.region) == (
        "reels",
        "prod/",
        "http://127.0.0.1:9000",
        "eu-west-1",
    )
    for bad in ("reels", "file:///tmp/x", "s3:///no-bucket"):
        with pytest.raises(InvalidArgumentError):
            parse_storage_url(bad)


def test_api_flow_with_uploads_and_renders_in_a_bucket(
    s3_endpoint: str, clip: Path, tmp_path: Path
):
    s3 = _bucket(s3_endpoint, "reels")
    data = tmp_path / "serve"
    server = Server(data, storage_url=f"s3://reels/site?endpoint={s3_endpoint}")
    server.env.update(CREDENTIALS)
    server.start()
    try:
        test_flow.test_token_session_upload_edit_render_download(server, clip, tmp_path)
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket="reels")["Contents"]]
        uploads = [k for k in keys if k.startswith("site/media/")]
        renders = [k for k in keys if k.startswith("site/renders/")]
        assert len(uploads) == 1 and len(renders) == 1, keys
        assert len([k for k in keys if k.startswith("site/analysis/")]) == 1, keys  # shared
        stored = s3.get_object(Bucket="reels", Key=renders[0])["Body"].read()
        local = data / renders[0].removeprefix("site/")
        assert local.read_bytes() == stored

        local.unlink()  # only the bucket has it now: the download fetches it back
        url = _render_url(server)
        whole = httpx.get(url, timeout=30)
        assert whole.status_code == 200 and whole.content == stored
        part = httpx.get(url, headers={"Range": "bytes=10-19"}, timeout=30)
        assert part.status_code == 206 and part.content == stored[10:20]
    finally:
        server.stop()


def _render_url(server: Server) -> str:
    """The download URL of the one render, read from the server's own database."""
    import sqlite3

    with sqlite3.connect(server.data_dir / "reelcut.db") as db:
        token, name = db.execute(
            "SELECT download_token, public_id FROM jobs WHERE kind = 'render'"
        ).fetchone()
    return f"{server.url}/api/files/{token}/{name}.mp4"


def test_an_analysis_made_on_one_worker_is_fetched_by_another(
    s3_endpoint: str, clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from reelcut.editor.footage import analysis_file, analyze_media
    from reelcut.service.objects import S3Storage

    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    _bucket(s3_endpoint, "shared")
    url = f"s3://shared?endpoint={s3_endpoint}"
    first, second = S3Storage(tmp_path / "a", url), S3Storage(tmp_path / "b", url)

    monkeypatch.setenv("REELCUT_CACHE_DIR", str(tmp_path / "a" / "cache"))
    made = analyze_media(clip)
    entry = analysis_file(clip)
    assert entry.is_file()
    first.share_analysis(entry)

    monkeypatch.setenv("REELCUT_CACHE_DIR", str(tmp_path / "b" / "cache"))
    there = analysis_file(clip)
    assert not there.exists() and there.parent != entry.parent
    assert second.fetch_analysis(there) and there.read_bytes() == entry.read_bytes()
    again = analyze_media(clip)  # from the fetched file: the same signals
    assert again.duration_s == made.duration_s
    other = lavfi_clip(tmp_path / "other.mp4", seconds=2.0)
    assert not second.fetch_analysis(analysis_file(other))  # nobody analysed that one
