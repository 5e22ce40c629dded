"""Talk footage made at test time: espeak-ng sentences with known times, over crowd or music.

Shared by the speech tests and bench/speech.py, so the numbers published and the bounds tested
come from the same clips. Sound is mono float32 at 48 kHz (the footage studios' rate); a clip is
a small testsrc2 picture with that sound as AAC, like a phone recording.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reelcut.media.ffmpeg import ffmpeg_exe

RATE = 48_000
SCRIPT = (
    "We scored a goal in the second half of the game.",
    "This is the best game of the season.",
    "The crowd is going wild tonight.",
    "Thank you for watching and see you next time.",
)


@dataclass(frozen=True, slots=True)
class Talk:
    """Speech samples and where each sentence is audible (ms)."""

    samples: np.ndarray
    sentences: tuple[str, ...]
    spans_ms: tuple[tuple[int, int], ...]

    @property
    def text(self) -> str:
        return " ".join(self.sentences)

    @property
    def duration_s(self) -> float:
        return self.samples.size / RATE


def have_espeak() -> bool:
    return shutil.which("espeak-ng") is not None


def say(sentence: str, voice: str = "en-us", wpm: int = 160) -> np.ndarray:
    """``sentence`` by espeak-ng, trimmed to what is audible."""
    from reelcut.footage.speech import espeak

    x = np.asarray(espeak(sentence, voice, 50, wpm), np.float32)
    loud = np.flatnonzero(np.abs(x) > 0.01)
    return x[loud[0] : loud[-1] + 1] if loud.size else x


def talk(
    sentences: tuple[str, ...] = SCRIPT,
    voice: str = "en-us",
    wpm: int = 160,
    lead_s: float = 0.6,
    gap_s: float = 1.5,
) -> Talk:
    """The sentences one after another, ``gap_s`` of silence between, at -20 dBFS RMS."""
    parts = [np.zeros(int(lead_s * RATE), np.float32)]
    spans: list[tuple[int, int]] = []
    for sentence in sentences:
        x = say(sentence, voice, wpm)
        at = sum(p.size for p in parts)
        spans.append((round(at * 1000 / RATE), round((at + x.size) * 1000 / RATE)))
        parts += [x, np.zeros(int(gap_s * RATE), np.float32)]
    audio = np.concatenate(parts)
    voiced = np.concatenate([audio[a * RATE // 1000 : b * RATE // 1000] for a, b in spans])
    audio *= 0.1 / float(np.sqrt(np.mean(voiced.astype(np.float64) ** 2)))
    return Talk(audio.astype(np.float32), tuple(sentences), tuple(spans))


def background(kind: str, seconds: float, seed: int = 3) -> np.ndarray:
    """Sound without speech: ``crowd`` (stadium noise) or ``music`` (chords and a kick drum)."""
    from reelcut.footage.demo import sounds

    rng = np.random.default_rng(seed)
    if kind == "crowd":
        x = sounds.crowd(rng, seconds)
    elif kind == "music":
        x = sounds.music(rng, seconds)
    else:
        raise ValueError(kind)
    return sounds.at_level(x, -20.0)


def over(speech: Talk, noise: np.ndarray, snr_db: float) -> np.ndarray:
    """``speech`` with ``noise`` under it at ``snr_db`` (speech measured where it is audible)."""
    voiced = np.concatenate(
        [speech.samples[a * RATE // 1000 : b * RATE // 1000] for a, b in speech.spans_ms]
    )
    p_speech = float(np.mean(voiced.astype(np.float64) ** 2))
    bed = np.resize(noise, speech.samples.size).astype(np.float64)
    bed *= np.sqrt(p_speech / (float(np.mean(bed**2)) * 10 ** (snr_db / 10)))
    mixed = speech.samples + bed
    peak = float(np.max(np.abs(mixed))) or 1.0
    return (mixed / max(1.0, peak / 0.95)).astype(np.float32)


def clip(path: Path, audio: np.ndarray, picture: str = "testsrc2=size=160x90:rate=10") -> Path:
    """``audio`` as the AAC track of a small H.264 clip (``picture``, a lavfi source) as long."""
    with tempfile.TemporaryDirectory() as tmp:
        wav_path = Path(tmp) / "sound.wav"
        with wave.open(str(wav_path), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(RATE)
            wav.writeframes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())
        seconds = audio.size / RATE
        cmd = [
            ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", f"{picture}:duration={seconds:.3f}",
            "-i", str(wav_path),
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "96k", "-shortest", str(path),
        ]  # fmt: skip
        subprocess.run(cmd, check=True, capture_output=True)
    return path
