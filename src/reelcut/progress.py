"""The one progress mechanism: long work calls ``progress(stage, done, total)``.

The CLI draws Rich bars from it and the service turns it into job progress. A ``threading.Event``
passed as ``cancel`` stops the work at the next check with :class:`CancelledError`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from reelcut.errors import CancelledError

ProgressFn = Callable[[str, float, float], None]


def no_progress(stage: str, done: float, total: float) -> None:
    """Default sink: ignore progress."""


def check_cancel(cancel: threading.Event | None) -> None:
    """Raise :class:`CancelledError` if the caller asked to stop."""
    if cancel is not None and cancel.is_set():
        raise CancelledError("cancelled")
