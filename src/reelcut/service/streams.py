"""How many event streams one account holds open at once, across every API process.

An open stream (``GET /api/jobs/{id}/events``, ``POST /run_sse``, the MCP door's ``GET /mcp``)
costs its API process a connection, a watch on the event bus and a read of the database every
``event_poll_s`` for as long as it stays open (up to ``sse_cap_s``), and anyone with a token
can open one. Jobs are capped per account (``max_jobs_per_account``); streams on one job were
not: a thousand streams following one upload's analysis cost a thousand watches. So each
account may hold at most ``max_streams_per_account`` open; one more is 429 (code 429, the
table's "too many requests") with ``Retry-After``, until one of its streams ends or its client
goes away (:class:`HeldStream` lets go when the response ends, however it ends).

- :class:`LocalStreams` (no broker): a count per account in this process, which is then the
  whole service.
- :class:`RedisStreams` (a Redis broker): a sorted set per account in Redis, one member per
  open stream scored by when its slot lapses, so the cap holds across API processes. Each
  process renews its own slots every ``lease_s``/3; slots of a process that died lapse within
  ``lease_s`` (30 s) instead of holding the account's cap forever. When Redis does not answer,
  the process counts its own streams (still bounded, per process) rather than refusing all, and
  for ``RETRY_S`` after that it does not ask Redis at all (a Redis whose packets are dropped
  costs each call its socket timeout).

The doors reach the slots through :class:`Slot` only: it takes and gives back in a worker
thread, since the Redis calls block, and an API process's event loop must never wait on them.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import AsyncIterator, Mapping
from typing import Any, Protocol

import anyio
from fastapi.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from reelcut.service.errors import ApiError, too_many

log = logging.getLogger("reelcut.service.streams")

KEY = "reelcut:streams:"

# KEYS[1] the account's set; ARGV: limit, member, slot lifetime in ms. Redis's own clock, so
# API hosts whose clocks differ agree on when a slot lapsed.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1
"""

# KEYS: the sets; ARGV[1] the lifetime in ms, ARGV[2..] the members (one per key, same order)
_RENEW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, 'XX', now + tonumber(ARGV[1]), ARGV[i + 1])
  redis.call('PEXPIRE', key, tonumber(ARGV[1]))
end
return #KEYS
"""


def full(limit: int) -> ApiError:
    return too_many(
        f"this account already has {limit} event streams open (the most at once); close one, "
        "or poll GET /api/render/proxy/lambda/<id> or /api/state/... instead",
        retry_after_s=5,
    )


class StreamSlots(Protocol):
    def take(self, account_id: str) -> str:
        """A slot for one more stream of ``account_id``; :class:`ApiError` 429 when full."""
        ...

    def give(self, account_id: str, slot: str) -> None:
        """Let go of a slot (at most once per slot; a second call does nothing)."""
        ...

    def stop(self) -> None: ...


class LocalStreams:
    """Open streams counted per account in this process."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._open: dict[str, set[str]] = {}

    def take(self, account_id: str) -> str:
        with self._lock:
            held = self._open.setdefault(account_id, set())
            if len(held) >= self.limit:
                raise full(self.limit)
            slot = secrets.token_hex(8)
            held.add(slot)
            return slot

    def give(self, account_id: str, slot: str) -> None:
        with self._lock:
            held = self._open.get(account_id)
            if held is not None:
                held.discard(slot)
                if not held:
                    del self._open[account_id]

    def count(self, account_id: str) -> int:
        with self._lock:
            return len(self._open.get(account_id, ()))

    def stop(self) -> None:
        pass


