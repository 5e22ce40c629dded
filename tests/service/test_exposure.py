"""What an attacker tried, refused with the documented code: bad URLs and bodies, huge
pictures, unbounded renders, font paths, the same file twice, free analysis."""

from __future__ import annotations

import ipaddress
import struct
import zlib
from pathlib import Path
from typing import Any

import httpx
import pytest

from reelcut.media.probe import probe
from reelcut.service.ingest import _refused
from tests.conftest import lavfi_clip
from tests.service.conftest import (
    Server,
    anonymous_token,
    new_session,
    run_sse,
    upload,
    wait_for,
)


@pytest.mark.parametrize(
    "url",
    [
        "http://0177.0.0.1/",
        "http://999.1.1.1/",
        "http://[::1",
        "http://0x7f.1/clip.mp4",
        "http://2130706433/clip.mp4",
        "http://100.64.0.1/clip.mp4",
        "http://[2002:7f00:1::1]/clip.mp4",
        "http://[::ffff:10.0.0.1]/clip.mp4",
        "http:///clip.mp4",
    ],
)
def test_odd_and_non_global_urls_are_4008(server: Server, url: str):
    with server.client(anonymous_token(server)) as c:
        sid = new_session(c)
        r = c.post(
            f"/api/upload-video/nemo_agent/me/{sid}", json={"urls": [url], "source_type": "url"}
        )
        assert (r.status_code, r.json()["code"]) == (400, 4008), r.text


def test_only_globally_routable_addresses_are_fetched():
    refused = ["100.64.0.1", "2002:a00:1::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "fc00::1",
               "::ffff:192.168.0.1", "192.0.2.1", "198.18.0.1", "224.0.0.1", "0.0.0.0"]  # fmt: skip
    for text in refused:
        assert _refused(ipaddress.ip_address(text)), text
    for text in ["8.8.8.8", "2606:4700:4700::1111", "::ffff:1.1.1.1"]:
        assert not _refused(ipaddress.ip_address(text)), text


@pytest.mark.parametrize(
    "body",
    [
        b"this is not multipart at all",
        b"--B\r\nContent-Disposition: form-data; name=files; filename=a.mp4\r\n\r\nxx",
        b"--B\r\n\r\n\r\n--B--garbage" * 3,
        b'--B\r\nContent-Disposition: form-data; name="files"; filename="a"\r\nX\x00:\r\n',
    ],
)
def test_malformed_multipart_is_400(server: Server, body: bytes):
    with server.client(anonymous_token(server)) as c:
        sid = new_session(c)
        r = c.post(
            f"/api/upload-video/nemo_agent/me/{sid}",
            content=body,
            headers={"Content-Type": "multipart/form-data; boundary=B"},
        )
        assert r.status_code == 400 and r.json()["code"] == 400, r.text


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")  # fmt: skip


def test_huge_pictures_are_refused_at_upload(server: Server, tmp_path: Path):
    huge = tmp_path / "huge.png"
    huge.write_bytes(_png(20000, 20000))
    with server.client(anonymous_token(server)) as c:
        sid = new_session(c)
        r = upload(c, sid, huge)
        assert (r.status_code, r.json()["code"]) == (413, 4002), r.text
        assert "20000x20000" in r.json()["message"]
        state = c.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]
        assert state["video_infos"] == []


def test_the_same_file_twice_is_one_upload_charged_once(server: Server, clip: Path):
    with server.client(anonymous_token(server)) as c:
        sid = new_session(c)
        first = upload(c, sid, clip).json()["data"]
        again = upload(c, sid, clip, name="renamed.mp4").json()["data"]
        assert again["files"][0]["id"] == first["files"][0]["id"]
        assert (first["credits_frozen"], again["credits_frozen"]) == (1, 0)
        state = c.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]
        assert len(state["video_infos"]) == 1
        other = new_session(c)  # another session is another project: its own upload
        assert upload(c, other, clip).json()["data"]["files"][0]["id"] != first["files"][0]["id"]


