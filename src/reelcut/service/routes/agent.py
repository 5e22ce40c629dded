"""``POST /run_sse``: one chat message to the editing agent, answered as a Server-Sent Events
stream of Google ADK events.

The work is a job: a worker runs the agent and stores each event; this endpoint only reads them
back. A client that disconnects stops reading, nothing else: the edit finishes and the project
is saved by the worker. While the agent works the stream sends ``: ping`` comments every
``heartbeat_s``; it closes when the job ends, or after ``sse_cap_s``. It holds one of the
account's ``max_streams_per_account`` stream slots while open (429 beyond, before any job).
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from reelcut.service import credits, events, jobs
from reelcut.service.agent import adk_event
from reelcut.service.auth import CurrentAccount, ServicesDep, owned_session
from reelcut.service.context import Services
from reelcut.service.db import write_session
from reelcut.service.errors import bad_request
from reelcut.service.models import Account, Job, JobEvent
from reelcut.service.schemas import RunSseRequest
from reelcut.service.streams import HeldStream, Slot

router = APIRouter(tags=["agent"])


def _start(
    services: Services, account: Account, body: RunSseRequest, message: str, base_url: str
) -> str:
    with write_session(services.sessions) as db:
        session = owned_session(db, account, body.session_id)
        job = jobs.new_job(
            db,
            services.settings,
            account_id=account.id,
            kind="edit",
            session_id=session.id,
            cost=credits.EDIT_COST,
            what="an AI edit",
            params={"message": message, "language": session.language, "base_url": base_url},
        )
        job_id = job.id
    jobs.enqueue(services.sessions, services.jobs, job_id)
    return job_id


def _read(services: Services, job_id: str, after: int) -> tuple[str, str | None, list[JobEvent]]:
    with services.sessions() as db:
        job = db.get(Job, job_id)
        assert job is not None
        status, reason = job.status, job.reason
        events = list(
            db.scalars(
                select(JobEvent)
                .where(JobEvent.job_id == job_id, JobEvent.seq >= after)
                .order_by(JobEvent.seq)
            )
        )
    return status, reason, events


def _sse(body: dict[str, Any]) -> str:
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"


async def _stream(services: Services, job_id: str) -> AsyncIterator[str]:
    settings = services.settings
    deadline = time.monotonic() + settings.sse_cap_s + 5
    last_sent = time.monotonic()
    next_seq = 0
    saw_error = False
    read = True
    with services.bus.watch(job_id) as watch:  # nudged by whichever process changes the job
        while True:
            if read:
                last_read = time.monotonic()
                status, reason, found = await run_in_threadpool(_read, services, job_id, next_seq)
                for event in found:
                    saw_error = saw_error or "errorMessage" in event.body
                    next_seq = event.seq + 1
                    last_sent = time.monotonic()
                    yield _sse(event.body)
                if status not in jobs.ACTIVE:
                    if status == "failed" and not saw_error:
                        failed = f"the edit failed: {reason}"
                        yield _sse(adk_event("error", failed, {"code": 500}, f"e-{job_id}"))
                    return
            if time.monotonic() > deadline:
                ended = "the stream reached its time limit"
                yield _sse(adk_event("error", ended, {}, f"e-{job_id}"))
                return
            read, ping = await events.turn(watch, last_read, last_sent, settings.heartbeat_s)
            if ping:
                last_sent = time.monotonic()
                yield ": ping\n\n"


@router.post(
    "/run_sse",
    responses={200: {"content": {"text/event-stream": {}}, "description": "ADK events"}},
    response_class=StreamingResponse,
)
async def run_sse(
    body: RunSseRequest, request: Request, account: CurrentAccount, services: ServicesDep
) -> StreamingResponse:
    """Send one message to the agent; the answer streams as ``data: <ADK event JSON>`` lines.

    Costs 1 credit if the message changes the draft (frozen now, released otherwise).
    """
    message = "\n".join(p.text for p in body.new_message.parts if p.text).strip()
    if not message:
        raise bad_request("the message has no text: send new_message.parts[0].text")
    base_url = services.settings.public_url or str(request.base_url)
    slot = await Slot.take(services.streams, account.id)  # before the job: a refusal costs nothing
    try:
        job_id = await run_in_threadpool(_start, services, account, body, message, base_url)
    except BaseException:
        await slot.give()
        raise
    return HeldStream(
        _stream(services, job_id),
        slot,
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no", "X-Job-Id": job_id},
    )
