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


def box_centres(frames: np.ndarray) -> np.ndarray:
    """(x, y) centre of the bright box per frame, in output pixels (nan when absent)."""
    out = np.full((len(frames), 2), np.nan)
    for i, f in enumerate(frames):
        ys, xs = np.nonzero(f > BRIGHT)
        if len(xs):
            out[i] = (xs.min() + xs.max()) / 2, (ys.min() + ys.max()) / 2
    return out


def test_static_subject_off_centre_gives_a_still_crop_centred_on_it(tmp_path: Path) -> None:
    src = _encode(tmp_path / "static.mp4", _with_box(_dark_noise(4), 4, "120", "100"))
    path = crop_path(src, 0.0, 4.0, Fraction(9, 16))
    xs = np.asarray([k[1] for k in path.keyframes])
    assert np.ptp(xs) < 1e-4, path.keyframes
    assert xs[0] == pytest.approx((120 + BOX / 2) / 640, abs=0.01)
    frames = render_gray(src, path, (640, 360), 320)
    centres = box_centres(frames)
    assert not np.isnan(centres).any()
    moves = np.abs(np.diff(centres, axis=0)).max()
    assert moves < 0.6, f"the subject moved {moves} px between frames in a still crop"
    crop_w_out = frames.shape[2]
    assert centres[:, 0].mean() == pytest.approx(crop_w_out / 2, abs=0.03 * crop_w_out)


def _two_shots(path: Path, second_bg: str) -> Path:
    """3 s with the box on the left, then a hard cut to 3 s with it on the right."""
    a = _with_box(_dim_testsrc(3), 3, "60", "160")
    b = _with_box(second_bg, 3, "540", "160")
    return _encode(path, f"{a}[s1];{b}[s2];[s1][s2]concat=n=2:v=1:a=0")


def test_crop_jumps_at_a_detected_cut_without_panning(tmp_path: Path) -> None:
    src = _two_shots(tmp_path / "cut.mp4", _dark_noise(3))
    path = crop_path(src, 0.0, 6.0, Fraction(9, 16))
    steps = [
        (a[0], a[1], b[1])
        for a, b in zip(path.keyframes, path.keyframes[1:], strict=False)
        if a[0] == b[0]
    ]
    assert len(steps) == 1, path.keyframes
    t, before, after = steps[0]
    assert t == pytest.approx(3.0, abs=1.5 / FPS)  # placed on the frame, not the sample
    assert before < 0.25 and after > 0.75
    crop_half = path.crop_w / 2
    assert path.center_at(3.0 + 0.4)[0] + crop_half >= (540 + BOX) / 640
    frames = render_gray(src, path, (640, 360), 320)
    inside = subject_fully_inside(frames, (BOX * 320 / 360) ** 2)
    print(f"subject fully inside in {inside.mean():.1%} of {len(frames)} frames, cut at {t:.3f}")
    assert inside[: 3 * FPS - 1].all() and inside[3 * FPS + 1 :].all()


def test_known_cut_from_the_caller_is_a_step_in_clip_time(tmp_path: Path) -> None:
    noise = _dark_noise(3)
    src = _two_shots(tmp_path / "teleport.mp4", noise.replace("0x203040", "0x252525"))
    path = crop_path(src, 1.0, 5.0, Fraction(9, 16), cuts_s=[3.0, 9.0])
    assert path.center_at(1.99)[0] < 0.25
    assert path.center_at(2.01)[0] > 0.75
    assert path.center_at(3.9)[0] > 0.75


@pytest.mark.parametrize(
    ("aspect", "out_h"), [(Fraction(1, 1), 240), (Fraction(4, 5), 300), (Fraction(9, 16), 320)]
)
def test_filter_runs_for_each_aspect(moving_box: Path, aspect: Fraction, out_h: int) -> None:
    path = crop_path(moving_box, 0.0, 6.0, aspect)
    cw, ch = crop_size_px(path, 640, 360)
    assert ch == 360 and cw % 2 == 0 and cw / ch == pytest.approx(float(aspect), abs=0.01)
    frames = render_gray(moving_box, path, (640, 360), out_h)
    inside = subject_fully_inside(frames, (BOX * out_h / 360) ** 2)
    assert inside.mean() >= 0.95


