"""Tokens and the dependencies endpoints take (full-stack-fastapi-template style).

A token is random (``rc_anon_...`` or ``rc_key_...``), shown once, and stored only as its
SHA-256. ``CurrentAccount`` resolves ``Authorization: Bearer <token>`` to the account or answers
401 with code 1001.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from reelcut.service.context import Services
from reelcut.service.errors import bad_token, session_not_found, too_many
from reelcut.service.models import Account, EditSession, now


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

_bearer = HTTPBearer(
    auto_error=False,
    description="The token from /api/auth/anonymous-token "
    "or an API key from `reelcut admin create-key`.",
)


def token_from_header(value: str) -> str:
    """The token of an ``Authorization`` value, however the scheme is spelt or spaced."""
    scheme, _, rest = value.strip().partition(" ")
    return rest.strip() if scheme.lower() == "bearer" else ""


async def current_account(
    request: Request,
    services: ServicesDep,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Account:
    """The caller's account (a detached row: no connection is held for the request).

    A token verified in the last 30 s is answered from memory on the event loop; only one not
    in memory costs a database lookup, in a worker thread (no thread hop for cheap requests)."""
    token = token_from_header(request.headers.get("authorization", ""))
    if token and services.tokens.get(hash_token(token)) is not None:
        account = account_for_token(services, token)
    else:
        account = await run_in_threadpool(account_for_token, services, token)
    request.state.account_id = account.id
    return account


def account_for_token(services: Services, token: str) -> Account:
    """The account a bearer token belongs to, or 1001 (HTTP 401); every door checks tokens here.

    Verified accounts also have their own requests-per-minute budget (the address budget is
    the middleware's): 429 beyond it."""
    if not token:
        raise bad_token("missing token: send Authorization: Bearer <token>")
    key = hash_token(token)
    account = services.tokens.get(key)
    if account is None:
        with services.sessions() as db:
            account = db.scalar(select(Account).where(Account.token_hash == key))
        if account is None:
            raise bad_token("unknown token: get a new one from /api/auth/anonymous-token")
        services.tokens.put(key, account)
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


CurrentAccount = Annotated[Account, Depends(current_account)]


def owned_session(db: Session, account: Account, session_id: str) -> EditSession:
    """The session if it is this account's; 1002 (HTTP 404) otherwise, whoever owns it."""
    found = db.get(EditSession, session_id)
    if found is None or found.account_id != account.id:
        raise session_not_found(session_id)
    return found
