"""Media factory: every test makes the small clips it needs with FFmpeg's lavfi sources."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from reelcut.media.ffmpeg import ffmpeg_exe

SHARED_MEDIA = Path(__file__).resolve().parents[2] / "shared" / "media"


def ffmpeg(*args: str) -> None:
    """Run FFmpeg quietly; fail the test with its message if it fails."""
    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", *args],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise AssertionError(f"ffmpeg {' '.join(args)} failed: {proc.stderr[-800:]}")


def lavfi_clip(
    path: Path,
    seconds: float = 4.0,
    size: str = "320x180",
    fps: str = "25",
    audio: str | None = "sine=frequency=440:sample_rate=48000",
    vcodec: tuple[str, ...] = ("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"),
    acodec: tuple[str, ...] = ("-c:a", "aac"),
    extra: tuple[str, ...] = (),
) -> Path:
    args = ["-f", "lavfi", "-i", f"testsrc2=size={size}:rate={fps}:duration={seconds}"]
    if audio:
        args += [
            "-f",
            "lavfi",
            "-i",
            f"{audio}:duration={seconds}" if "duration" not in audio else audio,
        ]
    args += [*vcodec]
    if audio:
        args += [*acodec, "-shortest"]
    ffmpeg(*args, *extra, str(path))
    return path


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv("REELCUT_CACHE_DIR", str(d))
    return d


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REELCUT_CACHE_DIR", str(tmp_path / "cache"))


def shared_clip(name: str) -> Path:
    """A real clip from ``../shared/media`` beside the repository, or the folder
    ``REELCUT_SHARED_MEDIA`` names (a worktree elsewhere)."""
    path = Path(os.environ.get("REELCUT_SHARED_MEDIA", SHARED_MEDIA)) / name
    if not path.exists():
        pytest.skip(f"{path} is not present (shared/media is beside the repository)")
    return path
