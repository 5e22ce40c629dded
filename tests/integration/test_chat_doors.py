"""The chat's answers carried out by the CLI door: a reel longer than the footage is the
best the footage allows (a warning, exit 0), and "导出" / "export" in ``reelcut edit`` renders."""

from __future__ import annotations

from pathlib import Path

from reelcut.media.probe import probe
from tests.conftest import lavfi_clip
from tests.integration.test_bad_input import run_cli


def test_make_longer_than_the_footage_warns_and_makes_the_longest_reel(tmp_path: Path):
    clip = lavfi_clip(tmp_path / "a.mp4", seconds=5)
    out = tmp_path / "reel.mp4"
    proc = run_cli("make", str(clip), "-l", "2m", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "warning" in proc.stderr and "asked" in proc.stderr
    assert abs(probe(out).duration_s - 5) < 0.3


def test_edit_export_renders_beside_the_project_or_to_o(tmp_path: Path):
    clip = lavfi_clip(tmp_path / "a.mp4", seconds=6)
    out = tmp_path / "reel.mp4"
    assert run_cli("make", str(clip), "-l", "5", "-o", str(out)).returncode == 0
    out.unlink()
    project = tmp_path / "reel.reelcut.json"
    proc = run_cli("edit", str(project), "导出")
    assert proc.returncode == 0, proc.stderr
    assert probe(out).duration_s > 4
    other = tmp_path / "other.mp4"
    proc = run_cli("edit", str(project), "send me the video", "-o", str(other))
    assert proc.returncode == 0, proc.stderr
    assert other.is_file()


def test_edit_to_a_length_beyond_the_footage_says_so(tmp_path: Path):
    clip = lavfi_clip(tmp_path / "a.mp4", seconds=6)
    out = tmp_path / "reel.mp4"
    assert run_cli("make", str(clip), "-l", "5", "-o", str(out)).returncode == 0
    proc = run_cli("edit", str(tmp_path / "reel.reelcut.json"), "make it 2 minutes")
    assert proc.returncode == 0, proc.stderr
    assert "footage is 6 s, so the reel is 6 s" in proc.stdout


def test_a_first_reel_of_short_footage_does_not_claim_a_length_was_asked(tmp_path: Path):
    """With no length in the message the default applies: the reply must not say 'you asked'."""
    from reelcut.editor.chat import run_agent

    clip = lavfi_clip(tmp_path / "a.mp4", seconds=5)
    for message, said in (
        ("extract the best moments and compile", False),
        ("a 2 minute reel", True),
    ):
        work = tmp_path / ("asked" if said else "unasked")
        events = list(run_agent(message, work, [clip], use_cache=False))
        text = " ".join(e.text for e in events if e.kind == "text")
        assert "made a 5s reel" in text, text
        assert ("you asked for" in text) is said, text
