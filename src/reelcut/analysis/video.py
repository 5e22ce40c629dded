"""Visual activity and shot boundaries from the compressed stream, decoding almost nothing.

Every packet's size and key flag is read by demuxing alone (no decode): an encoder spends more
bits on frames that change more, so bits per second is a cheap motion measure, and a frame that
costs many times its neighbours is a cut. Only keyframes are decoded, to 64x36 grey thumbnails,
to confirm cuts: x264 places an extra keyframe at a scene cut, off its regular GOP grid. Of an
H.264 keyframe the top 40% is decoded, and the whole only where the top leaves the answer open
(:mod:`reelcut.analysis.keythumbs`): decoding was 70% of analysis time on grainy 1080p.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from reelcut.analysis.keythumbs import KeyframeThumbs
from reelcut.errors import CorruptMediaError
from reelcut.media.probe import open_input
from reelcut.progress import ProgressFn, check_cancel, no_progress

_SPIKE_RATIO = 5.0  # a non-key frame this many times its neighbours' median is a cut
_THUMB_CUT = 0.12  # mean abs difference (0..1) of consecutive keyframe thumbnails at a cut
_OFF_GRID_CUT = 0.03  # ... when the encoder itself placed an extra keyframe there
_MIN_SHOT_S = 0.5


@dataclass(frozen=True, slots=True)
class VideoFeatures:
    step_s: float
    motion: np.ndarray  # bits/s of non-key frames per step, divided by the file's median
    frame_count: int
    keyframes_s: np.ndarray
    shot_cuts_s: np.ndarray
    fps_measured: float
    vfr_measured: bool


class VideoAccumulator:
    """Packet sizes and keyframe thumbnails gathered as the video packets are demuxed.

    :func:`reelcut.analysis.analyze` feeds it the video packets of the one demux pass it shares
    with the audio; :func:`analyze_video` feeds it a file of its own.
    """

    def __init__(self, stream: av.video.stream.VideoStream, start_s: float) -> None:
        self._tb = float(stream.time_base or Fraction(1, 90000))
        self._start = start_s
        self.times: list[float] = []
        self._sizes: list[int] = []
        self._keys: list[bool] = []
        self._thumbs = KeyframeThumbs(stream)
        self._last_thumb_t = -1e9

    def feed(self, packet: av.Packet) -> None:
        """Note one packet's time, size and key flag; decode it to a thumbnail if it is a key."""
        if packet.size == 0:
            return
        ts = packet.pts if packet.pts is not None else packet.dts
        times = self.times
        t = (ts * self._tb - self._start) if ts is not None else (times[-1] if times else 0.0)
        times.append(t)
        self._sizes.append(packet.size)
        key = packet.is_keyframe
        self._keys.append(key)
        if key and t - self._last_thumb_t >= 0.45:
            self._last_thumb_t = t
            self._thumbs.add(packet, t)

    def finish(self, duration_s: float, step_s: float) -> VideoFeatures:
        """Drain the decoder and derive motion and shot cuts on ``step_s``."""
        self._thumbs.finish()
        return _features(
            np.asarray(self.times),
            np.asarray(self._sizes, np.float64),
            np.asarray(self._keys, bool),
            self._thumbs,
            duration_s,
            step_s,
        )


