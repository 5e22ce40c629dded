"""``reelcut mcp``: reelcut's tools for agents over MCP (stdio), a thin call into
:mod:`reelcut.mcp`. Needs the ``mcp`` extra.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reelcut.cli.app import app, say


@app.command("mcp")
def mcp_server(
    root: Annotated[
        Path | None,
        typer.Option("--root", help="Folder relative paths start from (default: here)."),
    ] = None,
) -> None:
    """Serve reelcut's tools to an agent over MCP on stdin/stdout (local files, no account)."""
    try:
        from reelcut.mcp.server import run_stdio
    except ImportError as exc:  # the extra is missing
        say(f"reelcut mcp needs its extra: pip install 'reelcut[mcp]' ({exc})")
        raise typer.Exit(1) from None
    run_stdio(root)
