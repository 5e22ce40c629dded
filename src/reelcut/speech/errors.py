"""The one error the speech package adds to the tree in :mod:`reelcut.errors`: a kind of
:class:`~reelcut.errors.MissingComponentError` (5003), kept here beside the engines it names.
"""

from __future__ import annotations

from reelcut.errors import MissingComponentError


class SpeechEngineUnavailableError(MissingComponentError):
    """The speech engine that was asked for cannot run here: package or model missing.

    Raised instead of ``ImportError`` so that the CLI and the service answer with a code and a
    message that says what to install or configure.
    """

    code = 5003
