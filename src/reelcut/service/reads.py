"""The most frequent reads (token check, balance, state), run as statements compiled once.

A poll of the balance or the state is a few indexed lookups; through the ORM each one cost
more than the lookup itself (building the statement, its cache key, the ORM session, identity
map and row objects: most of a request's CPU at hundreds of requests a second). Here each
query is a Core ``SELECT`` compiled once per database dialect and run on a pooled DBAPI
connection: the SQL and the parameters go straight to the driver and plain tuples come back.

Each column's own result processing still applies (SQLite's 0/1 become booleans, stored
datetimes come back aware), so a row holds the values the ORM would give. Values passed in are
plain strings and numbers: they go to the driver as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, bindparam, select
from sqlalchemy.engine.interfaces import DBAPIConnection, Dialect
from sqlalchemy.sql import Select

from reelcut.service.models import Account, Job, Media


@dataclass(slots=True)
class _Compiled:
    sql: str
    order: Sequence[str] | None  # parameter names in order, for positional drivers (SQLite)
    fixed: dict[str, Any]  # the statement's own literals ("video", 0...)
    # (column, its result processor); made at the first run, from the driver's column types
    processors: tuple[tuple[int, Callable[[Any], Any]], ...] | None = None


class Query:
    """A Core ``SELECT`` compiled once per dialect; :meth:`rows` runs it with named values."""

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect.name)
        if found is None:
            compiled = self.statement.compile(dialect=dialect)
            found = _Compiled(
                compiled.string,
                list(compiled.positiontup or []) if compiled.positional else None,
                {name: bind.value for name, bind in compiled.binds.items() if not bind.required},
            )
            self._compiled[dialect.name] = found
        return found

    def _processors(
        self, dialect: Dialect, description: Sequence[Any]
    ) -> tuple[tuple[int, Callable[[Any], Any]], ...]:
        found = []
        for i, column in enumerate(self.statement.selected_columns):
            type_code = description[i][1]  # what the driver says it sent (PostgreSQL: an OID)
            process = column.type.dialect_impl(dialect).result_processor(dialect, type_code)
            if process is not None:
                found.append((i, process))
        return tuple(found)

    def rows(self, db: Reader, **values: Any) -> list[tuple[Any, ...]]:
        c = self._compile(db.dialect)
        params = {**c.fixed, **values}
        cursor = db.connection.cursor()
        try:
            cursor.execute(c.sql, tuple(params[name] for name in c.order) if c.order else params)
            found = cursor.fetchall()
            if c.processors is None:
                c.processors = self._processors(db.dialect, cursor.description)
        finally:
            cursor.close()
        if not c.processors:
            return [tuple(row) for row in found]
        rows = []
        for raw in found:
            row = list(raw)
            for i, process in c.processors:
                row[i] = process(row[i])
            rows.append(tuple(row))
        return rows

    def first(self, db: Reader, **values: Any) -> tuple[Any, ...] | None:
        found = self.rows(db, **values)
        return found[0] if found else None


class Reader:
    """A pooled DBAPI connection and its dialect, for :class:`Query`."""

    def __init__(self, connection: DBAPIConnection, dialect: Dialect) -> None:
        self.connection = connection
        self.dialect = dialect


@contextmanager
def reader(engine: Engine) -> Iterator[Reader]:
    """A connection from the engine's pool (its ``connect`` settings applied: on SQLite
    autocommit, so each statement reads its own snapshot and no transaction is held); it goes
    back to the pool, rolled back, when the block ends."""
    connection = engine.raw_connection()
    try:
        yield Reader(connection, engine.dialect)
    finally:
        connection.close()


_accounts = Account.__table__.c
_sessions = Account.metadata.tables["sessions"].c
_media = Media.__table__.c
_jobs = Job.__table__.c

ACCOUNT_COLUMNS = ("id", "kind", "name", "export_allowed", "expires_at")
TOKEN = Query(
    select(*(_accounts[name] for name in ACCOUNT_COLUMNS)).where(
        _accounts.token_hash == bindparam("token_hash")
    )
)
SESSION_OWNER = Query(
    select(_sessions.account_id, _sessions.task_id).where(_sessions.id == bindparam("sid"))
)
MEDIA_COLUMNS = (
    "id",
    "original_name",
    "kind",
    "format",
    "size_bytes",
    "duration_s",
    "width",
    "height",
    "fps",
    "has_audio",
    "storage_key",
    "analysis_job_id",
)
SESSION_MEDIA = Query(
    select(*(_media[name] for name in MEDIA_COLUMNS))
    .where(_media.session_id == bindparam("sid"))
    .order_by(_media.created_at)  # the upload order "the second video" counts in
)
JOB_COLUMNS = ("id", "kind", "status", "progress", "public_id", "download_token", "reason")
SESSION_JOBS = Query(
    select(*(_jobs[name] for name in JOB_COLUMNS))
    .where(_jobs.session_id == bindparam("sid"))
    .order_by(_jobs.created_at)
)
