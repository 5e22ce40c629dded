"""Output sizes through the command a new user runs: no upscaling unless a resolution is asked."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import lavfi_clip
from tests.e2e.test_cli_project import reelcut
from tests.mediacheck import facts


def test_make_keeps_a_small_source_small_and_resolution_still_forces(tmp_path: Path) -> None:
    lavfi_clip(tmp_path / "tiny.mp4", seconds=8, size="176x144")
    cache = tmp_path / "cache"
    common = ("--length", "4s", "--min-clip", "1", "--preset", "ultrafast", "-q", "--no-project")
    reelcut("make", "tiny.mp4", "-o", "own.mp4", *common, cwd=tmp_path, cache=cache)
    f = facts(tmp_path / "own.mp4")
    assert (f.width, f.height) == (176, 144)  # not 1320x1080
    reelcut("make", "tiny.mp4", "-o", "hd.mp4", "--resolution", "720p", *common, cwd=tmp_path, cache=cache)  # fmt: skip
    f = facts(tmp_path / "hd.mp4")
    assert (f.width, f.height) == (880, 720)
