"""Audio features on the analysis step, decoded as a stream with bounded memory.

The audio is decoded once with PyAV (stereo as is; other layouts through FFmpeg's own downmix,
the same the render uses) and cut into 50 ms frames at half the decode rate. Each frame gives a handful of numbers; each step
(0.5 s) keeps their summary. Nothing of the waveform is kept beyond one chunk.
"""

from __future__ import annotations

import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import av
import numpy as np

from reelcut.analysis import loudness
from reelcut.errors import CorruptMediaError
from reelcut.media.probe import open_input
from reelcut.progress import ProgressFn, check_cancel, no_progress

_NATIVE_RATES = (16000, 24000, 32000, 44100, 48000)  # decoded as is; others are resampled
_FALLBACK_RATE = 48000
_CHUNK_S = 30.0
_EPS = 1e-10


@dataclass(frozen=True, slots=True)
class _Spec:
    """Frame geometry and FFT bands for one feature sample rate (50 ms frames, 10 per step)."""

    rate: int  # feature rate: the decode rate halved when it is 32 kHz or more
    frame: int
    band_flat: slice
    band_whistle: slice
    lag_min: int
    lag_max: int

    @classmethod
    def for_rate(cls, feature_rate: int) -> _Spec:
        frame = int(feature_rate * 0.05)
        nyq = frame // 2

        def band(lo: float, hi: float) -> slice:
            return slice(
                min(int(round(lo * frame / feature_rate)), nyq),
                min(int(round(hi * frame / feature_rate)), nyq + 1),
            )

        return cls(
            feature_rate,
            frame,
            band(300, 8000),
            band(1500, 5000),
            feature_rate // 500,
            feature_rate // 80,
        )


@dataclass(slots=True)
class AudioFeatures:
    """Per-step audio features (arrays of equal length) plus the 100 ms K-weighted power."""

    step_s: float
    block_power: np.ndarray = field(default_factory=lambda: np.zeros(0))
    energy_db: np.ndarray = field(default_factory=lambda: np.zeros(0))
    energy_mod_db: np.ndarray = field(default_factory=lambda: np.zeros(0))
    flatness: np.ndarray = field(default_factory=lambda: np.zeros(0))
    stability: np.ndarray = field(default_factory=lambda: np.zeros(0))
    whistle: np.ndarray = field(default_factory=lambda: np.zeros(0))
    flux: np.ndarray = field(default_factory=lambda: np.zeros(0))
    voiced: np.ndarray = field(default_factory=lambda: np.zeros(0))
    pitch_hz: np.ndarray = field(default_factory=lambda: np.zeros(0))
    floor_db: np.ndarray = field(default_factory=lambda: np.zeros(0))  # quietest 50 ms of the step
    frame_energy_db: np.ndarray = field(default_factory=lambda: np.zeros(0))  # every 50 ms
    frame_voicing: np.ndarray = field(default_factory=lambda: np.zeros(0))  # periodicity, 50 ms
    frame_flatness: np.ndarray = field(default_factory=lambda: np.zeros(0))  # noise-likeness, 50 ms


_STEP_FIELDS = (
    "energy_db",
    "energy_mod_db",
    "flatness",
    "stability",
    "whistle",
    "flux",
    "voiced",
    "pitch_hz",
    "floor_db",
)


