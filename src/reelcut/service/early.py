"""Analysis that starts while an upload is still streaming in, in a child process.

The upload parser writes each file part into a :class:`~reelcut.media.growing.GrowingFile`;
an :class:`EarlyAnalysis` watches its first bytes and, when the layout can be decoded front to
back (faststart MP4/MOV, Matroska/WebM), starts a child process that analyses it as the bytes
arrive (:func:`reelcut.editor.footage.analyze_growing` over a
:class:`~reelcut.media.growing.FollowedFile`: the size polled on disk, the end told by shared
events). A child, not a thread: on a thread of the API process the analysis competed with the
upload's own parsing and hashing for the GIL, and an upload at 80 MB/s took 44 s instead of
17.5 s. The result is stored in the analysis cache under the finished file's content key, so
the analysis job the upload creates finds it and completes at once. That job is what charges
(1 credit per started minute, frozen at the upload, settled when it completes), so an analysis
is charged once however it ran, and an aborted upload creates no job and charges nothing (its
early analysis is cancelled, its child stops and stores nothing).

An MP4 with ``moov`` at the end, a fragmented MP4, AVI, an account that cannot pay, or all
slots busy (``early_analyses``, one child each): nothing starts early and the job analyses the
finished file, exactly as before. The upload's answer waits for a running early analysis to
finish, so the job never analyses the same bytes a second time beside it. Children are daemon
processes, killed by :func:`stop_all` when the server stops (and by multiprocessing at exit),
and by the kernel when the server dies without stopping (Linux: ``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event as ProcessEvent
from pathlib import Path

from reelcut.media.ffmpeg import die_with_parent
from reelcut.media.growing import HEAD_LIMIT, GrowingFile, streamable

log = logging.getLogger("reelcut.service.early")

_slots_lock = threading.Lock()
_slots: dict[int, threading.BoundedSemaphore] = {}
_children: set[multiprocessing.process.BaseProcess] = set()
# spawn, not fork: the API process runs threads (event loop, job runner, SQLAlchemy pools).
_mp = multiprocessing.get_context("spawn")
_KILL_WAIT_S = 5.0
#: The child's niceness. CPU, not only the GIL, is what the upload competes for: a child at the
#: API's priority (decoder threads and all, each weighed like the upload's one thread) slowed
#: an 80 MB/s upload as much as the thread did. Early analysis is work ahead of time; the
#: upload it rides on comes first. Only where the API may renice it back (:func:`can_renice`).
CHILD_NICE = 10


def can_renice() -> bool:
    """Whether this process may give a niced child its priority back: with CAP_SYS_NICE (root
    in most containers has it; Docker's default set does not), or an RLIMIT_NICE that reaches
    our niceness. Otherwise the child is not niced at all: it would analyse the whole file at
    +10, slower, long after the upload it yielded to was over."""
    try:
        status = Path("/proc/self/status").read_text()
        caps = next(line for line in status.splitlines() if line.startswith("CapEff:"))
        if int(caps.split()[1], 16) >> 23 & 1:  # 23 = CAP_SYS_NICE
            return True
    except (OSError, StopIteration, ValueError, IndexError):  # not Linux
        if os.geteuid() == 0:
            return True
    import resource

    soft, _ = resource.getrlimit(resource.RLIMIT_NICE)
    if soft == resource.RLIM_INFINITY:
        return True
    return 20 - soft <= os.getpriority(os.PRIO_PROCESS, 0)  # the lowest niceness it may set


def _slots_for(count: int) -> threading.BoundedSemaphore:
    """One pool of ``count`` slots per process (one app per process)."""
    with _slots_lock:
        return _slots.setdefault(count, threading.BoundedSemaphore(count))


class EarlyAnalysis:
    """One upload's analysis as its bytes arrive: :meth:`feed` after every write,
    :meth:`cancel` on an abort, :meth:`wait` once the last byte is written."""

    def __init__(
        self, file: GrowingFile, name: str, afford: Callable[[float], bool], slots: int
    ) -> None:
        self.file = file
        self.name = name
        self._afford = afford
        self._slots = _slots_for(slots) if slots > 0 else None
        self._complete = _mp.Event()
        self._aborted = _mp.Event()
        self._cancel = _mp.Event()
        self._thread: threading.Thread | None = None
        self.child_pid: int | None = None
        self._child: multiprocessing.process.BaseProcess | None = None
        self._decided = False
        self.outcome = "not started: the first bytes were not read yet"

    @property
    def started(self) -> bool:
        return self._thread is not None

    def feed(self) -> None:
        """Once the first bytes say whether the layout streams, start (or give up); after the
        last byte, tell the child the file is complete."""
        if self._decided:
            if self.file.complete:
                self._last_byte()
            return
        verdict = streamable(self.file.head(HEAD_LIMIT))
        if verdict is None and not self.file.complete and self.file.size < HEAD_LIMIT:
            return
        self._decided = True
        self.file.forget_head()
        if not verdict:
            self._give_up("this layout cannot be decoded before its last byte")
            return
        if self._slots is None or not self._slots.acquire(blocking=False):
            self._give_up("every early-analysis slot is busy")
            return
        if self.file.complete:
            self._complete.set()
        log.info("early analysis of %s: started at byte %d", self.name, self.file.size)
        thread = threading.Thread(
            target=self._watch, name=f"reelcut-early-{self.name[:20]}", daemon=True
        )
        thread.start()
        self._thread = thread  # only once started: another thread may join it as soon as it sees it

    def _last_byte(self) -> None:
        """Tell the child the file is complete; the upload no longer needs the CPU, so the
        child gets the API's priority back (it was niced only where that is allowed:
        :func:`can_renice`)."""
        if self._complete.is_set():
            return
        self._complete.set()
        child = self._child
        try:
            if child is not None and child.pid is not None and child.is_alive():
                os.setpriority(os.PRIO_PROCESS, child.pid, os.getpriority(os.PRIO_PROCESS, 0))
        except (OSError, ValueError):  # not allowed, or it has ended (and was closed)
            pass

    def _give_up(self, why: str) -> None:
        self.outcome = f"not started: {why}"
        log.info("early analysis of %s: %s", self.name, self.outcome)

    def _watch(self) -> None:
        """Run the child and answer it: whether the account can pay, then its outcome. This
        thread only waits on the pipe; the work (and the GIL it takes) is the child's."""
        ours, theirs = _mp.Pipe()
        child = _mp.Process(
            target=_child_main,
            args=(self.file.path, self.file.virtual_path, self._complete, self._aborted),
            kwargs={
                "cancel": self._cancel,
                "conn": theirs,
                "parent": os.getpid(),
                "nice": can_renice(),
            },
            name=f"reelcut-early-{self.name[:20]}",
            daemon=True,
        )
        try:
            child.start()
            _children.add(child)  # before its pid is told: stop_all must not miss it
            self._child = child
            self.child_pid = child.pid
            theirs.close()
            self.outcome = _converse(ours, self._afford)
        except Exception as exc:  # never let a thread die silently; the job analyses instead
            log.exception("early analysis of %s failed", self.name)
            self.outcome = f"failed: {exc}"
        finally:
            ours.close()
            _end(child)
            _children.discard(child)
            if self._slots is not None:
                self._slots.release()
            log.info("early analysis of %s: %s", self.name, self.outcome)

    def cancel(self) -> None:
        """The upload failed: stop reading, store nothing (the child is killed if it does not
        stop by itself)."""
        self._cancel.set()
        self._aborted.set()
        self.file.abort()

    def wait(self, timeout_s: float | None = None) -> str:
        """After the last byte: wait for the analysis to finish; what it did."""
        if not self._decided:
            self.feed()
        if self.file.complete:
            self._last_byte()
        if self._thread is not None:
            self._thread.join(timeout_s)
        return self.outcome


