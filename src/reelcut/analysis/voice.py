"""Word-level voice activity: is someone mid-word in this 50 ms frame?

Computed from the per-frame numbers of the one audio decode (energy, periodicity, flatness), so
it costs no second pass. A frame counts as voice when it is periodic (a vowel, a voiced
consonant) or clearly above the local noise floor without sounding like noise. The floor is a
low percentile of the quietest frame of each step over half a minute, so a room tone, a crowd or
a music bed is the floor, not speech. Roars and applause are loud but noise-like and count as
silence here: they are no words to cut into.

Where the voice stands less than ``_MASKED_DB`` above the floor (commentary over a crowd), the
quiet ends of words drown in the noise; there each heard frame also marks the 150 ms around it,
elsewhere (a studio) only the 50 ms either side.

Selection reads this track to put cut points in the gaps between phrases (``selection.snap``).
"""

from __future__ import annotations

import numpy as np

FRAME_S = 0.05
_FLOOR_WINDOW_S = 30.0
_FLOOR_PCT = 10
_MASKED_DB = 18.0


def noise_floor_db(frame_energy_db: np.ndarray, frames_per_step: int = 10) -> np.ndarray:
    """Per-frame noise floor: the 10th percentile of each step's quietest frame over ~30 s."""
    from scipy import ndimage

    n = len(frame_energy_db)
    if n == 0:
        return frame_energy_db.astype(np.float64)
    steps = max(n // frames_per_step, 1)
    quietest = frame_energy_db[: steps * frames_per_step].reshape(steps, -1).min(axis=1)
    size = max(int(round(_FLOOR_WINDOW_S / (FRAME_S * frames_per_step))), 1) | 1
    floor = ndimage.percentile_filter(quietest, _FLOOR_PCT, size=size, mode="nearest")
    centres = np.arange(steps) * frames_per_step + (frames_per_step - 1) / 2
    return np.interp(np.arange(n), centres, floor)


def voice_activity(
    frame_energy_db: np.ndarray, frame_voicing: np.ndarray, frame_flatness: np.ndarray
) -> np.ndarray:
    """0..1 per 50 ms frame; 0.5 and over means a word is being spoken (or sung, or laughed)."""
    from scipy import ndimage

    n = min(len(frame_energy_db), len(frame_voicing), len(frame_flatness))
    if n == 0:
        return np.zeros(len(frame_energy_db), np.float32)
    energy = frame_energy_db[:n].astype(np.float64)
    above = energy - noise_floor_db(energy)
    loud = np.clip((above - 6.0) / 6.0, 0, 1)
    voiced = np.clip((frame_voicing[:n] - 0.35) / 0.2, 0, 1) * (above > 3.0)
    noisy = np.clip((frame_flatness[:n] - 0.25) / 0.15, 0, 1) * (1 - voiced)
    heard = np.maximum(loud * (1 - noisy), voiced)
    loudest = frame_energy_db[: len(heard) // 10 * 10].reshape(-1, 10).max(axis=1)
    if len(loudest):
        level = ndimage.median_filter(loudest, size=21, mode="nearest")
        level = np.interp(np.arange(len(heard)), np.arange(len(level)) * 10 + 4.5, level)
    else:
        level = energy
    masked = level - noise_floor_db(energy) < _MASKED_DB
    out = np.where(
        masked,
        ndimage.maximum_filter1d(heard, 7, mode="nearest"),
        ndimage.maximum_filter1d(heard, 3, mode="nearest"),
    ).astype(np.float32)
    if n < len(frame_energy_db):
        out = np.concatenate([out, np.zeros(len(frame_energy_db) - n, np.float32)])
    return out
