"""Picture files (overlays, card backgrounds): their size, read by content through PyAV."""

from __future__ import annotations

from pathlib import Path

import av

from reelcut.errors import InputNotFoundError, UnsupportedMediaError


def image_size(path: Path) -> tuple[int, int]:
    """(width, height) of a picture (jpg, png, gif, webp)."""
    if not path.is_file():
        raise InputNotFoundError(f"{path} not found")
    try:
        with av.open(str(path)) as c:
            s = c.streams.video[0]
            return int(s.codec_context.width), int(s.codec_context.height)
    except (av.FFmpegError, IndexError):
        raise UnsupportedMediaError(f"{path.name} is not a picture reelcut can read") from None
