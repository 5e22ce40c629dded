"""What ``reelcut admin`` does: API keys with a plan, top-ups, and a usage table."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from reelcut.service import credits
from reelcut.service.auth import hash_token, new_token
from reelcut.service.db import make_engine, make_sessionmaker, migrate, write_session
from reelcut.service.models import Account, new_id
from reelcut.service.settings import Settings


@dataclass(frozen=True, slots=True)
class NewKey:
    account_id: str
    key: str  # shown once; only its hash is stored


@dataclass(frozen=True, slots=True)
class Usage:
    account_id: str
    kind: str
    name: str
    export_allowed: bool
    available: int
    frozen: int
    spent: int
    granted: int
    expires_at: str


def _sessions(settings: Settings):  # type: ignore[no-untyped-def]
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.db_url)
    migrate(engine)
    return make_sessionmaker(engine)


def migrate_database(settings: Settings) -> str:
    """Upgrade the database to the newest schema (what ``reelcut serve`` also does when it
    starts); the revision it is at. Run it once before starting many API processes on a new
    release, so none of them serves on an old schema."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.db_url)
    try:
        return migrate(engine)
    finally:
        engine.dispose()


def create_key(settings: Settings, name: str, grant: int, export_allowed: bool = True) -> NewKey:
    if grant < 0:
        raise ValueError("credits cannot be negative")
    factory = _sessions(settings)
    key = new_token("key")
    with write_session(factory) as db:
        account = Account(
            id=new_id("key_"),
            kind="key",
            name=name,
            token_hash=hash_token(key),
            export_allowed=export_allowed,
        )
        db.add(account)
        db.flush()
        if grant:
            credits.grant(db, account.id, grant, f"key created: {name}")
    return NewKey(account.id, key)


def top_up(settings: Settings, account_id: str, amount: int) -> credits.Balance:
    if amount <= 0:
        raise ValueError("a top-up is a positive number of credits")
    factory = _sessions(settings)
    with write_session(factory) as db:
        if db.get(Account, account_id) is None:
            raise LookupError(f"no account {account_id}")
        credits.grant(db, account_id, amount, "top-up")
        db.flush()
        return credits.balance(db, account_id)


def usage(settings: Settings) -> list[Usage]:
    factory = _sessions(settings)
    rows = []
    with factory() as db:
        for a in db.scalars(select(Account).order_by(Account.created_at)):
            b = credits.balance(db, a.id)
            expires = a.expires_at.isoformat(timespec="minutes") if a.expires_at else ""
            rows.append(
                Usage(
                    a.id,
                    a.kind,
                    a.name,
                    a.export_allowed,
                    b.available,
                    b.frozen,
                    b.spent,
                    b.granted,
                    expires,
                )
            )
    return rows
