"""Exports: ``POST /api/render/proxy/lambda`` starts one, ``GET .../{id}`` reports on it, and
``GET /api/files/{token}/{name}`` downloads the finished MP4 (HTTP Range supported).

With a bucket (``storage_url``) the poll's ``output.url`` is a presigned URL of the bucket (made
fresh on each poll, working for ``download_link_s``; the store answers Range itself), and
``/api/files/...`` answers 307 to a fresh one, so no API process streams renders; the
session state's links stay ``/api/files/...`` (a cached answer must not hold an expiring link).

A draft sent with the request is validated (:func:`reelcut.timeline.draft_from_compact`) and may
only use the session's own uploads; without one the session's current draft is rendered. The
download link is a capability URL: an unguessable token, no bearer needed (players and browsers
can fetch it), 404 for anything else. Exports cost no credits but need a plan with export.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from reelcut.service.auth import CurrentAccount, ServicesDep, SessionDep
from reelcut.service.context import Services
from reelcut.service.errors import not_found
from reelcut.service.models import Account, Job
from reelcut.service.renders import start_render
from reelcut.service.schemas import (
    RenderCreate,
    RenderEnvelope,
    RenderOutputPublic,
    RenderPublic,
)

router = APIRouter(tags=["renders"])

_STATUS = {"queued": "queued", "running": "rendering", "completed": "completed", "failed": "failed"}


def render_status(status: str) -> str:
    return _STATUS.get(status, status)


def download_url(request: Request, services: Services, job: Job) -> str:
    base = services.settings.public_url or str(request.base_url)
    return f"{base.rstrip('/')}/api/files/{job.download_token}/{job.public_id or job.id}.mp4"


def render_public(request: Request, services: Services, job: Job) -> RenderPublic:
    output = None
    if job.status == "completed":
        result = job.result or {}
        size, duration = result.get("size_bytes"), result.get("duration_s")
        key, name = str(result.get("key", "")), f"{job.public_id or job.id}.mp4"
        link = services.storage.download_url(key, name) if key else None
        output = RenderOutputPublic(
            url=link or download_url(request, services, job),
            size_bytes=size if isinstance(size, int) else None,
            duration=duration if isinstance(duration, int | float) else None,
        )
    return RenderPublic(
        id=job.public_id or job.id,
        sessionId=job.session_id,
        status=render_status(job.status),  # type: ignore[arg-type]
        progress=round(job.progress, 3),
        output=output,
        error=job.reason if job.status == "failed" else None,
    )


def _create(services: Services, account: Account, body: RenderCreate) -> Job:
    return start_render(services, account, body.sessionId, body.id, body.draft, body.output.quality)


@router.post("/api/render/proxy/lambda", response_model=RenderEnvelope)
async def create_render(
    body: RenderCreate, request: Request, account: CurrentAccount, services: ServicesDep
) -> RenderEnvelope:
    """Start rendering the given draft (or the session's current one) to MP4. Posting the same
    id again returns that render."""
    job = await run_in_threadpool(_create, services, account, body)
    return RenderEnvelope.of(render_public(request, services, job))


@router.get("/api/render/proxy/lambda/{render_id}", response_model=RenderEnvelope)
def get_render(
    render_id: str, request: Request, account: CurrentAccount, db: SessionDep, services: ServicesDep
) -> RenderEnvelope:
    """Status (queued, rendering, completed, failed), progress 0-1, and the download URL."""
    job = db.scalar(
        select(Job).where(
            Job.account_id == account.id, Job.public_id == render_id, Job.kind == "render"
        )
    )
    if job is None:
        raise not_found(f"render {render_id[:100]}")
    return RenderEnvelope.of(render_public(request, services, job))


@router.get(
    "/api/files/{token}/{name}",
    response_class=FileResponse,
    responses={
        200: {"content": {"video/mp4": {}}},
        206: {"description": "Partial content"},
        307: {"description": "With a bucket: a presigned URL of the file"},
    },
)
def download(token: str, name: str, db: SessionDep, services: ServicesDep) -> Response:
    """The rendered MP4. Supports ``Range`` requests (206 Partial Content); with a bucket, a
    307 redirect to a presigned URL of it (which supports Range too)."""
    job = db.scalar(select(Job).where(Job.download_token == token, Job.kind == "render"))
    if job is None or job.status != "completed" or not job.result:
        raise not_found("file")
    key = str(job.result.get("key", ""))
    if not key or not services.storage.exists(key):
        raise not_found("file")
    filename = f"{job.public_id or job.id}.mp4"
    link = services.storage.download_url(key, filename)
    if link is not None:
        return RedirectResponse(link, status_code=307)
    return FileResponse(services.storage.local_path(key), media_type="video/mp4", filename=filename)
