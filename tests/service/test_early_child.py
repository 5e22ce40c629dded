"""The early analysis of an upload runs in a child process, not on a thread of the API process:
it stores the same signals, asks the parent whether the account can pay, stops when the
upload is abandoned and is killed when the server stops."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from reelcut.analysis import DEFAULT_STEP_S, analyze, cache
from reelcut.media.growing import GrowingFile
from reelcut.media.probe import probe
from reelcut.service import early
from reelcut.service.early import EarlyAnalysis
from tests.conftest import ffmpeg, lavfi_clip


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("early-child")
    base = lavfi_clip(d / "base.mp4", seconds=12.0, size="320x180", extra=("-g", "25"))
    ffmpeg("-i", str(base), "-c", "copy", "-movflags", "+faststart", str(d / "fs.mp4"))
    return d / "fs.mp4"


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _upload(ea: EarlyAnalysis, data: bytes, upto: float, go: threading.Event | None = None) -> None:
    """Write ``data[:upto]`` as the upload parser does (feed after each write); the rest once
    ``go`` is set, then finish (or stop there when ``go`` is None)."""
    stop = int(len(data) * upto)
    for i in range(0, stop, 65536):
        ea.file.write(data[i : min(i + 65536, stop)])
        ea.feed()
    if go is None:
        return
    assert go.wait(60)
    for i in range(stop, len(data), 65536):
        ea.file.write(data[i : i + 65536])
        ea.feed()
    ea.file.finish()
    ea.feed()


def test_the_analysis_runs_in_a_child_and_stores_what_the_file_gives(clip: Path, tmp_path: Path):
    """The child asks the parent whether the account can pay and waits for the answer: while it
    waits, the test reads its priority, lets the upload finish and reads it again."""
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    asked: list[float] = []
    niceness: list[int] = []
    go = threading.Event()

    def afford(seconds: float) -> bool:  # the parent's watcher thread; the child is waiting
        asked.append(seconds)
        pid = ea.child_pid or 0
        niceness.append(os.getpriority(os.PRIO_PROCESS, pid))
        go.set()
        writer.join(60)  # the rest of the bytes, the end, and a feed after it
        niceness.append(os.getpriority(os.PRIO_PROCESS, pid))
        return True

    ea = EarlyAnalysis(GrowingFile(tmp_path / "up.bin"), "fs.mp4", afford, slots=1)
    writer = threading.Thread(target=_upload, args=(ea, clip.read_bytes(), 0.5, go))
    writer.start()
    deadline = time.monotonic() + 60
    while not ea.started and time.monotonic() < deadline:  # wait() is for after the last byte
        time.sleep(0.02)
    assert ea.wait(120) == "stored"
    writer.join()
    assert ea.child_pid is not None and ea.child_pid != os.getpid()
    assert _gone(ea.child_pid), "the child is reaped once it answered"
    assert asked and abs(asked[0] - 12.0) < 0.2, "the parent is asked, with the probed length"
    niced = min(ours + early.CHILD_NICE, 19)
    # It yields while the bytes arrive and gets our priority back at the last byte, where the
    # OS lets a process raise another's; elsewhere it is never niced (it would stay slow).
    assert niceness == ([niced, ours] if early.can_renice() else [ours, ours])
    hit = cache.load(cache.content_key(clip), DEFAULT_STEP_S)
    assert hit is not None
    assert np.array_equal(hit.excitement, analyze(probe(clip), use_cache=False).excitement)


def test_an_account_that_cannot_pay_gets_no_analysis(clip: Path, tmp_path: Path):
    ea = EarlyAnalysis(GrowingFile(tmp_path / "up.bin"), "poor.mp4", lambda s: False, slots=1)
    _upload(ea, clip.read_bytes(), 1.0)
    ea.file.finish()
    ea.feed()
    assert ea.wait(120) == "not started: the account cannot pay for this analysis"
    assert cache.load(cache.content_key(clip), DEFAULT_STEP_S) is None


def test_an_abandoned_upload_stops_its_child_and_a_server_stop_kills_one(
    clip: Path, tmp_path: Path
):
    data = clip.read_bytes()
    cancelled = EarlyAnalysis(GrowingFile(tmp_path / "a.bin"), "a.mp4", lambda s: True, slots=2)
    stopped = EarlyAnalysis(GrowingFile(tmp_path / "b.bin"), "b.mp4", lambda s: True, slots=2)
    for ea in (cancelled, stopped):
        _upload(ea, data, 0.5)  # half the bytes, then nothing: the child waits for more
        assert ea.started
    deadline = time.monotonic() + 60
    while None in (cancelled.child_pid, stopped.child_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    cancelled.cancel()
    assert cancelled.wait(30).startswith("cancelled"), cancelled.outcome
    early.stop_all()
    assert stopped.wait(30) == "failed: the analysis process ended without an answer"
    for ea in (cancelled, stopped):
        assert ea.child_pid is not None and _gone(ea.child_pid)
    stopped.file.abort()
    assert cache.load(cache.content_key(clip), DEFAULT_STEP_S) is None


def _spawned_by(pid: int) -> list[int]:
    """Multiprocessing children of ``pid`` (from /proc), not its resource tracker."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if int(fields[1]) == pid and b"spawn_main" in command:
                found.append(int(entry.name))
    return found


