"""The credit ledger: append-only rows, balances are sums.

Price list (whole credits; a new anonymous token starts with 100, API keys with what the admin
granted):

=========================  =====================================================================
analysis of a video        1 credit per started minute of footage (a 61 s clip costs 2),
                           frozen when the upload is accepted, settled when the analysis ends,
                           released if it fails or the server restarts during it
AI edit (``/run_sse``)     1 credit per message that changes the draft; frozen when the message
                           arrives, settled if the project got a new version, released otherwise
                           (questions, status, credits, export hints, errors)
export (render)            free; needs a plan with export (API keys made with ``--no-export``
                           get HTTP 402)
uploads, state, balance    free
=========================  =====================================================================

Every change is one row: ``grant`` (+available), ``freeze`` (available -> frozen under a hold),
``settle`` (closes a hold: the charge is spent, the rest returns to available), ``release``
(closes a hold, charging nothing). A hold is closed at most once (``closes_hold`` is unique).
Freezing checks the balance inside the caller's write transaction (``BEGIN IMMEDIATE`` on SQLite,
the account row locked elsewhere), so concurrent requests can never overspend.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, case, func, select
from sqlalchemy.orm import Session

from reelcut.service.errors import NO_CREDITS, ApiError
from reelcut.service.models import Account, LedgerEntry, new_id

EDIT_COST = 1


def analysis_cost(duration_s: float) -> int:
    """Credits to analyse ``duration_s`` seconds of footage: one per started minute, at least 1."""
    return max(1, math.ceil(max(duration_s, 0.0) / 60 - 1e-9))


@dataclass(frozen=True, slots=True)
class Balance:
    available: int
    frozen: int
    spent: int
    granted: int

    @property
    def total(self) -> int:
        return self.available + self.frozen


_LEDGER = LedgerEntry.__table__.c
# Built once (Core, not ORM): SQLAlchemy then reuses its compiled form on every call, and the
# balance is the most polled answer of the API.
BALANCE_SQL = select(
    func.coalesce(func.sum(_LEDGER.delta_available), 0),
    func.coalesce(func.sum(_LEDGER.delta_frozen), 0),
    func.coalesce(func.sum(case((_LEDGER.kind == "settle", _LEDGER.amount), else_=0)), 0),
    func.coalesce(func.sum(case((_LEDGER.kind == "grant", _LEDGER.amount), else_=0)), 0),
).where(_LEDGER.account_id == bindparam("account_id"))


def balance(db: Session | Connection, account_id: str) -> Balance:
    """The account's balance in one aggregate over its ledger rows (indexed by account)."""
    row = db.execute(BALANCE_SQL, {"account_id": account_id}).one()
    return Balance(int(row[0]), int(row[1]), int(row[2]), int(row[3]))


def _lock_account(db: Session, account_id: str) -> None:
    """Row lock where the database has them; SQLite is already serialised by BEGIN IMMEDIATE."""
    if db.get_bind().dialect.name != "sqlite":
        db.execute(select(Account.id).where(Account.id == account_id).with_for_update())


def grant(db: Session, account_id: str, amount: int, note: str = "grant") -> None:
    if amount <= 0:
        raise ValueError("a grant is a positive number of credits")
    db.add(
        LedgerEntry(
            account_id=account_id,
            kind="grant",
            amount=amount,
            delta_available=amount,
            delta_frozen=0,
            note=note,
        )
    )


def freeze(db: Session, account_id: str, amount: int, what: str, job_id: str | None = None) -> str:
    """Hold ``amount`` credits for ``what``; the hold id, or :class:`ApiError` 2001 (HTTP 403).

    Call inside :func:`reelcut.service.db.write_session`.
    """
    _lock_account(db, account_id)
    available = balance(db, account_id).available
    if amount > available:
        raise ApiError(
            403,
            NO_CREDITS,
            f"not enough credits: {what} needs {amount}, {available} available",
        )
    hold = new_id("hold_")
    db.add(
        LedgerEntry(
            account_id=account_id,
            kind="freeze",
            amount=amount,
            delta_available=-amount,
            delta_frozen=amount,
            hold_id=hold,
            job_id=job_id,
            note=what[:300],
        )
    )
    db.flush()
    return hold


def _open_hold(db: Session, hold_id: str) -> LedgerEntry | None:
    """The freeze row of ``hold_id`` if the hold is still open."""
    closed = db.scalar(select(LedgerEntry.id).where(LedgerEntry.closes_hold == hold_id))
    if closed is not None:
        return None
    return db.scalar(
        select(LedgerEntry).where(LedgerEntry.hold_id == hold_id, LedgerEntry.kind == "freeze")
    )


def settle(db: Session, hold_id: str, charge: int | None = None, note: str = "") -> bool:
    """Close the hold charging ``charge`` (default: all of it); False if already closed."""
    held = _open_hold(db, hold_id)
    if held is None:
        return False
    charge = held.amount if charge is None else max(0, min(charge, held.amount))
    db.add(
        LedgerEntry(
            account_id=held.account_id,
            kind="settle",
            amount=charge,
            delta_available=held.amount - charge,
            delta_frozen=-held.amount,
            hold_id=hold_id,
            closes_hold=hold_id,
            job_id=held.job_id,
            note=note[:300],
        )
    )
    db.flush()
    return True


def release(db: Session, hold_id: str, note: str = "") -> bool:
    """Close the hold charging nothing; False if already closed."""
    held = _open_hold(db, hold_id)
    if held is None:
        return False
    db.add(
        LedgerEntry(
            account_id=held.account_id,
            kind="release",
            amount=0,
            delta_available=held.amount,
            delta_frozen=-held.amount,
            hold_id=hold_id,
            closes_hold=hold_id,
            job_id=held.job_id,
            note=note[:300],
        )
    )
    db.flush()
    return True
