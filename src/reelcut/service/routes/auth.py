"""``POST /api/auth/anonymous-token``: a free token for a client id, once per token lifetime."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Header, Request
from sqlalchemy import func, select

from reelcut.service import credits
from reelcut.service.auth import ServicesDep, hash_token, new_token
from reelcut.service.db import write_session
from reelcut.service.errors import bad_request, too_many
from reelcut.service.models import Account, new_id, now
from reelcut.service.schemas import Envelope, TokenPublic

router = APIRouter(tags=["auth"])


@router.post("/api/auth/anonymous-token", response_model=Envelope[TokenPublic])
def anonymous_token(
    request: Request,
    services: ServicesDep,
    x_client_id: Annotated[str | None, Header(max_length=200)] = None,
) -> Envelope[TokenPublic]:
    """A bearer token with the anonymous credits, valid for the token lifetime (7 days).

    One per ``X-Client-Id`` per lifetime, and at most ``anonymous_tokens_per_hour`` per client
    address (made-up client ids do not make free credits): asking again answers 429.
    """
    client_id = (x_client_id or "").strip()
    if not client_id:
        raise bad_request("the X-Client-Id header is required (any stable id of your client)")
    settings = services.settings
    ttl = timedelta(days=settings.token_ttl_days)
    token = new_token("anon")
    address = str(getattr(request.state, "client_address", "") or "?")
    with write_session(services.sessions) as db:
        made = db.scalar(
            select(func.count())
            .select_from(Account)
            .where(
                Account.kind == "anonymous",
                Account.created_ip == address,
                Account.created_at > now() - timedelta(hours=1),
            )
        )
        if (made or 0) >= settings.anonymous_tokens_per_hour:
            raise too_many(
                f"{made} anonymous tokens were made from this address in the last hour "
                f"(limit {settings.anonymous_tokens_per_hour}); use one of them, or an API key",
                retry_after_s=600,
            )
        recent = db.scalar(
            select(Account.created_at).where(
                Account.kind == "anonymous",
                Account.client_id == client_id,
                Account.created_at > now() - ttl,
            )
        )
        if recent is not None:
            wait = recent + ttl - now()
            raise too_many(
                "this client id already has an anonymous token; a new one can be had after "
                f"{(recent + ttl).isoformat(timespec='minutes')}",
                retry_after_s=max(1, int(wait.total_seconds())),
            )
        account = Account(
            id=new_id("acc_"),
            kind="anonymous",
            name=f"anonymous {client_id[:60]}",
            client_id=client_id,
            created_ip=address,
            token_hash=hash_token(token),
            export_allowed=True,
            created_at=now(),
            expires_at=now() + ttl,
        )
        db.add(account)
        db.flush()
        if settings.anonymous_credits > 0:
            credits.grant(db, account.id, settings.anonymous_credits, "anonymous token")
    assert account.expires_at is not None
    return Envelope(
        data=TokenPublic(
            token=token,
            expires_at=account.expires_at.isoformat(timespec="seconds"),
            credits=settings.anonymous_credits,
        )
    )
