"""Analysis: footage in, :class:`Signals` (arrays on one step) out.

Audio and the compressed video stream are read at the same time in two threads (PyAV and NumPy
release the GIL while they work; a child process measured no faster), each streaming with
bounded memory. Results are cached per input content.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from reelcut.analysis import cache
from reelcut.analysis.audio import AudioFeatures, analyze_audio, silent_features
from reelcut.analysis.excitement import excitement, loudness_per_step, speech_music_whistle
from reelcut.analysis.signals import COMPONENTS, Signals
from reelcut.analysis.video import VideoFeatures, analyze_video
from reelcut.analysis.voice import voice_activity
from reelcut.media.probe import MediaInfo, probe
from reelcut.progress import ProgressFn, no_progress

__all__ = ["COMPONENTS", "Signals", "analyze"]

DEFAULT_STEP_S = 0.5


def analyze(
    media: MediaInfo | str | Path,
    step_s: float = DEFAULT_STEP_S,
    use_cache: bool = True,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> Signals:
    """Analyse one input. ``progress("analyze", seconds_done, seconds_total)`` reports headway."""
    info = media if isinstance(media, MediaInfo) else probe(media)
    key = cache.content_key(info.path) if use_cache else ""
    if use_cache:
        hit = cache.load(key, step_s)
        if hit is not None:
            progress("analyze", info.duration_s, info.duration_s)
            return hit
    done = {"audio": 0.0, "video": 0.0}
    lock = threading.Lock()

    def part(stage: str, d: float, total: float) -> None:
        with lock:
            done[stage] = min(d, info.duration_s)
            share = (done["audio"] + done["video"]) / 2 if info.has_audio else done["video"]
        progress("analyze", share, info.duration_s)

    def video_job(prog: ProgressFn) -> VideoFeatures:
        return analyze_video(info.path, info.duration_s, step_s, prog, cancel)

    if not info.has_audio:
        a, v = silent_features(info.duration_s, step_s), video_job(part)
    else:
        with ThreadPoolExecutor(max_workers=1) as pool:
            fut_video = pool.submit(video_job, part)
            a = analyze_audio(info.path, info.duration_s, step_s, part, cancel)
            v = fut_video.result()
    signals = build_signals(info, a, v, step_s)
    if use_cache:
        cache.store(key, step_s, signals)
    return signals


def build_signals(info: MediaInfo, a: AudioFeatures, v: VideoFeatures, step_s: float) -> Signals:
    """Derive the per-step signals from raw audio and video features."""
    n = int(np.ceil(info.duration_s / step_s))
    momentary, short = loudness_per_step(a.block_power, n, step_s)
    speech, music, whistle = speech_music_whistle(a, step_s)
    motion = v.motion[:n] if len(v.motion) >= n else np.pad(v.motion, (0, n - len(v.motion)))
    total, components, penalty = excitement(
        a,
        motion,
        v.shot_cuts_s,
        momentary,
        speech[:n],
        music[:n],
        whistle[:n],
        step_s,
        info.has_audio,
    )
    return Signals(
        step_s=step_s,
        duration_s=info.duration_s,
        has_audio=info.has_audio,
        fps=float(info.video.fps),
        loudness_momentary_lufs=momentary,
        loudness_short_lufs=short,
        speech=speech[:n],
        music=music[:n],
        whistle=whistle[:n],
        motion=motion,
        excitement=total,
        components=components,
        penalty=penalty,
        block_power=a.block_power,
        frame_energy_db=a.frame_energy_db,
        shot_cuts_s=v.shot_cuts_s,
        keyframes_s=v.keyframes_s,
        voice_activity=voice_activity(a.frame_energy_db, a.frame_voicing, a.frame_flatness),
    )
