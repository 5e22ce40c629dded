"""``POST /api/tasks/me/with-session/nemo_agent``: a new editing session (and its task id)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from reelcut.service.auth import CurrentAccount, ServicesDep
from reelcut.service.db import write_session
from reelcut.service.models import EditSession, new_id
from reelcut.service.schemas import Envelope, TaskCreate, TaskPublic

router = APIRouter(tags=["sessions"])


@router.post("/api/tasks/me/with-session/nemo_agent", response_model=Envelope[TaskPublic])
def create_task(
    account: CurrentAccount, services: ServicesDep, body: TaskCreate | None = None
) -> Envelope[TaskPublic]:
    """A session to upload to, chat in and render from. It belongs to this token only."""
    body = body or TaskCreate(task_name="project", language=None)
    session = EditSession(
        id=str(uuid.uuid4()),
        task_id=new_id("task_"),
        account_id=account.id,
        task_name=body.task_name,
        language=body.language,
    )
    with write_session(services.sessions) as db:
        db.add(session)
    services.storage.workspace(session.id)
    return Envelope(data=TaskPublic(task_id=session.task_id, session_id=session.id))
