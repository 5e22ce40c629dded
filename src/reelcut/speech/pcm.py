"""Decode spans of a source's audio to what speech engines eat: 16 kHz mono int16.

Each span is reached with a seek, so transcribing the few pieces a reel uses costs about their
length, not the length of the source. Sample 0 of a returned span is at ``start_ms`` of the
source, counted from the container's start time (the clock the analysis and the render use).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import av
import numpy as np

from reelcut.errors import CorruptMediaError, InputNotFoundError
from reelcut.media.probe import open_input

RATE = 16_000
_SAMPLES_PER_MS = RATE // 1000


def read_spans(
    path: Path, spans_ms: Sequence[tuple[int, int | None]]
) -> Iterator[tuple[int, np.ndarray]]:
    """Yield ``(start_ms, samples)`` for each ``(start_ms, end_ms)``; ``end_ms=None`` reads to the end.

    Yields nothing when the source has no audio stream. A span that runs past the end of the
    audio comes back shorter.
    """
    if not path.is_file():
        raise InputNotFoundError(f"{path}: no such file")
    with open_input(path) as container:
        if not container.streams.audio:
            return
        stream = container.streams.audio[0]
        origin_s = container.start_time / av.time_base if container.start_time else 0.0
        for start_ms, end_ms in spans_ms:
            try:
                samples = _decode_span(container, stream, origin_s, start_ms, end_ms)
            except av.FFmpegError as exc:
                raise CorruptMediaError(f"{path.name}: audio is damaged ({exc})") from exc
            yield start_ms, samples


def _decode_span(
    container: av.container.InputContainer,
    stream: av.audio.stream.AudioStream,
    origin_s: float,
    start_ms: int,
    end_ms: int | None,
) -> np.ndarray:
    resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
    if start_ms > 0 and stream.time_base is not None:
        container.seek(int((origin_s + start_ms / 1000) / stream.time_base), stream=stream)
    else:
        container.seek(0)
    chunks: list[np.ndarray] = []
    have = 0
    first_ms: float | None = None
    for packet in container.demux(stream):
        for frame in packet.decode():
            if first_ms is None:
                first_ms = (
                    (float(frame.pts * frame.time_base) - origin_s) * 1000
                    if frame.pts is not None and frame.time_base is not None
                    else float(start_ms)
                )
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray().reshape(-1))
                have += chunks[-1].size
        if (
            end_ms is not None
            and first_ms is not None
            and first_ms + have / _SAMPLES_PER_MS >= end_ms
        ):
            break
    for out in resampler.resample(None):
        chunks.append(out.to_ndarray().reshape(-1))
    if not chunks or first_ms is None:
        return np.zeros(0, np.int16)
    samples = np.concatenate(chunks).astype(np.int16, copy=False)
    # Align sample 0 with start_ms: drop what the seek landed early on, pad a late start.
    shift = int(round((start_ms - first_ms) * _SAMPLES_PER_MS))
    if shift > 0:
        samples = samples[shift:]
    elif shift < 0:
        samples = np.concatenate([np.zeros(-shift, np.int16), samples])
    if end_ms is not None:
        samples = samples[: max(0, (end_ms - start_ms) * _SAMPLES_PER_MS)]
    return samples
