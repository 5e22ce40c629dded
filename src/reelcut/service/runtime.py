"""The server process around the app: its data dir, its FFmpeg children, its connections.

- :func:`prepare_data_dir` fails in one line when the data dir cannot be written, and points the
  analysis cache into it (``REELCUT_CACHE_DIR``), so instances never share one in a home dir.
- :func:`kill_leftovers` ends FFmpeg processes a previous server on this data dir left behind.
  They are found by what they write (every render goes to the data dir's scratch folder), not by
  a pid file: pids are reused, the scratch path in a command line is not. FFmpeg children also
  die with the server (``PR_SET_PDEATHSIG``, :func:`reelcut.media.ffmpeg.die_with_parent`); this
  is for what that cannot cover (a render started by another tool, a non-Linux parent).
- :func:`deadline_protocol` closes connections that open and never finish a request's headers:
  uvicorn's keep-alive timer only starts after a first response.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
from pathlib import Path
from typing import Any

from reelcut.errors import OutputNotWritableError


def prepare_data_dir(data_dir: Path) -> Path:
    """The data dir, made and checked writable; :class:`OutputNotWritableError` otherwise."""
    root = data_dir.expanduser().resolve()
    try:
        root.mkdir(parents=True, exist_ok=True)
        probe = root / f".write-check-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise OutputNotWritableError(
            f"cannot write the data dir {root}: {exc.strerror or exc}; "
            "give a writable one with --data-dir"
        ) from None
    os.environ.setdefault("REELCUT_CACHE_DIR", str(root / "cache"))
    return root


def _cmdline(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [a.decode("utf-8", "replace") for a in raw.split(b"\0") if a]


def leftover_encoders(scratch: Path) -> list[int]:
    """Pids of FFmpeg processes writing into ``scratch`` (Linux ``/proc``; elsewhere none)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    marker = str(scratch.resolve()) + os.sep
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        args = _cmdline(int(entry.name))
        if args and "ffmpeg" in Path(args[0]).name and any(marker in a for a in args[1:]):
            found.append(int(entry.name))
    return found


def kill_leftovers(scratch: Path) -> int:
    """SIGKILL every FFmpeg process still writing into ``scratch``; how many were found."""
    pids = leftover_encoders(scratch)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return len(pids)


def deadline_protocol(base: type[asyncio.Protocol], header_timeout_s: float) -> type[Any]:
    """``base`` (a uvicorn HTTP protocol) that drops a connection with no request started
    within ``header_timeout_s`` of opening (slow or silent clients holding sockets)."""

    class HeaderDeadline(base):  # type: ignore[valid-type,misc]
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._header_deadline = self.loop.call_later(header_timeout_s, self._drop_if_idle)

        def _drop_if_idle(self) -> None:
            if self.cycle is None and not self.transport.is_closing():
                self.transport.close()

        def connection_lost(self, exc: Exception | None) -> None:
            self._header_deadline.cancel()
            super().connection_lost(exc)

    return HeaderDeadline


def scratch_name(role: str) -> str:
    """``<role>-<host>-<pid>``: a scratch folder of one process behind a broker."""
    return f"{role}-{socket.gethostname()}-{os.getpid()}"


def clean_dead_scratch(tmp: Path) -> int:
    """Remove the scratch folders under ``tmp`` of processes of this host that are gone (their
    FFmpeg children killed first); how many were removed. Folders of other hosts sharing the
    data dir, and of live processes, are left alone."""
    removed = 0
    host = socket.gethostname()
    for entry in tmp.iterdir() if tmp.is_dir() else []:
        role, _, rest = entry.name.partition("-")
        where, _, pid = rest.rpartition("-")
        if not entry.is_dir() or where != host or not pid.isdigit() or int(pid) == os.getpid():
            continue
        if Path(f"/proc/{pid}").exists():
            continue
        kill_leftovers(entry)
        shutil.rmtree(entry, ignore_errors=True)
        removed += 1
    return removed
