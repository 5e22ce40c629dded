"""Pure ASGI middleware (streaming-safe): requests per minute, JSON body size, request log.

The rate limit counts requests per client address in a sliding minute, in this process's
memory: with several server processes each counts its own share.
The request log stores every request with the ``X-Skill-Source``, ``X-Skill-Version`` and
``X-Skill-Platform`` attribution headers (accepted, never required).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, insert
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reelcut.service.errors import error_response
from reelcut.service.limits import Network, SlidingWindow, client_address
from reelcut.service.models import RequestLog, now

log = logging.getLogger("reelcut.service.requests")


def _header(scope: Scope, name: bytes) -> str:
    for k, v in scope.get("headers", []):
        if k.lower() == name:
            return str(v.decode("latin-1"))
    return ""


def _headers(scope: Scope, names: frozenset[bytes]) -> dict[bytes, str]:
    """The first value of each of ``names`` (lower case) the request has; one pass over the
    headers, decoding only those (every request goes through each middleware)."""
    found: dict[bytes, str] = {}
    for k, v in scope.get("headers", []):
        k = k.lower()
        if k in names and k not in found:
            found[k] = v.decode("latin-1")
    return found


_BODY_HEADERS = frozenset((b"content-type", b"content-length"))
_SKILL_HEADERS = frozenset((b"x-skill-source", b"x-skill-version", b"x-skill-platform"))


class RateLimitMiddleware:
    """Requests per client address (see :mod:`reelcut.service.limits`); the account's own
    budget is checked once its token is verified (:func:`reelcut.service.auth.current_account`)."""

    def __init__(self, app: ASGIApp, per_minute: int, proxies: Sequence[Network] = ()) -> None:
        self.app = app
        self.per_minute = per_minute
        self.proxies = list(proxies)
        self.window = SlidingWindow(per_minute)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        peer = scope.get("client")
        forwarded = _header(scope, b"x-forwarded-for") if self.proxies else ""
        address = client_address(peer[0] if peer else None, forwarded, self.proxies)
        scope.setdefault("state", {})["client_address"] = address
        wait = self.window.hit("a:" + address)
        if wait:
            response = error_response(
                429,
                429,
                f"too many requests: the limit is {self.per_minute} a minute; retry in {wait} s",
                {"Retry-After": str(wait)},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


class BodyLimitMiddleware:
    """Non-multipart bodies are capped at ``max_bytes`` (413); uploads check their own files."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope, _BODY_HEADERS)
        if headers.get(b"content-type", "").lower().startswith("multipart/"):
            await self.app(scope, receive, send)
            return
        message = f"the request body is over the {self.max_bytes // 1024} KB limit"
        declared = headers.get(b"content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await error_response(413, 413, message)(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.max_bytes:
                    raise StarletteHTTPException(413, message)
            return msg

        await self.app(scope, limited, send)


class RequestLogWriter:
    """Stores request log rows in batches from one thread, so a request never waits on a
    database write (at hundreds of requests a second, one write transaction each would be the
    service's whole cost). Rows still buffered when the process dies are lost.

    Batches are small and frequent (every 0.1 s) and go in as one Core ``executemany``, not an
    ORM bulk insert: the writer shares the GIL with the event loop, so a big batch every half
    second showed up as a pause in every request's tail latency (``bench/service_load.py``)."""

    def __init__(self, sessions: Any, interval_s: float = 0.1) -> None:
        self.sessions = sessions
        self.interval_s = interval_s
        self._rows: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, row: dict[str, Any]) -> None:
        with self._lock:
            self._rows.append(row)
            if len(self._rows) > 50_000:  # the database is stuck: keep memory bounded
                del self._rows[:10_000]

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="reelcut-request-log", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(5)
        self.flush()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval_s)
            self.flush()

    def flush(self) -> None:
        with self._lock:
            rows, self._rows = self._rows, []
        if not rows:
            return
        try:
            with self.sessions() as db:
                db.execute(insert(cast(Table, RequestLog.__table__)), rows)  # Core executemany
                db.commit()
        except Exception:  # the log must never break the service
            log.exception("could not store %d request log row(s)", len(rows))


class RequestLogMiddleware:
    def __init__(self, app: ASGIApp, writer: RequestLogWriter) -> None:
        self.app = app
        self.writer = writer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500

        async def send_status(msg: Message) -> None:
            nonlocal status
            if msg["type"] == "http.response.start":
                status = int(msg["status"])
            await send(msg)

        try:
            await self.app(scope, receive, send_status)
        finally:
            headers = _headers(scope, _SKILL_HEADERS)
            client = scope.get("client")
            state = scope.get("state") or {}
            row = {
                "at": now(),
                "account_id": state.get("account_id"),
                "method": scope.get("method", "")[:10],
                "path": scope.get("path", "")[:500],
                "status": status,
                "client_ip": state.get("client_address") or (client[0] if client else None),
                "skill_source": headers.get(b"x-skill-source", "")[:200] or None,
                "skill_version": headers.get(b"x-skill-version", "")[:100] or None,
                "skill_platform": headers.get(b"x-skill-platform", "")[:100] or None,
            }
            if row["skill_source"] or row["skill_platform"]:
                log.info(
                    "%s %s %s skill=%s/%s/%s",
                    row["method"],
                    row["path"],
                    status,
                    row["skill_source"],
                    row["skill_version"],
                    row["skill_platform"],
                )
            self.writer.add(row)
