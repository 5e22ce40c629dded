"""Where an NVIDIA GPU is present, encode there (NVENC) and decode there (NVDEC through CUDA).

The CPU (libx264, software decoding) stays the default and the tested path: :func:`detect`
picks the GPU only when FFmpeg lists ``h264_nvenc`` *and* a tiny trial encode with it
succeeds (an FFmpeg build lists NVENC whether or not a GPU and its driver are there). The
answer is worked out once per process and FFmpeg binary.

``REELCUT_HWACCEL`` chooses: ``auto`` (the default: the GPU when it works, else the CPU),
``none`` (always the CPU) or ``nvenc`` (the GPU or a :class:`~reelcut.errors.HardwareUnavailableError`,
code 5003: someone who asked for the GPU by name is told it is not there, rather than getting a
reel encoded on the CPU at a tenth of the speed they planned for).

The GPU path is untested on the machines this project is built on (none has a GPU).
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
from dataclasses import dataclass

from reelcut.errors import HardwareUnavailableError, InvalidArgumentError
from reelcut.media.ffmpeg import ffmpeg_exe

MODES = ("auto", "none", "nvenc")
CPU_ENCODER = "libx264"
GPU_ENCODER = "h264_nvenc"


@dataclass(frozen=True, slots=True)
class Acceleration:
    """What renders use: the H.264 encoder, the decoder's ``-hwaccel`` (None: software), why."""

    encoder: str
    decode: str | None
    reason: str

    @property
    def gpu(self) -> bool:
        return self.encoder == GPU_ENCODER


def mode() -> str:
    """``REELCUT_HWACCEL``, checked: auto, none or nvenc."""
    named = os.environ.get("REELCUT_HWACCEL", "").strip().lower() or "auto"
    if named not in MODES:
        raise InvalidArgumentError(
            f"REELCUT_HWACCEL={named!r} is not one of {', '.join(MODES)} "
            "(auto: the GPU when one works; none: the CPU; nvenc: the GPU or an error)"
        )
    return named


def detect() -> Acceleration:
    """The acceleration renders use in this process (see the module's docstring)."""
    chosen = mode()
    if chosen == "none":
        return Acceleration(CPU_ENCODER, None, "REELCUT_HWACCEL=none: the CPU")
    works, cuda, why = nvenc_works(ffmpeg_exe())
    if works:
        return Acceleration(GPU_ENCODER, "cuda" if cuda else None, why)
    if chosen == "nvenc":
        raise HardwareUnavailableError(
            f"REELCUT_HWACCEL=nvenc, but NVENC cannot be used here: {why} "
            "(unset it or set auto to encode on the CPU)"
        )
    return Acceleration(CPU_ENCODER, None, f"no NVIDIA GPU: {why}")


def _ffmpeg(exe: str, *args: str, timeout_s: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [exe, "-hide_banner", "-nostdin", *args],
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )


@functools.cache
def nvenc_works(exe: str) -> tuple[bool, bool, str]:
    """(NVENC encodes, CUDA decoding is listed, why) for FFmpeg binary ``exe``; once a process."""
    try:
        if GPU_ENCODER not in _ffmpeg(exe, "-encoders").stdout:
            return False, False, "this FFmpeg has no h264_nvenc encoder"
        cuda = "cuda" in _ffmpeg(exe, "-hwaccels").stdout.split()
        trial = _ffmpeg(
            exe, "-loglevel", "error", "-f", "lavfi", "-i", "color=c=black:s=256x144:r=30:d=0.2",
            "-c:v", GPU_ENCODER, "-f", "null", "-",
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, False, f"FFmpeg could not be asked ({exc})"
    if trial.returncode != 0:
        first = (trial.stderr.strip().splitlines() or ["no message"])[0]
        first = re.sub(r"^\[[^]]*\]\s*", "", first)[:200]  # "[h264_nvenc @ 0x...] "
        return False, cuda, f"a trial h264_nvenc encode failed ({first})"
    return True, cuda, "a trial h264_nvenc encode succeeded"
