"""Nudges that a job changed, so a stream on any API process reads its row at once.

A job's state (status, progress, edit events, result) lives in the database only; what travels
here is a job id and nothing else: "read it again". Whoever changes a job row (an API process, a
worker, a thread of either) calls :func:`changed` after the commit; a stream watching the job
(:meth:`EventBus.watch`) wakes and reads the row. A nudge that is lost (Redis restarted, the
subscriber reconnecting) costs at most ``poll_s``: a watch also wakes that often on its own, so
nothing a client sees depends on a message arriving, only how soon.

- :class:`LocalBus` (no broker): jobs run on this process's threads, and its watches wake
  every 0.15 s as the streams always polled, and at once on a nudge from this process.
- :class:`RedisBus` (``--broker-url redis://...``): nudges go out on one Redis pub/sub channel;
  every API process holds one subscription (a thread) and wakes its own watches, so a stream on
  API 2 follows a job submitted through API 1 and run by a worker within milliseconds. Its
  watches wake on their own every ``event_poll_s`` (2 s), a floor for a lost message, not the way news arrives.

Which bus belongs to a database is kept by its sessionmaker (:func:`attach`), so the job
functions that take only a sessionmaker can nudge without another argument.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

log = logging.getLogger("reelcut.service.events")

CHANNEL = "reelcut:jobs"
LOCAL_POLL_S = 0.15  # what in-process streams always polled at
REDIS_POLL_S = 2.0  # the floor when a pub/sub message is lost


class Watch:
    """One stream's interest in one job: :meth:`next` returns on a nudge or after ``poll_s``."""

    def __init__(self, poll_s: float) -> None:
        self.poll_s = poll_s
        self._loop = asyncio.get_running_loop()
        self._event = asyncio.Event()

    def nudge(self) -> None:
        """From any thread."""
        self._loop.call_soon_threadsafe(self._event.set)

    async def next(self, at_most_s: float | None = None) -> bool:
        """Wait for a nudge (True) or ``min(poll_s, at_most_s)`` seconds (False). A nudge that
        came since the last call returns at once, so none is lost between two reads."""
        limit = self.poll_s if at_most_s is None else max(0.0, min(self.poll_s, at_most_s))
        if self._event.is_set():
            self._event.clear()
            return True
        try:
            await asyncio.wait_for(self._event.wait(), limit)
        except TimeoutError:
            return False
        self._event.clear()
        return True


async def turn(
    watch: Watch, last_read: float, last_sent: float, heartbeat_s: float
) -> tuple[bool, bool]:
    """Wait for a stream's next turn: (read the row again, send a ``: ping``). A row is read
    on a nudge or once ``poll_s`` passed since the last read; a ping is owed ``heartbeat_s``
    after the last thing sent and costs no read."""
    now = time.monotonic()
    wait_s = min(watch.poll_s - (now - last_read), heartbeat_s - (now - last_sent))
    nudged = await watch.next(max(0.0, wait_s))
    now = time.monotonic()
    due = now - last_read >= watch.poll_s - 0.001
    return nudged or due, now - last_sent >= heartbeat_s - 0.001


class EventBus(Protocol):
    poll_s: float

    def publish(self, job_id: str) -> None:
        """Say that ``job_id``'s row changed (after the commit); never raises."""
        ...

    def watch(self, job_id: str) -> Any:
        """A context manager giving a :class:`Watch` on ``job_id`` (inside a running loop)."""
        ...

    def start(self) -> None: ...

    def stop(self) -> None: ...


