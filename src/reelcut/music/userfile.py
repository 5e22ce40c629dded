"""Check a music file the user brings (mp3, wav, m4a, aac, flac, ogg, ...) before it is used.

Checked by content with PyAV, not by extension: a renamed text file is refused with the same
stable error code a bad video gets, and the duration returned is what the renderer will loop
or trim.
"""

from __future__ import annotations

from pathlib import Path

import av

from reelcut.errors import EmptyMediaError, InputNotFoundError, UnsupportedMediaError

_KINDS = "mp3, wav, m4a, aac, flac, ogg"


def _decoded_seconds(container: av.container.InputContainer, stream: av.AudioStream) -> float:
    """Duration by decoding, for streams whose header does not say (raw AAC, some OGG)."""
    total = 0
    for frame in container.decode(stream):
        total += frame.samples
    return total / stream.rate if stream.rate else 0.0


def check_music_file(path: Path) -> float:
    """Duration in seconds of the audio in ``path``, or the error that says why it cannot be used.

    Raises :class:`InputNotFoundError` (no such file), :class:`EmptyMediaError` (0 bytes or no
    audio in it) or :class:`UnsupportedMediaError` (not media, or media without sound).
    """
    path = Path(path)
    if not path.is_file():
        raise InputNotFoundError(f"{path}: no such music file")
    if path.stat().st_size == 0:
        raise EmptyMediaError(f"{path.name} is empty (0 bytes)")
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except (av.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise UnsupportedMediaError(
            f"{path.name} is not an audio file reelcut can read ({_KINDS})"
        ) from exc
    with container:
        if not container.streams.audio:
            raise UnsupportedMediaError(f"{path.name} has no audio stream ({_KINDS} expected)")
        stream = container.streams.audio[0]
        seconds = 0.0
        if stream.duration is not None and stream.time_base is not None:
            seconds = float(stream.duration * stream.time_base)
        elif container.duration is not None:
            seconds = container.duration / av.time_base
        if seconds <= 0:
            try:
                seconds = _decoded_seconds(container, stream)
            except av.FFmpegError as exc:
                raise UnsupportedMediaError(
                    f"{path.name}: audio cannot be decoded ({exc})"
                ) from exc
    if seconds <= 0:
        raise EmptyMediaError(f"{path.name} has no audio samples (zero length)")
    return seconds
