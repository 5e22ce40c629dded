"""Instructions on real (generated) footage: a reel made from words, then rendered."""

from __future__ import annotations

import subprocess
import sys

import pytest

from reelcut.instructions import run_agent
from reelcut.media.probe import probe
from reelcut.project.store import Project
from tests.conftest import lavfi_clip

pytestmark = pytest.mark.slow


def test_first_message_makes_the_reel_then_edits_it(tmp_path):
    clip = lavfi_clip(tmp_path / "game.mp4", seconds=20)
    events = list(run_agent("make a 6 second highlight reel, square", tmp_path, [clip]))
    p = Project.load(tmp_path / "project.reelcut.json")
    assert p.draft.aspect == "1:1"
    assert abs(p.draft.duration_ms - 6000) <= 1000
    assert [e.data.get("name") for e in events if e.kind == "tool_call"][0] == "make_reel"
    assert events[-1].data["changed"]


def test_make_with_an_instruction_renders_what_was_said(tmp_path):
    clip = lavfi_clip(tmp_path / "game.mp4", seconds=20)
    out = tmp_path / "reel.mp4"
    cmd = [sys.executable, "-m", "reelcut", "make", str(clip), "-o", str(out), "-q",
           "--resolution", "360p", "--preset", "ultrafast",
           "-i", "8 second reel, vertical, title 'Derby Day'"]  # fmt: skip
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    info = probe(out)
    assert info.video.display_size == (360, 640)
    assert abs(info.duration_s - 8) <= 1.1
    p = Project.load(tmp_path / "reel.reelcut.json")
    assert [t.text for t in p.draft.texts] == ["Derby Day"]
