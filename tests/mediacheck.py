"""Read facts back from a rendered file: streams, loudness, flashes and beeps. Test helpers."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from reelcut.media.ffmpeg import ffmpeg_exe


@dataclass(frozen=True)
class OutputFacts:
    video_codec: str
    profile: str | None
    width: int
    height: int
    fps: float
    video_s: float
    audio_codec: str | None
    audio_rate: int | None
    audio_channels: int | None
    audio_s: float | None
    faststart: bool


def facts(path: Path) -> OutputFacts:
    with av.open(str(path)) as c:
        v = c.streams.video[0]
        a = c.streams.audio[0] if c.streams.audio else None
        vs = float(v.duration * v.time_base)
        as_ = float(a.duration * a.time_base) if a is not None and a.duration else None
        out = OutputFacts(
            v.codec_context.name,
            v.codec_context.profile,
            v.codec_context.width,
            v.codec_context.height,
            float(v.average_rate),
            vs,
            a.codec_context.name if a else None,
            a.rate if a else None,
            a.channels if a else None,
            as_,
            _moov_first(path),
        )
    return out


def _moov_first(path: Path) -> bool:
    data = path.read_bytes()[:10_000_000]
    moov, mdat = data.find(b"moov"), data.find(b"mdat")
    return moov != -1 and (mdat == -1 or moov < mdat)


def integrated_loudness(path: Path) -> float:
    proc = subprocess.run(
        [
            ffmpeg_exe(),
            "-hide_banner",
            "-nostats",
            "-i",
            str(path),
            "-map",
            "0:a",
            "-af",
            "ebur128",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
    )
    found = re.findall(r"I:\s+(-?[\d.]+) LUFS", proc.stderr)
    assert found, proc.stderr[-500:]
    return float(found[-1])


def flash_times(path: Path, threshold: float = 128) -> list[float]:
    """Times of frames that turn bright after a dark one."""
    times, prev = [], 0.0
    with av.open(str(path)) as c:
        for frame in c.decode(video=0):
            luma = frame.reformat(width=32, height=18, format="gray").to_ndarray().mean()
            if luma > threshold and prev <= threshold:
                times.append(float(frame.time))
            prev = luma
    return times


def audio_samples(path: Path, rate: int = 48000) -> np.ndarray:
    with av.open(str(path)) as c:
        res = av.AudioResampler(format="fltp", layout="mono", rate=rate)
        chunks = [f.to_ndarray()[0] for fr in c.decode(audio=0) for f in res.resample(fr)]
    return np.concatenate(chunks)


def beep_onsets(path: Path, rate: int = 48000) -> list[float]:
    """Start times of tone bursts: where 5 ms RMS jumps from quiet to loud."""
    x = audio_samples(path, rate)
    win = rate // 200
    n = len(x) // win
    rms = np.sqrt((x[: n * win].reshape(n, win) ** 2).mean(axis=1))
    loud = rms > 0.01
    return [i * win / rate for i in range(1, n) if loud[i] and not loud[i - 1]]
