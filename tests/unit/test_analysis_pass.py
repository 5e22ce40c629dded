"""The one-pass analysis gives the same features as reading each stream on its own.

``analyze`` demuxes a file once and feeds audio and video packets to their accumulators;
stereo AAC skips the resampler. These check that neither shortcut changes a number.
"""

from __future__ import annotations

import threading
from pathlib import Path

import av
import numpy as np
import pytest

from reelcut.analysis import analyze
from reelcut.analysis.audio import AudioAccumulator, analyze_audio
from reelcut.analysis.video import analyze_video
from reelcut.errors import CancelledError
from reelcut.media.probe import probe
from tests.conftest import lavfi_clip

_LOUD_QUIET = "anoisesrc=c=pink:a=0.3:r=48000:seed=1:duration=40,volume='if(lt(mod(t,4),1),1,0.1)':eval=frame"


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """40 s (past one 30 s audio chunk) of pictures with cuts and pink noise, loud and quiet."""
    path = tmp_path_factory.mktemp("pass") / "clip.mp4"
    return lavfi_clip(path, seconds=40, audio=_LOUD_QUIET, acodec=("-c:a", "aac", "-ac", "2"))


def _resampled(path: Path, duration_s: float) -> np.ndarray:
    """The block power with every frame forced through FFmpeg's resampler (the general path)."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        acc = AudioAccumulator(stream, 0.0, duration_s, 0.5)
        acc._resampler = av.AudioResampler(format="fltp", layout="stereo", rate=acc.rate)
        try:
            for packet in container.demux(stream):
                acc.feed(packet)
            return acc.finish().block_power
        finally:
            acc.close()


def test_one_pass_matches_each_stream_read_alone(clip: Path) -> None:
    info = probe(clip)
    signals = analyze(info, use_cache=False)
    audio = analyze_audio(clip, info.duration_s)
    video = analyze_video(clip, info.duration_s)
    assert np.array_equal(signals.block_power, audio.block_power)
    assert np.array_equal(signals.frame_energy_db, audio.frame_energy_db)
    assert np.array_equal(signals.keyframes_s, video.keyframes_s)
    assert np.array_equal(signals.shot_cuts_s, video.shot_cuts_s)
    assert len(signals.block_power) == 400  # 40 s of 100 ms blocks, the tail chunk included
    # the loud second of every four is about 20 dB over the rest
    loud, quiet = signals.block_power[2:8].mean(), signals.block_power[15:35].mean()
    assert 10 * np.log10(loud / quiet) > 15


def test_stereo_passthrough_equals_the_resampler(clip: Path) -> None:
    info = probe(clip)
    direct = analyze_audio(clip, info.duration_s).block_power
    assert np.array_equal(direct, _resampled(clip, info.duration_s))


def test_mono_44k_goes_through_the_downmix(tmp_path: Path) -> None:
    path = lavfi_clip(
        tmp_path / "mono.mp4", seconds=6, audio="sine=frequency=300:sample_rate=44100",
        acodec=("-c:a", "aac", "-ac", "1"),
    )  # fmt: skip
    signals = analyze(probe(path), use_cache=False)
    assert len(signals.block_power) == 60
    assert signals.loudness_momentary_lufs[10:50].min() > -40  # the tone is heard throughout


def test_analysis_reports_progress_and_stops_when_cancelled(clip: Path) -> None:
    seen: list[float] = []
    analyze(clip, use_cache=False, progress=lambda stage, done, total: seen.append(done))
    assert seen[-1] == pytest.approx(40.0, abs=0.1)
    assert seen == sorted(seen)
    stop = threading.Event()
    stop.set()
    with pytest.raises(CancelledError):
        analyze(clip, use_cache=False, cancel=stop)
