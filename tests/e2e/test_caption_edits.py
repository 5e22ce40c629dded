"""Captions fixed before render: one line's words or times (``edit_caption``, with its history
line and undo like any edit), or all of them from an SRT the person fixed (``import_srt``,
``reelcut captions --import-srt``). The fixed words are what the render draws: the plan's text
files carry them, and the render runs. A file that is not SRT is error 4014.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelcut.cli.app import app
from reelcut.editor.assets import prepare_assets, render_draft
from reelcut.editor.build import source_from_info
from reelcut.editor.requests import resolve
from reelcut.editor.store import Project
from reelcut.errors import EditError, SubtitleFileError
from reelcut.instructions.reply import describe
from reelcut.media.probe import probe
from reelcut.render import RenderSettings, plan_draft
from reelcut.speech.srt import read_srt
from reelcut.timeline.model import Draft, TextSegment, Track, TrackType, VideoSegment
from reelcut.timeline.ops import EditCaption, SetCaptions
from reelcut.timeline.ops.text import caption_lines
from tests.conftest import lavfi_clip

SRT = """1
00:00:00,200 --> 00:00:01,500
Welcome back, this is
Jon Smyth

2
00:00:01,800 --> 00:00:03,400
and today we talk about bread.
"""


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return lavfi_clip(tmp_path_factory.mktemp("cap") / "clip.mp4", seconds=4.0)


def draft_of(path: Path) -> Draft:
    src = source_from_info(probe(path), "s0")
    clips = (VideoSegment("s0", 0, 4000),)
    return Draft(sources=(src,), tracks=(Track(TrackType.VIDEO, "Video", clips),), height=180)


def _said(draft: Draft) -> list[tuple[str, int, int]]:
    return [(c.text, c.start_ms, c.end_ms) for c in caption_lines(draft)]


def test_an_srt_becomes_the_captions_in_reel_time(clip: Path) -> None:
    draft = resolve(draft_of(clip), {"op": "import_srt", "srt": SRT}).apply(draft_of(clip))
    assert _said(draft) == [
        ("Welcome back, this is\nJon Smyth", 200, 1500),
        ("and today we talk about bread.", 1800, 3400),
    ]


def test_edit_caption_fixes_a_name_and_a_time_and_says_so(clip: Path) -> None:
    draft = resolve(draft_of(clip), {"op": "import_srt", "srt": SRT}).apply(draft_of(clip))
    op = resolve(
        draft, {"op": "edit_caption", "index": 1, "text": "Welcome back, this is\nJohn Smith"}
    )
    fixed = op.apply(draft)
    assert _said(fixed)[0] == ("Welcome back, this is\nJohn Smith", 200, 1500)
    assert _said(fixed)[1] == _said(draft)[1]
    timed = EditCaption(2, start_ms=1600, end_ms=3900).apply(fixed)
    assert _said(timed)[1] == ("and today we talk about bread.", 1600, 3900)
    assert "changed caption 1" in describe(op.changes()) and "John Smith" in describe(op.changes())
    assert describe(op.changes(), "zh").startswith("修改了第1条字幕")
    assert "from 1.6s to 3.9s" in describe(EditCaption(2, start_ms=1600, end_ms=3900).changes())


@pytest.mark.parametrize(
    ("request_", "says"),
    [
        ({"op": "edit_caption", "index": 5, "text": "x"}, "no caption 5"),
        ({"op": "edit_caption", "index": 1, "text": "  "}, "needs words"),
        ({"op": "edit_caption", "index": 1, "start_ms": 3000, "end_ms": 2000}, "within the reel"),
        ({"op": "edit_caption", "index": 1, "end_ms": 9000}, "within the reel"),
        ({"op": "edit_caption", "index": 1}, "say what to change"),
    ],
)
def test_a_caption_edit_that_makes_no_sense_is_refused(clip: Path, request_, says) -> None:
    draft = resolve(draft_of(clip), {"op": "import_srt", "srt": SRT}).apply(draft_of(clip))
    with pytest.raises(EditError, match=says):
        resolve(draft, request_).apply(draft)


def test_a_highlight_line_that_is_edited_keeps_no_stale_word_layers(clip: Path) -> None:
    line = TextSegment("one two", 0, 1000, role="caption", box=True, font="mono")
    word = TextSegment("\ufeffone\u2007\u2007\u2007\ufeff", 0, 500, role="caption", font="mono")
    later = TextSegment("three", 1200, 800, role="caption", box=True)
    draft = SetCaptions((line, word, later)).apply(draft_of(clip))
    fixed = EditCaption(1, text="one too").apply(draft)
    caps = [t for t in fixed.texts if t.role == "caption"]
    assert [c.text for c in caps] == ["one too", "three"]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "empty"),
        ("hello there\njust words\n", "no time line"),
        ("1\n00:00:02,000 --> 00:00:01,000\nbackwards\n", "ends before it starts"),
        ("1\n00:00:01,000 --> 00:00:02,000\n\n", "no time line|no words"),
        ("1\n00:00:01,000 -> 00:00:02,000\nbad arrow\n", "no time line"),
    ],
)
def test_bad_srt_is_a_typed_error(text: str, says: str) -> None:
    with pytest.raises(SubtitleFileError, match=says) as caught:
        read_srt(text)
    assert caught.value.code == 4014


def test_srt_as_editors_write_it_is_read() -> None:
    text = "\ufeff3\r\n00:00:01.5 --> 00:00:02,250 X1:0\r\n<i>Hi</i> {\\an8}there\r\n\r\n\r\n"
    text += "00:00:00,000 --> 00:00:01,000\r\nno number\r\n"
    cues = read_srt(text)
    assert [(c.text, c.start_ms, c.end_ms) for c in cues] == [
        ("no number", 0, 1000),
        ("Hi there", 1500, 2250),
    ]


def test_fixed_captions_are_what_the_render_draws(clip: Path, tmp_path: Path) -> None:
    project = tmp_path / "reel.reelcut.json"
    Project.create(project, draft_of(clip), "made")
    srt = tmp_path / "fixed.srt"
    srt.write_text(SRT, encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(app, ["captions", str(project), "--import-srt", str(srt), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["captions"] == 2
    fix = {"op": "edit_caption", "index": 2, "text": "and today Siobhán talks about bread."}
    r = runner.invoke(app, ["apply", str(project), json.dumps(fix, ensure_ascii=False)])
    assert r.exit_code == 0, r.output
    draft = Project.load(project).draft
    assert _said(draft)[1] == ("and today Siobhán talks about bread.", 1800, 3400)
    assert "changed caption 2" in Project.load(project).current.what

    out = tmp_path / "reel.mp4"
    plan = plan_draft(draft, prepare_assets(draft), out, RenderSettings())
    drawn = "\n".join(text for _, text in plan.files)
    assert "Siobhán" in drawn and "Jon Smyth" in drawn and "today we talk" not in drawn
    assert plan.filter_graph.count("drawtext") == 2
    result = render_draft(draft, out, RenderSettings(preset="ultrafast"))
    assert out.is_file() and abs(result.duration_s - 4.0) < 0.2

    r = runner.invoke(app, ["undo", str(project)])
    assert r.exit_code == 0 and _said(Project.load(project).draft)[1][0].startswith("and today we")


def test_captions_import_of_a_bad_file_is_4014_and_changes_nothing(clip: Path, tmp_path: Path):
    project = tmp_path / "reel.reelcut.json"
    Project.create(project, draft_of(clip), "made")
    bad = tmp_path / "notes.srt"
    bad.write_text("these are my notes, not subtitles\n", encoding="utf-8")
    r = _reelcut("captions", str(project), "--import-srt", str(bad))
    assert r.returncode == 1 and "error 4014" in r.stderr and "Traceback" not in r.stderr
    assert Project.load(project).current.number == 1
    r = _reelcut("captions", str(project), "--import-srt", str(tmp_path / "no.srt"))
    assert r.returncode == 1 and "error 4006" in r.stderr


def _reelcut(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command line (its error handling is the door's, not Typer's)."""
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": src}
    return subprocess.run(
        [sys.executable, "-m", "reelcut", *args], env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
