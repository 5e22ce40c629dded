"""Speech for generated footage: a phrase as espeak-ng says it, at the footage's sample rate.

Both studios voice their lines through :func:`espeak`; what they do next (trimming, levels, a
stand-in when speech is off) is part of each studio's sound design. Phrases are cached per
process: a long clip reuses a small bank of lines, and tests that generate several clips render
each line once.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

import numpy as np
from scipy import signal

from reelcut.errors import ReelcutError
from reelcut.footage.encode import RATE


class SpeechEngineMissingError(ReelcutError, FileNotFoundError):
    """espeak-ng is needed for ``speech=True`` footage."""

    code = 5101


@functools.lru_cache(maxsize=1024)
def espeak(text: str, voice: str, pitch: int, rate_wpm: int, amplitude: int = 100) -> np.ndarray:
    """``text`` spoken by espeak-ng ``voice``: mono float32 at :data:`RATE`, read-only, untrimmed."""
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise SpeechEngineMissingError(
            "espeak-ng is not installed; install it (apt-get install espeak-ng) "
            "or generate footage with speech=False"
        )
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "phrase.wav"
        cmd = [exe, "-w", str(wav), "-v", voice, "-p", str(pitch), "-s", str(rate_wpm)]
        subprocess.run([*cmd, "-a", str(amplitude), text], check=True, capture_output=True)
        with wave.open(str(wav), "rb") as w:
            rate, channels = w.getframerate(), w.getnchannels()
            pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    audio = pcm.astype(np.float32) / 32768.0
    if channels > 1:
        audio = audio.reshape(-1, channels).mean(axis=1).astype(np.float32)
    if rate != RATE:
        g = np.gcd(rate, RATE)
        audio = signal.resample_poly(audio, RATE // g, rate // g).astype(np.float32)
    audio.setflags(write=False)
    return audio
