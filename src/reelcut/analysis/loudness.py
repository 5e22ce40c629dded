"""EBU R128 / ITU-R BS.1770 loudness from K-weighted power on a 100 ms grid.

Analysis keeps the K-weighted mean-square of every 100 ms block; momentary (400 ms), short-term
(3 s) and gated integrated loudness of any set of time ranges are all derived from that one array,
so the render can normalise a reel to -14 LUFS with a single static gain and no second pass.
"""

from __future__ import annotations

import numpy as np
from scipy import signal

BLOCK_S = 0.1
_ABS_GATE_LUFS = -70.0
_REL_GATE_LU = -10.0
_SILENCE_LUFS = -120.0


def k_weighting_sos(sample_rate: int) -> np.ndarray:
    """The two BS.1770 K-weighting biquads (high shelf, then high pass) for ``sample_rate``."""
    # High shelf (head effects), parameters as derived in BS.1770 / pyloudnorm.
    gain_db, q, fc = 3.99984385397, 0.7071752369554193, 1681.9744509555319
    a_lin = 10 ** (gain_db / 40)
    w0 = 2 * np.pi * fc / sample_rate
    alpha = np.sin(w0) / (2 * q)
    cw, sa = np.cos(w0), 2 * np.sqrt(a_lin) * alpha
    shelf_b = [
        a_lin * ((a_lin + 1) + (a_lin - 1) * cw + sa),
        -2 * a_lin * ((a_lin - 1) + (a_lin + 1) * cw),
        a_lin * ((a_lin + 1) + (a_lin - 1) * cw - sa),
    ]
    shelf_a = [(a_lin + 1) - (a_lin - 1) * cw + sa, 2 * ((a_lin - 1) - (a_lin + 1) * cw),
               (a_lin + 1) - (a_lin - 1) * cw - sa]
    # RLB high pass.
    q2, fc2 = 0.5003270373253953, 38.13547087613982
    w2 = 2 * np.pi * fc2 / sample_rate
    alpha2 = np.sin(w2) / (2 * q2)
    hp_b = [1.0, -2.0, 1.0]
    hp_a = [1 + alpha2, -2 * np.cos(w2), 1 - alpha2]
    sos1 = np.concatenate([np.array(shelf_b) / shelf_a[0], np.array(shelf_a) / shelf_a[0]])
    sos2 = np.concatenate([np.array(hp_b) / hp_a[0], np.array(hp_a) / hp_a[0]])
    return np.vstack([sos1, sos2])


def power_to_lufs(power: np.ndarray | float) -> np.ndarray:
    """Mean-square K-weighted power (summed over channels) to LUFS."""
    p = np.asarray(power, dtype=np.float64)
    with np.errstate(divide="ignore"):
        out = -0.691 + 10 * np.log10(p)
    return np.maximum(out, _SILENCE_LUFS)


def windowed_lufs(block_power: np.ndarray, window_blocks: int) -> np.ndarray:
    """Loudness of the window *ending* at each 100 ms block (momentary: 4, short-term: 30)."""
    if len(block_power) == 0:
        return np.zeros(0)
    csum = np.concatenate([[0.0], np.cumsum(block_power, dtype=np.float64)])
    idx = np.arange(1, len(block_power) + 1)
    lo = np.maximum(idx - window_blocks, 0)
    mean = (csum[idx] - csum[lo]) / (idx - lo)
    return power_to_lufs(mean)


def integrated_lufs(block_power: np.ndarray, ranges_s: list[tuple[float, float]]) -> float:
    """Gated integrated loudness (BS.1770-4) of the concatenation of ``ranges_s``.

    Gating blocks are 400 ms with 75 % overlap, taken inside each range. Returns -120 for silence.
    """
    gating: list[np.ndarray] = []
    for start_s, end_s in ranges_s:
        a = max(int(round(start_s / BLOCK_S)), 0)
        b = min(int(round(end_s / BLOCK_S)), len(block_power))
        seg = block_power[a:b]
        if len(seg) >= 4:
            kernel = np.ones(4) / 4
            gating.append(np.convolve(seg, kernel, mode="valid"))
        elif len(seg):
            gating.append(np.array([seg.mean()]))
    if not gating:
        return _SILENCE_LUFS
    blocks = np.concatenate(gating)
    loud = power_to_lufs(blocks)
    kept = blocks[loud > _ABS_GATE_LUFS]
    if len(kept) == 0:
        return _SILENCE_LUFS
    rel_gate = float(power_to_lufs(kept.mean())) + _REL_GATE_LU
    kept = kept[power_to_lufs(kept) > rel_gate]
    return float(power_to_lufs(kept.mean())) if len(kept) else _SILENCE_LUFS


def make_filter_state(sample_rate: int, channels: int) -> tuple[np.ndarray, np.ndarray]:
    """Filter coefficients and a zeroed state for streaming :func:`k_weighted_block_power`."""
    sos = k_weighting_sos(sample_rate)
    zi = np.zeros((sos.shape[0], channels, 2))
    return sos, zi


def k_weighted_block_power(
    samples: np.ndarray, sample_rate: int, sos: np.ndarray, zi: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """K-weight ``samples`` (channels x n, n a multiple of 100 ms) and sum mean-square per block.

    Returns the per-block power (summed over channels, weight 1 each: stereo) and the new state.
    """
    filtered, zi_out = signal.sosfilt(sos, samples, axis=-1, zi=zi)
    block = int(round(sample_rate * BLOCK_S))
    n_blocks = samples.shape[-1] // block
    sq = filtered[:, : n_blocks * block].astype(np.float64) ** 2
    power = sq.reshape(samples.shape[0], n_blocks, block).mean(axis=2).sum(axis=0)
    return power, zi_out
