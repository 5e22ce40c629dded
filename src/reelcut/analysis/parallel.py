"""Run the audio analysis in a second process while this one reads the video stream.

Both halves spend much of their time in Python between FFmpeg calls, so threads would share one
core through the GIL; a spawned process gives each half a core of its own. Progress and the
result come back over a queue; a cancel terminates the child.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reelcut.analysis.audio import AudioFeatures, analyze_audio
from reelcut.errors import CancelledError, ReelcutError
from reelcut.progress import ProgressFn, check_cancel


def _child(q: Any, path: Path, duration_s: float, step_s: float) -> None:
    try:
        result = analyze_audio(path, duration_s, step_s, lambda s, d, t: q.put(("progress", d)))
        q.put(("done", result))
    except ReelcutError as exc:
        q.put(("error", exc))
    except Exception as exc:  # pragma: no cover - surfaced to the parent as a typed error
        q.put(("error", ReelcutError(f"audio analysis failed: {exc}")))


class AudioProcess:
    """Handle on a running audio analysis in a child process."""

    def __init__(self, path: Path, duration_s: float, step_s: float) -> None:
        ctx = mp.get_context("spawn")
        self._q = ctx.Queue()
        self._proc = ctx.Process(
            target=_child, args=(self._q, path, duration_s, step_s), daemon=True
        )
        self._proc.start()
        self._result: AudioFeatures | None = None
        self._error: ReelcutError | None = None

    def poll(self, progress: ProgressFn, block: bool = False, timeout: float = 0.5) -> bool:
        """Handle messages; True once the result (or an error) has arrived."""
        while self._result is None and self._error is None:
            try:
                kind, value = self._q.get(block=block, timeout=timeout if block else None)
            except queue.Empty:
                if block and not self._proc.is_alive():
                    self._error = ReelcutError("audio analysis process died")
                return self._result is not None or self._error is not None
            if kind == "progress":
                progress("audio", value, 0.0)
            elif kind == "done":
                self._result = value
            else:
                self._error = value
        return True

    def result(self, progress: ProgressFn, cancel: threading.Event | None) -> AudioFeatures:
        try:
            while not self.poll(progress, block=True):
                check_cancel(cancel)
        except CancelledError:
            self._proc.terminate()
            raise
        finally:
            self._proc.join(timeout=5)
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result


def with_audio_process(
    path: Path,
    duration_s: float,
    step_s: float,
    progress: ProgressFn,
    video_job: Callable[[ProgressFn], Any],
    cancel: threading.Event | None,
) -> tuple[AudioFeatures, Any]:
    """Run ``video_job`` here while the audio is analysed in a child; return both results."""
    child = AudioProcess(path, duration_s, step_s)

    def video_progress(stage: str, done: float, total: float) -> None:
        progress(stage, done, total)
        child.poll(progress)

    try:
        video = video_job(video_progress)
    except BaseException:
        child._proc.terminate()
        raise
    return child.result(progress, cancel), video
