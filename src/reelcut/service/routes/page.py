"""The web page at ``/`` and its files at ``/web/...`` (from :mod:`reelcut.web`'s package data).

The page is static: everything it shows comes from the API at run time, so it is served as a
file with a short cache life and works with no network beyond this server.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from reelcut.web import STATIC_DIR


def mount(app: FastAPI) -> None:
    """Serve ``/`` (the page) and ``/web/<file>`` (its script, styles and icon)."""

    @app.get("/", include_in_schema=False, response_class=FileResponse)
    def index() -> FileResponse:
        return FileResponse(
            STATIC_DIR / "index.html",
            media_type="text/html; charset=utf-8",
            headers={"Cache-Control": "no-cache"},
        )

    app.mount("/web", StaticFiles(directory=STATIC_DIR), name="web")
