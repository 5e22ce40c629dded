"""Tables: accounts, the credit ledger, edit sessions, uploaded media, jobs and their events, and
the request log. Times are timezone-aware UTC; ids are random hex strings (never sequential,
so one account cannot guess another's).

The schema is created by the migrations in ``migrations/versions`` (run at startup), never by
``create_all``; ``tests/service/test_migrations.py`` checks the two agree.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false as sql_false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A datetime stored naive in UTC (SQLite has no zones) and read back aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def now() -> datetime:
    return datetime.now(UTC)


def new_id(prefix: str = "") -> str:
    return prefix + secrets.token_hex(12)


class Base(DeclarativeBase):
    pass


class Account(Base):
    """Who pays: an anonymous token (one per client id per TTL) or an admin-made API key."""

    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "anonymous" | "key"
    name: Mapped[str] = mapped_column(String(200), default="")
    client_id: Mapped[str | None] = mapped_column(String(200), index=True)
    created_ip: Mapped[str | None] = mapped_column(String(64), index=True)  # anonymous tokens
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 hex of the token
    export_allowed: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LedgerEntry(Base):
    """One append-only row of an account's credits.

    ``grant`` adds to available; ``freeze`` moves from available to frozen under a ``hold_id``;
    ``settle`` closes a hold, charging ``amount`` and returning the rest; ``release`` closes a
    hold charging nothing. Balances are sums of the two delta columns; ``closes_hold`` is unique,
    so a hold can be closed once only.
    """

    __tablename__ = "ledger"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # grant | freeze | settle | release
    amount: Mapped[int] = mapped_column(Integer)
    delta_available: Mapped[int] = mapped_column(Integer)
    delta_frozen: Mapped[int] = mapped_column(Integer)
    hold_id: Mapped[str | None] = mapped_column(String(40), index=True)
    closes_hold: Mapped[str | None] = mapped_column(String(40), unique=True)
    job_id: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class EditSession(Base):
    """One editing conversation: its uploads, its project (in its workspace) and its renders."""

    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    task_id: Mapped[str] = mapped_column(String(40), unique=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    task_name: Mapped[str] = mapped_column(String(100), default="project")
    language: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class Media(Base):
    """An uploaded file. ``storage_key`` is generated; ``original_name`` is only ever data."""

    __tablename__ = "media"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), index=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # video | image | audio
    format: Mapped[str] = mapped_column(String(16))  # mp4, mkv, png, mp3...
    original_name: Mapped[str] = mapped_column(String(300), default="")
    storage_key: Mapped[str] = mapped_column(String(300))
    size_bytes: Mapped[int] = mapped_column(Integer)
    content_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    duration_s: Mapped[float] = mapped_column(Float, default=0.0)
    width: Mapped[int] = mapped_column(Integer, default=0)
    height: Mapped[int] = mapped_column(Integer, default=0)
    fps: Mapped[float] = mapped_column(Float, default=0.0)
    has_audio: Mapped[bool] = mapped_column(Boolean, default=False)
    analysis_job_id: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class Job(Base):
    """Work done by a worker: ``analysis``, ``edit`` or ``render``. Its state lives here only."""

    __tablename__ = "jobs"
    __table_args__ = (
        UniqueConstraint("account_id", "public_id", name="uq_jobs_account_public_id"),
        Index("ix_jobs_status", "status"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    public_id: Mapped[str | None] = mapped_column(String(200))  # a client's render id
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    session_id: Mapped[str | None] = mapped_column(ForeignKey("sessions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    reason: Mapped[str | None] = mapped_column(Text)  # why it failed, in words
    error_code: Mapped[int | None] = mapped_column(Integer)
    hold_id: Mapped[str | None] = mapped_column(String(40))  # frozen credits, if any
    params: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, object] | None] = mapped_column(JSON)
    download_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the lease of a running job (workers behind a broker): who runs it, when it last said so,
    # and how many times it was started (a redelivered job runs again once its lease is stale)
    runner: Mapped[str | None] = mapped_column(String(200))
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # a client asked it to stop: its runner stops at its next progress point or heartbeat
    cancel_requested: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=sql_false()
    )


class SessionFile(Base):
    """One file of an edit session's workspace (a project with its version history, which
    upload the chat works on, an export), when processes keep no shared disk: each process's
    ``sessions/<id>/`` is its own copy of these rows (:mod:`reelcut.service.workspaces`).
    ``version`` grows by one on every write; a writer names the version it started from."""

    __tablename__ = "session_files"

    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class JobEvent(Base):
    """One event an edit job produced, in order; the SSE stream reads them from here."""

    __tablename__ = "job_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class RequestLog(Base):
    """Every request: who, what, the answer, and the skill attribution headers if sent."""

    __tablename__ = "request_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    account_id: Mapped[str | None] = mapped_column(String(40))
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(500))
    status: Mapped[int] = mapped_column(Integer)
    client_ip: Mapped[str | None] = mapped_column(String(64))
    skill_source: Mapped[str | None] = mapped_column(String(200))
    skill_version: Mapped[str | None] = mapped_column(String(100))
    skill_platform: Mapped[str | None] = mapped_column(String(100))
