"""Turn raw audio/video features into speech, music and an excitement score with its reasons.

A moment is exciting when it rises above its *own surroundings*: loudness is measured against a
rolling low percentile of the last and next minute, so a constant crowd or a loud stadium is the
baseline, not a highlight. What rises must also sound like a moment: broadband roar (noise-like
spectrum), a raised (higher, louder) voice, a burst of spectral change. Sustained tonal sound
(music beds, ad breaks) and narrow tones (whistles) are multiplied down, and single short blips are
smoothed away.
"""

from __future__ import annotations

import warnings

import numpy as np

from reelcut.analysis import loudness
from reelcut.analysis.audio import AudioFeatures

_BASELINE_S = 120.0  # window of the rolling baseline
_BASE_PCT = 70  # the baseline is the level of the active part (speech, play), not of the pauses
_EVENT_LU = 5.0  # a step this far over the baseline is a moment: it is left out of the baseline


def _steps(seconds: float, step_s: float) -> int:
    return max(int(round(seconds / step_s)), 1)


def _smooth(a: np.ndarray, seconds: float, step_s: float) -> np.ndarray:
    from scipy import ndimage

    return ndimage.uniform_filter1d(a.astype(np.float64), _steps(seconds, step_s), mode="nearest")


def _rolling_pct(a: np.ndarray, pct: float, seconds: float, step_s: float) -> np.ndarray:
    """Rolling percentile, computed on a coarser grid (2 s) for speed on long inputs.

    NaN steps are left out; a window with nothing else takes the baseline of its neighbours.
    """
    from scipy import ndimage

    if len(a) == 0:
        return a
    factor = max(int(round(2.0 / step_s)), 1)
    n = len(a) // factor * factor
    size = max(int(round(seconds / (step_s * factor))), 1) | 1
    if not np.isnan(a).any():
        coarse = a[:n].reshape(-1, factor).mean(axis=1) if n else a[:1]
        base = ndimage.percentile_filter(coarse, pct, size=size, mode="nearest")
    else:
        with warnings.catch_warnings():  # all-NaN coarse cells and windows are expected
            warnings.simplefilter("ignore", RuntimeWarning)
            coarse = np.nanmean(a[:n].reshape(-1, factor), axis=1) if n else a[:1]
            padded = np.pad(coarse, size // 2, mode="edge")
            windows = np.lib.stride_tricks.sliding_window_view(padded, size)
            base = np.nanpercentile(windows, pct, axis=1)
        known = ~np.isnan(base)
        if not known.any():  # only the tail past the last whole 2 s cell is known (short clips)
            finite = a[~np.isnan(a)]
            level = float(np.percentile(finite, pct)) if len(finite) else 0.0
            return np.full(len(a), level)
        base = np.interp(np.arange(len(base)), np.flatnonzero(known), base[known])
    return np.interp(np.arange(len(a)), np.arange(len(base)) * factor + factor / 2, base)


def loudness_per_step(
    block_power: np.ndarray, steps: int, step_s: float
) -> tuple[np.ndarray, np.ndarray]:
    """Momentary (400 ms) and short-term (3 s) loudness centred on each step."""
    per_step = int(round(step_s / loudness.BLOCK_S))
    centres = (np.arange(steps) * per_step + per_step // 2).astype(int)

    def centred(window: int) -> np.ndarray:
        ends = np.clip(centres + window // 2, 0, max(len(block_power) - 1, 0))
        return (
            loudness.windowed_lufs(block_power, window)[ends]
            if len(block_power)
            else np.full(steps, -120.0)
        )

    return centred(4), centred(30)


def speech_music_whistle(
    a: AudioFeatures, step_s: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-step likelihoods (0..1) of speech, music and narrow tones."""
    from scipy import ndimage

    audible = np.clip((a.energy_db + 65) / 10, 0, 1)
    # Speech alternates voiced and unvoiced sound and pauses at the syllable rate.
    voiced_mix = 1 - np.abs(_smooth(a.voiced, 1.0, step_s) - 0.55) / 0.45
    modulation = np.clip((_smooth(a.energy_mod_db, 1.0, step_s) - 2.5) / 4.0, 0, 1)
    tonal = np.clip((0.25 - _smooth(a.flatness, 2.0, step_s)) / 0.2, 0, 1)
    steady = np.clip((_smooth(a.stability, 3.0, step_s) - 0.75) / 0.15, 0, 1)
    music_raw = tonal * steady * np.clip(_smooth(a.voiced, 3.0, step_s) / 0.6, 0, 1) * audible
    music = ndimage.median_filter(music_raw, size=_steps(4.0, step_s) | 1, mode="nearest")
    speech = np.clip(voiced_mix, 0, 1) * modulation * audible * (1 - 0.7 * music)
    speech = _smooth(speech, 1.0, step_s)
    whistle = np.clip((a.whistle - 0.15) / 0.25, 0, 1) * audible
    return speech, music, whistle


def _rolling_median(a: np.ndarray, seconds: float, step_s: float) -> np.ndarray:
    from scipy import ndimage

    return ndimage.median_filter(a, size=_steps(seconds, step_s) | 1, mode="nearest")


def _baseline(x: np.ndarray, music: np.ndarray, step_s: float) -> np.ndarray:
    """Rolling 70th percentile of ``x`` over two minutes, blind to music.

    A loud ad break or music bed must not lift the baseline of the match around it (a goal right
    after an ad would look ordinary), so music steps, and the few seconds around them that the
    3 s level smears them into, take no part in the percentile: the baseline is that of the
    footage around them. (Filling them with the level at their edges did not work: the edge
    already carries the ad's level, and a 30 s break filled with it lifted the baseline of the
    play a minute either side by 4-5 LU, so a near miss next to it rose above nothing.)
    """
    from scipy import ndimage

    keep = ~ndimage.binary_dilation(music >= 0.5, iterations=_steps(2.0, step_s))
    if not keep.any():
        return _rolling_pct(x, _BASE_PCT, _BASELINE_S, step_s)
    base = _rolling_pct(np.where(keep, x, np.nan), _BASE_PCT, _BASELINE_S, step_s)
    # The moments themselves are no baseline either: a goal roar of 15 s is a quarter of the
    # active minute around it, and with it in the percentile the next minute's baseline sat
    # 2-3 LU higher, a near miss after it rising above nothing. Steps well over the first
    # baseline (and the seconds around them) are left out and the percentile taken again.
    event = ndimage.binary_dilation(x - base > _EVENT_LU, iterations=_steps(2.0, step_s))
    if (keep & ~event).any():
        base = _rolling_pct(np.where(keep & ~event, x, np.nan), _BASE_PCT, _BASELINE_S, step_s)
    return base


def excitement(
    a: AudioFeatures,
    motion_per_step: np.ndarray,
    shot_cuts_s: np.ndarray,
    momentary_lufs: np.ndarray,
    speech: np.ndarray,
    music: np.ndarray,
    whistle: np.ndarray,
    step_s: float,
    has_audio: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Excitement per step, its components (see ``signals.COMPONENTS``) and the penalty factor.

    Levels are rolling medians over 3 s, so a sound must last to count (a whistle does not), and
    are compared with the 70th percentile of the surrounding two minutes, so the usual level of
    the active footage (commentary, talk, a steady crowd) is the baseline, not its pauses. The crowd roar is measured on the noise
    floor, the quietest 50 ms of each step: speech and PA leave it between syllables, a roaring
    crowd or applause lifts it.
    """
    from scipy import ndimage

    n = len(momentary_lufs)
    level = _rolling_median(momentary_lufs, 3.0, step_s)
    rise_lu = level - _baseline(level, music, step_s)
    loud_rise = np.clip((rise_lu - 2.0) / 8.0, 0, 1.5)
    floor = _rolling_median(a.floor_db[:n], 3.0, step_s)
    floor_rise = floor - _baseline(floor, music, step_s)
    # Only a noise-like sound is a roar: dense speech also lifts the floor, but stays tonal.
    noisy = np.clip((_smooth(a.flatness[:n], 2.0, step_s) - 0.12) / 0.2, 0, 1)
    roar = np.clip((floor_rise - 3.0) / 10.0, 0, 1.5) * noisy
    pitch = np.where(a.pitch_hz[:n] > 0, a.pitch_hz[:n], np.nan)
    voiced_steps = speech > 0.3
    has_ref = np.any(voiced_steps & ~np.isnan(pitch))
    ref_pitch = float(np.nanmedian(pitch[voiced_steps])) if has_ref else 0.0
    pitch_rise = (
        np.nan_to_num((pitch - ref_pitch) / ref_pitch, nan=0.0) if ref_pitch else np.zeros(n)
    )
    raised = _smooth(np.clip(pitch_rise / 0.35, 0, 1) * np.clip(speech / 0.5, 0, 1), 1.5, step_s)
    raised = raised * np.clip((rise_lu - 1.0) / 6.0, 0, 1)
    # Laughter, cheers, shouts: loud, breathy (unvoiced, fairly noisy) and bursty, unlike speech.
    flat_s = _smooth(a.flatness[:n], 2.0, step_s)
    unvoiced = 1 - np.clip(_smooth(a.voiced[:n], 2.0, step_s) / 0.4, 0, 1)
    bursty = np.clip((_smooth(a.energy_mod_db[:n], 2.0, step_s) - 4.0) / 6.0, 0, 1)
    # Laughs last 2-5 s: a 3 s median hardly sees them, so the burst's level is a 1.5 s one.
    quick = _rolling_median(momentary_lufs, 1.5, step_s)
    quick_rise = _smooth(quick - _baseline(level, music, step_s), 1.5, step_s)
    burst = (
        np.clip((quick_rise - 1.0) / 4.0, 0, 1.5)
        * unvoiced
        * bursty
        * np.clip((flat_s - 0.1) / 0.05, 0, 1)
    )
    flux = _smooth(a.flux[:n], 1.5, step_s)
    flux_rise = np.clip(flux - _rolling_pct(flux, 50, _BASELINE_S, step_s), 0, 1) * loud_rise
    motion = _smooth(motion_per_step, 2.0, step_s)
    motion_rise = np.clip((motion - _rolling_pct(motion, 50, _BASELINE_S, step_s)) / 1.5, 0, 1)
    cut_hist = np.zeros(n)
    idx = np.clip((shot_cuts_s / step_s).astype(int), 0, max(n - 1, 0))
    np.add.at(cut_hist, idx, 1.0)
    cuts = np.clip(_smooth(cut_hist, 10.0, step_s) * _steps(10.0, step_s) / 3.0, 0, 1)
    # Loud but calm, voiced sound (a PA announcement, a presenter) is not a moment by loudness alone.
    # Voice is calm speech when it carries the sound: voiced, and tonal (the harmonics stand over
    # the noise, flatness well under a crowd's ~0.4). A reverberant PA stays both (the echo
    # smears its pauses, not its harmonics); a roar with a shout in it is noise-like.
    tonal_voice = np.clip(_smooth(a.voiced[:n], 2.0, step_s) / 0.3, 0, 1) * np.clip(
        (0.35 - flat_s) / 0.12, 0, 1
    )
    calm_voice = tonal_voice * (1 - np.clip(raised * 2, 0, 1))
    loud_rise = loud_rise * (1 - 0.85 * calm_voice)
    components = np.vstack([loud_rise, roar, raised, burst, flux_rise, motion_rise, cuts])
    if has_audio:
        weights = np.array([0.3, 0.9, 0.6, 0.7, 0.2, 0.2, 0.1])
    else:
        weights = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.4])
    penalty = (1 - 0.85 * music) * (1 - 0.8 * _smooth(whistle, 1.0, step_s))
    total = (weights[:, None] * components).sum(axis=0) * penalty
    total = ndimage.median_filter(total, size=_steps(1.5, step_s) | 1, mode="nearest")
    total = _smooth(total, 2.0, step_s)
    return total, components, penalty
