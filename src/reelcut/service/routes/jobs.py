"""``GET /api/jobs/{ref}/events``: follow one job as Server-Sent Events, from any API process.

``ref`` is a job id (an upload's ``analysis_job_id``, the ``X-Job-Id`` of a ``/run_sse``
answer) or a render's id. The stream opens with the job's whole state as one ``status`` event
(so a client that reconnects, or polls instead, misses nothing), then sends a ``status`` event
whenever the status or progress changes and each of an edit's ADK events as a ``message`` event
whose ``id:`` is its number (``Last-Event-ID`` on a reconnect resumes after it). It closes after
the final ``status`` (``completed`` or ``failed``), or after ``sse_cap_s``. It holds one of the
account's ``max_streams_per_account`` stream slots while open (:mod:`reelcut.service.streams`).

The job's row is the truth; the stream reads it when the event bus says it changed
(:mod:`reelcut.service.events`: Redis pub/sub behind a broker) and on its own every
``poll_s`` besides. A render's status is the ``GET /api/render/proxy/lambda/{id}`` body.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import or_, select
from starlette.concurrency import run_in_threadpool

from reelcut.service import events, jobs
from reelcut.service.auth import CurrentAccount, ServicesDep
from reelcut.service.context import Services
from reelcut.service.errors import ApiError, http_status_for_code, not_found
from reelcut.service.models import Account, Job, JobEvent
from reelcut.service.routes.renders import render_public
from reelcut.service.schemas import Envelope
from reelcut.service.streams import held_stream

router = APIRouter(tags=["jobs"])

ENDED = ("completed", "failed")
_BATCH = 500


def _find(services: Services, account: Account, ref: str) -> str:
    with services.sessions() as db:
        found = db.scalar(
            select(Job.id).where(
                Job.account_id == account.id, or_(Job.id == ref, Job.public_id == ref)
            )
        )
    if found is None:
        raise not_found(f"job {ref[:100]}")
    return found


def job_state(request: Request, services: Services, job: Job) -> dict[str, Any]:
    """What a client may see of a job: a render's public status, else id, kind, status,
    progress, the failure and its code, and the result once completed."""
    if job.kind == "render":
        return {"kind": "render", **render_public(request, services, job).model_dump()}
    ended = job.status == "completed"
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "progress": round(job.progress, 3),
        "error": job.reason if job.status == "failed" else None,
        "code": job.error_code if job.status == "failed" else None,
        "result": job.result if ended else None,
    }


def _read(
    request: Request, services: Services, job_id: str, after: int
) -> tuple[dict[str, Any], list[JobEvent]]:
    with services.sessions() as db:
        job = db.get(Job, job_id)
        assert job is not None
        state = job_state(request, services, job)
        found = list(
            db.scalars(
                select(JobEvent)
                .where(JobEvent.job_id == job_id, JobEvent.seq > after)
                .order_by(JobEvent.seq)
                .limit(_BATCH)
            )
        )
    return state, found


def _load(services: Services, job_id: str) -> Job:
    with services.sessions() as db:
        job = db.get(Job, job_id)
    assert job is not None
    return job


async def await_end(services: Services, job_id: str, limit_s: float) -> Job:
    """Wait for a job that a request waits on (a hand edit behind a broker) to end, woken by
    the event bus; its row when completed. A failed job raises its error (its code, and the
    HTTP status of its kind); one still running after ``limit_s`` is cancelled (503)."""
    deadline = time.monotonic() + limit_s
    with services.bus.watch(job_id) as watch:
        while True:
            job = await run_in_threadpool(_load, services, job_id)
            if job.status == "completed":
                return job
            if job.status == "failed":
                code = job.error_code or 500
                raise ApiError(http_status_for_code(code), code, job.reason or "the job failed")
            if time.monotonic() > deadline:
                await run_in_threadpool(jobs.cancel, services.sessions, services.jobs, job_id)
                raise ApiError(503, jobs.CANCELLED_CODE, f"not done within {limit_s:.0f} s; "
                               "it was cancelled")  # fmt: skip
            await watch.next()


def _frame(event: str, data: dict[str, Any], event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def follow(
    request: Request, services: Services, job_id: str, after: int
) -> AsyncIterator[str]:
    settings = services.settings
    deadline = time.monotonic() + settings.sse_cap_s
    last_sent = time.monotonic()
    shown: tuple[Any, Any] | None = None
    read = True
    with services.bus.watch(job_id) as watch:  # nudged by whichever process changes the job
        while True:
            if read:
                last_read = time.monotonic()
                state, found = await run_in_threadpool(_read, request, services, job_id, after)
                for event in found:
                    after = event.seq
                    last_sent = time.monotonic()
                    yield _frame("message", event.body, event.seq)
                if len(found) == _BATCH:
                    continue  # more stored events than one read takes
                if (state["status"], state["progress"]) != shown:
                    shown = (state["status"], state["progress"])
                    last_sent = time.monotonic()
                    yield _frame("status", state)
                if state["status"] in ENDED:
                    return
            if time.monotonic() > deadline:
                return
            read, ping = await events.turn(watch, last_read, last_sent, settings.heartbeat_s)
            if ping:
                last_sent = time.monotonic()
                yield ": ping\n\n"


def resume_after(last_event_id: str | None) -> int:
    """The event number a reconnect resumes after; -1 (from the start) for anything but up to
    ten ASCII digits: ``str.isdigit`` alone takes '²' (a latin-1 header byte), and a number of
    thousands of digits makes ``int`` raise."""
    found = (last_event_id or "").strip()
    if found.isascii() and found.isdigit() and len(found) <= 10:
        return min(int(found), 2**31)
    return -1


@router.get(
    "/api/jobs/{ref}/events",
    responses={200: {"content": {"text/event-stream": {}}, "description": "job events"}},
    response_class=StreamingResponse,
)
async def job_events(
    ref: str,
    request: Request,
    account: CurrentAccount,
    services: ServicesDep,
    last_event_id: str | None = Header(default=None),
) -> StreamingResponse:
    """Follow a job (analysis, edit, render) of this token's account: its state now, then each
    change, until it ends. Resume an edit's messages after ``Last-Event-ID``. An account holds
    at most ``max_streams_per_account`` streams open at once (429 beyond)."""
    job_id = await run_in_threadpool(_find, services, account, ref)
    return await held_stream(
        services.streams,
        account.id,
        follow(request, services, job_id, resume_after(last_event_id)),
        {"Cache-Control": "no-cache", "X-Accel-Buffering": "no", "X-Job-Id": job_id},
    )


@router.post("/api/jobs/{ref}/cancel", response_model=Envelope[dict[str, Any]])
async def cancel_job(
    ref: str, request: Request, account: CurrentAccount, services: ServicesDep
) -> Envelope[dict[str, Any]]:
    """Stop a job of this account (an analysis, an AI edit, a render), wherever it runs: a
    queued one ends now, a running one at its next progress point (a worker looks at least
    every second). It ends ``failed`` with the reason ``cancelled`` (code 4990) and its frozen
    credits released; a cancelled AI edit leaves the session's drafts as they were before it.
    The answer is the job's state now (``GET /api/jobs/{ref}/events`` follows it to its end);
    a job that had already ended is left as it was."""

    def run() -> dict[str, Any]:
        job_id = _find(services, account, ref)
        jobs.cancel(services.sessions, services.jobs, job_id)
        with services.sessions() as db:
            job = db.get(Job, job_id)
            assert job is not None
            return job_state(request, services, job)

    return Envelope(data=await run_in_threadpool(run))