class _Waiters:
    """Watches by job id, woken from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_job: dict[str, set[Watch]] = {}

    @contextmanager
    def watch(self, job_id: str, poll_s: float) -> Iterator[Watch]:
        made = Watch(poll_s)
        with self._lock:
            self._by_job.setdefault(job_id, set()).add(made)
        try:
            yield made
        finally:
            with self._lock:
                found = self._by_job.get(job_id)
                if found is not None:
                    found.discard(made)
                    if not found:
                        del self._by_job[job_id]

    def wake(self, job_id: str) -> None:
        with self._lock:
            found = list(self._by_job.get(job_id, ()))
        for one in found:
            try:
                one.nudge()
            except RuntimeError:  # its loop closed (the stream's server stopped)
                pass

    def __len__(self) -> int:
        with self._lock:
            return sum(len(v) for v in self._by_job.values())


class LocalBus:
    """Nudges within this process (no broker)."""

    poll_s = LOCAL_POLL_S

    def __init__(self) -> None:
        self._waiters = _Waiters()

    def publish(self, job_id: str) -> None:
        self._waiters.wake(job_id)

    def watch(self, job_id: str) -> Any:
        return self._waiters.watch(job_id, self.poll_s)

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass


class RedisBus:
    """Nudges over Redis pub/sub (see the module docstring). A worker only publishes; an API
    process :meth:`start`\\ s one subscriber thread that wakes its watches."""

    def __init__(self, url: str, poll_s: float = REDIS_POLL_S) -> None:
        import redis

        self.poll_s = poll_s
        self._url = url
        self._client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self._waiters = _Waiters()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.subscribed = threading.Event()  # set while the subscription is live (tests)

    def publish(self, job_id: str) -> None:
        try:
            self._client.publish(CHANNEL, job_id)
        except Exception as exc:  # Redis away: watches still read the row within poll_s
            log.warning("could not publish a change of job %s: %s", job_id, exc)

    def watch(self, job_id: str) -> Any:
        return self._waiters.watch(job_id, self.poll_s)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._listen, name="reelcut-events", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(3)
            self._thread = None
        self._client.close()

    def _listen(self) -> None:
        import redis

        while not self._stopping.is_set():
            client = redis.Redis.from_url(self._url, socket_connect_timeout=5)
            try:
                pubsub = client.pubsub()
                pubsub.subscribe(CHANNEL)
                self._confirmed(pubsub)  # a nudge published before Redis confirms is not heard
                self.subscribed.set()
                while not self._stopping.is_set():
                    message = pubsub.get_message(timeout=1.0)
                    if message is not None and message.get("type") == "message":
                        data = message["data"]
                        self._waiters.wake(data.decode() if isinstance(data, bytes) else str(data))
                pubsub.close()
            except Exception as exc:  # reconnect; watches poll meanwhile
                self.subscribed.clear()
                log.warning("event subscription lost (%s); reconnecting", exc)
                self._stopping.wait(1.0)
            finally:
                client.close()

    def _confirmed(self, pubsub: Any, timeout_s: float = 5.0) -> None:
        """Wait for Redis to confirm the SUBSCRIBE (``ConnectionError`` if it does not)."""
        import redis

        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and not self._stopping.is_set():
            message = pubsub.get_message(timeout=0.2)
            if message is not None and message.get("type") == "subscribe":
                return
        if not self._stopping.is_set():  # stopping meanwhile: nothing to report
            raise redis.ConnectionError("Redis did not confirm the subscription")


def open_bus(broker_url: str | None, poll_s: float = REDIS_POLL_S) -> EventBus:
    """The bus for a broker URL: Redis pub/sub for ``redis://``/``rediss://``, else local (a
    broker without pub/sub leaves streams to their own polling, every ``poll_s``)."""
    if broker_url and broker_url.startswith(("redis://", "rediss://")):
        return RedisBus(broker_url, poll_s)
    bus = LocalBus()
    if broker_url:
        bus.poll_s = poll_s
    return bus


_buses: weakref.WeakKeyDictionary[Any, EventBus] = weakref.WeakKeyDictionary()


def attach(factory: Any, bus: EventBus) -> None:
    """Make ``bus`` the one :func:`changed` uses for jobs of this sessionmaker."""
    _buses[factory] = bus


def bus_of(factory: Any) -> EventBus:
    found = _buses.get(factory)
    if found is None:
        found = _buses[factory] = LocalBus()
    return found


def changed(factory: Any, job_id: str) -> None:
    """After a job row's commit: nudge whoever watches it."""
    found = _buses.get(factory)
    if found is not None:
        found.publish(job_id)
