"""A file that is still being written, read as it grows: uploads analysed while they stream in.

The writer (the service's upload parser) appends bytes to a :class:`GrowingFile`; readers get a
file object whose ``read`` waits for more bytes until the writer says the file is complete (or
aborted, which reads as the end). The readers are deliberately *not* seekable: FFmpeg's demuxers
then read front to back and never jump to the end (an MP4 demuxer on a seekable input looks past
``mdat`` for more atoms, and asking for the size would wait for the last byte), so analysis runs
as fast as the bytes arrive.

A growing file is reached under a *virtual* path that does not exist on disk:
:func:`reelcut.media.probe.open_input` looks it up here, so every analyser that opens its input
the usual way reads through a waiting reader, and anything that bypasses ``open_input`` (an
FFmpeg child, a plain ``open``) fails at once instead of reading a half-written file.

Only layouts a front-to-back reader can decode are worth starting early: :func:`streamable` says
which (MP4/MOV with ``moov`` before ``mdat``, "faststart", and Matroska/WebM). An MP4 whose
``moov`` comes last cannot be decoded before its end; a fragmented one does not say its length
until then.
"""

from __future__ import annotations

import io
import itertools
import os
import threading
import time
from pathlib import Path
from typing import Protocol

_registry: dict[str, Growing] = {}
_registry_lock = threading.Lock()
_numbers = itertools.count(1)

#: How far into a file :func:`streamable` looks for ``moov`` before giving up.
HEAD_LIMIT = 8 * 2**20


class Growing(Protocol):
    """What a reader needs of a file still being written: its path on disk, a way to wait for
    bytes, and whether the writer gave up."""

    path: Path
    virtual_path: Path

    @property
    def aborted(self) -> bool: ...

    def wait_for(self, size: int, timeout_s: float | None = None) -> int: ...

    def reader(self) -> GrowingReader: ...


