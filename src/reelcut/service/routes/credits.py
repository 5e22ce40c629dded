"""``GET /api/credits/balance/simple``: available, frozen (held by running jobs) and total."""

from __future__ import annotations

from fastapi import APIRouter

from reelcut.service import credits
from reelcut.service.auth import CurrentAccount, SessionDep
from reelcut.service.schemas import BalancePublic, Envelope

router = APIRouter(tags=["credits"])


@router.get("/api/credits/balance/simple", response_model=Envelope[BalancePublic])
def balance(account: CurrentAccount, db: SessionDep) -> Envelope[BalancePublic]:
    b = credits.balance(db, account.id)
    return Envelope(
        data=BalancePublic(available=b.available, frozen=b.frozen, total=b.total, spent=b.spent)
    )
