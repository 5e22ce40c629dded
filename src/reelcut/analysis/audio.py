"""Audio features on the analysis step, decoded as a stream with bounded memory.

The audio is decoded once with PyAV (stereo as is; other layouts through FFmpeg's own downmix,
the same the render uses) and cut into 50 ms frames at half the decode rate. Each frame gives a handful of numbers; each step
(0.5 s) keeps their summary. Nothing of the waveform is kept beyond one chunk.
"""

from __future__ import annotations

import threading
import warnings
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
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
    import scipy.fft

    window = np.hanning(sp.frame).astype(np.float32)
    spec = scipy.fft.rfft(frames * window, axis=1)
    power = (spec.real**2 + spec.imag**2).astype(np.float64) + _EPS
    total = power[:, 1:].sum(axis=1)
    energy_db = 10 * np.log10(np.mean(frames.astype(np.float64) ** 2, axis=1) + _EPS)
    flat_band = power[:, sp.band_flat]
    logspec = np.log(flat_band)
    flatness = np.exp(np.mean(logspec, axis=1)) / np.mean(flat_band, axis=1)
    wb = power[:, sp.band_whistle]
    whistle = wb.max(axis=1) / (total + _EPS)
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


class AudioAccumulator:
    """Audio features built from packets as they are demuxed, with bounded memory.

    :func:`reelcut.analysis.analyze` feeds it the audio packets of the one demux pass it shares
    with the video; :func:`analyze_audio` feeds it a file of its own. Whole 30 s chunks are
    turned into features on one worker thread (NumPy releases the GIL), in order, while the
    caller goes on demuxing and decoding.
    """

    def __init__(
        self, stream: av.audio.stream.AudioStream, start_s: float, duration_s: float, step_s: float
    ) -> None:
        self.rate = stream.rate if stream.rate in _NATIVE_RATES else _FALLBACK_RATE
        self.step_s, self.duration_s, self.start_s = step_s, duration_s, start_s
        self.sp = _Spec.for_rate(self.rate // 2 if self.rate >= 32000 else self.rate)
        self.decimate = self.rate // self.sp.rate
        self.step_samples = int(round(step_s * self.rate))
        self.chunk_samples = int(_CHUNK_S / step_s) * self.step_samples
        self._stream = stream
        self._resampler: av.AudioResampler | None = None
        self._parts: dict[str, list[np.ndarray]] = {k: [] for k in _STEP_FIELDS}
        self._frame_parts: dict[str, list[np.ndarray]] = {
            k: [] for k in ("power", "energy", "voicing", "flatness")
        }
        self._prev_logspec: np.ndarray | None = None
        self.consumed = 0  # samples handed to the features so far
        self._left: list[np.ndarray] = []  # buffered samples not yet in a chunk, per channel
        self._right: list[np.ndarray] = []
        self._pending_len = 0
        self._first = True
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="audio-features")
        self._jobs: deque[Future[None]] = deque()

    def _stereo(self, frame: av.AudioFrame) -> None:
        """Buffer ``frame`` as float32 stereo at ``rate``: stereo float-planar at that rate (what
        AAC decodes to) as views of its two planes, anything else through FFmpeg's resampler and
        downmix. (``to_ndarray`` stacks the planes: a third of the decode's own time per frame.)"""
        if (
            self._resampler is None
            and frame.format.name == "fltp"
            and frame.layout.name == "stereo"
            and frame.sample_rate == self.rate
        ):
            n = frame.samples
            planes = frame.planes
            self._left.append(np.frombuffer(memoryview(planes[0]), np.float32, n))
            self._right.append(np.frombuffer(memoryview(planes[1]), np.float32, n))
            self._pending_len += n
            return
        if self._resampler is None:
            self._resampler = av.AudioResampler(format="fltp", layout="stereo", rate=self.rate)
        for rs in self._resampler.resample(frame):
            self._add(rs.to_ndarray())

    def _add(self, block: np.ndarray) -> None:
        self._left.append(block[0])
        self._right.append(block[1])
        self._pending_len += block.shape[1]

    def _pending(self) -> np.ndarray:
        """Everything buffered, as one 2 x n array (the buffer is emptied). Each channel is
        joined straight into its row (``np.stack`` of two joined rows copied every sample twice)."""
        if not self._left:
            return np.zeros((2, 0), np.float32)
        buf = np.empty((2, self._pending_len), np.float32)
        np.concatenate(self._left, out=buf[0])
        np.concatenate(self._right, out=buf[1])
        self._left, self._right, self._pending_len = [], [], 0
        return buf

    def feed(self, packet: av.Packet) -> None:
        """Decode one packet of the stream; hand every whole chunk to the worker."""
        for frame in packet.decode():
            if not isinstance(frame, av.AudioFrame):
                continue
            if self._first and frame.pts is not None and frame.time_base is not None:
                lead = float(frame.pts * frame.time_base) - self.start_s
                if lead > 0.01:
                    self._add(np.zeros((2, int(lead * self.rate)), np.float32))
                self._first = False
            self._stereo(frame)
        if self._pending_len >= self.chunk_samples:
            buf = self._pending()
            n = self.chunk_samples * (buf.shape[1] // self.chunk_samples)
            for i in range(0, n, self.chunk_samples):
                self._submit(buf[:, i : i + self.chunk_samples])
            if n < buf.shape[1]:
                self._add(buf[:, n:])

    def _submit(self, block: np.ndarray) -> None:
        while len(self._jobs) >= 2:  # at most two chunks in flight: memory stays bounded
            self._jobs.popleft().result()
        self._jobs.append(self._pool.submit(self._consume, block))

    def _consume(self, block: np.ndarray) -> None:
        sp, rate = self.sp, self.rate
        self._frame_parts["power"].append(loudness.k_weighted_block_power(block, rate))
        mono = block.mean(axis=0)
        if self.decimate == 2:
            mono = 0.5 * (mono[0::2] + mono[1::2])
        per_step = self.step_samples // self.decimate
        steps = len(mono) // per_step
        frames = mono[: steps * per_step].reshape(steps, per_step)[:, : 10 * sp.frame]
        feats = _frame_features(frames.reshape(-1, sp.frame), self._prev_logspec, sp)
        self._prev_logspec = feats["logspec_last"]
        self._frame_parts["energy"].append(feats["energy_db"].astype(np.float32))
        self._frame_parts["voicing"].append(feats["strength"].astype(np.float32))
        self._frame_parts["flatness"].append(feats["flatness"].astype(np.float32))
        for k, v in _summarise_steps(feats, 10).items():
            self._parts[k].append(v)
        self.consumed += block.shape[1]

    def close(self) -> None:
        """Stop the worker (after an error or a cancel: queued chunks are dropped)."""
        for job in self._jobs:
            job.cancel()
        self._pool.shutdown(wait=True)

    def finish(self) -> AudioFeatures:
        """Flush the decoder, pad or cut the tail to the video duration, return the features."""
        if self._resampler is not None:
            for rs in self._resampler.resample(None):
                self._add(rs.to_ndarray())
        while self._jobs:
            self._jobs.popleft().result()
        self._pool.shutdown(wait=True)
        step_s, duration_s, chunk = self.step_s, self.duration_s, self.chunk_samples
        total_steps = int(np.ceil(duration_s / step_s))
        want = total_steps * self.step_samples - self.consumed
        buf = self._pending()[:, : max(want, 0)]
        if buf.shape[1] < want:
            buf = np.concatenate([buf, np.zeros((2, want - buf.shape[1]), np.float32)], axis=1)
        for i in range(0, buf.shape[1], chunk):
            self._consume(buf[:, i : i + chunk])
        out = AudioFeatures(step_s=step_s)
        fp = self._frame_parts
        out.block_power = (
            np.concatenate(fp["power"])[: int(round(duration_s / loudness.BLOCK_S))]
            if fp["power"]
            else np.zeros(0)
        )
        out.frame_energy_db = np.concatenate(fp["energy"]) if fp["energy"] else np.zeros(0)
        out.frame_voicing = np.concatenate(fp["voicing"]) if fp["voicing"] else np.zeros(0)
        out.frame_flatness = np.concatenate(fp["flatness"]) if fp["flatness"] else np.zeros(0)
        for k in _STEP_FIELDS:
            parts = self._parts[k]
            setattr(out, k, (np.concatenate(parts) if parts else np.zeros(0))[:total_steps])
        return out


def analyze_audio(
    path: Path,
    duration_s: float,
    step_s: float = 0.5,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> AudioFeatures:
    """Decode the first audio stream of ``path`` alone and return its features on ``step_s``.

    Other layouts go through FFmpeg's own downmix to stereo, the one the render uses.
    Memory stays bounded by a few 30 s chunks whatever the length of the file.
    """
    with open_input(path) as container:
        stream = container.streams.audio[0]
        start = container.start_time / av.time_base if container.start_time else 0.0
        acc = AudioAccumulator(stream, start, duration_s, step_s)
        try:
            for n, packet in enumerate(container.demux(stream)):
                acc.feed(packet)
                if n % 500 == 0:
                    check_cancel(cancel)
                    progress("audio", acc.consumed / acc.rate, duration_s)
            features = acc.finish()
        except av.FFmpegError as exc:
            raise CorruptMediaError(f"{path.name}: audio is damaged ({exc})") from exc
        finally:
            acc.close()
    progress("audio", duration_s, duration_s)
    return features


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
