"""Instructions on real (generated) footage: a reel made from words, then rendered."""

from __future__ import annotations

import subprocess
import sys

import pytest

from reelcut.editor.chat import run_agent
from reelcut.editor.store import Project
from reelcut.media.probe import probe
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


def _frame(path, t):
    import av
    import numpy as np

    with av.open(str(path)) as c:
        for f in c.decode(video=0):
            if f.time is not None and f.time >= t:
                return np.asarray(f.to_ndarray(format="gray"), dtype=float)
    raise AssertionError(f"no frame at {t}s")


@pytest.mark.parametrize(
    ("message", "size", "title", "music"),
    [
        (
            "make it vertical for TikTok and add the title 'Derby Day' for 3 seconds",
            (360, 640),
            "Derby Day",
            None,
        ),
        ("改成方形，加上标题《城市之梦》，配上轻音乐", (360, 360), "城市之梦", "calm"),
        ("lo-fi music at 35%, 4:5 for an Instagram post", (360, 450), None, "lofi"),
        ("把背景音乐换成史诗风格，然后竖屏", (360, 640), None, "epic"),
    ],
)
def test_instructions_render_what_they_say(tmp_path, message, size, title, music):
    """An instruction applied to a saved project, rendered: the output shows the edit."""
    from reelcut.editor import draft_from_clips
    from reelcut.editor.assets import render_draft
    from reelcut.media.probe import probe as probe_file
    from reelcut.render import RenderSettings
    from reelcut.selection import Clip

    clip = lavfi_clip(tmp_path / "game.mp4", seconds=12, size="640x360")
    info = probe_file(clip)
    clips = [Clip(0, 1000, 5000, 3000, 1.0, "test"), Clip(0, 7000, 11000, 9000, 0.9, "test")]
    draft = draft_from_clips([info], clips, 8)
    draft = type(draft)(sources=draft.sources, tracks=draft.tracks, height=360)
    path = tmp_path / "p.reelcut.json"
    Project.create(path, draft, "made")
    events = list(run_agent(message, tmp_path, [], project_path=path))
    assert events[-1].data.get("changed"), events[-1].text
    p = Project.load(path)
    out = tmp_path / "out.mp4"
    render_draft(p.draft, out, RenderSettings(preset="ultrafast"))
    got = probe(out)
    assert got.video.display_size == size
    assert abs(got.duration_s - 8) < 0.2
    assert [t.text for t in p.draft.texts] == ([title] if title else [])
    assert [a.source_id for a in p.draft.audio] == ([f"music-{music}"] if music else [])
    if title:  # the words are drawn while the title shows and gone after
        plain = tmp_path / "plain.mp4"
        from reelcut.timeline.ops import RemoveText

        render_draft(
            RemoveText(role="title").apply(p.draft), plain, RenderSettings(preset="ultrafast")
        )
        assert abs(_frame(out, 1.5) - _frame(plain, 1.5)).mean() > 0.5
        assert abs(_frame(out, 6.0) - _frame(plain, 6.0)).mean() < 0.5