def analyze_video(
    path: Path,
    duration_s: float,
    step_s: float = 0.5,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> VideoFeatures:
    """Read every video packet of ``path`` (no decode) and decode its keyframes as thumbnails."""
    with open_input(path) as container:
        stream = container.streams.video[0]
        start = container.start_time / av.time_base if container.start_time else 0.0
        acc = VideoAccumulator(stream, start)
        try:
            for n, packet in enumerate(container.demux(stream)):
                acc.feed(packet)
                if n % 2000 == 0:
                    check_cancel(cancel)
                    progress(
                        "video", min(acc.times[-1] if acc.times else 0.0, duration_s), duration_s
                    )
            features = acc.finish(duration_s, step_s)
        except av.FFmpegError as exc:
            raise CorruptMediaError(f"{path}: video is damaged ({exc})") from exc
    progress("video", duration_s, duration_s)
    return features


def _features(
    times: np.ndarray,
    sizes: np.ndarray,
    keys: np.ndarray,
    thumbs: KeyframeThumbs,
    duration_s: float,
    step_s: float,
) -> VideoFeatures:
    n_steps = int(np.ceil(duration_s / step_s))
    order = np.argsort(times, kind="stable")
    times, sizes, keys = times[order], sizes[order], keys[order]
    if len(times) == 0:
        raise CorruptMediaError("the video stream holds no frames")
    dts = np.diff(times)
    dts = dts[dts > 0]
    fps = float(1.0 / np.median(dts)) if len(dts) else 0.0
    vfr = bool(len(dts) > 10 and np.std(dts) / np.mean(dts) > 0.05)
    # Motion: bits per step spent on non-key frames, relative to the file's typical rate.
    step_idx = np.clip((times / step_s).astype(int), 0, n_steps - 1)
    bits = np.bincount(step_idx, weights=np.where(keys, 0.0, sizes * 8), minlength=n_steps)
    counts = np.bincount(step_idx, weights=(~keys).astype(float), minlength=n_steps)
    per_frame = np.divide(bits, counts, out=np.zeros_like(bits), where=counts > 0)
    ref = np.median(per_frame[counts > 0]) if np.any(counts > 0) else 1.0
    motion = per_frame / max(ref, 1.0)
    thumb_times = np.asarray(thumbs.times)
    on_grid = _on_grid(times[keys], thumb_times[1:], fps)
    cuts = _shot_cuts(
        times, sizes, keys, thumbs.differences(on_grid, _OFF_GRID_CUT), thumb_times, on_grid
    )
    return VideoFeatures(
        step_s=step_s,
        motion=motion,
        frame_count=len(times),
        keyframes_s=times[keys],
        shot_cuts_s=cuts,
        fps_measured=fps,
        vfr_measured=vfr,
    )


def _gop_grid(intervals: np.ndarray, fps: float) -> float:
    """The encoder's fixed keyframe interval, if one repeats (>= 3 times); else 0."""
    if len(intervals) < 3 or fps <= 0:
        return 0.0
    frames = np.round(intervals * fps).astype(int)
    values, counts = np.unique(frames, return_counts=True)
    best = int(np.argmax(counts))
    return float(values[best] / fps) if counts[best] >= 3 else 0.0


def _on_grid(key_times: np.ndarray, at: np.ndarray, fps: float) -> np.ndarray:
    """Per time in ``at`` (keyframe times): whether it follows the keyframe before it by the
    encoder's regular interval (see :func:`_gop_grid`)."""
    grid = _gop_grid(np.diff(key_times), fps)
    out = np.zeros(len(at), bool)
    if grid <= 0:
        return out
    for i, t in enumerate(at):
        k = int(np.searchsorted(key_times, t - 1e-6)) - 1
        interval = float(t - key_times[k]) if k >= 0 else 0.0
        out[i] = abs(interval - grid) < 1.5 / max(fps, 1.0)
    return out


def _shot_cuts(
    times: np.ndarray,
    sizes: np.ndarray,
    keys: np.ndarray,
    thumb_diffs: np.ndarray,
    thumb_times: np.ndarray,
    on_grid: np.ndarray,
) -> np.ndarray:
    from scipy import ndimage

    candidates: list[float] = []
    # 1. Frames that cost far more than their neighbours (I/P frames at a cut).
    if len(sizes) > 8:
        nonkey = np.where(keys, np.nan, sizes)
        filled = np.where(np.isnan(nonkey), np.nanmedian(nonkey) if np.any(~keys) else 1.0, nonkey)
        local = ndimage.percentile_filter(filled, 80, size=31, mode="nearest")
        spike = (~keys) & (sizes > _SPIKE_RATIO * local)
        candidates.extend(times[spike].tolist())
    # 2. Keyframes off the regular GOP grid whose picture differs from the keyframe before.
    for i, d in enumerate(thumb_diffs, start=1):
        t = float(thumb_times[i])
        # An encoder only leaves its keyframe grid at a scene cut; on the grid, the picture
        # itself must have changed a lot.
        if not on_grid[i - 1] and np.isnan(d):
            candidates.append(t)  # nothing to compare: trust the encoder's scene cut
        elif (not on_grid[i - 1] and d > _OFF_GRID_CUT) or d > 2.5 * _THUMB_CUT:
            candidates.append(t)
    if not candidates:
        return np.zeros(0)
    cuts = np.sort(np.asarray(candidates))
    keep = [cuts[0]]
    for c in cuts[1:]:
        if c - keep[-1] >= _MIN_SHOT_S:
            keep.append(c)
    return np.asarray([c for c in keep if c > 0.1])
