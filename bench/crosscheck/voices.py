"""The cross-check generator's voices: who speaks how, and a speech-like stand-in when espeak-ng is not wanted.

Every phrase comes back as mono float32 at 48 kHz, trimmed to its first and last audible sample
and scaled to an active-speech RMS of 1.0 (the mixer sets the real level), so the planner can
know how long each phrase lasts before placing it. espeak-ng itself is run by
:func:`reelcut.footage.speech.espeak`.
"""

from __future__ import annotations

import functools
import re
import zlib
from dataclasses import dataclass

import numpy as np
from scipy import signal

from reelcut.footage.speech import RATE, espeak


@dataclass(frozen=True, slots=True)
class Voice:
    """How one speaker sounds: espeak-ng settings and the matching stand-in settings."""

    espeak: str
    pitch: int
    rate_wpm: int
    amplitude: int
    f0_hz: float
    syllables_per_s: float


VOICES: dict[str, Voice] = {
    "commentator": Voice("en-gb", 40, 165, 100, 115.0, 4.0),
    "excited": Voice("en-gb", 85, 215, 190, 215.0, 5.5),
    "announcer": Voice("en-gb-x-rp", 35, 140, 120, 105.0, 3.3),
    "advert": Voice("en-us+f3", 65, 190, 150, 205.0, 4.8),
    "host_a": Voice("en-us", 40, 165, 100, 112.0, 4.0),
    "host_b": Voice("en-us+f3", 55, 170, 100, 205.0, 4.2),
    "raised_a": Voice("en-us", 75, 200, 190, 175.0, 5.0),
    "raised_b": Voice("en-us+f3", 90, 205, 190, 285.0, 5.2),
    "streamer": Voice("en-us+m3", 50, 175, 100, 125.0, 4.2),
    "shout": Voice("en-us+m3", 95, 220, 200, 240.0, 5.8),
}


def phrase(text: str, voice: str, use_espeak: bool) -> np.ndarray:
    """The phrase ``text`` spoken by ``voice``: mono float32, active RMS 1.0, read-only."""
    audio = _espeak(text, voice) if use_espeak else _stand_in(text, voice)
    audio.setflags(write=False)
    return audio


def phrase_s(text: str, voice: str, use_espeak: bool) -> float:
    return len(phrase(text, voice, use_espeak)) / RATE


@functools.lru_cache(maxsize=512)
def _espeak(text: str, voice: str) -> np.ndarray:
    v = VOICES[voice]
    return _normalise(_trim(espeak(text, v.espeak, v.pitch, v.rate_wpm, v.amplitude)))


def _trim(audio: np.ndarray) -> np.ndarray:
    """Cut leading and trailing silence so a phrase's extent is its first to last word."""
    hop = RATE // 100
    n = len(audio) // hop
    if n == 0:
        return audio
    level = np.sqrt(np.mean(audio[: n * hop].reshape(n, hop) ** 2, axis=1))
    loud = np.flatnonzero(level > level.max() * 10 ** (-40 / 20))
    return audio[loud[0] * hop : (loud[-1] + 1) * hop].copy()


def _normalise(audio: np.ndarray) -> np.ndarray:
    """Scale to an active-speech RMS of 1 (RMS over the 10 ms frames that carry speech)."""
    hop = RATE // 100
    n = max(len(audio) // hop, 1)
    frames = np.resize(audio, n * hop).reshape(n, hop)
    level = np.sqrt(np.mean(frames**2, axis=1))
    active = level[level > level.max() * 0.1]
    rms = float(np.sqrt(np.mean(active**2))) if active.size else 1.0
    return (audio / max(rms, 1e-9)).astype(np.float32)


_VOWELS = {  # first three formants (Hz) of a few vowels
    "a": (730, 1090, 2440),
    "e": (530, 1840, 2480),
    "i": (270, 2290, 3010),
    "o": (570, 840, 2410),
    "u": (300, 870, 2240),
}


@functools.lru_cache(maxsize=512)
def _stand_in(text: str, voice: str) -> np.ndarray:
    """A deterministic speech-like sound for ``text`` without a speech engine.

    Voiced syllables at the voice's syllable rate (harmonics of a falling f0 contour shaped by
    vowel formants), a noise burst for each onset consonant, short gaps between words and
    longer ones at punctuation. It has the envelope, pitch and spectrum of speech, not words.
    """
    v = VOICES[voice]
    rng = np.random.default_rng(zlib.crc32(f"{voice}|{text}".encode()))
    pieces: list[np.ndarray] = []
    tokens = re.findall(r"[A-Za-z']+|[.!?,]", text)
    n_syll = sum(max(1, len(re.findall(r"[aeiouy]+", t.lower()))) for t in tokens if t[0].isalpha())
    done = 0
    for token in tokens:
        if not token[0].isalpha():
            pieces.append(np.zeros(int(RATE * (0.12 if token == "," else 0.22)), np.float32))
            continue
        for vowel in re.findall(r"[aeiouy]+", token.lower()) or ["a"]:
            progress = done / max(n_syll - 1, 1)
            f0 = v.f0_hz * (1.12 - 0.22 * progress) * rng.uniform(0.94, 1.06)
            dur = rng.uniform(0.6, 1.0) / v.syllables_per_s
            pieces.append(_syllable(rng, f0, dur, _VOWELS.get(vowel[0], _VOWELS["e"])))
            done += 1
        pieces.append(np.zeros(int(RATE * rng.uniform(0.03, 0.08)), np.float32))
    return _normalise(_trim(np.concatenate(pieces)))


def _syllable(rng: np.random.Generator, f0: float, dur: float, formants: tuple) -> np.ndarray:
    n = int(dur * RATE)
    t = np.arange(n) / RATE
    glide = f0 * (1 + 0.06 * np.sin(np.pi * t / dur) + 0.01 * rng.standard_normal())
    phase = 2 * np.pi * np.cumsum(glide) / RATE
    k = np.arange(1, int(4000 // f0) + 1)
    amp = sum(np.exp(-0.5 * ((k * f0 - f) / (60 + 0.05 * f)) ** 2) for f in formants) + 0.15 / k
    voiced = (amp[:, None] * np.sin(k[:, None] * phase[None, :])).sum(axis=0)
    env = np.sin(np.pi * np.clip(t / dur, 0, 1)) ** 0.6
    onset = min(int(0.03 * RATE), n)
    burst = np.zeros(n)
    burst[:onset] = rng.standard_normal(onset) * np.hanning(onset) * 0.3
    sos = signal.butter(2, 2500, btype="high", fs=RATE, output="sos")
    burst = signal.sosfilt(sos, burst)
    return (voiced / np.abs(voiced).max() * env + burst).astype(np.float32)