def _converse(conn: Connection, afford: Callable[[float], bool]) -> str:
    """The parent's side of the pipe: ``("afford", seconds)`` is answered, ``("outcome", s)``
    ends it; a child that dies without a word is a failure."""
    while True:
        try:
            kind, value = conn.recv()
        except EOFError:
            return "failed: the analysis process ended without an answer"
        if kind == "afford":
            conn.send(bool(afford(float(value))))
        else:
            return str(value)


def _end(child: multiprocessing.process.BaseProcess) -> None:
    """Reap the child; kill it if it lingers (a cancel it has not seen yet)."""
    if child.pid is None:
        return
    child.join(_KILL_WAIT_S)
    if child.is_alive():
        child.kill()
        child.join()
    child.close()


def stop_all() -> None:
    """The server is stopping: kill every early analysis still running."""
    for child in list(_children):
        try:
            if child.is_alive():
                child.kill()
        except ValueError:  # closed meanwhile by its watcher
            continue


def _child_main(
    path: Path,
    virtual_path: Path,
    complete: ProcessEvent,
    aborted: ProcessEvent,
    *,
    cancel: ProcessEvent,
    conn: Connection,
    parent: int,
    nice: bool = False,
) -> None:
    """The child: follow the file on disk, analyse it, store the result, say what happened.

    First it asks the kernel for a SIGKILL when its parent dies: an API process killed
    mid-upload (SIGKILL, OOM) can neither kill it nor ever set ``complete`` or ``aborted``,
    and it would poll the file for more bytes forever. A parent gone before that: it ends."""
    die_with_parent()
    if os.getppid() != parent:
        return
    if nice and not complete.is_set():  # after the last byte there is no upload to yield to
        os.nice(CHILD_NICE)
    from reelcut.editor.footage import analyze_growing
    from reelcut.media.growing import FollowedFile

    stop = threading.Event()

    def relay() -> None:  # analysis checks a thread event; the parent sets a process one
        cancel.wait()
        stop.set()

    threading.Thread(target=relay, daemon=True).start()
    file = FollowedFile(path, virtual_path, complete, aborted)
    file.register()

    def afford(seconds: float) -> bool:
        conn.send(("afford", seconds))
        return bool(conn.recv())

    try:
        outcome = analyze_growing(file, afford=afford, cancel=stop)
    except Exception as exc:  # reported to the parent, which logs it
        # An abandoned upload's scratch file may be gone before this process opened it.
        outcome = "cancelled: the upload was aborted" if aborted.is_set() else f"failed: {exc}"
    finally:
        file.unregister()
    conn.send(("outcome", outcome))
    conn.close()
