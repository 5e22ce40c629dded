"""Engine, sessions and migrations.

SQLite (the embedded default) gets WAL, a busy timeout and foreign keys; transactions that check
and then write (credits, job limits, a session's one running edit) begin with ``BEGIN IMMEDIATE``
via :func:`write_session`, so two requests cannot both see the same balance. PostgreSQL (any
number of API processes and workers on one database) gets the same guarantee from a
transaction-scoped advisory lock taken first in :func:`write_session`: check-then-write
transactions run one at a time there as on SQLite, while reads and plain writes do not wait.
The credit ledger also locks the account row (``SELECT ... FOR UPDATE``), so it stays safe for a
caller that writes outside :func:`write_session`.

Migrations are alembic scripts shipped inside the package (``migrations/versions``) and run
programmatically by :func:`migrate` at startup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from reelcut.errors import DatabaseUnavailableError, InvalidArgumentError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
T = TypeVar("T")
WRITE_LOCK_KEY = 0x7265656C  # "reel": the advisory lock write_session holds on PostgreSQL


def database_url(url: str) -> str:
    """``url`` with the driver made explicit: ``postgres://`` and ``postgresql://`` use psycopg 3
    (the ``scale`` extra), not SQLAlchemy's default psycopg2. Anything but SQLite and
    PostgreSQL is :class:`InvalidArgumentError`: the write lock above is only proven on those."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise InvalidArgumentError(
            f"database URL {url!r} has no scheme (sqlite:///path or postgresql://user@host/db)"
        )
    if scheme in ("postgres", "postgresql"):
        return f"postgresql+psycopg://{rest}"
    if scheme.split("+")[0] in ("sqlite", "postgresql"):
        return url
    raise InvalidArgumentError(
        f"unsupported database {scheme!r}: use sqlite:///path or postgresql://user@host/db"
    )


def make_engine(url: str) -> Engine:
    url = database_url(url)
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, pool_size=16, max_overflow=48)
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
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def write_session(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose transaction holds the write lock from its first statement (SQLite
    ``BEGIN IMMEDIATE``, PostgreSQL ``pg_advisory_xact_lock``); commits on success, rolls back
    on error. The lock ends with the transaction, also when a process dies mid-way."""
    with factory() as session:
        conn = session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        if conn.dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


async def run_read(engine: Engine, read: Callable[..., T], *args: Any) -> T:
    """``read(*args)`` for a cheap request: on the event loop when the database is SQLite, in
    a worker thread otherwise.

    A SQLite read in WAL mode is a local file read that never waits for a writer, and costs
    less than the hop to a thread and back (two GIL hand-offs and a loop wake-up: on 2 busy
    cores that hop was most of a balance request's CPU). A database across a network can stall
    for its round trip, so there the loop stays free."""
    if engine.dialect.name == "sqlite":
        return read(*args)
    return await run_in_threadpool(read, *args)


def migrate(engine: Engine) -> str:
    """Bring the database to the newest schema (alembic ``upgrade head``); the revision it is at.

    On PostgreSQL an advisory lock makes processes that start together upgrade one at a time.
    A server that does not answer is :class:`DatabaseUnavailableError` (5003), password hidden.
    """
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY + 1}
                )
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            return MigrationContext.configure(conn).get_current_revision() or ""
    except OperationalError as exc:
        where = engine.url.render_as_string(hide_password=True)
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseUnavailableError(f"cannot use the database {where}: {reason}") from None
