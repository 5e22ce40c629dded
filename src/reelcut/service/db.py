"""Engine, sessions and migrations.

SQLite (the embedded default) gets WAL, a busy timeout and foreign keys; transactions that check
and then write (credits, job limits) begin with ``BEGIN IMMEDIATE`` via :func:`write_session`,
so two requests cannot both see the same balance. On other databases the same code path locks
the account row (``SELECT ... FOR UPDATE``).

Migrations are alembic scripts shipped inside the package (``migrations/versions``) and run
programmatically by :func:`migrate` at startup.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    if url.startswith("sqlite:///") and ":memory:" not in url:
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 30},
        pool_size=16,  # request threads (40 at most) and workers share it; SQLite connections
        max_overflow=48,  # are cheap, running out of them is not
    )

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        if mode != "NONE":  # reads (read_session): each statement is its own snapshot
            conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def write_session(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose transaction holds the write lock from its first statement (SQLite
    ``BEGIN IMMEDIATE``); commits on success, rolls back on error."""
    with factory() as session:
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for cheap reads (balance, state): on SQLite no ``BEGIN`` is sent, so each
    statement reads its own snapshot and nothing is held between them; a statement's cost is
    the query alone. Never write through it."""
    with engine.connect() as conn:
        conn = conn.execution_options(sqlite_begin="NONE")
        with Session(bind=conn, expire_on_commit=False) as session:
            yield session


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema (alembic ``upgrade head``)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
