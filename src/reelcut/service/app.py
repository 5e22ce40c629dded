"""``create_app(settings)``: the FastAPI application of ``reelcut serve``.

The API is a thin door over the library: routes check who is asking and what they may do, then
hand work to jobs that call the same functions the CLI calls (probe, analyze, the agent,
render_draft). OpenAPI at ``/openapi.json``, interactive docs at ``/docs``.
"""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.routing import Route

from reelcut.errors import ReelcutError
from reelcut.service import errors
from reelcut.service.context import Services
from reelcut.service.middleware import (
    BodyLimitMiddleware,
    RateLimitMiddleware,
    RequestLogMiddleware,
)
from reelcut.service.routes import ROUTERS, web
from reelcut.service.runtime import deadline_protocol, prepare_data_dir
from reelcut.service.settings import Settings
from reelcut.service.tasks import run_job

log = logging.getLogger("reelcut.service")


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    settings = settings or Settings()
    if services is None:
        queue = None
        if settings.broker_url:  # jobs go to `reelcut worker` processes
            from reelcut.service.broker import CeleryJobQueue, celery_app

            queue = CeleryJobQueue(celery_app(settings), settings.queue_size)
        services = Services.build(settings, run_job, queue)

    doors: list[Callable[[], AbstractAsyncContextManager[None]]] = []  # run while serving

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services.start()
        try:
            async with AsyncExitStack() as running:
                for door in doors:
                    await running.enter_async_context(door())
                yield
        finally:
            services.stop()

    app = FastAPI(
        title="reelcut",
        summary="Self-hosted AI highlight editor: the HTTP API agent skills for hosted editors speak.",
        version="1",
        lifespan=lifespan,
        docs_url="/docs",
    )
    app.state.services = services
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router)
    web.include(app)

    doors.extend(_mcp_door(app, services))

    @app.get("/healthz", tags=["meta"])
    async def healthz() -> dict[str, object]:  # async: no thread hop for a liveness probe
        return errors.envelope({"ok": True})

    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_json_kb * 1024)
    app.add_middleware(RequestLogMiddleware, writer=services.request_log)
    app.add_middleware(
        RateLimitMiddleware,
        per_minute=settings.rate_limit_per_minute,
        proxies=settings.proxy_networks,
    )
    if settings.cors_list:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_list,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["Content-Range", "Accept-Ranges", "Content-Length", "X-Job-Id"],
        )
    return app


def _mcp_door(app: FastAPI, services: Services) -> list[Callable[[], Any]]:
    """``/mcp`` for remote agents when the ``mcp`` extra is installed (else the API alone);
    built on its first request (:mod:`reelcut.service.mcp_lazy`)."""
    from reelcut.service.mcp_lazy import PATH, LazyMcpDoor, mcp_installed

    if not mcp_installed():
        log.info("no /mcp: install reelcut[mcp] for the MCP door")
        return []
    door = LazyMcpDoor(services)
    app.router.routes.append(Route(PATH, endpoint=door, methods=["GET", "POST", "DELETE"]))
    return [door.running]


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the service with uvicorn until interrupted.

    A data dir that cannot be written ends here in one line on stderr (exit 1), not a traceback.
    Connections: headers must arrive within ``header_timeout_s``, idle keep-alive connections
    close after 5 s, and at most ``max_connections`` are served at once (503 beyond). Client
    addresses come from our own trusted-proxy rule (:mod:`reelcut.service.limits`), so uvicorn's
    ``X-Forwarded-For`` rewriting is off.
    """
    import uvicorn
    from uvicorn.protocols.http.auto import AutoHTTPProtocol

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        prepare_data_dir(settings.data_dir)
        app = create_app(settings)  # opens and migrates the database
    except ReelcutError as exc:
        print(f"reelcut serve: {exc.message}", file=sys.stderr)
        raise SystemExit(1) from None
    log.info(
        "reelcut serve: data in %s, docs at http://%s:%d/docs",
        settings.data_dir.resolve(),
        host,
        port,
    )
    # Everything made so far (the app, its routes, SQLAlchemy's compiled statements) lives as
    # long as the process: frozen out of the collector, a full collection no longer walks it,
    # which was a pause in the cheap requests' tail latency under load.
    gc.collect()
    gc.freeze()
    uvicorn.run(
        app,
        host=host,
        port=port,
        http=deadline_protocol(AutoHTTPProtocol, settings.header_timeout_s),
        proxy_headers=False,
        timeout_keep_alive=5,
        limit_concurrency=settings.max_connections,
        timeout_graceful_shutdown=10,
        log_level="info",
        access_log=False,
    )