def _frame_features(
    frames: np.ndarray, prev_logspec: np.ndarray | None, sp: _Spec
) -> dict[str, np.ndarray]:
    """Numbers for each 50 ms mono frame (rows of ``frames``)."""
    window = np.hanning(sp.frame).astype(np.float32)
    spec = np.fft.rfft(frames * window, axis=1)
    power = (spec.real**2 + spec.imag**2).astype(np.float64) + _EPS
    total = power[:, 1:].sum(axis=1)
    energy_db = 10 * np.log10(np.mean(frames.astype(np.float64) ** 2, axis=1) + _EPS)
    flat_band = power[:, sp.band_flat]
    flatness = np.exp(np.mean(np.log(flat_band), axis=1)) / np.mean(flat_band, axis=1)
    wb = power[:, sp.band_whistle]
    whistle = wb.max(axis=1) / (total + _EPS)
    logspec = np.log(power[:, sp.band_flat])
    prev = np.vstack(
        [prev_logspec[None, :] if prev_logspec is not None else logspec[:1], logspec[:-1]]
    )
    flux = np.maximum(logspec - prev, 0).mean(axis=1)
    mag = np.sqrt(power[:, sp.band_flat])
    prev_mag = np.sqrt(np.exp(prev))
    stability = (mag * prev_mag).sum(axis=1) / (
        np.linalg.norm(mag, axis=1) * np.linalg.norm(prev_mag, axis=1) + _EPS
    )
    # Autocorrelation from the power spectrum gives the pitch and how periodic the frame is.
    ac = np.fft.irfft(power, axis=1)[:, : sp.lag_max + 1]
    ac_norm = ac / (ac[:, :1] + _EPS)
    lag = sp.lag_min + np.argmax(ac_norm[:, sp.lag_min :], axis=1)
    strength = ac_norm[np.arange(len(lag)), lag]
    pitch = sp.rate / lag
    return {
        "energy_db": energy_db,
        "flatness": flatness,
        "whistle": whistle,
        "flux": flux,
        "stability": stability,
        "strength": strength,
        "pitch": pitch,
        "logspec_last": logspec[-1],
    }


def _summarise_steps(feats: dict[str, np.ndarray], frames_per_step: int) -> dict[str, np.ndarray]:
    """Collapse frame rows into step rows."""
    n = len(feats["energy_db"]) // frames_per_step

    def per_step(a: np.ndarray) -> np.ndarray:
        return a[: n * frames_per_step].reshape(n, frames_per_step)

    energy = per_step(feats["energy_db"])
    loud_enough = energy > -60
    voiced_frames = (per_step(feats["strength"]) > 0.45) & loud_enough
    pitch = np.where(voiced_frames, per_step(feats["pitch"]), np.nan)
    with warnings.catch_warnings():  # steps without a voiced frame: all-NaN rows are expected
        warnings.simplefilter("ignore", RuntimeWarning)
        pitch_med = np.nan_to_num(np.nanmedian(pitch, axis=1), nan=0.0)
    return {
        "energy_db": 10 * np.log10(np.mean(10 ** (energy / 10), axis=1) + _EPS),
        "energy_mod_db": energy.std(axis=1),
        "flatness": per_step(feats["flatness"]).mean(axis=1),
        "stability": per_step(feats["stability"]).mean(axis=1),
        "whistle": per_step(feats["whistle"]).max(axis=1),
        "flux": per_step(feats["flux"]).mean(axis=1),
        "voiced": voiced_frames.mean(axis=1),
        "pitch_hz": pitch_med,
        "floor_db": energy.min(axis=1),
    }


