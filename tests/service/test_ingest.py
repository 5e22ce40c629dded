"""Files in: every accepted format is recognised by its content, URLs are fetched with limits,
and the server refuses to fetch private addresses (SSRF)."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from reelcut.errors import UnsupportedMediaError
from reelcut.service.ingest import clean_name, identify
from tests.conftest import ffmpeg
from tests.service.conftest import Server, anonymous_token, new_session

TONE = ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=1"]
PICTURE = ["-f", "lavfi", "-i", "testsrc2=size=64x36:rate=5:duration=1"]
VIDEO = ["-f", "lavfi", "-i", "testsrc2=size=64x36:rate=10:duration=1"]

SAMPLES = {
    "png": (PICTURE + ["-frames:v", "1"], "image"),
    "jpg": (PICTURE + ["-frames:v", "1"], "image"),
    "gif": (PICTURE, "image"),
    "webp": (PICTURE + ["-frames:v", "1"], "image"),
    "wav": (TONE, "audio"),
    "mp3": (TONE, "audio"),
    "m4a": (TONE + ["-c:a", "aac"], "audio"),
    "aac": (TONE + ["-c:a", "aac", "-f", "adts"], "audio"),
    "mp4": (VIDEO + ["-c:v", "libx264", "-pix_fmt", "yuv420p"], "video"),
    "mov": (VIDEO + ["-c:v", "libx264", "-pix_fmt", "yuv420p"], "video"),
    "mkv": (VIDEO + ["-c:v", "libx264", "-pix_fmt", "yuv420p"], "video"),
    "webm": (VIDEO + ["-c:v", "libvpx", "-deadline", "realtime"], "video"),
    "avi": (VIDEO + ["-c:v", "mpeg4"], "video"),
}


@pytest.mark.parametrize("fmt", sorted(SAMPLES))
def test_formats_are_recognised_by_content_not_name(tmp_path: Path, fmt: str):
    args, kind = SAMPLES[fmt]
    made = tmp_path / f"sample.{fmt}"
    ffmpeg(*args, str(made))
    anonymous = made.rename(tmp_path / "no_extension_at_all")
    found = identify(anonymous, 10, "upload")
    assert (found.kind, found.format) == (kind, fmt)
    if kind == "video":
        assert (found.width, found.height) == (64, 36) and found.duration_s > 0.5


def test_text_is_not_media(tmp_path: Path):
    fake = tmp_path / "x"
    fake.write_text("hello\n" * 100)
    with pytest.raises(UnsupportedMediaError) as info:
        identify(fake, 10, "notes.mp4")
    assert info.value.code == 4001 and str(tmp_path) not in info.value.message


def test_user_file_names_never_become_paths():
    assert clean_name("../../etc/passwd") == "passwd"
    assert clean_name("C:\\Users\\me\\clip.mp4") == "clip.mp4"
    assert clean_name("a\x00b\nc.mp4") == "abc.mp4"
    assert clean_name("") == "upload"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/clip.mp4",
        "http://localhost/clip.mp4",
        "http://[::1]/clip.mp4",
        "http://169.254.169.254/latest/meta-data",
        "http://10.0.0.1/clip.mp4",
        "file:///etc/passwd",
        "ftp://example.com/clip.mp4",
    ],
)
def test_url_ingest_refuses_private_addresses_and_other_schemes(server: Server, url: str):
    with server.client(anonymous_token(server)) as c:
        sid = new_session(c)
        r = c.post(
            f"/api/upload-video/nemo_agent/me/{sid}", json={"urls": [url], "source_type": "url"}
        )
        assert (r.status_code, r.json()["code"]) == (400, 4008), r.text


class _Handler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/clip.mp4")
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def file_server(tmp_path: Path, clip: Path) -> Iterator[str]:
    root = tmp_path / "www"
    root.mkdir()
    (root / "clip.mp4").write_bytes(clip.read_bytes())
    (root / "big.mp4").write_bytes(b"\0" * (3 * 2**20))
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(_Handler, directory=str(root))
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.mark.slow
def test_url_ingest_streams_follows_redirects_and_keeps_limits(tmp_path: Path, file_server: str):
    srv = Server(tmp_path / "data", allow_private_urls="true").start()
    try:
        with srv.client(anonymous_token(srv)) as c:
            sid = new_session(c)
            url = f"/api/upload-video/nemo_agent/me/{sid}"
            r = c.post(url, json={"urls": [file_server + "/redirect"], "source_type": "url"})
            assert r.status_code == 200, r.text
            [media] = r.json()["data"]["files"]
            assert (media["kind"], media["name"], media["width"]) == ("video", "redirect", 320)
            r = c.post(url, json={"urls": [file_server + "/big.mp4"], "source_type": "url"})
            assert (r.status_code, r.json()["code"]) == (413, 4002)
            r = c.post(url, json={"urls": [file_server + "/missing.mp4"], "source_type": "url"})
            assert (r.status_code, r.json()["code"]) == (400, 4008)
            assert "404" in r.json()["message"]
        assert list((tmp_path / "data" / "tmp").iterdir()) == []
    finally:
        srv.stop()
