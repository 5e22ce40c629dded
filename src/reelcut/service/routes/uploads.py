"""``POST /api/upload-video/nemo_agent/me/{sid}``: files (multipart ``files``) or URLs.

All or nothing: if one file is unusable the request fails with that file's error and nothing is
kept. Each video starts an analysis job whose credits (1 per started minute) are frozen here.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from reelcut.editor.footage import analysis_file
from reelcut.media.growing import GrowingFile
from reelcut.service import credits, jobs
from reelcut.service.auth import CurrentAccount, ServicesDep, owned_session
from reelcut.service.context import Services
from reelcut.service.db import write_session
from reelcut.service.early import EarlyAnalysis
from reelcut.service.errors import ApiError, bad_request, too_many
from reelcut.service.ingest import (
    EarlyStarter,
    Identified,
    Received,
    fetch_url,
    identify,
    receive_multipart,
)
from reelcut.service.models import Account, Job, Media, new_id
from reelcut.service.schemas import Envelope, MediaPublic, UploadPublic, UrlUpload

router = APIRouter(tags=["uploads"])

_BODY_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "files": {"type": "array", "items": {"type": "string", "format": "binary"}}
                    },
                    "required": ["files"],
                }
            },
            "application/json": {"schema": UrlUpload.model_json_schema()},
        },
    }
}


def media_public(m: Media, job: Job | None) -> MediaPublic:
    return MediaPublic(
        id=m.id,
        name=m.original_name,
        kind=m.kind,
        format=m.format,
        size_bytes=m.size_bytes,
        duration=round(m.duration_s, 3),
        width=m.width,
        height=m.height,
        fps=round(m.fps, 3),
        has_audio=m.has_audio,
        analysis_status=None if job is None else job.status,
        analysis_progress=None if job is None else round(job.progress, 3),
        analysis_job_id=None if job is None else job.id,
    )


def _remaining_slots(services: Services, account: Account, sid: str) -> int:
    with services.sessions() as db:
        owned_session(db, account, sid)
        count = db.scalar(select(func.count()).select_from(Media).where(Media.session_id == sid))
    left = services.settings.max_uploads_per_session - (count or 0)
    if left <= 0:
        raise too_many(
            f"this session already has {count} uploads, the most it may hold; start a new session"
        )
    return left


def _early_starter(services: Services, account: Account) -> EarlyStarter | None:
    """Start each uploaded file's analysis while it arrives (``early_analyses`` slots), when
    the account can pay for it: the job the upload creates charges it, once."""
    slots = services.settings.early_analyses
    if slots <= 0:
        return None

    def afford(duration_s: float) -> bool:
        with services.sessions() as db:
            available = credits.balance(db, account.id).available
        return available >= credits.analysis_cost(duration_s)

    def start(file: GrowingFile, name: str) -> EarlyAnalysis:
        return EarlyAnalysis(file, name, afford, slots)

    return start


def _store(
    services: Services,
    account: Account,
    sid: str,
    files: list[tuple[Received, Identified]],
) -> tuple[list[tuple[Media, Job | None]], int, list[str]]:
    """Rows for the files and their analysis jobs (credits frozen), then the files moved in.

    A file this session already holds (same content) is that upload again: no new row, no new
    analysis, no new charge."""
    storage = services.storage
    stored: list[tuple[Media, Job | None]] = []
    fresh: list[tuple[Received, Media]] = []
    frozen = 0
    with write_session(services.sessions) as db:
        present = list(db.scalars(select(Media).where(Media.session_id == sid)))
        held = {m.content_sha256: m for m in present if m.content_sha256}
        new = {r.sha256 for r, _ in files if r.sha256 not in held}
        if len(present) + len(new) > services.settings.max_uploads_per_session:
            raise too_many("this upload would take the session over its upload limit")
        for received, what in files:
            same = held.get(received.sha256) if received.sha256 else None
            if same is not None:
                stored.append((same, db.get(Job, same.analysis_job_id or "")))
                continue
            media_id = new_id("med_")
            media = Media(
                id=media_id,
                session_id=sid,
                account_id=account.id,
                kind=what.kind,
                format=what.format,
                original_name=received.original_name,
                storage_key=f"media/{account.id}/{media_id}.{what.format}",
                size_bytes=received.size_bytes,
                content_sha256=received.sha256 or None,
                duration_s=what.duration_s,
                width=what.width,
                height=what.height,
                fps=what.fps,
                has_audio=what.has_audio,
            )
            db.add(media)
            db.flush()
            job = None
            if what.kind == "video":
                cost = credits.analysis_cost(what.duration_s)
                job = jobs.new_job(
                    db,
                    services.settings,
                    account_id=account.id,
                    kind="analysis",
                    session_id=sid,
                    cost=cost,
                    what=f"analysing {received.original_name} ({what.duration_s:.0f} s)",
                    params={"media_id": media_id},
                )
                media.analysis_job_id = job.id
                frozen += cost
            stored.append((media, job))
            fresh.append((received, media))
            if received.sha256:
                held[received.sha256] = media
    for received, media in fresh:
        storage.commit(received.path, media.storage_key)
        if services.settings.storage_url and media.kind == "video":  # its early analysis, if
            storage.share_analysis(analysis_file(storage.path_of(media.storage_key)))  # any
    for received, _ in files:
        received.path.unlink(missing_ok=True)  # the duplicates' scratch copies
    new_jobs = [m.analysis_job_id for _, m in fresh if m.analysis_job_id]
    return stored, frozen, new_jobs


@router.post(
    "/api/upload-video/nemo_agent/me/{sid}",
    response_model=Envelope[UploadPublic],
    openapi_extra=_BODY_DOC,
)
async def upload(
    sid: str, request: Request, account: CurrentAccount, services: ServicesDep
) -> Envelope[UploadPublic]:
    """Upload files (multipart field ``files``, several allowed) or have the server fetch URLs
    (JSON ``{"urls": [...], "source_type": "url"}``). Types are judged by content."""
    settings = services.settings
    left = await run_in_threadpool(_remaining_slots, services, account, sid)
    content_type = request.headers.get("content-type", "").lower()
    received: list[Received] = []
    try:
        if content_type.startswith("multipart/form-data"):
            max_files = min(settings.max_files_per_request, left)
            early = _early_starter(services, account)
            received = await receive_multipart(
                request, services.storage, settings, max_files, early
            )
            for r in received:
                if r.early is not None and r.early.started:
                    await run_in_threadpool(r.early.wait)
        elif content_type.startswith("application/json"):
            raw = await request.body()
            try:
                body = UrlUpload.model_validate(json.loads(raw or b"null"))
            except (ValueError, ValidationError) as exc:
                raise bad_request(
                    f'invalid body: send {{"urls": [...], "source_type": "url"}} ({str(exc)[:200]})'
                ) from None
            if len(body.urls) > left:
                raise too_many(f"this session can take {left} more upload(s)")
            for url in body.urls:
                received.append(await fetch_url(url, services.storage, settings))
        else:
            raise ApiError(
                415, 400, "send multipart/form-data (field 'files') or application/json with urls"
            )
        identified = []
        for r in received:
            what = await run_in_threadpool(
                identify, r.path, settings.max_upload_mb, r.original_name, settings.max_image_pixels
            )
            identified.append((r, what))
        stored, frozen, new_jobs = await run_in_threadpool(
            _store, services, account, sid, identified
        )
    except BaseException:
        for r in received:
            if r.early is not None:
                r.early.cancel()
            r.path.unlink(missing_ok=True)
        raise
    public = []
    for media, job in stored:
        if job is not None and job.id in new_jobs:
            new_jobs.remove(job.id)
            try:
                jobs.enqueue(services.sessions, services.jobs, job.id)
            except ApiError:  # queue full: released now, analysed (and charged) by the next edit
                job.status = "failed"
        public.append(media_public(media, job))
    return Envelope(data=UploadPublic(files=public, credits_frozen=frozen))
