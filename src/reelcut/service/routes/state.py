"""``GET /api/state/nemo_agent/me/{sid}/latest``: the session's draft, uploads and renders."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from reelcut.service.auth import CurrentAccount, ServicesDep, owned_session
from reelcut.service.context import Services
from reelcut.service.db import read_session
from reelcut.service.drafts import current_upload, public_draft, session_draft, session_drafts
from reelcut.service.jobs import ACTIVE
from reelcut.service.models import Account, Job, Media
from reelcut.service.routes.renders import download_url, render_status
from reelcut.service.routes.uploads import media_public
from reelcut.service.schemas import DraftOf, Envelope, GeneratedMedia, SessionState, StatePublic

router = APIRouter(tags=["sessions"])


@router.get("/api/state/nemo_agent/me/{sid}/latest", response_model=Envelope[StatePublic])
async def latest_state(
    sid: str, request: Request, account: CurrentAccount, services: ServicesDep
) -> Response:
    """The current draft in compact form (null before the first edit) and which upload it is of
    (``draft_of``: a media id, null when made of all the footage), every draft of the session
    (``drafts``: one per upload worked on separately), every upload with its analysis status,
    and every render of this session."""
    answer = await run_in_threadpool(_state, sid, request, account, services)
    return Response(answer.model_dump_json(), media_type="application/json")


def _state(
    sid: str, request: Request, account: Account, services: Services
) -> Envelope[StatePublic]:
    with read_session(services.engine) as db:
        return _state_in(db, sid, request, account, services)


def _state_in(
    db: Session, sid: str, request: Request, account: Account, services: Services
) -> Envelope[StatePublic]:
    session = owned_session(db, account, sid)
    media = list(
        db.scalars(select(Media).where(Media.session_id == sid).order_by(Media.created_at))
    )
    session_jobs = list(
        db.scalars(select(Job).where(Job.session_id == sid).order_by(Job.created_at))
    )
    by_id = {j.id: j for j in session_jobs}
    videos = [m.id for m in media if m.kind == "video"]

    def upload_id(number: int | None) -> str | None:
        return videos[number - 1] if number is not None and 0 < number <= len(videos) else None

    draft = session_draft(services.storage, sid)
    drafts = [
        DraftOf(
            upload=upload_id(number),
            current=current,
            draft=public_draft(d, media, services.storage),
        )
        for number, current, d in session_drafts(services.storage, sid)
    ]
    generated = [
        GeneratedMedia(
            id=j.public_id or j.id,
            status=render_status(j.status),
            progress=round(j.progress, 3),
            url=download_url(request, services, j) if j.status == "completed" else None,
            error=j.reason if j.status == "failed" else None,
        )
        for j in session_jobs
        if j.kind == "render"
    ]
    state = SessionState(
        draft=None if draft is None else public_draft(draft, media, services.storage),
        draft_of=upload_id(current_upload(services.storage, sid)),
        drafts=drafts,
        video_infos=[media_public(m, by_id.get(m.analysis_job_id or "")) for m in media],
        generated_media=generated,
        editing=any(j.kind == "edit" and j.status in ACTIVE for j in session_jobs),
    )
    return Envelope(data=StatePublic(session_id=session.id, task_id=session.task_id, state=state))
