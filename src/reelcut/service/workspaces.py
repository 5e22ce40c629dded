"""Edit sessions' workspaces: the folder each chat's projects live in (``sessions/<id>/``: the
drafts with their version history, ``current.json``, exports), which the editor reads and
writes as files.

:func:`open_workspaces` picks one of two kinds:

- :class:`LocalWorkspaces` (no bucket): the data dir holds the truth; processes that run jobs
  for one another share that disk.
- :class:`SharedWorkspaces` (with ``storage_url``): nothing is shared on disk. The truth is the
  ``session_files`` table, one row per file with a version number; each process's
  ``sessions/<id>/`` is its own copy. :meth:`~SharedWorkspaces.read` brings the copy up to date
  (one query for names and versions; bodies only of the files that changed);
  :meth:`~SharedWorkspaces.edit` does the same, lets the caller change the files, then writes
  back what changed in one transaction, each row only if it is still at the version the copy
  was made from (optimistic concurrency). A writer that lost a race gets
  :class:`WorkspaceChangedError` (409) and its copy goes back to the stored one on the next read.
  ``guard`` lets a job write only while it still holds its lease, so a worker that stalled and
  lost its job never overwrites what the worker that took over wrote. Within one data dir, an
  edit holds an exclusive ``flock`` on the copy (``.lock``), which a read that finds it taken
  does not wait for (the copy being edited is the newest there is); so threads, and processes
  that happen to share a data dir, never bring a copy up to date under an edit.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from reelcut.errors import ReelcutError
from reelcut.service.db import write_session
from reelcut.service.models import SessionFile, now
from reelcut.service.storage import Storage

log = logging.getLogger("reelcut.service.workspaces")

SUBFOLDERS = ("exports",)  # kept with the session, one level down
Guard = Callable[[Session], bool]


class WorkspaceChangedError(ReelcutError):
    """Another process changed the session's project while this one was changing it."""

    code = 409


class Workspaces(Protocol):
    def read(self, session_id: str) -> Path:
        """The session's folder, up to date, to read from (not to change)."""
        ...

    def edit(self, session_id: str, guard: Guard | None = None) -> AbstractContextManager[Path]:
        """The session's folder, up to date, to change; the changes are kept when the block
        ends (also when it raises: what an edit saved before failing stays, as on one disk)."""
        ...


class LocalWorkspaces:
    """The data dir is the truth: nothing to bring up to date or write back."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    def read(self, session_id: str) -> Path:
        return self.storage.workspace(session_id)

    @contextmanager
    def edit(self, session_id: str, guard: Guard | None = None) -> Iterator[Path]:
        yield self.storage.workspace(session_id)


@dataclass(frozen=True, slots=True)
class _Copy:
    """What this process's copy of one file was made from."""

    version: int
    sha256: str
    stamp: tuple[int, int, int]  # inode, mtime_ns, size: the file as written here


