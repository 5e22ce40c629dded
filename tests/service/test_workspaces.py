"""Session workspaces kept in PostgreSQL for processes that share no disk: two "processes"
(each its own data dir, one database) see each other's project files; two edits from the same
version cannot both be kept (the later one gets 409 and its copy goes back to the stored one);
a job that lost its lease keeps nothing; a file removed by an edit is removed for everyone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from reelcut.service.db import make_engine, make_sessionmaker, migrate, write_session
from reelcut.service.models import Account, EditSession, SessionFile
from reelcut.service.storage import LocalStorage
from reelcut.service.workspaces import SharedWorkspaces, WorkspaceChangedError
from tests.service.databases import fresh_postgres

SID = "0f6c2c4e-session"


@pytest.fixture(scope="module")
def factory() -> Iterator[sessionmaker[Session]]:
    with fresh_postgres() as url:
        engine = make_engine(url)
        migrate(engine)
        made = make_sessionmaker(engine)
        with write_session(made) as db:
            db.add(Account(id="acc", kind="key", token_hash="h" * 64))
            db.flush()
            db.add(EditSession(id=SID, task_id="task_1", account_id="acc"))
        yield made
        engine.dispose()


def _two(tmp_path: Path, factory: sessionmaker[Session]) -> tuple[SharedWorkspaces, ...]:
    return tuple(SharedWorkspaces(LocalStorage(tmp_path / n), factory) for n in ("a", "b"))


def _versions(factory: sessionmaker[Session]) -> dict[str, int]:
    with factory() as db:
        rows = db.query(SessionFile.name, SessionFile.version).filter_by(session_id=SID)
        return {name: version for name, version in rows}


def test_processes_share_projects_and_the_later_of_two_edits_is_refused(
    tmp_path: Path, factory: sessionmaker[Session]
):
    a, b = _two(tmp_path, factory)
    with a.edit(SID) as folder:
        (folder / "project.reelcut.json").write_text('{"v": 1}')
        (folder / "exports").mkdir()
        (folder / "exports" / "reel.srt").write_text("1\n")
        (folder / ".half-written.tmp").write_text("not kept")
    assert _versions(factory) == {"project.reelcut.json": 1, "exports/reel.srt": 1}
    seen = b.read(SID)
    assert seen != folder and (seen / "project.reelcut.json").read_text() == '{"v": 1}'
    assert (seen / "exports" / "reel.srt").read_text() == "1\n"

    with pytest.raises(WorkspaceChangedError), b.edit(SID) as theirs:
        with a.edit(SID) as ours:  # both start from version 1; a keeps its change first
            (ours / "project.reelcut.json").write_text('{"v": "a"}')
        (theirs / "project.reelcut.json").write_text('{"v": "b"}')
    assert _versions(factory)["project.reelcut.json"] == 2
    assert (b.read(SID) / "project.reelcut.json").read_text() == '{"v": "a"}'  # b's copy too

    with b.edit(SID) as folder:  # from the stored version now: kept
        (folder / "project.reelcut.json").write_text('{"v": 3}')
        (folder / "exports" / "reel.srt").unlink()
    assert _versions(factory) == {"project.reelcut.json": 3}
    again = a.read(SID)
    assert (again / "project.reelcut.json").read_text() == '{"v": 3}'
    assert not (again / "exports" / "reel.srt").exists()


def test_an_edit_that_lost_its_lease_keeps_nothing_and_a_failed_one_keeps_its_saves(
    tmp_path: Path, factory: sessionmaker[Session]
):
    a, b = _two(tmp_path, factory)
    before = _versions(factory)
    with a.edit(SID, guard=lambda db: False) as folder:
        (folder / "upload-2.reelcut.json").write_text("{}")
    assert _versions(factory) == before
    assert not (a.read(SID) / "upload-2.reelcut.json").exists()  # the copy is the stored one

    with pytest.raises(RuntimeError), b.edit(SID) as folder:
        (folder / "current.json").write_text('{"project": "upload-1.reelcut.json"}')
        raise RuntimeError("the agent failed after saving")
    assert _versions(factory)["current.json"] == 1
    assert (a.read(SID) / "current.json").is_file()


def test_a_read_never_brings_a_copy_up_to_date_under_an_edit(
    tmp_path: Path, factory: sessionmaker[Session]
):
    a, _ = _two(tmp_path, factory)
    same_disk = SharedWorkspaces(LocalStorage(tmp_path / "a"), factory)  # another process
    with a.edit(SID) as folder:
        (folder / "project.reelcut.json").write_text('{"v": "editing"}')
        for reader in (a, same_disk):  # this thread again, and a process on the same dir
            assert (reader.read(SID) / "project.reelcut.json").read_text() == '{"v": "editing"}'
    assert (same_disk.read(SID) / "project.reelcut.json").read_text() == '{"v": "editing"}'
