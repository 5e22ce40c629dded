"""What every endpoint and worker shares: settings, database, storage and the job queue."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from reelcut.service import early, events
from reelcut.service.db import make_engine, make_sessionmaker, migrate
from reelcut.service.jobs import InProcessJobQueue, JobQueue, recover
from reelcut.service.limits import SlidingWindow
from reelcut.service.middleware import RequestLogWriter
from reelcut.service.runtime import clean_dead_scratch, kill_leftovers, scratch_name
from reelcut.service.settings import Settings
from reelcut.service.storage import LocalStorage, Storage
from reelcut.service.streams import StreamSlots, open_slots
from reelcut.service.workspaces import Workspaces, open_workspaces

log = logging.getLogger("reelcut.service")


def open_storage(settings: Settings) -> Storage:
    """Files in the data dir, or uploads and renders in a bucket (``storage_url``)."""
    if not settings.storage_url:
        return LocalStorage(settings.data_dir)
    from reelcut.service.objects import S3Storage

    return S3Storage(
        settings.data_dir,
        settings.storage_url,
        scratch_bytes=int(settings.scratch_mb * 1024 * 1024),
        link_s=settings.download_link_s,
    )


@dataclass
class Services:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    storage: Storage
    jobs: JobQueue = field(init=False)
    workspaces: Workspaces = field(init=False)
    stopping: bool = False  # set at shutdown: cancelled jobs say why
    request_log: RequestLogWriter = field(init=False)
    account_limit: SlidingWindow = field(init=False)
    bus: events.EventBus = field(init=False)  # "job X changed", to every API process
    streams: StreamSlots = field(init=False)  # open event streams per account

    @classmethod
    def build(
        cls,
        settings: Settings,
        run_job: Callable[[Services, str, threading.Event], object],
        jobs: JobQueue | None = None,
    ) -> Services:
        """Open (and migrate) the database and the data dir; ``jobs`` defaults to in-process
        workers that call ``run_job`` (:func:`reelcut.service.tasks.run_job`; passed in so that
        this module does not import the tasks, which import it)."""
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = make_engine(settings.db_url)
        migrate(engine)
        services = cls(settings, engine, make_sessionmaker(engine), open_storage(settings))
        if jobs is None:

            def runner(job_id: str, cancel: threading.Event) -> None:
                run_job(services, job_id, cancel)

            jobs = InProcessJobQueue(runner, settings.workers, settings.queue_size)
        services.jobs = jobs
        services.bus = events.open_bus(settings.broker_url, settings.event_poll_s)
        events.attach(services.sessions, services.bus)
        services.streams = open_slots(
            settings.broker_url, settings.max_streams_per_account, settings.lease_s
        )
        # with a bucket, processes share no disk: session projects live in the database
        shared = bool(settings.storage_url)
        services.workspaces = open_workspaces(shared, services.storage, services.sessions)
        services.request_log = RequestLogWriter(services.sessions)
        services.account_limit = SlidingWindow(settings.rate_limit_per_minute)
        return services

    def start(self) -> None:
        """Recover from a previous process, clean scratch files, start the workers. Behind a
        broker the jobs are the workers': an API process (re)starting leaves them alone."""
        if self.settings.broker_url:
            self._own_scratch("api")
            self.request_log.start()
            self.bus.start()
            return
        killed = kill_leftovers(self.settings.data_dir / "tmp")
        failed = recover(self.sessions)
        cleaned = self.storage.clean_temp()
        if failed or cleaned or killed:
            log.info(
                "startup: %d leftover FFmpeg process(es) killed, %d interrupted job(s) failed, "
                "%d scratch file(s) removed",
                killed,
                failed,
                cleaned,
            )
        self.request_log.start()
        self.jobs.start()

    def start_worker(self) -> None:
        """A ``reelcut worker`` process: its own scratch folder (and dead ones' removed)."""
        self._own_scratch("worker")

    def _own_scratch(self, role: str) -> None:
        tmp = self.settings.data_dir.resolve() / "tmp"
        cleaned = clean_dead_scratch(tmp)
        self.storage.own_scratch(scratch_name(role))
        if cleaned:
            log.info("startup: scratch of %d ended process(es) removed", cleaned)

    def stop(self) -> None:
        self.stopping = True
        early.stop_all()
        self.jobs.stop()
        self.bus.stop()
        self.streams.stop()
        self.request_log.stop()
        self.engine.dispose()
