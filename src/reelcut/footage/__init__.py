"""Generated footage with known highlights and distractors, for demos, tests and benchmarks.

    truth = make_footage("match.mp4", genre="sports", minutes=3, height=720, seed=1)

writes ``match.mp4`` (H.264 + AAC stereo 48 kHz) and ``match.truth.json``. The same seed always
gives the same footage. A frame counter is burned into every frame (:mod:`reelcut.footage.barcode`)
so that any reel made from it can be scored as a black box.
"""

from __future__ import annotations

import subprocess
import tempfile
import wave
from pathlib import Path

import numpy as np
from scipy import signal

from reelcut.footage import sounds
from reelcut.footage.picture import H, Pictures, W
from reelcut.footage.schedule import GENRES, Plan
from reelcut.footage.truth import Truth, TruthEvent
from reelcut.media.ffmpeg import ffmpeg_exe

__all__ = ["Truth", "TruthEvent", "make_footage"]

_CHUNK_S = 30.0


def make_footage(
    path: str | Path,
    genre: str = "sports",
    minutes: float = 2.0,
    height: int = 360,
    seed: int = 1,
    fps: int = 30,
    speech: bool = True,
) -> Truth:
    """Generate footage and its truth file; ``speech=False`` avoids espeak-ng entirely."""
    if genre not in GENRES:
        raise ValueError(f"genre must be one of {sorted(GENRES)}")
    if not 0.5 <= minutes <= 120:
        raise ValueError("minutes must be within 0.5..120")
    path = Path(path)
    duration = round(minutes * 60, 3)
    rng = np.random.default_rng(seed)
    if not speech:
        sounds._espeak.cache_clear()
        original = sounds._espeak
        sounds._espeak = lambda *a: None  # type: ignore[assignment]
    try:
        plan = GENRES[genre](rng, duration)
    finally:
        if not speech:
            sounds._espeak = original  # type: ignore[assignment]
    width = int(round(height * 16 / 9 / 2)) * 2
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "audio.wav"
        _write_audio(plan, wav, seed)
        _encode(plan, wav, path, fps, width, height, seed)
    events = tuple(
        TruthEvent(
            e.kind,
            *(round(float(v), 3) for v in (e.start_s, e.end_s, e.core_start_s, e.core_end_s)),
            e.grade,
        )
        for e in sorted(plan.events, key=lambda e: e.start_s)
    )
    truth = Truth(
        genre, duration, float(fps), width, height, seed, events, tuple(sorted(plan.utterances))
    )
    truth.save(path.with_suffix(".truth.json"))
    return truth


def _write_audio(plan: Plan, wav: Path, seed: int) -> None:
    """Mix bed + placed sounds chunk by chunk into a 16-bit stereo WAV (bounded memory)."""
    rng = np.random.default_rng(seed + 2)
    rate = sounds.RATE
    if plan.bed == "crowd":
        b, a = signal.butter(2, [250, 5000], btype="band", fs=rate)
    elif plan.bed == "game":
        b, a = signal.butter(2, 400, fs=rate)
    else:
        b, a = signal.butter(1, [100, 3000], btype="band", fs=rate)
    zi = signal.lfilter_zi(b, a) * 0.0
    total = int(plan.duration_s * rate)
    points = plan.bed_points or [(0.0, 0.0)]
    px, py = zip(*points, strict=True)
    starts = sorted(plan.sounds, key=lambda s: s.start_s)
    calib = signal.lfilter(b, a, np.random.default_rng(0).standard_normal(rate))[rate // 10 :]
    bed_gain = sounds.db(plan.bed_db) / float(np.sqrt(np.mean(calib**2)))
    with wave.open(str(wav), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(rate)
        for c0 in range(0, total, int(_CHUNK_S * rate)):
            c1 = min(c0 + int(_CHUNK_S * rate), total)
            n = c1 - c0
            t = (c0 + np.arange(n)) / rate
            noise, zi = signal.lfilter(b, a, rng.standard_normal(n), zi=zi)
            gain = 10 ** (np.interp(t, px, py) / 20)
            wobble = 1 + 0.12 * np.sin(2 * np.pi * 0.09 * t)
            mix = (noise * gain * wobble * bed_gain).astype(np.float32)
            for s in starts:
                a0 = int(s.start_s * rate)
                a1 = a0 + len(s.samples)
                if a1 <= c0 or a0 >= c1:
                    continue
                lo, hi = max(a0, c0), min(a1, c1)
                mix[lo - c0 : hi - c0] += s.samples[lo - a0 : hi - a0]
            pcm = np.clip(mix * 32767, -32768, 32767).astype(np.int16)
            out.writeframes(np.repeat(pcm[:, None], 2, axis=1).tobytes())


def _encode(
    plan: Plan, wav: Path, path: Path, fps: int, width: int, height: int, seed: int
) -> None:
    preset = "veryfast" if height <= 720 else "superfast"
    cmd = [
        ffmpeg_exe(),
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgb24",
        "-s",
        f"{W}x{H}",
        "-r",
        str(fps),
        "-i",
        "pipe:0",
        "-i",
        str(wav),
        "-vf",
        f"scale={width}:{height}:flags=bicubic",
        "-c:v",
        "libx264",
        "-preset",
        preset,
        "-crf",
        "23",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-b:a",
        "128k",
        "-shortest",
        "-movflags",
        "+faststart",
        str(path),
    ]
    pictures = Pictures(plan, fps, seed)
    frames = int(round(plan.duration_s * fps))
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=err)
        assert proc.stdin is not None
        try:
            for i in range(frames):
                proc.stdin.write(pictures.frame(i).tobytes())
        except BrokenPipeError:
            pass
        proc.stdin.close()
        if proc.wait() != 0:
            err.seek(0)
            raise RuntimeError(f"ffmpeg failed generating {path}: {err.read().decode()[-500:]}")
