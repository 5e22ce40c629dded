"""A bounded local copy of files whose truth is elsewhere (a bucket): what a process fetched for
FFmpeg and PyAV to read, kept while there is room and evicted least recently used.

Last use is a file's modification time, set on every use (:meth:`LocalCopies.touch`). A file in
use is one some process holds a shared ``flock`` on (:meth:`LocalCopies.held`, for as long as a
job reads it); eviction takes an exclusive lock without waiting first, so it never removes a
file in use, in this process or in another sharing the folder, and a process that dies lets go
of its locks with it. A holder checks after locking that the path is still the file it opened
(eviction may have unlinked it in between) and fetches it again if not.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from stat import S_ISREG

log = logging.getLogger("reelcut.service.copies")


class LocalCopies:
    """Files under ``root/<folder>`` for each of ``folders`` (all the way down), and the files
    directly in each ``extra`` folder whose names match its pattern (``(folder, "*.npz")``: only
    those, since such a folder may hold other things that are no copies, like the analysis cache
    folder that also holds transcripts, music and the speech model), at most ``cap_bytes``
    together (beyond it only while the files over are in use, or when one file alone is larger).
    """

    def __init__(
        self,
        root: Path,
        folders: Sequence[str],
        cap_bytes: int,
        extra: Sequence[tuple[Path, str]] = (),
    ) -> None:
        self.folders = [root / f for f in folders]
        self.extra = list(extra)
        self.cap_bytes = cap_bytes
        self._lock = threading.Lock()

    @staticmethod
    def touch(path: Path) -> None:
        try:
            os.utime(path)
        except OSError:
            pass  # gone meanwhile: the next use fetches it again

    def size_bytes(self) -> int:
        return sum(size for _, size, _ in self._files())

    @contextmanager
    def held(self, paths: Sequence[Path], fetch: Callable[[Path], None]) -> Iterator[list[Path]]:
        """``paths``, each fetched if missing (``fetch(path)``) and share-locked until the block
        ends. A path that cannot be fetched is yielded as it is (its reader reports it missing)."""
        fds: list[int] = []
        try:
            for path in paths:
                fd = self._hold(path, fetch)
                if fd is not None:
                    fds.append(fd)
            self.trim()
            yield list(paths)
        finally:
            for fd in fds:
                os.close(fd)  # closing the descriptor drops its lock

    @contextmanager
    def placed(self, fresh: Path, path: Path) -> Iterator[Path]:
        """``fresh`` (a finished scratch file with a dot name, not a copy yet) renamed to
        ``path`` and share-locked from before it gets there until the block ends: no eviction
        finds it unheld in between (the lock is on the file, so it travels with the rename)."""
        fd = os.open(fresh, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
            os.replace(fresh, path)
            yield path
        finally:
            os.close(fd)

    def _hold(self, path: Path, fetch: Callable[[Path], None]) -> int | None:
        for _ in range(5):
            if not path.exists():
                fetch(path)
            try:
                fd = os.open(path, os.O_RDONLY)
            except FileNotFoundError:
                continue  # evicted between fetch and open (or never stored): try again
            fcntl.flock(fd, fcntl.LOCK_SH)
            try:
                same = os.fstat(fd).st_ino == os.stat(path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                self.touch(path)
                return fd
            os.close(fd)  # evicted while we waited for the lock: fetch it again
        return None

    def trim(self, keep: Path | None = None) -> int:
        """Evict least recently used files not in use (and not ``keep``) until within the cap;
        how many bytes were freed."""
        with self._lock:
            files = sorted(self._files())
            total = sum(size for _, size, _ in files)
            freed = 0
            for _, size, path in files:
                if total - freed <= self.cap_bytes:
                    break
                if path == keep:
                    continue
                if self._evict(path):
                    freed += size
        if freed:
            log.info("local copy over %d bytes: evicted %d bytes", self.cap_bytes, freed)
        return freed

    @staticmethod
    def _evict(path: Path) -> bool:
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # a job reads it
        else:
            path.unlink(missing_ok=True)
            return True
        finally:
            os.close(fd)

    def _files(self) -> Iterator[tuple[int, int, Path]]:
        """(last use in ns, size, path) of every copy; scratch names starting with ``.`` (a
        fetch or a write in progress) are not copies yet."""
        paths = [
            Path(parent) / name
            for folder in self.folders
            for parent, _, names in os.walk(folder)
            for name in names
        ]
        paths += [p for folder, pattern in self.extra for p in folder.glob(pattern)]
        for path in paths:
            if path.name.startswith("."):
                continue
            try:
                st = path.stat()
            except FileNotFoundError:
                continue
            if S_ISREG(st.st_mode):  # glob sees folders too
                yield st.st_mtime_ns, st.st_size, path
