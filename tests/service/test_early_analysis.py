"""Uploads analysed while they stream in, on a real server: the analysis job then completes from
what the early analysis stored, is charged once, and an aborted upload charges nothing."""

from __future__ import annotations

import re
import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ffmpeg, lavfi_clip
from tests.service.conftest import Server, anonymous_token, new_session, upload, wait_for


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = Server(tmp_path_factory.mktemp("early"), max_upload_mb=50).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("early-media")
    base = lavfi_clip(d / "moov-last.mp4", seconds=20.0, size="640x360", extra=("-g", "25"))
    ffmpeg("-i", str(base), "-c", "copy", "-movflags", "+faststart", str(d / "faststart.mp4"))
    return {"moov-last": base, "faststart": d / "faststart.mp4"}


def _log_says(srv: Server, pattern: str) -> re.Match[str] | None:
    return re.search(pattern, srv.log.read_text(errors="replace"))


def _analysed_and_settled(c, sid: str) -> dict:  # type: ignore[no-untyped-def]
    def done() -> dict | None:
        state = c.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]
        [info] = state["video_infos"]
        assert info["analysis_status"] != "failed", info
        balance = c.get("/api/credits/balance/simple").json()["data"]
        return balance if info["analysis_status"] == "completed" and not balance["frozen"] else None

    return wait_for(done, 120, "the analysis to complete and settle")  # type: ignore[no-any-return]


def test_a_faststart_upload_is_analysed_as_it_arrives_and_charged_once(
    srv: Server, clips: dict[str, Path]
):
    name = f"fs-{uuid.uuid4().hex[:6]}.mp4"
    with srv.client(anonymous_token(srv)) as c:
        sid = new_session(c)
        r = upload(c, sid, clips["faststart"], name=name)
        assert r.status_code == 200, r.text
        assert r.json()["data"]["credits_frozen"] == 1
        assert _log_says(srv, rf"early analysis of {name}: stored")
        balance = _analysed_and_settled(c, sid)
        assert balance["spent"] == 1 and balance["available"] == 99


def test_an_mp4_with_its_moov_last_is_analysed_after_the_upload(
    srv: Server, clips: dict[str, Path]
):
    name = f"end-{uuid.uuid4().hex[:6]}.mp4"
    with srv.client(anonymous_token(srv)) as c:
        sid = new_session(c)
        r = upload(c, sid, clips["moov-last"], name=name)
        assert r.status_code == 200, r.text
        assert _log_says(srv, rf"early analysis of {name}: not started: this layout")
        balance = _analysed_and_settled(c, sid)
        assert balance["spent"] == 1 and balance["available"] == 99


def test_an_aborted_upload_cancels_its_analysis_and_charges_nothing(
    srv: Server, clips: dict[str, Path]
):
    name = f"cut-{uuid.uuid4().hex[:6]}.mp4"
    data = clips["faststart"].read_bytes()
    assert len(data) > 4 << 20, "half of it must be more than the 1 MiB the server writes at once"
    token = anonymous_token(srv)
    with srv.client(token) as c:
        sid = new_session(c)
        boundary = uuid.uuid4().hex
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
            f'filename="{name}"\r\nContent-Type: video/mp4\r\n\r\n'
        ).encode()
        length = len(head) + len(data) + len(f"\r\n--{boundary}--\r\n")
        request = (
            f"POST /api/upload-video/nemo_agent/me/{sid} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
            f"Content-Length: {length}\r\n\r\n"
        ).encode()
        with socket.create_connection(("127.0.0.1", srv.port)) as sock:
            sock.sendall(request + head + data[: len(data) // 2])
            wait_for(lambda: _log_says(srv, rf"early analysis of {name}: started"), 30, "start")
            time.sleep(0.2)
        wait_for(
            lambda: _log_says(srv, rf"early analysis of {name}: cancelled"), 30, "cancellation"
        )
        state = c.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]
        assert state["video_infos"] == []
        balance = c.get("/api/credits/balance/simple").json()["data"]
        assert balance == {"available": 100, "frozen": 0, "total": 100, "spent": 0}
    assert not list((srv.data_dir / "tmp").iterdir()), "the scratch file must go"
