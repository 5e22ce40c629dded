"""``Signals``: everything downstream knows about a piece of footage, as arrays on one step.

Selection, the render's loudness gain and the CLI's ``analyze --json`` read only this object;
none of them touches a decoder. It round-trips through one ``.npz`` file for the cache.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np

#: Bump when a change to analysis would change its numbers: old cache entries are then ignored.
ANALYSIS_VERSION = 14

#: The per-step components of the excitement score, in the order they are reported.
COMPONENTS = (
    "loudness_rise",
    "crowd_roar",
    "raised_voice",
    "burst",
    "spectral_change",
    "motion",
    "cuts",
)


@dataclass(frozen=True, slots=True)
class Signals:
    step_s: float
    duration_s: float
    has_audio: bool
    fps: float
    # Audio, per step.
    loudness_momentary_lufs: np.ndarray
    loudness_short_lufs: np.ndarray
    speech: np.ndarray  # 0..1, someone is talking
    music: np.ndarray  # 0..1, tonal and steady: music beds, ads
    whistle: np.ndarray  # 0..1, a narrow tone (whistle, horn, beep)
    # Video, per step.
    motion: np.ndarray  # non-key bits per frame relative to the file's median
    # Excitement, per step: the total and the components that make it up (COMPONENTS order).
    excitement: np.ndarray
    components: np.ndarray  # shape (len(COMPONENTS), steps)
    penalty: np.ndarray  # 0..1 factor the total was multiplied by (music, whistles)
    # Finer grids, for exact loudness and cut placement.
    block_power: np.ndarray  # K-weighted power per 100 ms (sum over stereo channels)
    frame_energy_db: np.ndarray  # mono energy per 50 ms, for pauses
    shot_cuts_s: np.ndarray
    keyframes_s: np.ndarray
    # 0..1 per 50 ms, 0.5 and over mid-word (see ``analysis.voice``): where a cut must not fall.
    # Empty when unknown (hand-made signals): selection then knows no pauses.
    voice_activity: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))

    @property
    def steps(self) -> int:
        return len(self.excitement)

    def times_s(self) -> np.ndarray:
        """Centre time of every step."""
        return (np.arange(self.steps) + 0.5) * self.step_s

    def component(self, name: str) -> np.ndarray:
        return self.components[COMPONENTS.index(name)]

    def save(self, path: Path) -> None:
        arrays = {f.name: getattr(self, f.name) for f in fields(self)}
        meta = {k: arrays.pop(k) for k in ("step_s", "duration_s", "has_audio", "fps")}
        meta["version"] = ANALYSIS_VERSION
        # a dot name of this write's own (two threads may store one content at once): a bounded
        # local copy never counts (or evicts) it mid-write
        tmp = path.with_name(f".{path.stem}.{secrets.token_hex(6)}.tmp.npz")
        try:
            np.savez_compressed(tmp, meta=np.array(json.dumps(meta)), **arrays)
            tmp.replace(path)
        except BaseException:  # a full disk: no partial file left that nothing would remove
            tmp.unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path) -> Signals | None:
        """The cached signals, or None when the file is missing, damaged or from another version."""
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                if meta.pop("version", None) != ANALYSIS_VERSION:
                    return None
                arrays = {f.name: data[f.name] for f in fields(cls) if f.name not in meta}
        except (OSError, KeyError, ValueError):
            return None
        return cls(**meta, **arrays)
