"""The project workflow through the ``reelcut`` command, one process per step (as a person runs it).

``make`` cuts a reel from generated footage and saves ``reel.reelcut.json`` beside it; ``show``,
``apply``, ``undo``, ``redo``, ``history``, ``render`` and ``export`` then work on that file. Each
step is a new process, so everything that must survive a restart is read back from disk. The
rendered files are checked by probing them.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ffmpeg
from tests.mediacheck import facts

REELCUT = Path(sys.executable).with_name("reelcut")
REQUEST_ERROR = "error 4010"


def reelcut(*args: str, cwd: Path, cache: Path, ok: bool = True) -> subprocess.CompletedProcess:
    """Run ``reelcut ARGS`` in ``cwd``; with ``ok`` the test fails unless it exits 0."""
    if not REELCUT.is_file():
        pytest.skip(f"{REELCUT} is not installed (pip install -e .)")
    env = {**os.environ, "REELCUT_CACHE_DIR": str(cache), "COLUMNS": "200"}
    proc = subprocess.run(
        [str(REELCUT), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    if ok:
        assert proc.returncode == 0, f"reelcut {' '.join(args)}: {proc.stderr[-1500:]}"
    return proc


class Made:
    """A reel made once for the module; each test edits its own copy of the project."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache = root / "cache"
        self.reel = root / "reel.mp4"
        self.project = root / "reel.reelcut.json"

    def run(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
        return reelcut(*args, cwd=self.root, cache=self.cache, ok=ok)

    def copy(self, name: str) -> Path:
        path = self.root / f"{name}.reelcut.json"
        shutil.copy(self.project, path)
        return path

    @staticmethod
    def draft(project: Path) -> dict:
        """The current draft as saved on disk (read fresh, as the next process would)."""
        from reelcut.editor import Project
        from reelcut.timeline import draft_to_json

        return draft_to_json(Project.load(project).draft)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Made:
    """30 s of test pattern with loud noise bursts, then ``reelcut make`` a 10 s 9:16 reel."""
    m = Made(tmp_path_factory.mktemp("cli-project"))
    ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=s=640x360:r=25:d=30",
        "-f", "lavfi", "-i",
        "anoisesrc=c=pink:r=48000:a=0.5:seed=1:d=30,volume='if(lt(mod(t,9),2),1,0.03)':eval=frame",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-shortest", str(m.root / "footage.mp4"),
    )  # fmt: skip
    m.run(
        "make", "footage.mp4", "-o", "reel.mp4", "--length", "10s",
        "--min-clip", "2", "--max-clip", "4",
        "--aspect", "9:16", "--resolution", "360p", "--title", "Match day", "--music", "lofi",
        "--preset", "ultrafast", "-q",
    )  # fmt: skip
    return m


def test_make_writes_the_reel_and_its_project_beside_it(made: Made) -> None:
    assert made.project.is_file()
    f = facts(made.reel)
    assert (f.width, f.height) == (360, 640)
    assert f.video_s == pytest.approx(10, abs=1)  # the promise: a reel within 1 s of its length
    draft = json.loads(made.run("show", "--json", str(made.project)).stdout)
    assert draft["schema"] == "reelcut.draft/1"
    assert draft["duration_ms"] / 1000 == pytest.approx(f.video_s, abs=0.05)
    assert (draft["aspect"], draft["height"]) == ("9:16", 360)


def test_show_prints_the_numbered_track_summary(made: Made) -> None:
    lines = made.run("show", str(made.project)).stdout.strip().splitlines()
    assert len(lines) == 3, lines
    assert lines[0].startswith("1. Video: ") and "9:16" in lines[0]
    assert lines[1] == '2. Title: "Match day" (0-3s)'
    assert lines[2].startswith("3. Music: Lo-fi (0-") and lines[2].endswith(", 35%)")


def test_show_compact_is_the_agent_json(made: Made) -> None:
    doc = json.loads(made.run("show", "--compact", str(made.project)).stdout)
    assert set(doc) == {"t", "d", "m"}
    assert [t["tt"] for t in doc["t"]] == [0, 7, 1]
    clips = doc["t"][0]["sg"]
    assert all(set(sg) == {"st", "d", "m"} for sg in clips)
    assert sum(sg["d"] for sg in clips) == doc["d"]
    assert [sg["st"] for sg in clips] == [sum(c["d"] for c in clips[:i]) for i in range(len(clips))]
    assert doc["t"][1]["sg"][0]["m"]["text"] == "Match day"
    assert doc["m"]["aspect"] == "9:16"


def test_a_request_that_cannot_apply_exits_1_and_leaves_the_project_alone(made: Made) -> None:
    project = made.copy("bad")
    before = project.read_bytes()
    said = []
    for request in ('{"op":"remove_clip","index":9}', '{"op":"remove_clip"', '{"op":"explode"}'):
        proc = made.run("apply", str(project), request, ok=False)
        assert proc.returncode == 1, request
        assert REQUEST_ERROR in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr
        said.append(proc.stderr)
    assert "there is no clip 9" in said[0]
    assert "not valid JSON" in said[1] and "unknown operation 'explode'" in said[2]
    assert project.read_bytes() == before


