"""GPU encoding where an NVIDIA GPU works, the CPU everywhere else: on this machine (no GPU)
detection says so and renders stay on libx264; asking for NVENC by name is a clear error."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reelcut.editor.assets import accelerated, prepare_assets, render_draft
from reelcut.errors import HardwareUnavailableError, InvalidArgumentError
from reelcut.media import hwaccel
from reelcut.render import RenderSettings, plan_draft
from reelcut.render.smart import plan_smart
from tests.conftest import lavfi_clip
from tests.e2e.test_smart_render import cut_draft, footage

no_gpu = pytest.mark.skipif(
    shutil.which("nvidia-smi") is not None, reason="an NVIDIA GPU may be here"
)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return footage(tmp_path_factory.mktemp("hw") / "src.mp4", seconds=8)


@no_gpu
def test_without_a_gpu_detection_says_so_and_renders_stay_on_libx264(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.delenv("REELCUT_HWACCEL", raising=False)
    found = hwaccel.detect()
    assert found.encoder == "libx264" and found.decode is None and not found.gpu
    assert found.reason.startswith("no NVIDIA GPU:"), found.reason
    draft = cut_draft(source, ((500, 2_500), (4_000, 6_000)))
    settings = accelerated(RenderSettings(smart="off"))
    assert settings.video_encoder == "libx264" and settings.decode_hwaccel is None
    plan = plan_draft(draft, prepare_assets(draft, use_cache=False), tmp_path / "a.mp4", settings)
    assert plan.args[plan.args.index("-c:v") + 1] == "libx264"
    assert "-hwaccel" not in plan.args
    out = render_draft(draft, tmp_path / "reel.mp4", RenderSettings(smart="off"), use_cache=False)
    assert b"x264 - core" in out.output.read_bytes()  # libx264 signs its stream


@no_gpu
def test_asking_for_nvenc_without_a_gpu_is_a_typed_error_before_any_work(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("REELCUT_HWACCEL", "nvenc")
    draft = cut_draft(source, ((500, 2_500),))
    with pytest.raises(HardwareUnavailableError) as caught:
        render_draft(draft, tmp_path / "reel.mp4", RenderSettings(), use_cache=False)
    assert caught.value.code == 5003 and "REELCUT_HWACCEL=nvenc" in caught.value.message
    assert not (tmp_path / "reel.mp4").exists()
    clip = lavfi_clip(tmp_path / "in.mp4", seconds=3.0)
    proc = subprocess.run(
        [sys.executable, "-m", "reelcut", "make", str(clip), "-l", "3s", "-o",
         str(tmp_path / "cli.mp4")],
        capture_output=True, text=True, env={**_env(), "REELCUT_HWACCEL": "nvenc"},
    )  # fmt: skip
    assert proc.returncode != 0 and "error 5003" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


def test_an_unknown_hwaccel_value_is_refused(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("REELCUT_HWACCEL", "quantum")
    with pytest.raises(InvalidArgumentError) as caught:
        hwaccel.detect()
    assert caught.value.code == 4008


def test_none_means_the_cpu_without_asking_ffmpeg(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("REELCUT_HWACCEL", "none")
    found = hwaccel.detect()
    assert (found.encoder, found.decode) == ("libx264", None) and "none" in found.reason


def test_the_gpu_plan_encodes_with_nvenc_at_the_same_quality_and_decodes_with_cuda(
    source: Path, tmp_path: Path
):
    """The plan a GPU machine gets (checked as a value; not run: no GPU here)."""
    draft = cut_draft(source, ((500, 2_500), (4_000, 6_000)))
    assets = prepare_assets(draft, use_cache=False)
    gpu = RenderSettings(crf=23, preset="superfast", video_encoder="h264_nvenc",
                         decode_hwaccel="cuda")  # fmt: skip
    args = plan_draft(draft, assets, tmp_path / "g.mp4", gpu).args
    assert args[args.index("-c:v") + 1] == "h264_nvenc"
    assert args[args.index("-cq") + 1] == "23" and args[args.index("-preset") + 1] == "p2"
    assert args[args.index("-hwaccel") + 1] == "cuda"
    assert args.index("-hwaccel") < args.index("-i")
    # smart render keeps libx264 for its edges: they must match the source's stream
    smart = plan_smart(draft, assets, tmp_path / "s.mp4", gpu)
    assert smart.codec == "libx264"


def _env() -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
