"""Rendered reels checked from the output file: format, size, length, sync, loudness."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reelcut.editor.make import make_reels
from reelcut.editor.quick import plan_render
from reelcut.media.probe import probe
from reelcut.render import RenderSettings, run_plan
from reelcut.selection import Clip, SelectionParams
from tests.conftest import ffmpeg, lavfi_clip, shared_clip
from tests.mediacheck import beep_onsets, facts, flash_times, integrated_loudness


def make(inputs, out, target, **kw):
    settings = RenderSettings(height=kw.pop("height", 360), preset=kw.pop("preset", "ultrafast"))
    return make_reels(
        inputs,
        [out],
        SelectionParams(target_s=target, min_clip_s=kw.pop("min_clip", 1.5)),
        settings,
        **kw,
    )[0]


def sync_source(path: Path, seconds: int = 40) -> Path:
    """Dark video with a white flash frame and a 1 kHz beep at the start of every second."""
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"color=c=black:s=320x180:r=30:d={seconds}",
        "-f",
        "lavfi",
        "-i",
        f"sine=f=1000:r=48000:d={seconds}",
        "-filter_complex",
        "[0:v]drawbox=c=white:t=fill:enable='lt(mod(t,1),0.034)'[v];"
        "[1:a]volume='if(lt(mod(t,1),0.1),0.5,0)':eval=frame[a]",
        "-map",
        "[v]",
        "-map",
        "[a]",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-g",
        "300",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        str(path),
    )
    return path


@pytest.mark.parametrize("crossfade", [0.0, 0.3])
def test_audio_and_video_stay_in_sync_at_every_cut(tmp_path, crossfade):
    src = sync_source(tmp_path / "sync.mp4")
    out = tmp_path / "reel.mp4"
    spans = [(1370, 3520), (7810, 10050), (15200, 18900), (22430, 25000), (31010, 34990)]
    clips = [Clip(0, a, b, a, 1.0, "test") for a, b in spans]
    plan = plan_render(
        [probe(src)],
        clips,
        out,
        RenderSettings(height=180, preset="ultrafast", video_crossfade_s=crossfade),
    )
    run_plan(plan)
    flashes, beeps = flash_times(out), beep_onsets(out)
    # Inside a video crossfade the picture still shows the clip before (past its out point).
    cuts = [seg.reel_start_s for seg in plan.segments[1:]]
    flashes = [f for f in flashes if not any(c - 0.01 <= f <= c + crossfade for c in cuts)]
    assert len(flashes) >= 8
    for f in flashes:
        nearest = min(beeps, key=lambda b: abs(b - f))
        assert abs(nearest - f) < 0.045, f"flash at {f:.3f}s, beep at {nearest:.3f}s"
    info = facts(out)
    assert abs(info.video_s - info.audio_s) < 0.05


def test_reel_is_h264_high_aac_faststart_1080p_keeping_aspect(tmp_path):
    src = lavfi_clip(tmp_path / "wide.mp4", seconds=20, size="640x272", fps="25")
    out = tmp_path / "reel.mp4"
    reel = make([src], out, target=8, height=1080, preset="veryfast")
    f = facts(out)
    assert f.video_codec == "h264" and f.profile == "High"
    assert (f.width, f.height) == (2542, 1080)
    assert f.audio_codec == "aac" and f.audio_rate == 48000 and f.audio_channels == 2
    assert f.faststart
    assert abs(f.video_s - 8) <= 1.0 and abs(reel.duration_s - f.video_s) < 0.1


def test_loudness_is_normalised_to_minus_14_lufs(tmp_path):
    quiet = lavfi_clip(
        tmp_path / "quiet.mp4", seconds=20, audio="anoisesrc=c=pink:a=0.1:r=48000:seed=1:d=20"
    )
    out = tmp_path / "reel.mp4"
    make([quiet], out, target=8)
    assert integrated_loudness(out) == pytest.approx(-14.0, abs=1.0)


@pytest.mark.parametrize("name", ["bigbuckbunny.mp4", "bikes.mp4", "carphone_pristine.mp4"])
def test_real_clips_make_a_reel(tmp_path, name):
    src = shared_clip(name)
    info = probe(src)
    target = min(3.0, info.duration_s - 1)
    out = tmp_path / "reel.mp4"
    reel = make([src], out, target=target, height=720)
    f = facts(out)
    dw, dh = info.video.display_size
    assert f.height == 720 and abs(f.width / f.height - dw / dh) < 0.01
    assert abs(f.video_s - target) <= 1.0
    assert f.audio_channels == 2  # 5.1 downmixed; no audio -> silent track
    assert abs(f.video_s - f.audio_s) < 0.1
    assert reel.clips


def test_5_1_audio_is_downmixed_and_normalised(tmp_path):
    src = shared_clip("bigbuckbunny.mp4")
    out = tmp_path / "reel.mp4"
    make([src], out, target=4)
    assert integrated_loudness(out) == pytest.approx(-14.0, abs=1.5)


@pytest.mark.parametrize(
    ("suffix", "vcodec", "audio", "acodec"),
    [
        (".mov", ("-c:v", "libx264", "-pix_fmt", "yuv420p"), True, ("-c:a", "aac")),
        (".avi", ("-c:v", "mpeg4", "-q:v", "5"), True, ("-c:a", "libmp3lame")),
        (".mkv", ("-c:v", "libx264", "-pix_fmt", "yuv420p"), True, ("-c:a", "flac")),
        (".webm", ("-c:v", "libvpx", "-b:v", "300k", "-deadline", "realtime"), False, ()),
    ],
)
def test_accepted_containers(tmp_path, suffix, vcodec, audio, acodec):
    src = lavfi_clip(
        tmp_path / f"in{suffix}",
        seconds=8,
        vcodec=vcodec,
        audio="sine=frequency=440:sample_rate=48000" if audio else None,
        acodec=acodec,
    )
    out = tmp_path / "reel.mp4"
    make([src], out, target=4)
    f = facts(out)
    assert abs(f.video_s - 4) <= 1.0


def test_rotated_phone_video_comes_out_upright_portrait(tmp_path):
    plain = lavfi_clip(tmp_path / "plain.mp4", seconds=8, size="320x180")
    rotated = tmp_path / "rotated.mp4"
    ffmpeg("-display_rotation", "90", "-i", str(plain), "-c", "copy", str(rotated))
    info = probe(rotated)
    assert info.video.rotation in (90, 270)
    assert info.video.display_size == (180, 320)
    out = tmp_path / "reel.mp4"
    make([rotated], out, target=4, height=360)  # "360p" is the shorter side, as for 1080x1920
    f = facts(out)
    assert (f.width, f.height) == (360, 640)


def test_variable_frame_rate_input(tmp_path):
    vfr = tmp_path / "vfr.mp4"
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "testsrc2=s=320x180:r=30:d=12",
        "-f",
        "lavfi",
        "-i",
        "sine=d=12",
        "-vf",
        r"select='not(between(mod(n\,30)\,10\,19))'",
        "-fps_mode",
        "vfr",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-shortest",
        str(vfr),
    )
    out = tmp_path / "reel.mp4"
    reel = make([vfr], out, target=5)
    f = facts(out)
    assert abs(f.video_s - 5) <= 1.0 and abs(f.video_s - f.audio_s) < 0.1
    assert reel.sources[0].video.fps > 0


def test_several_inputs_combined_into_one_reel_in_order(tmp_path):
    a = lavfi_clip(tmp_path / "a.mp4", seconds=12, size="320x180")
    b = lavfi_clip(tmp_path / "b.mp4", seconds=12, size="640x360", fps="30")
    out = tmp_path / "reel.mp4"
    reel = make([a, b], out, target=10)
    f = facts(out)
    assert abs(f.video_s - 10) <= 1.0
    order = [c.source_index for c in reel.clips]
    assert order == sorted(order) and set(order) == {0, 1}


def test_cli_make_json_summary_and_one_reel_per_input(tmp_path):
    a = lavfi_clip(tmp_path / "a.mp4", seconds=10)
    b = lavfi_clip(tmp_path / "b.mp4", seconds=10)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "reelcut",
            "make",
            str(a),
            str(b),
            "-l",
            "4s",
            "--resolution",
            "720p",
            "--preset",
            "ultrafast",
            "--json",
            "-o",
            str(tmp_path / "reels"),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert len(doc) == 2
    for reel in doc:
        assert Path(reel["output"]).exists()
        assert abs(reel["duration_s"] - 4) <= 1.0
        assert reel["render_s"] > 0
        assert all(c["source_out_s"] > c["source_in_s"] for c in reel["clips"])


@pytest.mark.parametrize("container", ["mp4", "mkv"])
def test_clip_times_count_from_the_file_start_whatever_its_first_timestamp(tmp_path, container):
    import av
    import numpy as np

    plain = lavfi_clip(tmp_path / "plain.mp4", seconds=8, size="160x90")
    shifted = tmp_path / f"shifted.{container}"
    ffmpeg("-i", str(plain), "-c", "copy", "-output_ts_offset", "3", str(shifted))
    assert probe(shifted).start_s > 2.5

    def frames(src: Path) -> list[np.ndarray]:
        out = tmp_path / f"cut-{src.name}.mp4"
        clip = Clip(0, 2000, 4000, 3000, 1.0, "test")
        run_plan(plan_render([probe(src)], [clip], out, RenderSettings(height=90, preset="ultrafast")))
        with av.open(str(out)) as c:
            return [f.to_ndarray(format="gray").astype(float) for f in c.decode(video=0)]

    a, b = frames(plain), frames(shifted)
    assert len(a) == len(b) == 50
    assert max(float(np.abs(x - y).mean()) for x, y in zip(a, b, strict=True)) < 1.0
