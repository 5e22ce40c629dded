"""Decode a clip cheaply into small upright pictures a few times a second.

Every frame has to be decoded (H.264 frames depend on each other), but only one every
``1/sample_fps`` seconds is scaled down (to ~224 px wide, grey plus a colour histogram), which is
the costly part. Every decoded frame also leaves a free 8-bit thumbnail read straight from its
luma plane (no scaling), so a shot cut seen between two samples can be placed on its exact frame.
Pictures are turned by the stream's display rotation, so coordinates are those of the picture a
viewer (and FFmpeg, which autorotates) sees.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import av
import cv2
import numpy as np

from reelcut.errors import CorruptMediaError, InvalidArgumentError
from reelcut.media.probe import open_input
from reelcut.progress import ProgressFn, check_cancel, no_progress

SAMPLE_WIDTH = 224
HIST_BINS = 8
HIST_GRID = 2  # histograms per block of a 2x2 grid: a cut changes where colours are, too
HIST_BLOCKS = HIST_GRID * HIST_GRID
_THUMB_STEP = 16  # luma thumbnails take every 16th pixel of every 16th line
_EIGHT_BIT_YUV = {"yuv420p", "yuvj420p", "yuv422p", "yuvj422p", "yuv444p", "yuvj444p", "nv12"}


@dataclass(frozen=True, slots=True)
class Samples:
    """Small pictures of one clip; times are seconds from the clip start."""

    times_s: np.ndarray  # (n,) float
    gray: np.ndarray  # (n, h, w) uint8, upright
    rgb: np.ndarray  # (n, h, w, 3) uint8, upright: the same pictures in colour (faces)
    hists: np.ndarray  # (n, blocks * 3 * bins): per grid block, per RGB channel, sums to 1
    frame_times_s: np.ndarray  # (m,) every decoded frame in the clip
    frame_thumbs: np.ndarray  # (m, th, tw) float32 luma thumbnails (not rotated)
    display_size: tuple[int, int]  # (width, height) of the displayed source picture


def sample_frames(
    source: Path,
    source_in_s: float,
    source_out_s: float,
    sample_fps: float,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> Samples:
    """Decode ``source`` from ``source_in_s`` to ``source_out_s`` into :class:`Samples`."""
    if sample_fps <= 0:
        raise InvalidArgumentError(f"sample_fps must be positive, not {sample_fps}")
    step = 1.0 / sample_fps
    span = source_out_s - source_in_s
    times: list[float] = []
    grays: list[np.ndarray] = []
    colours: list[np.ndarray] = []
    hists: list[np.ndarray] = []
    frame_times: list[float] = []
    thumbs: list[np.ndarray] = []
    display = (0, 0)
    with open_input(source) as container:
        stream = container.streams.video[0]
        stream.codec_context.thread_type = "AUTO"
        start = container.start_time / av.time_base if container.start_time else 0.0
        tb = float(stream.time_base) if stream.time_base else 1 / 90000
        next_t = 0.0
        try:
            if source_in_s > 0:
                container.seek(int((source_in_s + start) / tb), stream=stream, backward=True)
            for frame in container.decode(stream):
                if frame.pts is None:
                    continue
                t = frame.pts * tb - start - source_in_s
                if t < -1e-3:  # before the clip: FFmpeg's accurate seek drops these too
                    continue
                if t >= span:
                    break
                t = max(t, 0.0)
                frame_times.append(t)
                thumbs.append(_luma_thumb(frame, thumbs[0].shape if thumbs else None))
                if t + 1e-6 >= next_t:
                    gray, rgb, display = _upright_small(frame)
                    times.append(t)
                    grays.append(gray)
                    colours.append(rgb)
                    hists.append(_grid_hist(rgb))
                    next_t = (int(t / step + 1e-6) + 1) * step
                    if len(times) % 10 == 0:
                        check_cancel(cancel)
                        progress("reframe", t, span)
        except av.FFmpegError as exc:
            raise CorruptMediaError(f"{source.name}: video is damaged ({exc})") from exc
    if not times:
        raise InvalidArgumentError(
            f"{source.name} has no video frames between {source_in_s:.2f} s and {source_out_s:.2f} s"
        )
    progress("reframe", span, span)
    return Samples(
        np.asarray(times),
        np.stack(grays),
        np.stack(colours),
        np.stack(hists),
        np.asarray(frame_times),
        np.stack(thumbs),
        display,
    )


def _rotation_turns(frame: av.VideoFrame) -> int:
    """Quarter turns counter-clockwise the player applies (the display matrix's angle)."""
    return int(round((getattr(frame, "rotation", 0) or 0) / 90.0)) % 4


def _upright_small(frame: av.VideoFrame) -> tuple[np.ndarray, np.ndarray, tuple[int, int]]:
    turns = _rotation_turns(frame)
    disp_w, disp_h = (frame.height, frame.width) if turns % 2 else (frame.width, frame.height)
    small_w = min(SAMPLE_WIDTH, disp_w)
    small_h = max(2, int(round(small_w * disp_h / disp_w)))
    coded_w, coded_h = (small_h, small_w) if turns % 2 else (small_w, small_h)
    coded = np.asarray(
        frame.reformat(width=coded_w, height=coded_h, format="rgb24").to_ndarray(), np.uint8
    )
    rgb = np.ascontiguousarray(np.rot90(coded, turns)) if turns else coded
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    return gray, rgb, (disp_w, disp_h)


def _grid_hist(rgb: np.ndarray) -> np.ndarray:
    h, w = rgb.shape[:2]
    parts: list[np.ndarray] = []
    for gy in range(HIST_GRID):
        for gx in range(HIST_GRID):
            block = rgb[
                gy * h // HIST_GRID : (gy + 1) * h // HIST_GRID,
                gx * w // HIST_GRID : (gx + 1) * w // HIST_GRID,
            ]
            for c in range(3):
                levels = (block[..., c] >> 5).ravel()
                counts = np.bincount(levels, minlength=HIST_BINS).astype(np.float64)
                parts.append(counts / max(counts.sum(), 1.0))
    return np.concatenate(parts)


def _luma_thumb(frame: av.VideoFrame, shape: tuple[int, ...] | None) -> np.ndarray:
    """Every 16th luma sample, read in place: costs microseconds, even for 4K frames."""
    thumb: np.ndarray
    if frame.format.name in _EIGHT_BIT_YUV:
        plane = frame.planes[0]
        buf = np.frombuffer(memoryview(plane), np.uint8).reshape(-1, plane.line_size)
        thumb = buf[: frame.height : _THUMB_STEP, : frame.width : _THUMB_STEP]
    else:
        thumb = frame.reformat(
            width=max(1, frame.width // _THUMB_STEP),
            height=max(1, frame.height // _THUMB_STEP),
            format="gray",
        ).to_ndarray()
    if shape is not None and thumb.shape != shape:  # the picture size changed mid-stream
        thumb = cv2.resize(thumb, (shape[1], shape[0]), interpolation=cv2.INTER_AREA)
    return thumb.astype(np.float32)
