"""The MCP door's heavy tools on the workers, behind a broker.

Without a broker ``/mcp`` runs every tool on a thread of the API process that took the call.
With one, the tools that decode, analyse or render (:data:`reelcut.mcp.server.REMOTE_TOOLS`)
become ``mcp`` jobs: the API process stores the tool's name and arguments as a job row, a worker
runs the same tool function with the same :class:`~reelcut.service.mcp_door.AccountPlace` (so
names, limits and credits are exactly the API's: a make or edit still records its own job and
hold inside), and the API process follows the row through the event bus, turning its progress
into MCP progress notifications. A client's cancellation cancels the job
(:func:`reelcut.service.jobs.cancel`): the worker stops at its next progress point and the
inner job releases its credits; the call waits (up to 30 s) for that before it answers. A call
not done within ``sse_cap_s`` is cancelled the same way and answers error 4990.
"""

from __future__ import annotations

import base64
import threading
from typing import TYPE_CHECKING, Any

import anyio
from mcp.server.mcpserver import Context
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from reelcut.errors import ReelcutError
from reelcut.mcp import tools
from reelcut.mcp.place import RefusedError, Work
from reelcut.mcp.server import REMOTE_TOOLS, Remote
from reelcut.service import jobs
from reelcut.service.db import write_session
from reelcut.service.errors import ApiError
from reelcut.service.models import Job

if TYPE_CHECKING:
    from collections.abc import Callable

    from reelcut.service.context import Services
    from reelcut.service.mcp_door import AccountPlace

KIND = "mcp"
CANCEL_WAIT_S = 30.0
INTERRUPTED = "interrupted: its worker stopped; the call ran again on another"


def _queue(services: Services, place: AccountPlace, tool: str, args: dict[str, Any]) -> str:
    try:
        with write_session(services.sessions) as db:
            job = jobs.new_job(
                db, services.settings, account_id=place.account_id, kind=KIND, session_id=None,
                params={"tool": tool, "args": args, "base_url": place.base_url},
            )  # fmt: skip
            job_id = job.id
        jobs.enqueue(services.sessions, services.jobs, job_id)
    except ApiError as exc:
        raise RefusedError(exc.code, exc.message) from None
    return job_id


def _load(services: Services, job_id: str) -> Job:
    with services.sessions() as db:
        job = db.get(Job, job_id)
    assert job is not None
    return job


async def _follow(services: Services, job_id: str, ctx: Context | None) -> Job:
    shown = 0.0
    with services.bus.watch(job_id) as watch:
        while True:
            job = await run_in_threadpool(_load, services, job_id)
            if job.status not in jobs.ACTIVE:
                return job
            if ctx is not None and job.progress > shown:
                shown = job.progress
                try:
                    await ctx.report_progress(round(100 * shown, 1), 100.0, None)
                except Exception:  # progress is best effort
                    pass
            await watch.next()


def remote_for(services: Services, place_for: Callable[[Context], AccountPlace]) -> Remote:
    """The ``remote`` of :func:`reelcut.mcp.server.build_server` for a service with a broker."""

    async def remote(ctx: Context, tool: str, args: dict[str, Any]) -> Any:
        place = place_for(ctx)
        job_id = await run_in_threadpool(_queue, services, place, tool, args)
        limit_s = services.settings.sse_cap_s
        try:
            with anyio.fail_after(limit_s):
                job = await _follow(services, job_id, ctx)
        except (anyio.get_cancelled_exc_class(), TimeoutError) as exc:
            with anyio.CancelScope(shield=True):
                await run_in_threadpool(jobs.cancel, services.sessions, services.jobs, job_id)
                with anyio.move_on_after(CANCEL_WAIT_S):
                    await _follow(services, job_id, None)
            if isinstance(exc, TimeoutError):
                raise RefusedError(
                    jobs.CANCELLED_CODE, f"{tool} was not done within {limit_s:.0f} s; cancelled"
                ) from None
            raise
        if job.status != "completed":
            raise RefusedError(job.error_code or 500, job.reason or f"{tool} failed")
        result = job.result or {}
        if "png" in result:
            return base64.b64decode(str(result["png"]))
        return result.get("value")

    return remote


def _end_children(services: Services, job_id: str) -> None:
    """A call run again (its worker died): the make or edit job its first attempt recorded
    inside never ends by itself (it has no lease); fail it now, releasing its credits."""
    with services.sessions() as db:
        found = [
            j.id
            for j in db.scalars(select(Job).where(Job.status.in_(jobs.ACTIVE)))
            if (j.params or {}).get("parent") == job_id
        ]
    for child in found:
        jobs.finish(services.sessions, child, "failed", reason=INTERRUPTED, code=500)


def run_tool(
    services: Services, job: Job, cancel: threading.Event, place_type: type[AccountPlace]
) -> tuple[dict[str, Any], int | None]:
    """A worker's side: run the job's tool as the API process would have, here, in the place
    ``place_type`` makes (:class:`reelcut.service.mcp_door.AccountPlace`, passed in by the
    caller so that this module and the door do not import each other)."""
    tool = str(job.params.get("tool"))
    args = job.params.get("args")
    if tool not in REMOTE_TOOLS or not isinstance(args, dict):
        raise ReelcutError(f"not a tool a worker runs: {tool[:60]!r}")
    if job.attempts > 1:
        _end_children(services, job.id)
    base_url = str(job.params.get("base_url") or "")
    place = place_type(
        services, job.account_id, base_url, parent=job.id, guard=jobs.holds_lease(job)
    )  # a project change is kept only while this worker holds the call's job, as for edits
    work = Work(
        progress=jobs.ProgressWriter(services.sessions, job.id, cancel=cancel), cancel=cancel
    )
    try:
        value = getattr(tools, tool)(place, work, **args)
    finally:
        place.release()
    if isinstance(value, bytes):
        return {"png": base64.b64encode(value).decode("ascii")}, None
    return {"value": value}, None
