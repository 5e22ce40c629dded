"""``GET /api/state/nemo_agent/me/{sid}/latest``: the session's draft, uploads and renders.

Clients poll this while a job runs, so its answer is remembered per session together with
everything it was made from: the session's media and job rows (read on every poll, three
indexed queries) and the name, inode, size and modification time of every file in the
session's workspace (one directory listing). A poll whose inputs are all unchanged gets the same bytes
again without parsing a project file or building the answer; any change (a job's progress, a
new upload, an edit saved) makes a new answer.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request, Response

from reelcut.service.auth import CurrentAccount, ServicesDep
from reelcut.service.context import Services
from reelcut.service.db import run_read
from reelcut.service.drafts import current_upload, public_draft, session_draft, session_drafts
from reelcut.service.errors import session_not_found
from reelcut.service.jobs import ACTIVE
from reelcut.service.models import Job, Media
from reelcut.service.reads import (
    JOB_COLUMNS,
    MEDIA_COLUMNS,
    SESSION_JOBS,
    SESSION_MEDIA,
    SESSION_OWNER,
    reader,
)
from reelcut.service.routes.renders import download_url, render_status
from reelcut.service.routes.uploads import media_public
from reelcut.service.schemas import DraftOf, Envelope, GeneratedMedia, SessionState, StatePublic

router = APIRouter(tags=["sessions"])

_ANSWERS: OrderedDict[tuple[str, str], tuple[tuple[Any, ...], bytes]] = OrderedDict()
_ANSWERS_LOCK = threading.Lock()
_ANSWERS_KEPT = 1024  # sessions


@router.get("/api/state/nemo_agent/me/{sid}/latest", response_model=Envelope[StatePublic])
async def latest_state(
    sid: str, request: Request, account: CurrentAccount, services: ServicesDep
) -> Response:
    """The current draft in compact form (null before the first edit) and which upload it is of
    (``draft_of``: a media id, null when made of all the footage), every draft of the session
    (``drafts``: one per upload worked on separately), every upload with its analysis status,
    and every render of this session."""
    answer = await run_read(services.engine, _state, sid, request, account.id, services)
    return Response(answer, media_type="application/json")


def _state(sid: str, request: Request, account_id: str, services: Services) -> bytes:
    with reader(services.engine) as db:
        owner = SESSION_OWNER.first(db, sid=sid)
        if owner is None or owner[0] != account_id:
            raise session_not_found(sid)
        media_rows = SESSION_MEDIA.rows(db, sid=sid)
        job_rows = SESSION_JOBS.rows(db, sid=sid)
    renders_done = any(j[1] == "render" and j[2] == "completed" for j in job_rows)
    base = (services.settings.public_url or str(request.base_url)) if renders_done else ""
    workspace = services.workspaces.read(sid)  # brought up to date when kept in the database
    inputs = (owner[1], tuple(media_rows), tuple(job_rows), _files(str(workspace)), base)
    key = (str(services.settings.data_dir), sid)
    with _ANSWERS_LOCK:
        found = _ANSWERS.get(key)
        if found is not None and found[0] == inputs:
            _ANSWERS.move_to_end(key)
            return found[1]
    media = [Media(**dict(zip(MEDIA_COLUMNS, row, strict=True))) for row in media_rows]
    jobs = [Job(**dict(zip(JOB_COLUMNS, row, strict=True))) for row in job_rows]
    made = _answer(sid, workspace, owner[1], media, jobs, request, services)
    answer = made.model_dump_json().encode()
    with _ANSWERS_LOCK:
        _ANSWERS[key] = (inputs, answer)
        _ANSWERS.move_to_end(key)
        while len(_ANSWERS) > _ANSWERS_KEPT:
            _ANSWERS.popitem(last=False)
    return answer


def _files(folder: str) -> tuple[tuple[str, int, int, int], ...]:
    """Name, inode, modification time and size of each entry of ``folder`` (none if it is
    missing). The inode tells apart two same-sized versions of a file replaced within one tick
    of the file system's clock (project files are written to a new file, then renamed)."""
    try:
        with os.scandir(folder) as entries:
            found = []
            for entry in entries:
                stat = entry.stat(follow_symlinks=False)
                found.append((entry.name, entry.inode(), stat.st_mtime_ns, stat.st_size))
    except FileNotFoundError:
        return ()
    return tuple(sorted(found))


def _answer(
    sid: str,
    workspace: Path,
    task_id: str,
    media: list[Media],
    session_jobs: list[Job],
    request: Request,
    services: Services,
) -> Envelope[StatePublic]:
    by_id = {j.id: j for j in session_jobs}
    videos = [m.id for m in media if m.kind == "video"]

    def upload_id(number: int | None) -> str | None:
        return videos[number - 1] if number is not None and 0 < number <= len(videos) else None

    draft = session_draft(services.storage, workspace)
    drafts = [
        DraftOf(
            upload=upload_id(number),
            current=current,
            draft=public_draft(d, media, services.storage),
        )
        for number, current, d in session_drafts(services.storage, workspace)
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
        draft_of=upload_id(current_upload(workspace)),
        drafts=drafts,
        video_infos=[media_public(m, by_id.get(m.analysis_job_id or "")) for m in media],
        generated_media=generated,
        editing=any(j.kind == "edit" and j.status in ACTIVE for j in session_jobs),
    )
    return Envelope(data=StatePublic(session_id=sid, task_id=task_id, state=state))
