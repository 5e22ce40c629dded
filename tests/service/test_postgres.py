"""``reelcut serve`` on the machine's real PostgreSQL: migrations, the CLI, the whole API flow.

Each test makes its own database (:mod:`tests.service.databases`) and drops it afterwards.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reelcut.errors import DatabaseUnavailableError, InvalidArgumentError
from reelcut.service.db import database_url, make_engine, migrate
from tests.service import test_flow
from tests.service.conftest import Server
from tests.service.databases import fresh_postgres


@pytest.fixture
def pg_url() -> object:
    with fresh_postgres() as url:
        yield url


def _rows(url: str, sql: str) -> list[tuple[object, ...]]:
    import psycopg

    with psycopg.connect(url) as conn:
        return list(conn.execute(sql).fetchall())


def test_admin_migrate_upgrades_postgres_once_and_again(pg_url: str, tmp_path: Path):
    cmd = [sys.executable, "-m", "reelcut", "admin", "migrate", "--database-url", pg_url]
    cmd += ["--data-dir", str(tmp_path)]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    [(head,)] = _rows(pg_url, "SELECT version_num FROM alembic_version")
    assert f"revision {head}" in first.stdout
    tables = {
        r[0] for r in _rows(pg_url, "SELECT tablename FROM pg_tables WHERE schemaname='public'")
    }
    assert {"accounts", "ledger", "jobs", "sessions", "media"} <= tables
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and f"revision {head}" in again.stdout, again.stderr
    assert not (tmp_path / "reelcut.db").exists()  # nothing went to the SQLite default


def test_database_urls_are_checked_in_one_line():
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"
    with pytest.raises(InvalidArgumentError):
        database_url("mysql://u@h/db")
    with pytest.raises(InvalidArgumentError):
        database_url("no-scheme")
    engine = make_engine("postgresql://nobody:secret@127.0.0.1:1/none")
    with pytest.raises(DatabaseUnavailableError) as exc:
        migrate(engine)
    assert exc.value.code == 5003 and "secret" not in exc.value.message


def test_serve_on_an_unreachable_database_exits_in_one_line(tmp_path: Path):
    run = subprocess.run(
        [sys.executable, "-m", "reelcut", "serve", "--data-dir", str(tmp_path)]
        + ["--database-url", "postgresql://nobody:secret@127.0.0.1:1/none"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1
    assert "cannot use the database" in run.stderr and "Traceback" not in run.stderr
    assert "secret" not in run.stderr


def test_api_flow_on_postgres(pg_url: str, clip: Path, tmp_path: Path):
    """token -> session -> upload -> chat -> render -> download, every row in PostgreSQL."""
    server = Server(tmp_path / "serve", database_url=pg_url).start()
    try:
        test_flow.test_token_session_upload_edit_render_download(server, clip, tmp_path)
    finally:
        server.stop()
    assert not (tmp_path / "serve" / "reelcut.db").exists()
    spent = _rows(pg_url, "SELECT coalesce(sum(amount), 0) FROM ledger WHERE kind = 'settle'")
    assert spent == [(2,)]  # analysis 1 + edit 1, as the API said
    kinds = {r[0]: r[1] for r in _rows(pg_url, "SELECT kind, status FROM jobs")}
    assert kinds.get("render") == "completed"
