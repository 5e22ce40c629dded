"""Jobs: rows in the database, run by workers.

:class:`JobQueue` is the small protocol endpoints use (submit, cancel, start, stop);
:class:`InProcessJobQueue` runs jobs on a few threads of this process with a bounded queue. A
distributed engine replaces it with one that hands job ids to remote workers: the job's state
(status, progress, reason, result, events) lives only in the database, so the endpoints do not
change.

At startup :func:`recover` marks jobs a previous process left ``queued`` or ``running`` as
``failed`` with the reason "interrupted by a restart" and releases their frozen credits (the
client may simply ask again; analysis is re-run on demand by the next edit, from its cache when
it had finished). That is for in-process workers only: behind a broker
(:mod:`reelcut.service.broker`) the jobs belong to the workers, and an API restart leaves them.

Leases (broker workers): :func:`claim` starts a job for a ``runner`` (a queued one, or a running
one whose runner stopped beating for ``lease_s``: its worker died and the broker redelivered
it); the runner beats every few seconds (:func:`beat`), and :func:`finish` from a runner that
lost its lease is ignored. A job can so run more than once, never at once, and it ends once:
credits are settled through the hold, whose closing row is unique.

Every change of a job row is followed by :func:`reelcut.service.events.changed` (a nudge to the
streams that follow it, in any API process). A client's :func:`cancel` ends a queued job at once
and flags a running one; its runner sees the flag at its next progress point
(:class:`ProgressWriter`) or heartbeat. Behind a broker, :func:`admit` bounds the jobs waiting
for a worker across all processes (``queue_size``).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from datetime import timedelta
from enum import Enum
from typing import Any, Protocol

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from reelcut.errors import CancelledError
from reelcut.service import credits, events
from reelcut.service.db import write_session
from reelcut.service.errors import ApiError, too_many
from reelcut.service.models import Job, JobEvent, new_id, now
from reelcut.service.settings import Settings

log = logging.getLogger("reelcut.service.jobs")

ACTIVE = ("queued", "running")
CANCELLED_CODE = CancelledError.code
RESTART_REASON = "interrupted by a restart"


class QueueFullError(Exception):
    """No room in the queue: the caller answers 429 and the job is marked failed."""


class JobQueue(Protocol):
    shared_limit: int | None  # jobs waiting across all processes, counted in the database

    def submit(self, job_id: str) -> None:
        """Queue a job already stored as ``queued``; :class:`QueueFullError` when full."""
        ...

    def cancel(self, job_id: str, queued: bool = False) -> bool:
        """Ask a running job to stop at its next check; False if it is not running here.
        ``queued``: the job had not started and is ended already (a broker drops its message)."""
        ...

    def start(self) -> None: ...

    def stop(self, timeout_s: float = 10.0) -> None:
        """Cancel running jobs and stop the workers."""
        ...


JobRunner = Callable[[str, threading.Event], None]


class InProcessJobQueue:
    """``workers`` threads taking job ids from a queue of at most ``size`` waiting jobs."""

    shared_limit: int | None = None  # the queue itself is bounded

    def __init__(self, run: JobRunner, workers: int, size: int) -> None:
        self._run = run
        self._workers = workers
        self._queue: queue.Queue[str | None] = queue.Queue(maxsize=size)
        self._threads: list[threading.Thread] = []
        self._cancels: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    def submit(self, job_id: str) -> None:
        if self._stopping.is_set():
            raise QueueFullError("the server is shutting down")
        try:
            self._queue.put_nowait(job_id)
        except queue.Full:
            raise QueueFullError("the job queue is full") from None

    def cancel(self, job_id: str, queued: bool = False) -> bool:
        with self._lock:
            event = self._cancels.get(job_id)
        if event is None:
            return False
        event.set()
        return True

    def start(self) -> None:
        for n in range(self._workers):
            t = threading.Thread(target=self._work, name=f"reelcut-job-{n}", daemon=True)
            t.start()
            self._threads.append(t)

    def stop(self, timeout_s: float = 10.0) -> None:
        self._stopping.set()
        with self._lock:
            for event in self._cancels.values():
                event.set()
        for _ in self._threads:
            try:
                self._queue.put_nowait(None)
            except queue.Full:
                break
        for t in self._threads:
            t.join(timeout_s)
        self._threads.clear()

    def _work(self) -> None:
        while not self._stopping.is_set():
            job_id = self._queue.get()
            if job_id is None:
                return
            cancel = threading.Event()
            with self._lock:
                self._cancels[job_id] = cancel
            try:
                self._run(job_id, cancel)
            except Exception:  # the runner records failures; this is a last resort
                log.exception("job %s crashed its worker", job_id)
            finally:
                with self._lock:
                    self._cancels.pop(job_id, None)


# -- job rows --------------------------------------------------------------------------------


def new_job(
    db: Session,
    settings: Settings,
    *,
    account_id: str,
    kind: str,
    session_id: str | None,
    cost: int = 0,
    what: str = "",
    params: dict[str, Any] | None = None,
    public_id: str | None = None,
) -> Job:
    """Store a queued job, checking the account's job limit and freezing ``cost`` credits.

    Call inside :func:`write_session` so the checks and the inserts are one transaction.
    """
    active = db.scalar(
        select(func.count())
        .select_from(Job)
        .where(Job.account_id == account_id, Job.status.in_(ACTIVE))
    )
    if (active or 0) >= settings.max_jobs_per_account:
        raise too_many(
            f"{active} jobs are already queued or running for this account "
            f"(limit {settings.max_jobs_per_account}); wait for one to finish",
            retry_after_s=10,
        )
    if kind == "render":
        rendering = db.scalar(
            select(func.count())
            .select_from(Job)
            .where(Job.account_id == account_id, Job.kind == "render", Job.status.in_(ACTIVE))
        )
        if (rendering or 0) >= settings.max_renders_per_account:
            raise too_many(
                f"{rendering} renders are already queued or running for this account "
                f"(limit {settings.max_renders_per_account}); wait for one to finish",
                retry_after_s=10,
            )
    if kind == "edit" and session_id is not None:
        busy = db.scalar(
            select(Job.id).where(
                Job.session_id == session_id, Job.kind == "edit", Job.status.in_(ACTIVE)
            )
        )
        if busy is not None:
            raise ApiError(409, 409, "an edit is already running in this session; wait for it")
    job = Job(
        id=new_id("job_"),
        public_id=public_id,
        account_id=account_id,
        session_id=session_id,
        kind=kind,
        status="queued",
        progress=0.0,
        params=params or {},
    )
    db.add(job)
    db.flush()
    if cost > 0:
        job.hold_id = credits.freeze(db, account_id, cost, what or kind, job.id)
    return job


def enqueue(factory: sessionmaker[Session], jobs: JobQueue, job_id: str) -> None:
    """Hand a stored job to the queue; when full, fail it (credits released) and answer 429."""
    try:
        if jobs.shared_limit is not None:
            admit(factory, job_id, jobs.shared_limit)
        jobs.submit(job_id)
    except QueueFullError as exc:
        finish(factory, job_id, "failed", reason=f"not started: {exc}", code=429)
        raise too_many(f"the server is busy ({exc}); try again shortly", 10) from None


def admit(factory: sessionmaker[Session], job_id: str, limit: int) -> None:
    """:class:`QueueFullError` when ``limit`` other jobs wait for a worker, counted in the
    database under the write lock, so API processes behind a broker share one bound. Two jobs
    stored at once each count the other: at the edge both may be refused, never both let in
    past the limit."""
    with write_session(factory) as db:
        waiting = db.scalar(
            select(func.count()).select_from(Job).where(Job.status == "queued", Job.id != job_id)
        )
    if (waiting or 0) >= limit:
        raise QueueFullError(f"the job queue is full: {waiting} jobs wait for a worker")


def finish(
    factory: sessionmaker[Session],
    job_id: str,
    status: str,
    *,
    reason: str | None = None,
    code: int | None = None,
    result: dict[str, Any] | None = None,
    charge: int | None = None,
    runner: str | None = None,
) -> None:
    """End a job: completed (settling ``charge`` of its hold; None = all) or failed (released).
    With ``runner``, only while that runner holds the job (a late twin's ending is dropped)."""
    with write_session(factory) as db:
        job = db.get(Job, job_id)
        if job is None or job.status not in ACTIVE:
            return
        if runner is not None and job.runner != runner:
            log.warning("job %s: %s lost its lease to %s; its ending is dropped", job_id, runner,
                        job.runner)  # fmt: skip
            return
        _close(db, job, status, reason=reason, code=code, result=result, charge=charge)
    events.changed(factory, job_id)


def _close(
    db: Session,
    job: Job,
    status: str,
    *,
    reason: str | None = None,
    code: int | None = None,
    result: dict[str, Any] | None = None,
    charge: int | None = None,
) -> None:
    job.status = status
    job.reason = reason
    job.error_code = code
    job.finished_at = now()
    if result is not None:
        job.result = result
    if status == "completed":
        job.progress = 1.0
    if job.hold_id:
        if status == "completed" and charge != 0:
            credits.settle(db, job.hold_id, charge, note=f"{job.kind} {job.id}")
        else:
            credits.release(db, job.hold_id, note=reason or f"{job.kind} {job.id}")


CANCELLED = "cancelled"


def cancel(factory: sessionmaker[Session], queue: JobQueue, job_id: str) -> bool:
    """A client's cancel: a queued job ends now (failed, "cancelled", its credits released, its
    broker message revoked); a running one is flagged, and its runner (a thread here or a
    worker anywhere) stops at its next progress point or heartbeat and ends it the same way.
    False when the job had already ended."""
    with write_session(factory) as db:
        job = db.get(Job, job_id)
        if job is None or job.status not in ACTIVE:
            return False
        job.cancel_requested = True
        queued = job.status == "queued"
        if queued:  # under the write lock: no runner can claim it meanwhile
            _close(db, job, "failed", reason=CANCELLED, code=CANCELLED_CODE)
    queue.cancel(job_id, queued=queued)
    events.changed(factory, job_id)
    return True


def mark_running(factory: sessionmaker[Session], job_id: str) -> Job | None:
    """Move a queued job to running; None if it is no longer queued (already handled)."""
    claimed, job = claim(factory, job_id, None, None)
    return job if claimed is Claim.RUN else None


class Claim(Enum):
    RUN = "run"  # the job is this runner's now
    BUSY = "busy"  # another runner holds a live lease: try again later
    DONE = "done"  # ended (or gone): nothing to do


WORKER = "w:"  # runner names of broker workers start so (in-process runs have none)
ORPHAN = "orphan"  # a running job whose worker was found dead, handed out again


def claim(
    factory: sessionmaker[Session], job_id: str, runner: str | None, lease_s: float | None
) -> tuple[Claim, Job | None]:
    """Start ``job_id`` for ``runner``: a queued job, or (with ``lease_s``) a running one whose
    worker has not beaten for ``lease_s`` seconds or was found dead. The job when it is ours."""
    ended: list[str] = []
    with write_session(factory) as db:
        job = db.get(Job, job_id)
        if job is None or job.status not in ACTIVE:
            return Claim.DONE, None
        if job.status == "running":
            if lease_s is None:
                return Claim.DONE, None
            beaten = job.heartbeat_at or job.started_at or job.created_at
            stale = now() - beaten >= timedelta(seconds=lease_s)
            if job.runner != ORPHAN and not (stale and (job.runner or "").startswith(WORKER)):
                return Claim.BUSY, None  # its live runner ends it, also when cancelled
            log.warning("job %s: its worker died; %s takes it over", job_id, runner)
        if job.cancel_requested and not (runner and _restores(job)):
            # asked to stop while no runner was looking: it ends here, with what it started
            ended = _end_cancelled(db, job)
        else:  # an edit asked to stop runs to put the drafts back (run_job sees the flag)
            job.status = "running"
            job.started_at = job.started_at or now()
            job.runner = runner
            job.heartbeat_at = now()
            job.attempts = (job.attempts or 0) + 1
    for one in ended or [job_id]:
        events.changed(factory, one)
    return (Claim.DONE, None) if ended else (Claim.RUN, job)


def _restores(job: Job) -> bool:
    """An AI edit that recorded the versions it started from: ended by a runner, which puts
    the session's drafts back there (the database alone cannot)."""
    return job.kind == "edit" and isinstance((job.params or {}).get("base"), dict)


def _end_cancelled(db: Session, job: Job) -> list[str]:
    """End a cancelled job whose runner is gone, with the jobs it started inside (an MCP
    call's make or edit: ``params.parent``), their credits released. The ids ended."""
    children = [
        j
        for j in db.scalars(select(Job).where(Job.status.in_(ACTIVE), Job.id != job.id))
        if (j.params or {}).get("parent") == job.id
    ]
    for one in [job, *children]:
        _close(db, one, "failed", reason=CANCELLED, code=CANCELLED_CODE)
    return [job.id] + [j.id for j in children]


def holds_lease(job: Job) -> Callable[[Session], bool] | None:
    """For a broker worker's job: whether its runner still holds it, checked in the
    transaction that keeps what the job changed in a session's project (None: a job with no
    lease, run in the process that took the request)."""
    if not job.runner:
        return None
    job_id, runner = job.id, job.runner

    def holds(db: Session) -> bool:
        row = db.get(Job, job_id, populate_existing=True)
        return row is not None and row.status == "running" and row.runner == runner

    return holds


def beat(factory: sessionmaker[Session], job_id: str, runner: str) -> bool:
    """Renew ``runner``'s lease on a running job; False when it is no longer its (ended, or
    handed out again after a stall): the runner should stop. A runner asked to stop keeps
    beating until it has: its lease lost, its own ending would be dropped."""
    with factory() as db:
        done = db.execute(
            update(Job)
            .where(
                Job.id == job_id,
                Job.runner == runner,
                Job.status == "running",
            )
            .values(heartbeat_at=now())
        )
        db.commit()
    return bool(getattr(done, "rowcount", 0))


def cancel_asked(factory: sessionmaker[Session], job_id: str) -> bool:
    with factory() as db:
        return bool(db.scalar(select(Job.cancel_requested).where(Job.id == job_id)))


def orphans(factory: sessionmaker[Session], lease_s: float) -> list[str]:
    """Running jobs whose worker has not beaten for ``lease_s`` (killed mid-job), marked
    :data:`ORPHAN` so the caller hands each out again once (and again a lease later if no
    worker took it by then). One a client asked to stop ends here instead (cancelled, its
    credits released); an AI edit among those is handed out so a runner puts its drafts back."""
    limit = now() - timedelta(seconds=lease_s)
    ended: list[str] = []
    with write_session(factory) as db:
        found = list(
            db.scalars(
                select(Job).where(
                    Job.status == "running",
                    Job.heartbeat_at < limit,
                    (Job.runner == ORPHAN) | Job.runner.startswith(WORKER),
                )
            )
        )
        again = []
        for job in found:
            if job.cancel_requested and not _restores(job):
                ended += _end_cancelled(db, job)
                continue
            job.runner = ORPHAN
            job.heartbeat_at = now()
            again.append(job.id)
    for one in ended:
        events.changed(factory, one)
    return again


class ProgressWriter:
    """A :data:`reelcut.progress.ProgressFn` that stores job progress, at most every 0.3 s, and
    (with ``cancel``) sets that event there when a client asked the job to stop."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        job_id: str,
        interval_s: float = 0.3,
        cancel: threading.Event | None = None,
    ):
        self._factory = factory
        self._job_id = job_id
        self._cancel = cancel
        self._interval = timedelta(seconds=interval_s)
        self._last = now() - self._interval
        self._looked = self._last
        self._value = 0.0

    def __call__(self, stage: str, done: float, total: float) -> None:
        value = min(max(done / total, 0.0), 0.999) if total > 0 else 0.0
        if self._cancel is not None and now() - self._looked >= self._interval:
            self._looked = now()
            if cancel_asked(self._factory, self._job_id):
                self._cancel.set()
        if value <= self._value or now() - self._last < self._interval:
            return
        self._value, self._last = value, now()
        with write_session(self._factory) as db:
            db.execute(update(Job).where(Job.id == self._job_id).values(progress=value))
        events.changed(self._factory, self._job_id)


def add_event(factory: sessionmaker[Session], job_id: str, seq: int, body: dict[str, Any]) -> None:
    with write_session(factory) as db:
        db.add(JobEvent(job_id=job_id, seq=seq, body=body))
    events.changed(factory, job_id)


def recover(factory: sessionmaker[Session]) -> int:
    """Fail the jobs a previous process left unfinished and release their credits."""
    with factory() as db:
        ids = list(db.scalars(select(Job.id).where(Job.status.in_(ACTIVE))))
    for job_id in ids:
        finish(factory, job_id, "failed", reason=RESTART_REASON, code=500)
    if ids:
        log.warning("marked %d unfinished job(s) failed: %s", len(ids), RESTART_REASON)
    return len(ids)