def test_apply_undo_redo_and_history_survive_restarts(made: Made) -> None:
    project = made.copy("edit")
    start = made.draft(project)
    n = len(start["tracks"][0]["segments"])
    assert n >= 2, "the reel needs two clips for this test"
    first = start["tracks"][0]["segments"][0]

    made.run("apply", str(project), '{"op":"set_transition","kind":"crossfade","duration_ms":400}')
    proc = made.run("apply", str(project), '{"op":"remove_clip","index":1}')
    assert "v3: removed the first clip" in proc.stderr
    v3 = made.draft(project)
    assert v3["transition"] == "crossfade" and v3["transition_ms"] == 400
    assert len(v3["tracks"][0]["segments"]) == n - 1
    assert v3["duration_ms"] == start["duration_ms"] - round(
        first["source_out_ms"] - first["source_in_ms"]
    )

    proc = made.run("undo", str(project))
    assert "undid v3: removed the first clip" in proc.stderr
    assert made.draft(project)["duration_ms"] == start["duration_ms"]
    history = made.run("history", str(project)).stdout
    marked = [line for line in history.splitlines() if "*" in line]
    assert len(marked) == 1 and "v2" in marked[0], history
    assert "v3" in history  # kept for redo

    made.run("redo", str(project))
    assert made.draft(project) == v3
    assert REQUEST_ERROR in made.run("redo", str(project), ok=False).stderr  # nothing to redo

    # a new edit after an undo drops the version that was undone
    made.run("undo", str(project))
    made.run("apply", str(project), '{"op":"set_original_volume","volume":0}')
    history = made.run("history", str(project)).stdout
    assert "muted the original sound" in history and "removed the first clip" not in history
    assert "4. Original sound: muted" in made.run("show", str(project)).stdout
    undo_all = [made.run("undo", str(project), ok=False).returncode for _ in range(3)]
    assert undo_all == [0, 0, 1]  # back to v1, then nothing left to undo
    assert made.draft(project) == start


def test_media_requests_apply_from_the_command_line(made: Made) -> None:
    project = made.copy("media")
    made.run("apply", str(project), '{"op":"slow_motion","speed":0.5,"seconds":2}')
    made.run("apply", str(project), '{"op":"music","what":"calm","volume":20}')
    made.run("apply", str(project), '{"op":"title","text":"Final","start":1,"seconds":2}')
    lines = made.run("show", str(project)).stdout
    assert "1 slow-motion replay" in lines
    assert "Music: Calm" in lines and "20%)" in lines
    assert 'Text: "Final"' in lines or 'Title: "Final" (1-3s)' in lines
    clips = made.draft(project)["tracks"][0]["segments"]
    replay = next(c for c in clips if c["role"] == "replay")
    assert replay["speed"] == 0.5 and replay["source_out_ms"] - replay["source_in_ms"] == 1000


@pytest.mark.slow
def test_render_a_project_square(made: Made, tmp_path: Path) -> None:
    out = tmp_path / "square.mp4"
    made.run("render", str(made.project), "-o", str(out), "--aspect", "1:1", "--preset",
             "ultrafast", "-q")  # fmt: skip
    f = facts(out)
    assert (f.width, f.height) == (360, 360)
    draft = made.draft(made.project)
    assert f.video_s == pytest.approx(draft["duration_ms"] / 1000, abs=0.05)
    assert f.audio_s == pytest.approx(f.video_s, abs=0.05)
    assert draft["aspect"] == "9:16"  # --aspect is for this render only


@pytest.mark.slow
def test_render_works_from_another_directory(made: Made, tmp_path: Path) -> None:
    out = tmp_path / "elsewhere.mp4"
    reelcut("render", str(made.project), "-o", str(out), "--preset", "ultrafast", "-q",
            cwd=tmp_path, cache=made.cache)  # fmt: skip
    assert facts(out).height == 640


def test_export_otio(made: Made, tmp_path: Path) -> None:
    if importlib.util.find_spec("opentimelineio") is None:
        pytest.skip("opentimelineio is not installed")
    out = tmp_path / "reel.otio"
    made.run("export", str(made.project), "--to", "otio", "-o", str(out))
    doc = json.loads(out.read_text())
    assert doc["OTIO_SCHEMA"].startswith("Timeline.")
    import opentimelineio as otio

    timeline = otio.adapters.read_from_file(str(out))
    draft = made.draft(made.project)
    assert timeline.duration().to_seconds() == pytest.approx(draft["duration_ms"] / 1000, abs=0.05)
    bad = made.run("export", str(made.project), "--to", "avid", "-o", str(tmp_path / "x"), ok=False)
    assert bad.returncode == 1 and "error 4" in bad.stderr


def test_every_project_command_that_prints_speaks_json(made: Made) -> None:
    project = made.copy("json")
    applied = json.loads(
        made.run("apply", str(project), '{"op":"remove_clip","index":1}', "--json").stdout
    )
    assert applied["version"] == 2 and applied["current"] == 2 and applied["tracks"]
    undone = json.loads(made.run("undo", str(project), "--json").stdout)
    assert undone["undone"] == 2 and undone["current"] == 1
    redone = json.loads(made.run("redo", str(project), "--json").stdout)
    assert redone["redone"] == 2 and redone["current"] == 2
    history = json.loads(made.run("history", str(project), "--json").stdout)
    assert [v["version"] for v in history["versions"]] == [1, 2] and history["current"] == 2
    assert history["versions"][0]["what"].startswith("made a 10s reel of ")
    edited = json.loads(made.run("edit", str(project), "mute the original sound", "--json").stdout)
    assert edited["changed"] is True and edited["version"] == 3
    quiet = made.run("apply", str(project), '{"op":"set_original_volume","volume":50}', "-q")
    assert quiet.stdout == "" and quiet.stderr == ""


def test_make_names_clips_in_the_singular_when_there_is_one(made: Made) -> None:
    from reelcut.instructions.reply.base import plural

    assert (plural(1, "clip"), plural(2, "clip")) == ("1 clip", "2 clips")
    what = json.loads(made.run("history", str(made.project), "--json").stdout)["versions"][0][
        "what"
    ]
    assert " 1 clips" not in what