class RedisStreams:
    """Open streams counted per account in Redis (see the module docstring)."""

    RETRY_S = 15.0  # after Redis did not answer: the local count only, for this long

    def __init__(self, url: str, limit: int, lease_s: float) -> None:
        import redis

        self.limit = limit
        self.lease_ms = max(1000, int(lease_s * 1000))
        self._client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._down_until = 0.0  # time.monotonic() before which Redis is not asked
        self._take = self._client.register_script(_TAKE)
        self._renew = self._client.register_script(_RENEW)
        self._fallback = LocalStreams(limit)  # while Redis does not answer
        self._lock = threading.Lock()
        self._held: dict[str, str] = {}  # slot -> account, this process's, renewed here
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def take(self, account_id: str) -> str:
        slot = secrets.token_hex(8)
        if time.monotonic() < self._down_until:
            return "local:" + self._fallback.take(account_id)
        try:
            taken = self._take(keys=[KEY + account_id], args=[self.limit, slot, self.lease_ms])
        except Exception as exc:
            self._down_until = time.monotonic() + self.RETRY_S
            log.warning("stream cap: Redis does not answer (%s); counting this process's", exc)
            return "local:" + self._fallback.take(account_id)
        if not taken:
            raise full(self.limit)
        with self._lock:
            self._held[slot] = account_id
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._keep, name="reelcut-streams", daemon=True
                )
                self._thread.start()
        return slot

    def give(self, account_id: str, slot: str) -> None:
        if slot.startswith("local:"):
            self._fallback.give(account_id, slot.removeprefix("local:"))
            return
        with self._lock:
            if self._held.pop(slot, None) is None:
                return
        if time.monotonic() < self._down_until:
            return  # not renewed any more: it lapses within lease_s on its own
        try:
            self._client.zrem(KEY + account_id, slot)
        except Exception as exc:  # it lapses within lease_s on its own
            self._down_until = time.monotonic() + self.RETRY_S
            log.warning("stream cap: could not give back a slot (%s)", exc)

    def _keep(self) -> None:
        """Renew this process's slots every third of their lifetime."""
        while not self._stopping.wait(self.lease_ms / 3000):
            with self._lock:
                held = list(self._held.items())
            if not held:
                continue
            try:
                keys = [KEY + account for _, account in held]
                self._renew(keys=keys, args=[self.lease_ms, *[slot for slot, _ in held]])
            except Exception as exc:  # the next turn may pass; meanwhile slots may lapse
                log.warning("stream cap: could not renew %d slot(s) (%s)", len(held), exc)

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(3)
        self._client.close()


def open_slots(broker_url: str | None, limit: int, lease_s: float) -> StreamSlots:
    """Across API processes in Redis behind a Redis broker, else in this process."""
    if broker_url and broker_url.startswith(("redis://", "rediss://")):
        return RedisStreams(broker_url, limit, lease_s)
    return LocalStreams(limit)


class Slot:
    """One of an account's stream slots, taken and given back off the event loop (the Redis
    calls block for up to their socket timeout when Redis does not answer)."""

    def __init__(self, slots: StreamSlots, account_id: str, slot: str) -> None:
        self._held: tuple[StreamSlots, str, str] | None = (slots, account_id, slot)

    @classmethod
    async def take(cls, slots: StreamSlots, account_id: str) -> Slot:
        """A slot of ``account_id``'s; :class:`ApiError` 429 when its streams are at the cap."""
        return cls(slots, account_id, await anyio.to_thread.run_sync(slots.take, account_id))

    async def give(self) -> None:
        """Let go (once; later calls do nothing), also while the caller is being cancelled (a
        client that went away)."""
        found, self._held = self._held, None
        if found is not None:
            slots, account_id, slot = found
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(slots.give, account_id, slot)


class HeldStream(StreamingResponse):
    """A streaming answer that holds one of its account's stream slots until it ends: its
    body finished, its client went away, or the server stopped it."""

    def __init__(
        self, body: AsyncIterator[str], slot: Slot, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(body, media_type="text/event-stream", headers=headers)
        self.slot = slot

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self.slot.give()


async def held_stream(
    slots: StreamSlots, account_id: str, body: AsyncIterator[str], headers: dict[str, Any]
) -> HeldStream:
    """The stream ``body`` as an SSE answer holding a slot of ``account_id``'s (429 when its
    streams are at the cap, before anything is sent)."""
    return HeldStream(body, await Slot.take(slots, account_id), headers)