def analyze_audio(
    path: Path,
    duration_s: float,
    step_s: float = 0.5,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> AudioFeatures:
    """Decode the first audio stream of ``path`` and return its features on ``step_s``.

    Other layouts go through FFmpeg's own downmix to stereo, the one the render uses.
    Memory stays bounded by one 30 s chunk whatever the length of the file.
    """
    with open_input(path) as container:
        stream = container.streams.audio[0]
        rate = stream.rate if stream.rate in _NATIVE_RATES else _FALLBACK_RATE
        # Whole half-second frames out of the resampler: per-frame Python work is the real cost
        # (an AAC frame is only 21 ms). Stereo at its own rate passes through untouched.
        resampler = av.AudioResampler(
            format="fltp", layout="stereo", rate=rate, frame_size=int(rate * step_s)
        )
        sp = _Spec.for_rate(rate // 2 if rate >= 32000 else rate)
        decimate = rate // sp.rate
        step_samples = int(round(step_s * rate))
        chunk_samples = int(_CHUNK_S / step_s) * step_samples
        out = AudioFeatures(step_s=step_s)
        parts: dict[str, list[np.ndarray]] = {k: [] for k in _STEP_FIELDS}
        power_parts: list[np.ndarray] = []
        energy_parts: list[np.ndarray] = []
        voicing_parts: list[np.ndarray] = []
        flatness_parts: list[np.ndarray] = []
        prev_logspec: np.ndarray | None = None
        consumed = 0

        def consume(block: np.ndarray) -> None:
            nonlocal prev_logspec, consumed
            power = loudness.k_weighted_block_power(block, rate)
            power_parts.append(power)
            mono = block.mean(axis=0)
            if decimate == 2:
                mono = 0.5 * (mono[0::2] + mono[1::2])
            per_step = step_samples // decimate
            steps = len(mono) // per_step
            frames = mono[: steps * per_step].reshape(steps, per_step)[:, : 10 * sp.frame]
            feats = _frame_features(frames.reshape(-1, sp.frame), prev_logspec, sp)
            prev_logspec = feats["logspec_last"]
            energy_parts.append(feats["energy_db"].astype(np.float32))
            voicing_parts.append(feats["strength"].astype(np.float32))
            flatness_parts.append(feats["flatness"].astype(np.float32))
            for k, v in _summarise_steps(feats, 10).items():
                parts[k].append(v)
            consumed += block.shape[1]

        pending: list[np.ndarray] = []
        pending_len = 0
        start = container.start_time / av.time_base if container.start_time else 0.0
        first = True
        try:
            for packet in container.demux(stream):
                for frame in packet.decode():
                    if first and frame.pts is not None and frame.time_base is not None:
                        lead = float(frame.pts * frame.time_base) - start
                        if lead > 0.01:
                            pending.append(np.zeros((2, int(lead * rate)), np.float32))
                            pending_len += pending[-1].shape[1]
                        first = False
                    for rs in resampler.resample(frame):
                        pending.append(rs.to_ndarray())
                        pending_len += pending[-1].shape[1]
                if pending_len >= chunk_samples:
                    check_cancel(cancel)
                    buf = np.concatenate(pending, axis=1)
                    consume(buf[:, :chunk_samples])
                    pending, pending_len = [buf[:, chunk_samples:]], buf.shape[1] - chunk_samples
                    progress("audio", consumed / rate, duration_s)
            for rs in resampler.resample(None):
                pending.append(rs.to_ndarray())
        except av.FFmpegError as exc:
            raise CorruptMediaError(f"{path.name}: audio is damaged ({exc})") from exc
    # Pad or cut the tail to the video duration so that every step has audio numbers.
    total_steps = int(np.ceil(duration_s / step_s))
    want = total_steps * step_samples - consumed
    buf = np.concatenate(pending, axis=1) if pending else np.zeros((2, 0), np.float32)
    buf = buf[:, : max(want, 0)]
    if buf.shape[1] < want:
        buf = np.concatenate([buf, np.zeros((2, want - buf.shape[1]), np.float32)], axis=1)
    for i in range(0, buf.shape[1], chunk_samples):
        consume(buf[:, i : i + chunk_samples])
    progress("audio", duration_s, duration_s)
    out.block_power = (
        np.concatenate(power_parts)[: int(round(duration_s / loudness.BLOCK_S))]
        if power_parts
        else np.zeros(0)
    )
    out.frame_energy_db = np.concatenate(energy_parts) if energy_parts else np.zeros(0)
    out.frame_voicing = np.concatenate(voicing_parts) if voicing_parts else np.zeros(0)
    out.frame_flatness = np.concatenate(flatness_parts) if flatness_parts else np.zeros(0)
    for k in _STEP_FIELDS:
        setattr(out, k, (np.concatenate(parts[k]) if parts[k] else np.zeros(0))[:total_steps])
    return out


def silent_features(duration_s: float, step_s: float = 0.5) -> AudioFeatures:
    """Features for a file without audio: silence everywhere."""
    n = int(np.ceil(duration_s / step_s))
    out = AudioFeatures(step_s=step_s, block_power=np.zeros(int(np.ceil(duration_s / 0.1))))
    for k in _STEP_FIELDS:
        setattr(out, k, np.zeros(n))
    out.energy_db = np.full(n, -100.0)
    out.floor_db = np.full(n, -100.0)
    out.frame_energy_db = np.full(int(np.ceil(duration_s / 0.05)), -100.0)
    out.frame_voicing = np.zeros(len(out.frame_energy_db))
    out.frame_flatness = np.zeros(len(out.frame_energy_db))
    return out