class GrowingFile:
    """The writer's side: ``write`` appends (unbuffered, so readers see it at once), ``finish``
    or ``abort`` ends it. Register it to give analysers a virtual path to open."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.virtual_path = Path(f"/reelcut-growing/{next(_numbers)}/{path.name}")
        self._out = path.open("wb", buffering=0)
        self._size = 0
        self._head = bytearray()
        self._head_wanted = True
        self._complete = False
        self._aborted = False
        self._cond = threading.Condition()
        self.readers_opened = 0

    @property
    def size(self) -> int:
        return self._size

    @property
    def complete(self) -> bool:
        return self._complete

    @property
    def aborted(self) -> bool:
        return self._aborted

    def write(self, data: bytes) -> None:
        self._out.write(data)
        if self._head_wanted and len(self._head) < HEAD_LIMIT:
            self._head += data[: HEAD_LIMIT - len(self._head)]
        with self._cond:
            self._size += len(data)
            self._cond.notify_all()

    def finish(self) -> None:
        """The last byte is written: readers reach a real end of file."""
        self._out.close()
        with self._cond:
            self._complete = True
            self._cond.notify_all()

    def abort(self) -> None:
        """The upload failed: readers see an early end (their result must be thrown away)."""
        if not self._out.closed:
            self._out.close()
        with self._cond:
            self._aborted = True
            self._cond.notify_all()

    def wait_for(self, size: int, timeout_s: float | None = None) -> int:
        """Wait until ``size`` bytes are there or the file ended; the bytes available then."""
        with self._cond:
            self._cond.wait_for(
                lambda: self._size >= size or self._complete or self._aborted, timeout_s
            )
            return self._size

    def head(self, limit: int) -> bytes:
        """The first ``limit`` (at most :data:`HEAD_LIMIT`) bytes written so far."""
        return bytes(self._head[:limit])

    def forget_head(self) -> None:
        """The head was looked at: stop keeping a copy of it in memory."""
        self._head_wanted = False
        self._head = bytearray()

    def reader(self) -> GrowingReader:
        self.readers_opened += 1
        return GrowingReader(self)

    def register(self) -> None:
        with _registry_lock:
            _registry[str(self.virtual_path)] = self

    def unregister(self) -> None:
        with _registry_lock:
            _registry.pop(str(self.virtual_path), None)


class FollowedFile:
    """A growing file written by another process (the API's upload parser), read in this one
    (the early analysis's child process): its size is polled on disk, and the writer says
    through two shared events when the last byte is written or the upload was abandoned.

    The writer writes unbuffered and sets ``complete`` only after its last write, so once the
    event is seen the size on disk is final."""

    _POLL_S = 0.02

    def __init__(self, path: Path, virtual_path: Path, complete: _Event, aborted: _Event) -> None:
        self.path = path
        self.virtual_path = virtual_path
        self._complete = complete
        self._aborted = aborted

    @property
    def size(self) -> int:
        try:
            return os.stat(self.path).st_size
        except OSError:
            return 0

    @property
    def complete(self) -> bool:
        return self._complete.is_set()

    @property
    def aborted(self) -> bool:
        return self._aborted.is_set()

    def wait_for(self, size: int, timeout_s: float | None = None) -> int:
        """Wait until ``size`` bytes are there or the file ended; the bytes available then."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        while True:
            ended = self.complete or self.aborted  # read before the size: then it is final
            have = self.size
            if have >= size or ended:
                return have
            if deadline is not None and time.monotonic() >= deadline:
                return have
            time.sleep(self._POLL_S)

    def reader(self) -> GrowingReader:
        return GrowingReader(self)

    def register(self) -> None:
        with _registry_lock:
            _registry[str(self.virtual_path)] = self

    def unregister(self) -> None:
        with _registry_lock:
            _registry.pop(str(self.virtual_path), None)


class _Event(Protocol):
    def is_set(self) -> bool: ...


class GrowingReader(io.RawIOBase):
    """Front-to-back reads of a growing file, waiting for bytes not written yet."""

    def __init__(self, growing: Growing) -> None:
        super().__init__()
        self._growing = growing
        self._fh = growing.path.open("rb", buffering=0)
        self._pos = 0

    @property
    def path(self) -> Path:
        """The file on disk: once it is complete, what a seeking reader may open itself."""
        return self._growing.path

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def read(self, size: int = -1) -> bytes:
        want = 1 << 20 if size is None or size < 0 else size
        if want == 0:
            return b""
        available = self._growing.wait_for(self._pos + 1)
        if self._growing.aborted or available <= self._pos:
            return b""
        data = self._fh.read(min(want, available - self._pos))
        self._pos += len(data)
        return data or b""

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.close()
        super().close()


def reader_for(path: str | Path) -> GrowingReader | None:
    """A waiting reader when ``path`` is a registered growing file's virtual path, else None."""
    with _registry_lock:
        growing = _registry.get(str(path))
    return None if growing is None else growing.reader()


def streamable(head: bytes) -> bool | None:
    """Can a front-to-back reader decode a file starting with ``head``? None: need more bytes.

    MP4/MOV: walk the top-level boxes; ``moov`` before ``mdat`` ("faststart") yes, ``mdat``
    first (moov at the end, what most cameras write) no; fragmented (``mvex`` in ``moov``) no,
    as its header does not say how long it is. Matroska/WebM: yes. Anything
    else (AVI keeps its index at the end): no.
    """
    if len(head) < 12:
        return None
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return True
    if head[4:8] != b"ftyp":
        return False
    pos = 0
    while pos + 8 <= len(head):
        size = int.from_bytes(head[pos : pos + 4], "big")
        kind = head[pos + 4 : pos + 8]
        if kind == b"moov":
            if pos + size > len(head):
                return None if pos + size <= HEAD_LIMIT else False
            return b"mvex" not in head[pos : pos + size]  # fragments: length known at the end
        if kind == b"mdat":
            return False
        if size == 1:
            if pos + 16 > len(head):
                return None
            size = int.from_bytes(head[pos + 8 : pos + 16], "big")
        if size < 8:
            return False  # size 0 ("to the end of the file") or damage: not before moov
        pos += size
    return None if pos < HEAD_LIMIT else False
