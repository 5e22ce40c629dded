"""``/mcp`` built on its first request, so ``reelcut serve`` starts without the MCP SDK.

Importing the SDK and building the server costs about 0.8 s of CPU, paid by every start of
the service (and of each test server) although most never see an MCP client. The route is
there from the start; the first request imports and builds the door on a worker thread, then
starts the SDK's session manager in the lifespan's task group (its ``run()`` must live in one
task for the whole life of the app, not in the request that happened to come first), and every
request goes to the real endpoint from then on. Without the ``mcp`` extra the route is absent.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import anyio.abc
import anyio.to_thread
from starlette.types import Receive, Scope, Send

from reelcut.service.context import Services

log = logging.getLogger("reelcut.service.mcp")

PATH = "/mcp"


def mcp_installed() -> bool:
    """The ``mcp`` extra is importable (found without importing it)."""
    return importlib.util.find_spec("mcp") is not None


class LazyMcpDoor:
    """The ``/mcp`` endpoint; :meth:`running` is entered by the app's lifespan."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._endpoint: Any = None
        self._group: anyio.abc.TaskGroup | None = None
        self._lock: anyio.Lock | None = None

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        async with anyio.create_task_group() as group:
            self._group, self._lock = group, anyio.Lock()
            try:
                yield
            finally:
                group.cancel_scope.cancel()  # ends the session manager, if one was started
                self._group = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._endpoint is None:
            await self._start()
        await self._endpoint(scope, receive, send)

    async def _start(self) -> None:
        if self._group is None or self._lock is None:
            raise RuntimeError("/mcp was called outside the app's lifespan")
        async with self._lock:
            if self._endpoint is not None:
                return
            endpoint, manager = await anyio.to_thread.run_sync(self._build)
            started = anyio.Event()
            self._group.start_soon(self._run_manager, manager, started)
            await started.wait()
            self._endpoint = endpoint

    def _build(self) -> tuple[Any, Any]:
        from reelcut.service.mcp_door import build_door

        log.info("building the /mcp door on its first request")
        return build_door(self._services)

    @staticmethod
    async def _run_manager(manager: Any, started: anyio.Event) -> None:
        async with manager.run():
            started.set()
            await anyio.sleep_forever()