def test_portrait_source_to_landscape_follows_vertically(tmp_path: Path) -> None:
    y = "20+560*(0.5-0.5*cos(2*PI*t/4))"
    src = _encode(tmp_path / "portrait.mp4", _with_box(_dim_testsrc(4, "360x640"), 4, "160", y))
    path = crop_path(src, 0.0, 4.0, Fraction(16, 9))
    assert path.crop_w == 1.0 and path.crop_h < 0.5
    assert {k[1] for k in path.keyframes} == {0.5}
    frames = render_gray(src, path, (360, 640), 180)
    assert frames.shape[1:] == (180, 320)
    assert subject_fully_inside(frames, (BOX * 180 / 202) ** 2).mean() >= 0.95


def test_rotated_phone_clip_is_framed_in_displayed_coordinates(tmp_path: Path) -> None:
    """Stored 640x360 with a 90 degree display rotation: shown (and rendered) as 360x640."""
    x = "20+560*(0.5-0.5*cos(2*PI*t/4))"
    flat = _encode(tmp_path / "flat.mp4", _with_box(_dim_testsrc(4), 4, x, "160"))
    src = tmp_path / "rotated.mp4"
    ffmpeg("-display_rotation", "90", "-i", str(flat), "-c", "copy", str(src))
    path = crop_path(src, 0.0, 4.0, Fraction(1, 1))
    assert path.crop_w == 1.0 and path.crop_h == pytest.approx(360 / 640)
    frames = render_gray(src, path, (360, 640), 240)
    assert frames.shape[1:] == (240, 240)
    assert subject_fully_inside(frames, (BOX * 240 / 360) ** 2).mean() >= 0.95


def test_real_footage_bikes_path_stays_in_frame() -> None:
    src = shared_clip("bikes.mp4")
    path = crop_path(src, 0.0, 10.0, Fraction(9, 16))
    half = path.crop_w / 2
    xs = np.asarray([k[1] for k in path.keyframes])
    assert (xs >= half - 1e-6).all() and (xs <= 1 - half + 1e-6).all()
    assert all(k[2] == 0.5 for k in path.keyframes)
    frames = render_gray(src, path, (640, 272), 256)
    assert len(frames) == pytest.approx(250, abs=3)
    cuts = [a[0] for a, b in zip(path.keyframes, path.keyframes[1:], strict=False) if a[0] == b[0]]
    assert 3 <= len(cuts) <= 6, cuts  # the clip has 5 shots
    times = np.arange(250) / FPS
    centres = np.asarray([path.center_at(t)[0] for t in times]) * 640
    moves = np.abs(np.diff(centres))
    at_cut = np.zeros(len(moves), bool)
    for c in cuts:
        at_cut |= (times[:-1] < c) & (times[1:] >= c)
    speed = moves[~at_cut].max()
    print(f"bikes: cuts {cuts}, {len(path.keyframes)} keyframes, fastest {speed:.1f} px/frame")
    assert speed < 640 * path.crop_w / 5  # within a shot a pan, never a jump


def test_jittery_drifting_subject_gives_a_smooth_path(tmp_path: Path) -> None:
    """The box shakes by up to +-6 px every frame while it drifts right: the camera must not."""
    x = "150+50*t+12*(random(0)-0.5)"
    y = "160+12*(random(1)-0.5)"
    src = _encode(tmp_path / "shaky.mp4", _with_box(_dim_testsrc(4), 4, x, y))
    path = crop_path(src, 0.0, 4.0, Fraction(9, 16))
    frames = render_gray(src, path, (640, 360), 320)
    assert subject_fully_inside(frames, (BOX * 320 / 360) ** 2).mean() >= 0.95
    centres = np.asarray([path.center_at(i / FPS)[0] for i in range(4 * FPS)]) * 640
    accel = np.abs(np.diff(centres, n=2))
    subject = box_centres(render_gray(src, CropPath(Fraction(16, 9), 1, 1, ()), (640, 360), 360))
    subject_accel = np.abs(np.diff(subject[:, 0], n=2))
    print(f"path accel max {accel.max():.2f} px/frame^2, subject {np.nanmax(subject_accel):.1f}")
    assert accel.max() < 1.0 < 5.0 < np.nanmax(subject_accel)
