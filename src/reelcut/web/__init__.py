"""The web page of ``reelcut serve``: one HTML page, one vanilla JavaScript module and one
stylesheet, shipped as package data (no build step, no CDN: it works offline).

It talks to the same HTTP API as every other client (tokens, sessions, uploads, ``/run_sse``,
state, renders) plus the page's own endpoints in :mod:`reelcut.service.routes.studio`.
"""

from __future__ import annotations

from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"

__all__ = ["STATIC_DIR"]
