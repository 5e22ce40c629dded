"""Jobs on Celery workers over a broker: ``--broker-url redis://host:6379/0``.

The API stores a job row and sends its id; any ``reelcut worker`` (same settings, any machine)
runs it with :func:`reelcut.service.tasks.run_job`. Everything a client reads (status,
progress, edit events, results) stays in the database, so API processes need nothing from the
workers but the rows; a nudge on Redis pub/sub (:mod:`reelcut.service.events`) tells them when
to read one again. A client's cancel is a flag in the row (:func:`reelcut.service.jobs.cancel`)
plus, for a job not started yet, a revoke of the message; at most ``queue_size`` jobs wait, counted in the database.

Delivery is at least once, made safe by the rows:

- Celery acknowledges a job message only when the job has ended (``acks_late``), takes one
  message at a time (prefetch 1), and gives back the message of a pool child that died
  (``reject_on_worker_lost``). A message never acknowledged (its worker killed) is delivered
  again after ``visibility_timeout_s`` (2 hours by default: longer than the longest job).
- A running job carries a lease in its row (:func:`reelcut.service.jobs.claim`): its worker beats
  every quarter ``lease_s``. Every worker sweeps for jobs whose worker stopped beating and sends
  them again (:func:`reelcut.service.jobs.orphans`), so a job of a killed worker runs again on
  another within about ``lease_s`` seconds, not hours. A copy that finds the job held by a live
  worker comes back later (a Celery retry); one that finds it ended is dropped.
- Running a job twice never charges twice (its credits are one hold, closed once) and never
  applies an edit twice (an edit run again starts from the versions its first attempt started
  from: :func:`reelcut.service.tasks._rebase`).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from typing import Any

from reelcut.errors import InvalidArgumentError
from reelcut.service import jobs
from reelcut.service.jobs import Claim, QueueFullError
from reelcut.service.settings import Settings

log = logging.getLogger("reelcut.service.broker")

TASK = "reelcut.run_job"
QUEUE = "reelcut"


def celery_app(settings: Settings) -> Any:
    """The Celery application both sides use; :class:`InvalidArgumentError` without Celery."""
    try:
        from celery import Celery
    except ImportError:
        raise InvalidArgumentError(
            "--broker-url needs Celery: pip install 'reelcut[scale]'"
        ) from None
    app = Celery("reelcut", broker=settings.broker_url)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue=QUEUE,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "visibility_timeout": settings.visibility_timeout_s,
            # sweep for unacknowledged messages every few seconds, not every 100
            "unacked_restore_interval": 5,
            "unacked_restore_throttle": 1,
        },
        worker_hijack_root_logger=False,
        worker_cancel_long_running_tasks_on_connection_loss=False,
    )
    return app


class CeleryJobQueue:
    """:class:`reelcut.service.jobs.JobQueue` that sends job ids to the broker. At most
    ``size`` jobs wait at once, counted in the database across every API process
    (:func:`reelcut.service.jobs.admit`)."""

    def __init__(self, app: Any, size: int | None = None) -> None:
        self.app = app
        self.shared_limit = size

    def submit(self, job_id: str) -> None:
        try:
            self.app.send_task(TASK, args=[job_id], queue=QUEUE, task_id=job_id)
        except Exception as exc:  # kombu's OperationalError and friends: the broker is away
            log.error("could not send job %s to the broker: %s", job_id, exc)
            raise QueueFullError("the job broker does not answer") from None

    def cancel(self, job_id: str, queued: bool = False) -> bool:
        """A queued job (ended already): revoke its message (a worker drops it unread; one
        that never heard of the revoke finds the row ended and drops it too). A running job
        stops through the flag in its row (:func:`reelcut.service.jobs.cancel`), not here, and
        its message is never revoked: Celery keeps a revoked id for hours and drops every copy
        sent under it, so a job whose worker died could not be handed out again. False."""
        if not queued:
            return False
        try:
            self.app.control.revoke(job_id)
        except Exception as exc:  # the broker is away: the row still says the job ended
            log.warning("could not revoke job %s: %s", job_id, exc)
        return False

    def start(self) -> None:
        pass

    def stop(self, timeout_s: float = 10.0) -> None:
        pass


def worker_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def run_worker(settings: Settings, concurrency: int = 1) -> None:
    """Run jobs from the broker until stopped (SIGTERM: finish the running jobs, then exit)."""
    from reelcut.service.context import Services
    from reelcut.service.tasks import run_job

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    app = celery_app(settings)
    services = Services.build(settings, run_job, jobs=CeleryJobQueue(app, settings.queue_size))
    services.start_worker()
    name = worker_name()
    lease_s = settings.lease_s

    @app.task(name=TASK, bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
    def run(task: Any, job_id: str) -> None:
        runner = f"{jobs.WORKER}{name}/{uuid.uuid4().hex[:8]}"
        outcome = run_job(services, job_id, threading.Event(), runner, lease_s)
        if outcome is Claim.BUSY:  # a live worker holds it; look again once its lease could lapse
            raise task.retry(countdown=lease_s)

    sweeping = threading.Event()

    def sweep() -> None:
        while not sweeping.wait(lease_s / 2):
            try:
                for job_id in jobs.orphans(services.sessions, lease_s):
                    log.warning("job %s lost its worker; sending it again", job_id)
                    services.jobs.submit(job_id)
            except Exception:  # the database or broker blinked: the next sweep may pass
                log.warning("orphan sweep failed", exc_info=True)

    sweeper = threading.Thread(target=sweep, name="reelcut-orphans", daemon=True)
    sweeper.start()
    try:
        # Started as `celery worker` would start it with these options (the same Worker
        # arguments, whose options left out take their values from the app's conf), but without
        # going through Celery's command line: worker_main loads its CLI tooling (click-repl,
        # prompt_toolkit, every sub-command), ~0.2 s of CPU on each worker start. The Worker
        # installs the same signal handlers (SIGTERM: warm shutdown) either way.
        from celery.concurrency import get_implementation

        worker = app.Worker(
            hostname=f"reelcut@{name}",
            pool=get_implementation("threads"),
            concurrency=concurrency,
            queues=[QUEUE],
            loglevel=logging.INFO,
            without_gossip=True,
            without_mingle=True,
            without_heartbeat=False,
            prefetch_multiplier=app.conf.worker_prefetch_multiplier,
            optimization="default",
            schedule_filename="celerybeat-schedule",
            purge=False,
            detach=False,
            no_color=False,
            quiet=False,
        )
        worker.start()
    finally:
        sweeping.set()
        services.stop()
