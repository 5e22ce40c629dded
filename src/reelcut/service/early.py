"""Analysis that starts while an upload is still streaming in.

The upload parser writes each file part into a :class:`~reelcut.media.growing.GrowingFile`;
an :class:`EarlyAnalysis` watches its first bytes and, when the layout can be decoded front to
back (faststart MP4/MOV, Matroska/WebM), analyses it on a thread as the bytes arrive
(:func:`reelcut.editor.footage.analyze_growing`). The result is stored in the analysis cache
under the finished file's content key, so the analysis job the upload creates finds it and
completes at once. That job is what charges (1 credit per started minute, frozen at the upload,
settled when it completes), so an analysis is charged once however it ran, and an aborted
upload creates no job and charges nothing (its early analysis is cancelled and stores nothing).

An MP4 with ``moov`` at the end, a fragmented MP4, AVI, an account that cannot pay, or all
slots busy (``early_analyses``): nothing starts early and the job analyses the finished file,
exactly as before. The upload's answer waits for a running early analysis to finish, so the
job never analyses the same bytes a second time beside it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from reelcut.editor.footage import analyze_growing
from reelcut.media.growing import HEAD_LIMIT, GrowingFile, streamable

log = logging.getLogger("reelcut.service.early")

_slots_lock = threading.Lock()
_slots: dict[int, threading.BoundedSemaphore] = {}


def _slots_for(count: int) -> threading.BoundedSemaphore:
    """One pool of ``count`` slots per process (one app per process)."""
    with _slots_lock:
        return _slots.setdefault(count, threading.BoundedSemaphore(count))


class EarlyAnalysis:
    """One upload's analysis as its bytes arrive: :meth:`feed` after every write,
    :meth:`cancel` on an abort, :meth:`wait` once the last byte is written."""

    def __init__(
        self, file: GrowingFile, name: str, afford: Callable[[float], bool], slots: int
    ) -> None:
        self.file = file
        self.name = name
        self._afford = afford
        self._slots = _slots_for(slots) if slots > 0 else None
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._decided = False
        self.outcome = "not started: the first bytes were not read yet"

    @property
    def started(self) -> bool:
        return self._thread is not None

    def feed(self) -> None:
        """Once the first bytes say whether the layout streams, start (or give up)."""
        if self._decided:
            return
        verdict = streamable(self.file.head(HEAD_LIMIT))
        if verdict is None and not self.file.complete and self.file.size < HEAD_LIMIT:
            return
        self._decided = True
        self.file.forget_head()
        if not verdict:
            self._give_up("this layout cannot be decoded before its last byte")
            return
        if self._slots is None or not self._slots.acquire(blocking=False):
            self._give_up("every early-analysis slot is busy")
            return
        self.file.register()
        log.info("early analysis of %s: started at byte %d", self.name, self.file.size)
        self._thread = threading.Thread(
            target=self._run, name=f"reelcut-early-{self.name[:20]}", daemon=True
        )
        self._thread.start()

    def _give_up(self, why: str) -> None:
        self.outcome = f"not started: {why}"
        log.info("early analysis of %s: %s", self.name, self.outcome)

    def _run(self) -> None:
        try:
            self.outcome = analyze_growing(self.file, afford=self._afford, cancel=self._cancel)
        except Exception as exc:  # never let a thread die silently; the job analyses instead
            log.exception("early analysis of %s failed", self.name)
            self.outcome = f"failed: {exc}"
        finally:
            self.file.unregister()
            if self._slots is not None:
                self._slots.release()
            log.info("early analysis of %s: %s", self.name, self.outcome)

    def cancel(self) -> None:
        """The upload failed: stop reading, store nothing."""
        self._cancel.set()
        self.file.abort()

    def wait(self, timeout_s: float | None = None) -> str:
        """After the last byte: wait for the analysis to finish; what it did."""
        if not self._decided:
            self.feed()
        if self._thread is not None:
            self._thread.join(timeout_s)
        return self.outcome