def _ended(pid: int) -> bool:
    """Gone, or a zombie no one reaps (a container's PID 1 may not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")


def test_a_server_killed_mid_upload_takes_its_early_analysis_child_along(tmp_path: Path):
    """SIGKILL to the API process alone (not its group): no stop_all, no abort event; the child
    would wait for more bytes forever but for the kernel's parent-death signal."""
    import signal
    import socket

    from tests.service.conftest import Server, anonymous_token, new_session

    # lossless: over the 1 MiB the server writes at once before the upload's end
    base = lavfi_clip(tmp_path / "big.mp4", seconds=12.0, vcodec=(
        "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", "-pix_fmt", "yuv420p"))  # fmt: skip
    ffmpeg("-i", str(base), "-c", "copy", "-movflags", "+faststart", str(tmp_path / "fs.mp4"))
    data = (tmp_path / "fs.mp4").read_bytes()
    assert len(data) > 2 << 20
    srv = Server(tmp_path / "data").start()
    try:
        token = anonymous_token(srv)
        with srv.client(token) as c:
            sid = new_session(c)
        head = (
            b'--b\r\nContent-Disposition: form-data; name="files"; filename="fs.mp4"\r\n'
            b"Content-Type: video/mp4\r\n\r\n"
        )
        tail = b"\r\n--b--\r\n"
        request = (
            f"POST /api/upload-video/nemo_agent/me/{sid} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\n"
            f"Content-Type: multipart/form-data; boundary=b\r\n"
            f"Content-Length: {len(head) + len(data) + len(tail)}\r\n\r\n"
        ).encode()
        sock = socket.create_connection(("127.0.0.1", srv.port))
        sock.sendall(request + head + data[: len(data) * 2 // 3])  # and no more
        assert srv.proc is not None
        deadline = time.monotonic() + 60
        while not (children := _spawned_by(srv.proc.pid)) and time.monotonic() < deadline:
            time.sleep(0.1)
        [child] = children  # the early analysis
        # past its question to the parent (a pipe that closes at the parent's death ends it
        # by itself), it waits for more bytes: it polls, asleep in nanosleep between looks
        wchan = Path(f"/proc/{child}/wchan")
        while wchan.read_text() != "hrtimer_nanosleep" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert wchan.read_text() == "hrtimer_nanosleep", "the child never waited for bytes"
        os.kill(srv.proc.pid, signal.SIGKILL)
        srv.proc.wait(10)
        deadline = time.monotonic() + 5
        while not _ended(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _ended(child), "the early-analysis child outlived its server"
        sock.close()
    finally:
        if srv.proc is not None:
            try:
                os.killpg(srv.proc.pid, signal.SIGKILL)  # whatever is left of its group
            except ProcessLookupError:
                pass
            srv.proc.wait(10)
