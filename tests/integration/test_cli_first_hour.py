"""What broke in a new user's first hour with ``reelcut`` (issue 13), one test per bug.

Each runs the real command in a child process (as a person types it) on small generated
clips; the few that render use 160x90 footage, ``--resolution 360p`` and ``--preset ultrafast``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reelcut import errors
from reelcut.editor.store import Project
from tests.conftest import lavfi_clip

README = Path(__file__).resolve().parents[2] / "README.md"
FAST = ("--resolution", "360p", "--preset", "ultrafast", "-q")


def run_cli(*args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reelcut", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "200", **env},
        timeout=300,
    )


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """4 s of test pattern with a tone, 160x90: cheap to analyse and to render."""
    return lavfi_clip(tmp_path_factory.mktemp("clip") / "clip.mp4", seconds=4, size="160x90")


# -- bug 2: brackets and codes -----------------------------------------------------------------


def test_messages_keep_their_brackets(tmp_path: Path) -> None:
    proc = run_cli("make", str(tmp_path / "match[cjk].mp4"), "-o", str(tmp_path / "o.mp4"))
    assert proc.returncode == 1
    assert "match[cjk].mp4" in proc.stderr, proc.stderr


def test_every_error_code_is_in_the_readme_list() -> None:
    from reelcut.instructions.planner import PlannerError
    from reelcut.speech.errors import SpeechEngineUnavailableError

    text = README.read_text(encoding="utf-8")
    listed = text[text.index("Bad input ends in one line") :]
    listed = listed[: listed.index("\n\n")]
    codes = {int(c) for c in re.findall(r"\b(\d{4})\b", listed)}
    classes = [
        c
        for c in vars(errors).values()
        if isinstance(c, type) and issubclass(c, errors.ReelcutError)
    ] + [PlannerError, SpeechEngineUnavailableError]
    # Codes under 1000 are the service's HTTP-style ones (422: a reused Idempotency-Key), which
    # no command prints: those belong in the service's error table instead.
    table = {int(c) for c in re.findall(r"^\| (\d{3}) \| \d{3} \|", text, re.MULTILINE)}
    unlisted = {
        c.__name__: c.code
        for c in classes
        if c.code % 1000 and c.code not in (codes if c.code >= 1000 else table)
    }
    assert not unlisted, f"codes missing from the README's list: {unlisted}"


def test_a_missing_font_is_not_an_ffmpeg_failure() -> None:
    assert errors.FontNotFoundError.code != errors.RenderError.code
    assert not issubclass(errors.FontNotFoundError, errors.RenderError)


# -- bug 3: a combined reel of short inputs ----------------------------------------------------


@pytest.mark.parametrize("target", [11.0, 12.0, 13.0])
def test_combined_reel_shows_each_short_input_at_the_asked_length(target: float) -> None:
    from reelcut.editor.make import analyze_all
    from reelcut.media.probe import probe
    from reelcut.selection import SelectionParams, select_clips
    from tests.conftest import shared_clip

    names = ("bigbuckbunny.mp4", "bikes.mp4", "carphone_pristine.mp4")
    infos = [probe(shared_clip(n)) for n in names]
    clips = select_clips(analyze_all(infos), SelectionParams(target_s=target))
    assert {c.source_index for c in clips} == {0, 1, 2}, clips
    assert abs(sum(c.duration_ms for c in clips) / 1000 - target) <= 1.0


def test_a_combined_reel_that_leaves_an_input_out_says_so() -> None:
    from reelcut.editor.make import coverage_warnings
    from reelcut.media.probe import probe
    from reelcut.selection import Clip, SelectionParams
    from tests.conftest import shared_clip

    infos = [probe(shared_clip("bikes.mp4")), probe(shared_clip("carphone_pristine.mp4"))]
    only_first = [Clip(0, 0, 5000, 2000, 1.0, "x")]
    notes = coverage_warnings(infos, only_first, SelectionParams(target_s=5), 5.0)
    assert len(notes) == 1 and "carphone_pristine.mp4" in notes[0]
    short = coverage_warnings(infos[:1], only_first, SelectionParams(target_s=9), 5.0)
    assert short and "not the 9s asked for" in short[0]


# -- bugs 4 and 8: a folder output; make again keeps the history -------------------------------


def test_output_with_a_slash_is_a_folder_and_make_again_keeps_the_history(
    clip: Path, tmp_path: Path
) -> None:
    proc = run_cli("make", str(clip), "-l", "3s", "-o", "reels/", *FAST, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    reel = tmp_path / "reels" / "clip-reel.mp4"
    assert (tmp_path / "reels").is_dir() and reel.is_file()
    project = reel.with_name("clip-reel.reelcut.json")
    Project.load(project).commit(Project.load(project).draft, "an edit to keep")
    proc = run_cli("make", str(clip), "-l", "3s", "-o", "reels", *FAST, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    kept = Project.load(project)
    assert [v.number for v in kept.versions] == [1, 2, 3]
    assert kept.versions[1].what == "an edit to keep" and kept.head == 2
    proc = run_cli("make", str(clip), "-l", "3s", "-o", "reels/", "--force", *FAST, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert len(Project.load(project).versions) == 1


def test_a_damaged_project_beside_the_reel_stops_make_before_it_is_replaced(
    clip: Path, tmp_path: Path
) -> None:
    project = tmp_path / "out.reelcut.json"
    project.write_text('{"schema": "reelcut.editor/1", "versions": 3}')
    proc = run_cli("make", str(clip), "-l", "3s", "-o", str(tmp_path / "out.mp4"), *FAST)
    assert proc.returncode == 1 and "error 4011" in proc.stderr and "--force" in proc.stderr
    assert project.read_text().endswith("3}") and not (tmp_path / "out.mp4").exists()


def test_a_failed_render_leaves_no_project(clip: Path, tmp_path: Path) -> None:
    broken = tmp_path / "ffmpeg"
    broken.write_text("#!/bin/sh\necho 'this FFmpeg is broken' >&2\nexit 1\n")
    broken.chmod(0o755)
    out = tmp_path / "out.mp4"
    proc = run_cli("make", str(clip), "-l", "3s", "-o", str(out), *FAST, REELCUT_FFMPEG=str(broken))
    assert proc.returncode == 1 and "error 5001" in proc.stderr, proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "cache") == ["ffmpeg"]


# -- bug 5: outputs that cannot be created -------------------------------------------------------


@pytest.mark.parametrize("output", ["/proc/out.mp4", "/sys/out.mp4"])
def test_an_output_that_cannot_be_created_is_refused_before_any_work(
    clip: Path, tmp_path: Path, output: str
) -> None:
    cache = tmp_path / "cache"
    proc = run_cli("make", str(clip), "-l", "3s", "-o", output, REELCUT_CACHE_DIR=str(cache))
    assert proc.returncode == 1 and "error 4007" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and not cache.exists()  # nothing was analysed


# -- bug 6: SIGTERM and SIGINT stop FFmpeg and clean up --------------------------------------------


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (read from /proc/*/stat)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stopped_make_stops_ffmpeg_and_leaves_nothing(
    tmp_path: Path, signum: signal.Signals
) -> None:
    src = lavfi_clip(tmp_path / "long.mp4", seconds=30, size="320x180")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    args = ["make", str(src), "-l", "25s", "-o", str(out_dir / "reel.mp4"), "-q"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "reelcut", *args, "--preset", "veryslow", "--resolution", "1080p"],
        stderr=subprocess.PIPE,
        text=True,
        # as from a terminal: a test run started in the background would pass SIGINT on ignored
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    ffmpeg: list[int] = []
    try:
        while time.monotonic() < deadline and not ffmpeg and proc.poll() is None:
            if any(p.name.endswith(".part.mp4") for p in out_dir.iterdir()):
                ffmpeg = _children(proc.pid)
            time.sleep(0.1)
        assert ffmpeg, "the render never started"
        proc.send_signal(signum)
        proc.wait(timeout=60)
        assert proc.returncode in (130, 143), proc.stderr.read() if proc.stderr else ""
        time.sleep(0.5)
        alive = [p for p in ffmpeg if Path(f"/proc/{p}").exists()]
        assert not alive, "FFmpeg kept running after make was stopped"
        assert list(out_dir.iterdir()) == []  # no .part, no work folder, no project
    finally:  # a failing run leaves no process behind either
        for pid in [*ffmpeg, proc.pid]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        proc.wait()


# -- bug 7: options checked before the analysis ------------------------------------------------------


@pytest.mark.parametrize(
    "option",
    [
        ("--preset", "ludicrous"),
        ("--music-volume", "500"),
        ("--crossfade", "-1"),
        ("--aspect", "3:7"),
        ("--music", "nosuchmood"),
    ],
)
def test_bad_options_are_refused_at_once(
    clip: Path, tmp_path: Path, option: tuple[str, str]
) -> None:
    cache = tmp_path / "cache"
    out = tmp_path / "out.mp4"
    proc = run_cli(
        "make", str(clip), "-l", "3s", "-o", str(out), *option, REELCUT_CACHE_DIR=str(cache)
    )
    assert proc.returncode == 1 and "error 4008" in proc.stderr, proc.stderr
    assert not cache.exists() and list(tmp_path.iterdir()) == []


# -- bug 11: messages in the user's terms ----------------------------------------------------------


def test_a_missing_ffmpeg_is_its_own_error(clip: Path, tmp_path: Path) -> None:
    proc = run_cli("make", str(clip), "-o", str(tmp_path / "o.mp4"), REELCUT_FFMPEG="/nope")
    assert proc.returncode == 1 and "error 5002" in proc.stderr and "/nope" in proc.stderr


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (lambda d: d.pop("versions"), "no list of versions"),
        (lambda d: d["versions"][0]["draft"].update(target_ms="abc"), "target_ms is 'abc'"),
        (
            lambda d: d["versions"][0]["draft"]["tracks"][0]["segments"][0].update(
                source_in_ms="x"
            ),
            "track 1, segment 1: source_in_ms is 'x', not a number",
        ),
        (lambda d: d.update(head="x"), "current version (head) is 'x'"),
        (lambda d: d["versions"][0].pop("draft"), "version 1 has no draft"),
    ],
)
def test_a_damaged_project_says_what_is_wrong_where(tmp_path: Path, damage, says: str) -> None:
    from reelcut.timeline.model import Draft, Source, Track, TrackType, VideoSegment

    draft = Draft(
        sources=(Source("s0", "video", "/x.mp4", 10_000, 160, 90, True),),
        tracks=(Track(TrackType.VIDEO, "Video", (VideoSegment("s0", 0, 4000),)),),
    )
    path = tmp_path / "p.reelcut.json"
    Project.create(path, draft, "made")
    data = json.loads(path.read_text())
    damage(data)
    path.write_text(json.dumps(data))
    with pytest.raises(errors.ProjectError) as info:
        Project.load(path)
    assert says in info.value.message
    assert "not supported between" not in info.value.message


# -- bug 13: no size limit on local files unless asked ---------------------------------------------


def test_a_large_local_file_has_no_limit_unless_one_is_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reelcut.media.probe import probe

    monkeypatch.delenv("REELCUT_MAX_INPUT_MB", raising=False)
    big = lavfi_clip(
        tmp_path / "big.mp4", seconds=1, size="160x90", extra=("-movflags", "+faststart")
    )
    os.truncate(big, 600 * 2**20)  # sparse: 600 MB on paper, a few blocks on disk
    assert probe(big).duration_s == pytest.approx(1.0, abs=0.1)
    with pytest.raises(errors.InputTooLargeError):
        probe(big, max_mb=500)


# -- CLI conventions -------------------------------------------------------------------------------


def test_version_and_short_help() -> None:
    from reelcut import __version__

    assert run_cli("--version").stdout.strip() == f"reelcut {__version__}"
    proc = run_cli("make", "-h")
    assert proc.returncode == 0 and "--length" in proc.stdout
    assert proc.stdout.splitlines()[0].endswith(" make [OPTIONS] VIDEO..."), proc.stdout
    score_usage = run_cli("score", "-h").stdout.splitlines()[0]
    assert score_usage.endswith(" score [OPTIONS] REEL [TRUTH]..."), score_usage


def test_every_option_is_described_and_flags_show_no_type() -> None:
    import typer.main

    from reelcut.cli import app

    group = typer.main.get_command(app)
    undescribed = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subs = getattr(command, "commands", {name: command})
        for sub, cmd in subs.items():
            for param in cmd.params:
                if not getattr(param, "help", None):
                    undescribed.append(f"{sub} {param.name}")
            help_text = run_cli(*([name] if sub == name else [name, sub]), "--help").stdout
            assert "<bool>" not in help_text, f"{sub}: {help_text}"
            usage = help_text.splitlines()[0]  # arguments as NAME, [NAME], NAME...: no {NAME}
            assert "{" not in usage and "[[" not in usage and "...]" not in usage, usage
    assert not undescribed, undescribed


def test_probe_prints_a_table_and_json(clip: Path) -> None:
    proc = run_cli("probe", str(clip))
    assert proc.returncode == 0 and "{" not in proc.stdout
    assert "160x90" in proc.stdout and "aac" in proc.stdout
    assert json.loads(run_cli("probe", str(clip), "--json").stdout)["video"]["width"] == 160


def test_sample_shows_progress_and_refuses_too_short_footage(tmp_path: Path) -> None:
    out = tmp_path / "s.mp4"
    proc = run_cli("sample", str(out), "--minutes", "1.5", "--height", "180")
    assert proc.returncode == 0, proc.stderr
    assert "Footage" in proc.stderr and "100.0%" in proc.stderr
    proc = run_cli("sample", str(out), "--minutes", "0.5", "--genre", "gaming", "-q")
    assert proc.returncode == 1 and "error 4008" in proc.stderr, proc.stderr
