"""Reframing checked on rendered pictures: the crop filter runs in a real FFmpeg filtergraph
(as the renderer builds it) and the subject is measured in the output frames."""

from __future__ import annotations

import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from reelcut.media.ffmpeg import ffmpeg_exe
from reelcut.reframe import CropPath, crop_filter, crop_path, crop_size_px
from tests.conftest import ffmpeg, shared_clip

FPS = 25
BOX = 40  # px, the white subject
BRIGHT = 160  # the dimmed backgrounds stay below this; the subject is 235+


def _encode(path: Path, graph: str, *pre: str) -> Path:
    ffmpeg(*pre, "-f", "lavfi", "-i", graph, "-c:v", "libx264", "-preset", "ultrafast",
           "-pix_fmt", "yuv420p", str(path))  # fmt: skip
    return path


def _dim_testsrc(seconds: float, size: str = "640x360") -> str:
    return f"testsrc2=s={size}:r={FPS}:d={seconds},lutyuv=y=val*0.3:u=128:v=128"


def _dark_noise(seconds: float, size: str = "640x360", color: str = "0x203040") -> str:
    return f"color=c={color}:s={size}:r={FPS}:d={seconds},noise=alls=25:allf=t"


def _with_box(background: str, seconds: float, x: str, y: str) -> str:
    return (
        f"{background}[bg];color=c=white:s={BOX}x{BOX}:r={FPS}:d={seconds}[box];"
        f"[bg][box]overlay=x='{x}':y='{y}':shortest=1"
    )


def render_gray(
    source: Path, path: CropPath, size: tuple[int, int], out_h: int, in_s: float = 0.0,
    dur_s: float | None = None,
) -> np.ndarray:  # fmt: skip
    """The clip cut and cropped the way the renderer does it, as grey frames (n, h, w)."""
    crop = crop_filter(path, *size)
    cw, ch = crop_size_px(path, *size)
    out_w = int(round(out_h * cw / ch / 2)) * 2
    graph = f"[0:v]setpts=PTS-STARTPTS,{crop},scale={out_w}:{out_h},format=gray[v]"
    cut = ["-ss", f"{in_s:.3f}"] + (["-t", f"{dur_s:.3f}"] if dur_s else [])
    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", *cut, "-i", str(source),
         "-filter_complex", graph, "-map", "[v]", "-f", "rawvideo", "pipe:1"],
        capture_output=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr.decode()[-800:]
    frames = np.frombuffer(proc.stdout, np.uint8)
    return frames.reshape(-1, out_h, out_w)


def subject_fully_inside(frames: np.ndarray, expected_area: float) -> np.ndarray:
    """Per frame: the bright box is all there and touches no edge of the picture."""
    inside = []
    for f in frames:
        ys, xs = np.nonzero(f > BRIGHT)
        ok = (
            len(xs) >= 0.85 * expected_area
            and xs.min() > 0
            and ys.min() > 0
            and xs.max() < f.shape[1] - 1
            and ys.max() < f.shape[0] - 1
        ) if len(xs) else False  # fmt: skip
        inside.append(ok)
    return np.asarray(inside)


@pytest.fixture(scope="module")
def moving_box(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """6 s: a white box sweeps left to right and back over a dimmed, busy test pattern."""
    out = tmp_path_factory.mktemp("reframe") / "moving.mp4"
    x = "20+560*(0.5-0.5*cos(2*PI*t/6))"
    return _encode(out, _with_box(_dim_testsrc(6), 6, x, "160"))


def test_crop_follows_moving_subject_in_rendered_916(moving_box: Path) -> None:
    path = crop_path(moving_box, 0.5, 5.5, Fraction(9, 16))
    assert path.crop_h == 1.0 and path.crop_w == pytest.approx(360 * 9 / 16 / 640)
    frames = render_gray(moving_box, path, (640, 360), 320, in_s=0.5, dur_s=5.0)
    assert len(frames) == pytest.approx(5 * FPS, abs=2)
    scale = 320 / 360
    inside = subject_fully_inside(frames, (BOX * scale) ** 2)
    print(f"subject fully inside in {inside.mean():.1%} of {len(frames)} frames")
    assert inside.mean() >= 0.95
