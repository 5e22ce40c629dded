"""Media factory: every test makes the small clips it needs with FFmpeg's lavfi sources."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from reelcut.media.ffmpeg import ffmpeg_exe

# The real clips: ../shared/media beside the repository, or the folder REELCUT_SHARED_MEDIA names
# (a worktree elsewhere); tests that need one skip, saying which file, when it is not there.
SHARED_MEDIA = Path(
    os.environ.get("REELCUT_SHARED_MEDIA", Path(__file__).resolve().parents[2] / "shared" / "media")
)


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


# Longest processing time first. With ``--dist loadfile`` a file runs whole on one worker, and
# pytest-xdist hands files out in collection order (scripts/test turns its reordering by test
# count off: it sent the two-test browser file last). A long file that starts last keeps one core
# busy while the other idles, so these start first, longest first: CPU seconds per file from the
# REELCUT_TEST_CPU_LOG run of 2026-12-02 04:10 UTC (main at 41797cf, machine loaded), with the
# files made cheaper since then at their new cost (07:00-08:00 UTC per-file logs: the Whisper
# model loaded once per process took test_topic_search from 43 s to 29 s). A file not listed
# keeps its place after them.
SLOWEST_FIRST = (
    "tests/e2e/test_highlights.py",  # ~155 s CPU
    "tests/service/test_scale.py",  # ~100 s CPU, and waits for leases to lapse
    "tests/integration/test_cli_first_hour.py",
    "tests/e2e/test_render_output.py",
    "tests/web/test_page.py",
    "tests/e2e/test_close_events.py",
    "tests/e2e/test_edits_render.py",
    "tests/e2e/test_speech_aware_cuts.py",
    "tests/e2e/test_cli_project.py",
    "tests/e2e/test_transcribe.py",
    "tests/e2e/test_topic_search.py",
    "tests/e2e/test_shorts.py",
    "tests/web/test_page_topic.py",  # 26 s (29 s before the Whisper model was shared)
    "tests/unit/test_synth.py",
    "tests/service/test_process.py",
    "tests/e2e/test_sentence_cuts.py",
    "tests/service/test_skill_client.py",
    "tests/service/test_exposure.py",
    "tests/e2e/test_agent_footage.py",
    "tests/service/test_limits.py",
    "tests/e2e/test_transcript_cli.py",
    "tests/integration/test_chat_doors.py",
    "tests/service/test_mcp_http.py",
    "tests/web/test_studio_api.py",
    "tests/integration/test_mcp_stdio.py",
    "tests/service/test_postgres.py",  # 14 s
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Put the files of :data:`SLOWEST_FIRST` first, in its order (stable for the rest)."""
    root = Path(__file__).resolve().parent.parent
    rank = {name: i for i, name in enumerate(SLOWEST_FIRST)}

    def place(item: pytest.Item) -> int:
        try:
            name = item.path.resolve().relative_to(root).as_posix()
        except ValueError:
            return len(rank)
        return rank.get(name, len(rank))

    items.sort(key=place)


@pytest.fixture(scope="session", autouse=True)
def _shared_speech_clips(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Speech clips made once per test run (tests/speechmedia.py ``CLIP_CACHE``): in the run's
    own temporary folder, the one its xdist workers' folders are made in (a run without xdist:
    its own), so no run reads another's clips."""
    from tests import speechmedia

    base = tmp_path_factory.getbasetemp()
    run = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    speechmedia.CLIP_CACHE = run / "speech-clips"


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


# Where the suite's CPU goes (issue 13: the test command is CPU-bound on 2 cores, so wall time
# follows CPU time). With REELCUT_TEST_CPU_LOG=<file>, every test's CPU seconds (this process and
# the children it waited for: FFmpeg, servers, browsers) are appended to <file> as
# "<nodeid>\t<seconds>"; `python scripts/test_cpu.py <file>` sums them per file.
_CPU_LOG = os.environ.get("REELCUT_TEST_CPU_LOG")
if _CPU_LOG:
    import resource

    def _cpu_now() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):  # type: ignore[no-untyped-def]
        start = _cpu_now()
        yield
        with open(_CPU_LOG, "a", encoding="utf-8") as log:
            log.write(f"{item.nodeid}\t{_cpu_now() - start:.3f}\n")
