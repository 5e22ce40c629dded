"""A finished music track for a mood and length: synthesised once, then served from the cache.

The same (mood, seed, length) always gives the same samples, so a draft that names its music by
those three values re-renders identically on any machine, and the cache can be deleted freely.
"""

from __future__ import annotations

import hashlib
import math
import os
import tempfile
import wave
from pathlib import Path

import numpy as np
import platformdirs

from reelcut.errors import InvalidArgumentError, OutputNotWritableError
from reelcut.music.compose import compose
from reelcut.music.dsp import RATE
from reelcut.music.master import master
from reelcut.music.mixer import mix
from reelcut.music.moods import resolve_mood
from reelcut.music.styles import STYLES
from reelcut.music.texture import vinyl

#: Bump when any change to the synthesis changes the samples, so old cache files go unused.
GENERATOR_VERSION = 1
#: Longest track made in one piece (20 minutes: about 0.5 GB while mixing).
MAX_DURATION_S = 1200.0


def music_cache_dir() -> Path:
    """``$REELCUT_CACHE_DIR/music`` when set, else the user's cache directory."""
    named = os.environ.get("REELCUT_CACHE_DIR")
    base = Path(named) if named else Path(platformdirs.user_cache_dir("reelcut"))
    return base / "music"


def _rng(mood: str, seed: int) -> np.random.Generator:
    digest = hashlib.blake2b(f"{mood}:{seed}".encode(), digest_size=16).digest()
    return np.random.default_rng(int.from_bytes(digest, "little"))


def _sample_count(duration_s: float) -> int:
    if not math.isfinite(duration_s) or duration_s <= 0 or duration_s > MAX_DURATION_S:
        raise InvalidArgumentError(
            f"music duration must be between 0 and {MAX_DURATION_S:.0f} seconds, got {duration_s}"
        )
    return max(int(round(duration_s * RATE)), 1)


def synthesize(mood: str, duration_s: float, *, seed: int = 0) -> np.ndarray:
    """The mastered track as float32, shape (2, samples), 48 kHz, about -16 LUFS integrated."""
    name = resolve_mood(mood)
    n = _sample_count(duration_s)
    style = STYLES[name]
    rng = _rng(name, seed)
    notes = compose(style, n / RATE, rng)
    stereo = mix(style, notes, n, rng)
    if style.crackle:
        stereo += vinyl(n, rng)
    return master(stereo)


def _write_wav(path: Path, stereo: np.ndarray) -> None:
    """16-bit PCM with TPDF dither (seeded, so the file stays deterministic)."""
    dither = np.random.default_rng(0).triangular(-1.0, 0.0, 1.0, size=stereo.shape)
    pcm = np.clip(np.round(stereo * 32767.0 + dither), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(pcm.T.tobytes())


def music_track(
    mood: str, duration_s: float, *, seed: int = 0, cache_dir: Path | None = None
) -> Path:
    """Path of a 48 kHz stereo 16-bit WAV of ``mood`` lasting exactly ``duration_s`` (to the sample).

    Cached under ``cache_dir`` (default :func:`music_cache_dir`) by mood, seed, sample count and
    :data:`GENERATOR_VERSION`; written to a temporary file and renamed, so a reader never sees
    half a file and two processes making the same track do not corrupt each other. No fades:
    the renderer applies the user's own.
    """
    name = resolve_mood(mood)
    n = _sample_count(duration_s)
    folder = Path(cache_dir) if cache_dir is not None else music_cache_dir()
    path = folder / f"{name}-seed{seed}-{n}-v{GENERATOR_VERSION}.wav"
    if path.is_file():
        return path
    stereo = synthesize(name, n / RATE, seed=seed)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.stem}-", suffix=".tmp")
        os.close(fd)
        try:
            _write_wav(Path(tmp), stereo)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError as exc:
        raise OutputNotWritableError(
            f"cannot write music to {folder} ({exc.strerror or exc}); "
            "set REELCUT_CACHE_DIR to a writable folder"
        ) from exc
    return path
