"""Master a mix to a loudness target with a peak ceiling, measured as BS.1770 LUFS.

Every mood comes out at the same integrated loudness (-16 LUFS, the level streaming platforms
play music at), so switching moods in the editor does not jump in level and the renderer's
ducking under speech starts from a known place.
"""

from __future__ import annotations

import numpy as np

from reelcut.analysis.loudness import integrated_lufs, k_weighted_block_power
from reelcut.music.dsp import RATE

TARGET_LUFS = -16.0
CEILING = 10 ** (-1.0 / 20)  # -1 dBFS
_KNEE = 0.6


def loudness_lufs(stereo: np.ndarray) -> float:
    """Gated integrated loudness of a 2 x n array at 48 kHz."""
    power = k_weighted_block_power(stereo, RATE)
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
    """``mix`` (2 x n) at ``target_lufs`` integrated, peaks under -1 dBFS.

    The limiter only touches drum transients, which lowers loudness a little; the second
    gain step puts that back (and the limiter again guards the peaks), so results land within
    a few tenths of a LU of the target.
    """
    x = mix.astype(np.float32)
    for _ in range(2):
        level = loudness_lufs(x)
        if level <= -100:
            return np.zeros_like(x, dtype=np.float32)
        x = _soft_limit(x * 10 ** ((target_lufs - level) / 20))
    return x.astype(np.float32)
