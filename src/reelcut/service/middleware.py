"""Pure ASGI middleware (streaming-safe): requests per minute, JSON body size, request log.

The rate limit counts requests per token (or per client address without one) in a sliding
minute, in this process's memory: with several server processes each counts its own share.
The request log stores every request with the ``X-Skill-Source``, ``X-Skill-Version`` and
``X-Skill-Platform`` attribution headers (accepted, never required).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import deque
from typing import Any

import anyio
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reelcut.service.errors import error_response
from reelcut.service.models import RequestLog

log = logging.getLogger("reelcut.service.requests")


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, per_minute: int) -> None:
        self.app = app
        self.per_minute = per_minute
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._calls = 0

    def _key(self, scope: Scope) -> str:
        auth = _headers(scope).get("authorization", "")
        if auth:
            return "t:" + hashlib.sha256(auth.encode()).hexdigest()[:24]
        client = scope.get("client")
        return "a:" + (client[0] if client else "?")

    def _allow(self, key: str) -> tuple[bool, int]:
        now = time.monotonic()
        with self._lock:
            self._calls += 1
            if self._calls % 1000 == 0:
                for k in [k for k, d in self._hits.items() if not d or d[-1] < now - 60]:
                    del self._hits[k]
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - 60:
                hits.popleft()
            if len(hits) >= self.per_minute:
                return False, max(1, int(hits[0] + 60 - now) + 1)
            hits.append(now)
            return True, 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.per_minute <= 0:
            await self.app(scope, receive, send)
            return
        allowed, wait = self._allow(self._key(scope))
        if not allowed:
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
        headers = _headers(scope)
        if headers.get("content-type", "").lower().startswith("multipart/"):
            await self.app(scope, receive, send)
            return
        message = f"the request body is over the {self.max_bytes // 1024} KB limit"
        declared = headers.get("content-length", "")
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


class RequestLogMiddleware:
    def __init__(self, app: ASGIApp, sessions: Any) -> None:
        self.app = app
        self.sessions = sessions

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
            headers = _headers(scope)
            client = scope.get("client")
            row = RequestLog(
                account_id=(scope.get("state") or {}).get("account_id"),
                method=scope.get("method", "")[:10],
                path=scope.get("path", "")[:500],
                status=status,
                client_ip=client[0] if client else None,
                skill_source=headers.get("x-skill-source", "")[:200] or None,
                skill_version=headers.get("x-skill-version", "")[:100] or None,
                skill_platform=headers.get("x-skill-platform", "")[:100] or None,
            )
            if row.skill_source or row.skill_platform:
                log.info(
                    "%s %s %s skill=%s/%s/%s",
                    row.method,
                    row.path,
                    status,
                    row.skill_source,
                    row.skill_version,
                    row.skill_platform,
                )
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(self._store, row)

    def _store(self, row: RequestLog) -> None:
        try:
            with self.sessions() as db:
                db.add(row)
                db.commit()
        except Exception:  # the log must never break a request
            log.exception("could not store the request log row")
