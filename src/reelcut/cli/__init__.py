"""The ``reelcut`` command. Thin: it parses arguments and calls the library."""

from reelcut.cli import mcp_cmds as _mcp_cmds  # noqa: F401  (mcp)
from reelcut.cli import project_cmds as _project_cmds  # noqa: F401  (registers its commands)
from reelcut.cli import serve_cmds as _serve_cmds  # noqa: F401  (serve, admin)
from reelcut.cli import speech_cmds as _speech_cmds  # noqa: F401  (transcript)
from reelcut.cli.app import app, main

__all__ = ["app", "main"]
