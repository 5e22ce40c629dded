"""Starting a render: what ``POST /api/render/proxy/lambda`` and an export asked in the chat
both do. Checks the plan (402), the draft (only the session's own uploads, bounded), the
account's job and render limits, then queues the job."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from reelcut.errors import EditError
from reelcut.service import jobs
from reelcut.service.auth import owned_session
from reelcut.service.context import Services
from reelcut.service.db import write_session
from reelcut.service.drafts import (
    bounded_draft,
    draft_portable,
    lowered_to,
    private_draft,
    public_draft,
    session_draft,
)
from reelcut.service.errors import EXPORT_NOT_IN_PLAN, ApiError
from reelcut.service.models import Account, Job, Media
from reelcut.timeline.serialize import draft_to_json

PREVIEW_HEIGHT = 360


def _existing(services: Services, account: Account, render_id: str) -> Job | None:
    with services.sessions() as db:
        return db.scalar(
            select(Job).where(Job.account_id == account.id, Job.public_id == render_id)
        )


def start_render(
    services: Services,
    account: Account,
    session_id: str,
    render_id: str,
    compact: dict[str, Any] | None = None,
    quality: str = "high",
    height: int | None = None,
) -> Job:
    """Queue a render of ``compact`` (a client's draft) or of the session's current draft; the
    same ``render_id`` again returns that render. ``height`` sets the output's shorter side
    (an export asked as "1080p"); a ``preview`` is at most 360 lines."""
    if not account.export_allowed:
        raise ApiError(
            402,
            EXPORT_NOT_IN_PLAN,
            "export is not in this key's plan; ask the admin for a plan "
            "with export (editing still works)",
        )
    existing = _existing(services, account, render_id)
    if existing is not None:
        if existing.session_id != session_id:
            raise ApiError(409, 409, f"render id {render_id} is already used by another session")
        return existing
    storage = services.storage
    with services.sessions() as db:
        owned_session(db, account, session_id)
        media = list(db.scalars(select(Media).where(Media.session_id == session_id)))
    if compact is not None:
        draft = private_draft(compact, media, storage)
    else:
        current = session_draft(storage, services.workspaces.read(session_id))
        if current is None:
            raise ApiError(400, 400, "nothing to render yet: ask the agent for a reel first")
        draft = private_draft(public_draft(current, media, storage), media, storage)
    if not draft.clips:
        raise EditError("the draft has no clips to render")
    settings = services.settings
    if quality == "preview":
        height = min(height or PREVIEW_HEIGHT, PREVIEW_HEIGHT)
    if height is not None:
        draft = lowered_to(draft, height)
    draft = bounded_draft(draft, settings.max_render_s, settings.max_render_clips)
    try:
        with write_session(services.sessions) as db:
            job = jobs.new_job(
                db,
                services.settings,
                account_id=account.id,
                kind="render",
                session_id=session_id,
                # sources as storage keys: a worker finds them under its own data dir
                params={
                    "draft": draft_to_json(draft_portable(draft, storage.path_of("media").parent)),
                    "quality": quality,
                },
                public_id=render_id,
            )
            job.download_token = secrets.token_urlsafe(24)
    except IntegrityError:  # the same id posted twice at once
        found = _existing(services, account, render_id)
        if found is None:
            raise
        return found
    jobs.enqueue(services.sessions, services.jobs, job.id)
    return job
