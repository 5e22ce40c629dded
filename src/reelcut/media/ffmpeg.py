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
