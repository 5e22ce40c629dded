"""The one error the speech package adds to the tree in :mod:`reelcut.errors`.

Kept here until it moves into ``reelcut/errors.py`` beside its siblings (same code, same name).
"""

from __future__ import annotations

from reelcut.errors import ReelcutError


class SpeechEngineUnavailableError(ReelcutError):
    """The speech engine that was asked for cannot run here: package or model missing.

    Raised instead of ``ImportError`` so that the CLI and the service answer with a code and a
    message that says what to install or configure.
    """

    code = 5003
