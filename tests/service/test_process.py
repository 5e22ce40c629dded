"""The server as a process: FFmpeg children die with it, a restart ends leftovers, an unusable
data dir is one line, silent connections are dropped, and the data dir can move."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reelcut.media.ffmpeg import ffmpeg_exe
from reelcut.service.runtime import leftover_encoders
from tests.service.conftest import Server, anonymous_token, new_session, run_sse, upload, wait_for


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    return state != "Z"


def _encoder_args(out: Path) -> list[str]:
    """An FFmpeg that would write ``out`` for a minute in real time."""
    return [ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi",
            "-i", "testsrc=size=64x64:rate=5", "-t", "60", "-y", str(out)]  # fmt: skip


def test_ffmpeg_children_die_with_a_killed_parent(tmp_path: Path):
    out = tmp_path / "tmp" / "x.mp4"
    out.parent.mkdir()
    code = (
        "import subprocess, sys, time\n"
        "from reelcut.media.ffmpeg import die_with_parent\n"
        "p = subprocess.Popen(sys.argv[1:], preexec_fn=die_with_parent)\n"
        "print(p.pid, flush=True)\n"
        "time.sleep(120)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", code, *_encoder_args(out)], stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert _alive(child) and leftover_encoders(out.parent) == [child]
    parent.send_signal(signal.SIGKILL)
    parent.wait(10)
    wait_for(lambda: not _alive(child), 10, "the FFmpeg child to die")


def test_a_restart_kills_encoders_left_in_the_data_dir(tmp_path: Path):
    data = tmp_path / "data"
    (data / "tmp").mkdir(parents=True)
    orphan = subprocess.Popen(_encoder_args(data / "tmp" / "left.mp4"), start_new_session=True)
    other = subprocess.Popen(_encoder_args(tmp_path / "elsewhere.mp4"), start_new_session=True)
    try:
        time.sleep(0.3)
        srv = Server(data).start()
        try:
            assert orphan.wait(10) == -signal.SIGKILL
            assert other.poll() is None  # not the service's: left alone
        finally:
            srv.stop()
    finally:
        for p in (orphan, other):
            if p.poll() is None:
                p.kill()
                p.wait()


def test_a_read_only_data_dir_is_one_line(tmp_path: Path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    cmd = [sys.executable, "-m", "reelcut.service", "--port", "1", "--data-dir", str(locked / "d")]
    if os.geteuid() == 0:  # root writes anywhere unless it drops the capability
        caps = "-dac_override,-dac_read_search"
        cmd = ["setpriv", "--bounding-set", caps, "--inh-caps", caps, *cmd]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot write the data dir" in lines[0], proc.stderr


def test_a_connection_that_sends_no_request_is_dropped(tmp_path: Path):
    srv = Server(tmp_path / "d", header_timeout_s=1).start()
    try:
        for opening in (b"", b"GET /healthz HTTP/1.1\r\nHost: x\r\n"):  # silent; headers unfinished
            with socket.create_connection(("127.0.0.1", srv.port)) as s:
                s.sendall(opening)
                s.settimeout(10)
                started = time.monotonic()
                assert s.recv(100) == b""  # closed by the server
                assert time.monotonic() - started < 5
    finally:
        srv.stop()


@pytest.mark.slow
def test_the_data_dir_can_move(tmp_path: Path, long_clip: Path):
    old = tmp_path / "old"
    srv = Server(old).start()
    try:
        token = anonymous_token(srv)
        with srv.client(token) as c:
            sid = new_session(c)
            assert upload(c, sid, long_clip).status_code == 200
            events, _ = run_sse(c, sid, "make a 5 second reel")
            assert not any("errorMessage" in e for e in events), events
    finally:
        srv.stop()
    [project] = (old / "sessions").glob("*/project.reelcut.json")
    assert str(old) not in project.read_text()
    new = tmp_path / "new"
    shutil.move(old, new)
    moved = Server(new).start()
    try:
        with moved.client(token) as c:
            assert run_sse(c, sid, "make it 6 seconds")[0]
            r = c.post("/api/render/proxy/lambda", json={"id": "moved", "sessionId": sid})
            assert r.status_code == 200, r.text
            done = wait_for(
                lambda: (
                    (d := c.get("/api/render/proxy/lambda/moved").json()["data"])["status"]
                    in ("completed", "failed")
                    and d
                ),
                90,
                "the render",
            )
            assert done["status"] == "completed", done
    finally:
        moved.stop()
