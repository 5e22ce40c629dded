"""Find the FFmpeg binary: ``REELCUT_FFMPEG`` if set, else the one the imageio-ffmpeg wheel ships."""

from __future__ import annotations

import functools
import os
import shutil

from reelcut.errors import FFmpegNotFoundError


@functools.cache
def ffmpeg_exe() -> str:
    """Path of the FFmpeg binary to run. Cached for the process."""
    named = os.environ.get("REELCUT_FFMPEG")
    if named:
        found = shutil.which(named) or (named if os.path.isfile(named) else None)
        if not found:
            raise FFmpegNotFoundError(f"REELCUT_FFMPEG={named!r} is not an executable file")
        return found
    try:
        import imageio_ffmpeg
    except ImportError as exc:  # pragma: no cover - a dependency
        raise FFmpegNotFoundError("imageio-ffmpeg is not installed; pip install reelcut") from exc
    try:
        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except RuntimeError as exc:
        raise FFmpegNotFoundError(f"the imageio-ffmpeg wheel has no FFmpeg binary: {exc}") from exc


def die_with_parent() -> None:  # pragma: no cover - runs in the child, between fork and exec
    """``preexec_fn`` for FFmpeg children: the kernel kills the child when the thread that
    started it dies (``prctl(PR_SET_PDEATHSIG, SIGKILL)``), so a server killed with SIGKILL
    leaves no encoder running for minutes. Linux only; elsewhere nothing happens. Also the
    first call of the early-analysis child (:mod:`reelcut.service.early`), in the new
    interpreter a multiprocessing spawn started: the parent is then the API process."""
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
