"""The ``reelcut`` command. Thin: it parses arguments and calls the library."""

from reelcut.cli.app import app, main

__all__ = ["app", "main"]
