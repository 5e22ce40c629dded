"""The values the planner reads and returns: settings, assets, the plan and its segments.

Kept apart from the planner so callers (the application layer, the service's jobs, tests) can
build and read them without importing the graph code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

AUDIO_RATE = 48000
CUT_FADE_MS = 30  # a short audio crossfade at every cut: no clicks


@dataclass(frozen=True, slots=True)
class RenderSettings:
    """How to encode. A draft carries its own size; ``height`` is for the quick path only."""

    height: int | None = None  # plan_render's lines; None: the source's own, capped at 1080
    fps: Fraction | None = None  # None: the first source's rate (capped at 60)
    crf: int = 21
    preset: str = "superfast"  # >= 60 fps at 1080p on 2 cores, still H.264 High (CABAC, 8x8)
    audio_fade_ms: int = CUT_FADE_MS
    video_crossfade_s: float = 0.0
    gain_db: float | None = None  # static loudness gain; None leaves the level alone
    audio_bitrate: str = "192k"
    threads: int = 0  # encoder threads; 0: let FFmpeg choose
    decode_threads: int = 2  # per input (one per source file, not per clip)
    smart: str = "auto"  # "auto": copy the source's GOPs when the reel only cuts; "off": never
    # "libx264" or "h264_nvenc"; "auto" is libx264 here (the planner never probes hardware):
    # the application layer resolves it with reelcut.media.hwaccel.detect()
    video_encoder: str = "auto"
    decode_hwaccel: str | None = None  # "-hwaccel" for video inputs ("cuda"); None: software


@dataclass(frozen=True, slots=True)
class RenderAssets:
    """What the planner needs to know about the files behind a draft (found by the application
    layer, :func:`reelcut.editor.assets.prepare_assets`)."""

    files: Mapping[str, Path]  # source id -> file to read (music already rendered to length)
    display: Mapping[str, tuple[int, int]]  # source id -> upright picture size
    has_audio: Mapping[str, bool]
    fps: Fraction
    crop_filters: Mapping[int, str] = field(default_factory=dict)  # clip index -> crop filter
    fonts: Mapping[int, Path] = field(default_factory=dict)  # index in draft.texts -> font file
    gain_db: float | None = None  # loudness gain for the footage's own sound
    start_s: Mapping[str, float] = field(default_factory=dict)  # source id -> first timestamp
    # index in draft.texts -> the position it is drawn at instead (moved off a face)
    text_positions: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PlannedSegment:
    """One clip as it lands in the reel: whole frames and the matching audio samples."""

    source: Path | None
    source_in_s: float
    frames: int
    samples: int
    reel_start_s: float


@dataclass(frozen=True, slots=True)
class RenderPlan:
    """One FFmpeg command and the small files it reads, ready for :func:`run_plan`."""

    args: tuple[str, ...]  # everything after the ffmpeg binary
    output: Path
    width: int
    height: int
    fps: Fraction
    duration_s: float
    segments: tuple[PlannedSegment, ...]
    filter_graph: str
    work_dir: Path  # the runner creates it, writes ``files`` into it, and removes it after
    files: tuple[tuple[str, str], ...] = ()  # (name inside work_dir, text)
