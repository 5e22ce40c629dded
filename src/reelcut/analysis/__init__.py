"""Analysis: footage in, :class:`Signals` (arrays on one step) out.

The file is demuxed once: every video packet's size and key flag is noted (only keyframes are
decoded, to thumbnails) and every audio packet is decoded, in the same pass; the audio features
of each 30 s chunk are computed on a worker thread while demuxing goes on (NumPy releases the
GIL). Two passes, one per stream, read and parsed the whole file twice. Memory stays bounded
whatever the length. Results are cached per input content.

SciPy (``scipy.fft``, ``scipy.ndimage``) is imported inside the functions that use it, not at
the top of these modules: every API and worker process imports this package through the editor,
and SciPy's import cost each of them about 0.6 s of CPU at start (the test suite starts dozens
of them), though only an analysis needs it.
"""

from __future__ import annotations

import threading
from pathlib import Path

import av
import numpy as np

from reelcut.analysis import cache
from reelcut.analysis.audio import AudioAccumulator, AudioFeatures, silent_features
from reelcut.analysis.excitement import excitement, loudness_per_step, speech_music_whistle
from reelcut.analysis.signals import COMPONENTS, Signals
from reelcut.analysis.video import VideoAccumulator, VideoFeatures
from reelcut.analysis.voice import voice_activity
from reelcut.errors import CorruptMediaError
from reelcut.media.probe import MediaInfo, open_input, probe
from reelcut.progress import ProgressFn, check_cancel, no_progress

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
    a, v = _read(info, step_s, progress, cancel)
    signals = build_signals(info, a, v, step_s)
    if use_cache:
        cache.store(key, step_s, signals)
    return signals


def _read(
    info: MediaInfo, step_s: float, progress: ProgressFn, cancel: threading.Event | None
) -> tuple[AudioFeatures, VideoFeatures]:
    """One demux pass over the file: every video packet's size and key flag (keyframes decoded
    to thumbnails), every audio packet decoded into the audio features."""
    with open_input(info.path) as container:
        vstream = container.streams.video[0]
        astreams = container.streams.audio[:1] if info.has_audio else []
        start = container.start_time / av.time_base if container.start_time else 0.0
        video = VideoAccumulator(vstream, start)
        audio = AudioAccumulator(astreams[0], start, info.duration_s, step_s) if astreams else None
        stage = "video"
        try:
            for n, packet in enumerate(container.demux(vstream, *astreams)):
                if packet.stream.type == "video":
                    stage = "video"
                    video.feed(packet)
                elif audio is not None:
                    stage = "audio"
                    audio.feed(packet)
                if n % 2000 == 0:
                    check_cancel(cancel)
                    done = video.times[-1] if video.times else 0.0
                    progress("analyze", min(max(done, 0.0), info.duration_s), info.duration_s)
            stage = "video"
            v = video.finish(info.duration_s, step_s)
            stage = "audio"
            a = audio.finish() if audio is not None else silent_features(info.duration_s, step_s)
        except av.FFmpegError as exc:
            raise CorruptMediaError(f"{info.path.name}: {stage} is damaged ({exc})") from exc
        finally:
            if audio is not None:
                audio.close()
    progress("analyze", info.duration_s, info.duration_s)
    return a, v


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
