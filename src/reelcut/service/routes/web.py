"""The web page's door: its API (:mod:`~reelcut.service.routes.studio`) and the page itself
(:mod:`~reelcut.service.routes.page`), included by ``create_app`` in one call."""

from __future__ import annotations

from fastapi import FastAPI

from reelcut.service.routes import page, studio


def include(app: FastAPI) -> None:
    app.include_router(studio.router)
    page.mount(app)
