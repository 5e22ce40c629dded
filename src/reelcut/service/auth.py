"""Tokens and the dependencies endpoints take (full-stack-fastapi-template style).

A token is random (``rc_anon_...`` or ``rc_key_...``), shown once, and stored only as its
SHA-256. ``CurrentAccount`` resolves ``Authorization: Bearer <token>`` to the account or answers
401 with code 1001.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPBearer
from sqlalchemy.orm import Session

from reelcut.service.context import Services
from reelcut.service.db import run_read
from reelcut.service.errors import bad_token, session_not_found, too_many
from reelcut.service.models import Account, EditSession, now
from reelcut.service.reads import ACCOUNT_COLUMNS, TOKEN, reader


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token(kind: str) -> str:
    return f"rc_{kind}_{secrets.token_urlsafe(32)}"


async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_db(services: ServicesDep) -> Iterator[Session]:
    with services.sessions() as db:
        yield db


SessionDep = Annotated[Session, Depends(get_db)]


def token_from_header(value: str) -> str:
    """The token of an ``Authorization`` value, however the scheme is spelt or spaced."""
    scheme, _, rest = value.strip().partition(" ")
    return rest.strip() if scheme.lower() == "bearer" else ""


class BearerAccount(HTTPBearer):
    """``Authorization: Bearer <token>`` resolved to the caller's account, in one dependency
    that is both the security scheme the OpenAPI document shows and the check itself (a
    separate ``HTTPBearer`` dependency for the document cost one more dependency resolution
    on every request)."""

    async def __call__(self, request: Request) -> Account:  # type: ignore[override]
        """The caller's account (a detached row: no connection is held for the request),
        checked against the database on every request, so an expired, changed or deleted
        account is refused at once (no memory of verified tokens to go stale). The lookup is
        one indexed query (:mod:`reelcut.service.reads`), on the event loop where the
        database is SQLite."""
        services: Services = request.app.state.services
        token = token_from_header(request.headers.get("authorization", ""))
        account = await run_read(services.engine, account_for_token, services, token)
        request.state.account_id = account.id
        return account


current_account = BearerAccount(
    auto_error=False,
    scheme_name="HTTPBearer",
    description="The token from /api/auth/anonymous-token "
    "or an API key from `reelcut admin create-key`.",
)


def account_for_token(services: Services, token: str) -> Account:
    """The account a bearer token belongs to, or 1001 (HTTP 401); every door checks tokens here.

    Verified accounts also have their own requests-per-minute budget (the address budget is
    the middleware's): 429 beyond it."""
    if not token:
        raise bad_token("missing token: send Authorization: Bearer <token>")
    with reader(services.engine) as db:
        row = TOKEN.first(db, token_hash=hash_token(token))
    if row is None:
        raise bad_token("unknown token: get a new one from /api/auth/anonymous-token")
    account = _account(row)
    if account.expires_at is not None and account.expires_at <= now():
        raise bad_token("the token has expired: get a new one from /api/auth/anonymous-token")
    wait = services.account_limit.hit("u:" + account.id)
    if wait:
        raise too_many(
            f"too many requests for this account: the limit is "
            f"{services.settings.rate_limit_per_minute} a minute; retry in {wait} s",
            retry_after_s=wait,
        )
    return account


@lru_cache(maxsize=4096)
def _account(row: tuple[object, ...]) -> Account:
    """The detached account for a row just read (the same row gives the same object: nobody
    changes it, and building an ORM instance costs more than the lookup)."""
    return Account(**dict(zip(ACCOUNT_COLUMNS, row, strict=True)))


CurrentAccount = Annotated[Account, Depends(current_account)]


def owned_session(db: Session, account: Account, session_id: str) -> EditSession:
    """The session if it is this account's; 1002 (HTTP 404) otherwise, whoever owns it."""
    found = db.get(EditSession, session_id)
    if found is None or found.account_id != account.id:
        raise session_not_found(session_id)
    return found