def _stamp(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def _scan(folder: Path) -> dict[str, Path]:
    """The files of a workspace by name (``exports/x.srt`` one level down); names starting
    with ``.`` are files being written."""
    found: dict[str, Path] = {}
    for sub in ("", *SUBFOLDERS):
        try:
            entries = list(os.scandir(folder / sub))
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.is_file(follow_symlinks=False) and not entry.name.startswith("."):
                found[f"{sub}/{entry.name}" if sub else entry.name] = Path(entry.path)
    return found


class SharedWorkspaces:
    """Workspaces kept in the database, with this process's data dir as its copy."""

    KEPT = 4096  # sessions whose copy state is remembered (a forgotten one is fetched again)

    def __init__(self, storage: Storage, factory: sessionmaker[Session]) -> None:
        self.storage = storage
        self.factory = factory
        self._known: OrderedDict[str, dict[str, _Copy]] = OrderedDict()
        self._guard = threading.Lock()

    @staticmethod
    @contextmanager
    def _locked(folder: Path, wait: bool) -> Iterator[bool]:
        """Hold the copy's lock (an own descriptor: threads exclude each other too); False
        when ``wait`` is off and someone holds it."""
        fd = os.open(folder / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            yield True
        finally:
            os.close(fd)

    def _copies(self, session_id: str) -> dict[str, _Copy]:
        with self._guard:
            found = self._known.get(session_id)
            if found is None:
                found = self._known[session_id] = {}
            self._known.move_to_end(session_id)
            while len(self._known) > self.KEPT:
                self._known.popitem(last=False)
            return found

    def _forget(self, session_id: str) -> None:
        with self._guard:
            self._known.pop(session_id, None)

    def read(self, session_id: str) -> Path:
        folder = self.storage.workspace(session_id)
        with self._locked(folder, wait=False) as mine:
            if mine:  # else an edit holds it: its copy is the newest
                self._pull(session_id, folder)
        return folder

    @contextmanager
    def edit(self, session_id: str, guard: Guard | None = None) -> Iterator[Path]:
        folder = self.storage.workspace(session_id)
        with self._locked(folder, wait=True):
            self._pull(session_id, folder)
            try:
                yield folder
            except BaseException:
                try:
                    self._push(session_id, folder, guard)
                except WorkspaceChangedError:
                    log.warning("session %s: a failed edit's changes lost a race", session_id)
                raise
            self._push(session_id, folder, guard)

    def _pull(self, session_id: str, folder: Path) -> None:
        with self.factory() as db:
            stored = {
                name: (version, sha)
                for name, version, sha in db.execute(
                    select(SessionFile.name, SessionFile.version, SessionFile.sha256).where(
                        SessionFile.session_id == session_id
                    )
                )
            }
            copies = self._copies(session_id)
            local = _scan(folder)
            stale = [
                name
                for name, (version, _) in stored.items()
                if not self._fresh(copies.get(name), version, local.get(name))
            ]
            if stale:
                rows = db.execute(
                    select(SessionFile.name, SessionFile.version, SessionFile.sha256,
                           SessionFile.body).where(
                        SessionFile.session_id == session_id, SessionFile.name.in_(stale)
                    )
                )  # fmt: skip
                for name, version, sha, body in rows:
                    path = folder / name
                    path.parent.mkdir(parents=True, exist_ok=True)
                    temp = path.with_name(f".{path.name}.{os.getpid()}.pull")
                    temp.write_bytes(body)
                    os.replace(temp, path)
                    copies[name] = _Copy(version, sha, _stamp(path))
        for name, path in local.items():
            if name not in stored:  # written by an edit whose changes were not kept
                path.unlink(missing_ok=True)
                copies.pop(name, None)

    @staticmethod
    def _fresh(copy: _Copy | None, version: int, path: Path | None) -> bool:
        if copy is None or path is None or copy.version != version:
            return False
        try:
            return _stamp(path) == copy.stamp
        except FileNotFoundError:
            return False

    def _push(self, session_id: str, folder: Path, guard: Guard | None) -> None:
        copies = self._copies(session_id)
        changes: list[tuple[str, bytes | None, str, int | None]] = []
        here = _scan(folder)
        for name, path in here.items():
            copy = copies.get(name)
            stamp = _stamp(path)
            if copy is not None and stamp == copy.stamp:
                continue
            body = path.read_bytes()
            sha = hashlib.sha256(body).hexdigest()
            if copy is not None and sha == copy.sha256:
                copies[name] = _Copy(copy.version, sha, stamp)
                continue
            changes.append((name, body, sha, copy.version if copy else None))
        changes += [(n, None, "", c.version) for n, c in copies.items() if n not in here]
        if not changes:
            return
        try:
            with write_session(self.factory) as db:
                if guard is not None and not guard(db):
                    log.warning("session %s: the job lost its lease; its changes are dropped",
                                session_id)  # fmt: skip
                    self._forget(session_id)
                    return
                for name, new, sha, base in changes:
                    self._write(db, session_id, name, new, sha, base)
        except WorkspaceChangedError:
            self._forget(session_id)
            raise
        for name, new, sha, base in changes:
            if new is None:
                copies.pop(name, None)
            else:
                copies[name] = _Copy((base or 0) + 1, sha, _stamp(here[name]))

    @staticmethod
    def _write(
        db: Session, session_id: str, name: str, body: bytes | None, sha: str, base: int | None
    ) -> None:
        where = (SessionFile.session_id == session_id, SessionFile.name == name)
        if body is None:
            done = db.execute(delete(SessionFile).where(*where, SessionFile.version == base))
        elif base is None:
            if db.get(SessionFile, (session_id, name)) is not None:
                raise _changed(name)
            db.add(SessionFile(session_id=session_id, name=name, version=1, sha256=sha, body=body))
            return
        else:
            done = db.execute(
                update(SessionFile)
                .where(*where, SessionFile.version == base)
                .values(version=base + 1, sha256=sha, body=body, updated_at=now())
            )
        if not getattr(done, "rowcount", 0):
            raise _changed(name)


def _changed(name: str) -> WorkspaceChangedError:
    return WorkspaceChangedError(
        f"{name} was changed by another edit of this session meanwhile; "
        "this change was not kept: try it again"
    )


def open_workspaces(shared: bool, storage: Storage, factory: sessionmaker[Session]) -> Workspaces:
    """Workspaces in the database when processes share no disk (``shared``), else in the
    data dir."""
    return SharedWorkspaces(storage, factory) if shared else LocalWorkspaces(storage)