def _render(c: httpx.Client, sid: str, rid: str, draft: dict[str, Any]) -> httpx.Response:
    return c.post("/api/render/proxy/lambda", json={"id": rid, "sessionId": sid, "draft": draft})


@pytest.mark.slow
def test_renders_are_bounded(tmp_path: Path, long_clip: Path):
    srv = Server(tmp_path / "d", max_render_s=60, max_render_clips=5, max_renders_per_account=1,
                 workers=1).start()  # fmt: skip
    try:
        with srv.client(anonymous_token(srv)) as c:
            sid = new_session(c)
            assert upload(c, sid, long_clip).status_code == 200
            assert run_sse(c, sid, "make a 5 second reel")[0]
            state = c.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]
            draft = state["draft"]
            clip_seg = draft["t"][0]["sg"][0]

            long = {**draft, "t": [{**draft["t"][0], "sg": [clip_seg] * 30}]}
            r = _render(c, sid, "many", long)
            assert (r.status_code, r.json()["code"]) == (400, 4010)
            assert "at most" in r.json()["message"]

            texts = []
            for font in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/nope/x.ttf"):
                text = {"tt": 7, "n": "Title", "sg": [
                    {"st": 0, "d": 1000, "m": {"type": "text", "text": "Hi", "font": font}}]}  # fmt: skip
                r = _render(c, sid, "font", {**draft, "t": [*draft["t"], text]})
                assert (r.status_code, r.json()["code"]) == (400, 4010), r.text
                texts.append(r.json()["message"].replace(font, "F"))
            assert texts[0] == texts[1] and "not offered" in texts[0]  # no existence oracle

            big = {**draft, "m": {**draft["m"], "height": 2160, "aspect": "9:16"}}
            r = _render(c, sid, "big", big)
            assert r.status_code == 200, r.text
            r = _render(c, sid, "second", draft)  # one render at a time for this account
            assert (r.status_code, r.json()["code"]) == (429, 429)
            done = wait_for(
                lambda: (
                    (d := c.get("/api/render/proxy/lambda/big").json()["data"])["status"]
                    in ("completed", "failed")
                    and d
                ),
                90,
                "the render",
            )
            assert done["status"] == "completed", done
            out = tmp_path / "big.mp4"
            out.write_bytes(httpx.get(done["output"]["url"]).content)
            assert probe(out).video.display_size == (1080, 1920)
    finally:
        srv.stop()


@pytest.mark.slow
def test_every_analysis_that_runs_is_charged_once(tmp_path: Path):
    clips = [
        lavfi_clip(tmp_path / f"c{n}.mp4", seconds=3, audio=f"sine=frequency={300 + 100 * n}")
        for n in range(4)
    ]
    data = tmp_path / "d"
    first = Server(data, workers=1, queue_size=1).start()
    try:
        token = anonymous_token(first)
        with first.client(token) as c:
            sid = new_session(c)
            handles = [p.open("rb") for p in clips]
            try:
                r = c.post(
                    f"/api/upload-video/nemo_agent/me/{sid}",
                    files=[
                        ("files", (p.name, h, "video/mp4"))
                        for p, h in zip(clips, handles, strict=True)
                    ],
                )
            finally:
                for h in handles:
                    h.close()
            assert r.status_code == 200, r.text
            statuses = [f["analysis_status"] for f in r.json()["data"]["files"]]
            assert "failed" in statuses  # the queue was full for some
        first.kill()  # and a restart interrupts whatever was still running
    finally:
        first.stop()
    second = Server(data).start()
    try:
        with second.client(token) as c:
            events, _ = run_sse(c, sid, "make a 5 second reel")
            assert not any("errorMessage" in e for e in events), events
            state = c.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]
            assert [v["analysis_status"] for v in state["video_infos"]] == ["completed"] * 4
            balance = c.get("/api/credits/balance/simple").json()["data"]
            assert (balance["spent"], balance["frozen"]) == (4 + 1, 0)  # 4 analyses, 1 edit
    finally:
        second.stop()
