"""The event bus on the machine's real Redis: a nudge published by any client wakes a watch in
another at once; a watch that hears nothing still wakes at its floor (a lost message only
delays a stream, the row is read anyway)."""

from __future__ import annotations

import asyncio
import time

import redis

from reelcut.service import events
from reelcut.service.events import LocalBus, RedisBus
from tests.service.workers import fresh_redis


def test_a_nudge_over_redis_wakes_a_watch_in_another_process_at_once():
    with fresh_redis() as url:
        bus = RedisBus(url, poll_s=30)  # a watch woken sooner was woken by the message
        bus.start()
        try:
            assert bus.subscribed.wait(10)

            async def scenario() -> tuple[bool, float, bool, float]:
                with bus.watch("job_a") as watch, bus.watch("job_b") as other:
                    publisher = redis.Redis.from_url(url)  # another client: a worker's
                    started = time.monotonic()
                    await asyncio.to_thread(publisher.publish, events.CHANNEL, "job_a")
                    woke = await watch.next()
                    took = time.monotonic() - started
                    publisher.close()
                    quiet_started = time.monotonic()
                    heard = await other.next(0.3)  # nothing was said about job_b
                    return woke, took, heard, time.monotonic() - quiet_started

            woke, took, heard, waited = asyncio.run(scenario())
            assert woke and took < 10, took  # not the 30 s floor, with room for a loaded machine
            assert not heard and 0.25 <= waited < 10
        finally:
            bus.stop()


def test_a_watch_wakes_on_its_floor_without_a_nudge_and_at_once_with_one():
    bus = LocalBus()

    async def scenario() -> tuple[bool, bool, bool]:
        with bus.watch("job_x") as watch:
            quiet = await watch.next()  # floor: 0.15 s
            bus.publish("job_x")  # before the wait: kept, not lost
            first = await watch.next()
            second = await watch.next(0.05)
            return quiet, first, second

    assert asyncio.run(scenario()) == (False, True, False)
