"""Uploads and renders in an S3-compatible bucket: moto's server mode on loopback, real boto3.

The server keeps its data dir as a local copy only: after the flow, the bucket holds the upload
and the render; downloads are presigned URLs of the bucket (whole and by Range, from moto), also
behind the stable ``/api/files/...`` link (a 307), with no local copy needed. The local copy is
bounded: least recently used files go first, never one a job holds.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from reelcut.errors import InvalidArgumentError
from reelcut.service.objects import parse_storage_url
from tests.conftest import lavfi_clip
from tests.service import test_flow
from tests.service.buckets import CREDENTIALS, make_bucket, moto_server
from tests.service.conftest import Server


@pytest.fixture
def s3_endpoint(tmp_path: Path) -> Iterator[str]:
    """A moto S3 server on a free loopback port, stopped after the test."""
    with moto_server(tmp_path / "moto.log") as url:
        yield url


def test_storage_urls_are_checked():
    where = parse_storage_url("s3://reels/prod?endpoint=http://127.0.0.1:9000&region=eu-west-1")
    assert (where.bucket, where.prefix, where.endpoint, where.region) == (
        "reels",
        "prod/",
        "http://127.0.0.1:9000",
        "eu-west-1",
    )
    assert parse_storage_url("s3://r?endpoint=http://minio:9000&public_endpoint=https://f.x").public_endpoint == "https://f.x"  # fmt: skip
    for bad in ("reels", "file:///tmp/x", "s3:///no-bucket"):
        with pytest.raises(InvalidArgumentError):
            parse_storage_url(bad)


def test_api_flow_with_uploads_and_renders_in_a_bucket(
    s3_endpoint: str, clip: Path, tmp_path: Path
):
    s3 = make_bucket(s3_endpoint, "reels")
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

        local.unlink()  # only the bucket has it now: the download is the bucket's
        moved = httpx.get(_render_url(server), timeout=30)
        assert moved.status_code == 307, moved.text
        link = moved.headers["location"]
        assert link.startswith(f"{s3_endpoint}/reels/site/renders/") and "Signature" in link
        whole = httpx.get(link, timeout=30)
        assert whole.status_code == 200 and whole.content == stored
        assert 'filename="render_1.mp4"' in whole.headers["content-disposition"]
        part = httpx.get(link, headers={"Range": "bytes=10-19"}, timeout=30)
        assert part.status_code == 206 and part.content == stored[10:20]
        assert not local.exists()  # the API process did not fetch it to stream it
        # (moto does not check signatures, so a forged link is not tested here)
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
    make_bucket(s3_endpoint, "shared")
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


def test_the_analysis_cache_is_part_of_the_bounded_local_copy(
    s3_endpoint: str, clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from reelcut.editor.footage import analysis_file, analyze_media
    from reelcut.service.objects import S3Storage

    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    make_bucket(s3_endpoint, "cached")
    url = f"s3://cached?endpoint={s3_endpoint}"
    monkeypatch.setenv("REELCUT_CACHE_DIR", str(tmp_path / "api-cache"))
    api = S3Storage(tmp_path / "api", url)
    analyze_media(clip)
    made = analysis_file(clip)
    api.share_analysis(made)
    temp = api.temp_path(".mp4")
    temp.write_bytes(b"\0" * 400_000)
    api.commit(temp, "media/acc/big.mp4")

    monkeypatch.setenv("REELCUT_CACHE_DIR", str(tmp_path / "worker-cache"))
    cap = 400_000 + made.stat().st_size // 2  # the upload fits; with the analysis it does not
    worker = S3Storage(tmp_path / "worker", url, scratch_bytes=cap)
    entry = analysis_file(clip)
    assert entry.parent == tmp_path / "worker-cache" and not entry.exists()
    with worker.hold_analyses([entry]) as held:  # fetched from the bucket, held while read
        assert held == [entry] and entry.read_bytes() == made.read_bytes()
        worker.local_path("media/acc/big.mp4")  # over the cap: the analysis in use stays
        assert entry.is_file() and worker.copies.size_bytes() > cap
    worker.copies.trim()  # released: the least recently used copy goes, the analysis
    assert not entry.exists() and worker.copies.size_bytes() == 400_000
    with worker.hold_analyses([entry]) as held:  # needed again: fetched again
        assert held == [entry] and entry.read_bytes() == made.read_bytes()
    other = lavfi_clip(tmp_path / "other.mp4", seconds=2.0)
    with worker.hold_analyses([analysis_file(other)]) as held:
        assert held == []  # nobody analysed that one: nothing to hold


def test_the_local_copy_is_bounded_and_never_evicts_a_file_in_use(
    s3_endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from reelcut.service.objects import S3Storage

    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    make_bucket(s3_endpoint, "copies")
    url = f"s3://copies?endpoint={s3_endpoint}"
    writer = S3Storage(tmp_path / "api", url)
    keys = [f"media/acc/{n}.mp4" for n in range(4)]
    for n, key in enumerate(keys):
        temp = writer.temp_path(".mp4")
        temp.write_bytes(bytes([n]) * 400_000)
        writer.commit(temp, key)

    worker = S3Storage(tmp_path / "worker", url, scratch_bytes=1_000_000)  # room for two
    held = worker.hold([keys[0]])
    [first] = held.__enter__()  # a job reads file 0 from here on
    second = worker.local_path(keys[1])
    worker.local_path(keys[2])  # 1.2 MB: over the cap, 0 is held, so 1 goes
    assert first.is_file() and not second.exists()
    assert worker.copies.size_bytes() == 800_000
    worker.local_path(keys[3])  # 0 is still held: 2 (least recently used) goes
    assert first.is_file() and not worker.path_of(keys[2]).exists()
    held.__exit__(None, None, None)  # the job ended: 0 may go now
    assert worker.local_path(keys[1]).read_bytes() == bytes([1]) * 400_000  # fetched again
    assert not first.exists() and worker.path_of(keys[3]).is_file()
    assert worker.copies.size_bytes() == 800_000
    with worker.hold([keys[0], keys[2], keys[1]]) as paths:  # held past the cap: all stay
        assert [p.read_bytes()[:1] for p in paths] == [b"\x00", b"\x02", b"\x01"]
        assert worker.copies.size_bytes() == 1_200_000  # 3 went; the three held stay
    assert worker.copies.trim() == 400_000 and worker.copies.size_bytes() == 800_000

    # links for clients that reach the store at another address (here: localhost)
    public = s3_endpoint.replace("127.0.0.1", "localhost")
    elsewhere = S3Storage(tmp_path / "links", f"{url}&public_endpoint={public}")
    link = elsewhere.download_url(keys[3], "render_9.mp4")
    assert link is not None and link.startswith(f"{public}/copies/media/acc/3.mp4?")
    assert httpx.get(link, timeout=30).content == bytes([3]) * 400_000


def test_eviction_takes_only_analyses_from_the_cache_folder(
    s3_endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """``REELCUT_CACHE_DIR`` (``<data>/cache`` for serve and worker) is the analysis folder and
    also the parent of transcripts, music and the speech model: only analyses are copies."""
    from reelcut.analysis.cache import entry_path
    from reelcut.service.objects import S3Storage

    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    make_bucket(s3_endpoint, "kept")
    cache = tmp_path / "data" / "cache"
    monkeypatch.setenv("REELCUT_CACHE_DIR", str(cache))
    others = [
        cache / "speech" / "abc-123.json",
        cache / "music" / "track-1.wav",
        cache / "models" / "whisper-base-1" / "model.bin",
        cache / "models" / "whisper-base-1" / "model.bin.77.tmp",  # a copy in progress
    ]
    for path in others:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\1" * 300_000)
        os.utime(path, (1, 1))  # the least recently used files there are
    analysis = entry_path("f" * 40, 0.2)
    analysis.write_bytes(b"\2" * 300_000)
    os.utime(analysis, (2, 2))

    storage = S3Storage(tmp_path / "data", f"s3://kept?endpoint={s3_endpoint}", 500_000)
    assert storage.copies.size_bytes() == 300_000  # the analysis only
    temp = storage.temp_path(".mp4")
    temp.write_bytes(b"\0" * 400_000)
    storage.commit(temp, "media/acc/a.mp4")  # 700 kB: over the cap, the analysis goes
    assert not analysis.exists() and all(p.is_file() for p in others)
    assert storage.copies.size_bytes() == 400_000
