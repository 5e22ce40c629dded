"""Master a mix to a loudness target with a peak ceiling, measured as BS.1770 LUFS.

Every mood comes out at the same integrated loudness (-16 LUFS, the level streaming platforms
play music at), so switching moods in the editor does not jump in level and the renderer's
ducking under speech starts from a known place.
"""

from __future__ import annotations

import numpy as np

from reelcut.analysis.loudness import (
    BLOCK_S,
    integrated_lufs,
    k_weighted_block_power,
    power_to_lufs,
)
from reelcut.music.dsp import RATE

TARGET_LUFS = -16.0
CEILING = 10 ** (-1.0 / 20)  # -1 dBFS
_KNEE = 0.6
_CHUNK_BLOCKS = 600


def loudness_lufs(stereo: np.ndarray) -> float:
    """Gated integrated loudness of a 2 x n array at 48 kHz.

    Measured a minute at a time (whole 100 ms blocks) so a long track does not need its whole
    spectrum in memory at once.
    """
    chunk = _CHUNK_BLOCKS * int(RATE * BLOCK_S)
    power = np.concatenate(
        [
            k_weighted_block_power(stereo[:, at : at + chunk], RATE)
            for at in range(0, stereo.shape[1], chunk)
        ]
    )
    return integrated_lufs(power, [(0.0, stereo.shape[1] / RATE)])


def _soft_limit(x: np.ndarray) -> np.ndarray:
    """Linear below the knee, then a tanh curve that never passes the ceiling."""
    knee = _KNEE * CEILING
    mag = np.abs(x)
    over = mag > knee
    room = CEILING - knee
    y = x.copy()
    y[over] = np.sign(x[over]) * (knee + room * np.tanh((mag[over] - knee) / room))
    return y


def master(mix: np.ndarray, target_lufs: float = TARGET_LUFS) -> np.ndarray:
    """``mix`` (2 x n) at ``target_lufs`` integrated, peaks under -1 dBFS, as float32.

    One static gain, then a soft limiter. The limiter only rounds the odd drum transient (the
    mixes peak near -3 dBFS at the target), which moves loudness by thousandths of a LU, so no
    second measurement is needed. A track shorter than one 100 ms block is set by plain RMS.
    """
    x = mix.astype(np.float32)
    level = loudness_lufs(x)
    if level <= -100:
        power = float(np.mean(x.astype(np.float64) ** 2)) * x.shape[0]
        if power <= 1e-20:
            return np.zeros_like(x)
        level = float(power_to_lufs(power))
    return _soft_limit(x * np.float32(10 ** ((target_lufs - level) / 20)))
