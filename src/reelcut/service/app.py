"""``create_app(settings)``: the FastAPI application of ``reelcut serve``.

The API is a thin door over the library: routes check who is asking and what they may do, then
hand work to jobs that call the same functions the CLI calls (probe, analyze, the agent,
render_draft). OpenAPI at ``/openapi.json``, interactive docs at ``/docs``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from reelcut.service import errors
from reelcut.service.context import Services
from reelcut.service.middleware import (
    BodyLimitMiddleware,
    RateLimitMiddleware,
    RequestLogMiddleware,
)
from reelcut.service.routes import ROUTERS
from reelcut.service.settings import Settings
from reelcut.service.tasks import run_job

log = logging.getLogger("reelcut.service")


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    settings = settings or Settings()
    services = services or Services.build(settings, run_job)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services.start()
        try:
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

    @app.get("/healthz", tags=["meta"])
    def healthz() -> dict[str, object]:
        return errors.envelope({"ok": True})

    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_json_kb * 1024)
    app.add_middleware(RequestLogMiddleware, sessions=services.sessions)
    app.add_middleware(RateLimitMiddleware, per_minute=settings.rate_limit_per_minute)
    if settings.cors_list:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_list,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["Content-Range", "Accept-Ranges", "Content-Length", "X-Job-Id"],
        )
    return app


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the service with uvicorn until interrupted."""
    import uvicorn

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    app = create_app(settings)
    log.info(
        "reelcut serve: data in %s, docs at http://%s:%d/docs",
        settings.data_dir.resolve(),
        host,
        port,
    )
    uvicorn.run(app, host=host, port=port, timeout_graceful_shutdown=10, log_level="info")
