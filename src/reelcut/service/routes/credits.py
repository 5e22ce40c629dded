"""``GET /api/credits/balance/simple``: available, frozen (held by running jobs) and total."""

from __future__ import annotations

from fastapi import APIRouter, Response

from reelcut.service import credits
from reelcut.service.auth import CurrentAccount, ServicesDep
from reelcut.service.context import Services
from reelcut.service.db import run_read
from reelcut.service.reads import Query, reader
from reelcut.service.schemas import BalancePublic, Envelope

router = APIRouter(tags=["credits"])

_BALANCE = Query(credits.BALANCE_SQL)


def _balance(services: Services, account_id: str) -> credits.Balance:
    with reader(services.engine) as db:
        row = _BALANCE.first(db, account_id=account_id)
    assert row is not None  # an aggregate always answers one row
    return credits.Balance(*(int(v) for v in row))


@router.get("/api/credits/balance/simple", response_model=Envelope[BalancePublic])
async def balance(account: CurrentAccount, services: ServicesDep) -> Response:
    """Available, frozen (held by running jobs), total and spent credits. Answered as JSON
    made here (the documented model, not validated again on the way out: a cheap request)."""
    b = await run_read(services.engine, _balance, services, account.id)
    data = BalancePublic(available=b.available, frozen=b.frozen, total=b.total, spent=b.spent)
    return Response(Envelope(data=data).model_dump_json(), media_type="application/json")
