import numpy as np
import pytest

from reelcut.analysis import loudness


def _block_power(samples: np.ndarray, rate: int) -> np.ndarray:
    return loudness.k_weighted_block_power(samples, rate)


def test_full_scale_1khz_sine_in_one_channel_is_minus_3_lufs():
    # BS.1770's own calibration: a 0 dBFS 997 Hz sine in one channel reads -3.01 LUFS.
    rate = 24000
    t = np.arange(rate * 5) / rate
    sine = np.sin(2 * np.pi * 997 * t)
    power = _block_power(np.vstack([sine, np.zeros_like(sine)]), rate)
    assert loudness.integrated_lufs(power, [(0, 5)]) == pytest.approx(-3.01, abs=0.1)


def test_gating_ignores_silence_between_ranges():
    rate = 24000
    t = np.arange(rate * 4) / rate
    tone = 0.1 * np.sin(2 * np.pi * 997 * t)
    sig = np.concatenate([tone, np.zeros(rate * 6)])
    power = _block_power(np.vstack([sig, sig]), rate)
    whole = loudness.integrated_lufs(power, [(0, 10)])
    tone_only = loudness.integrated_lufs(power, [(0, 4)])
    assert whole == pytest.approx(tone_only, abs=0.3)


def test_silence_is_reported_as_silence():
    assert loudness.integrated_lufs(np.zeros(50), [(0, 5)]) <= -100


def test_frequency_domain_weighting_matches_the_time_domain_filter():
    from scipy import signal

    rate = 48000
    rng = np.random.default_rng(3)
    noise = rng.standard_normal((2, rate * 4)) * 0.1
    filtered = signal.sosfilt(loudness.k_weighting_sos(rate), noise, axis=-1)
    direct = (filtered[:, rate:] ** 2).mean(axis=-1).sum()
    ours = _block_power(noise, rate)[10:].mean()
    assert 10 * np.log10(ours / direct) == pytest.approx(0.0, abs=0.05)
