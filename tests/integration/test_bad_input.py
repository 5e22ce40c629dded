"""Every way an input can be unusable ends in one typed error with a stable code."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from reelcut import errors
from reelcut.media.probe import probe
from tests.conftest import ffmpeg, lavfi_clip


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reelcut", *args], capture_output=True, text=True)


def test_text_file_named_mp4_is_not_a_video(tmp_path):
    bad = tmp_path / "notes.mp4"
    bad.write_text("this is not a video\n" * 50)
    with pytest.raises(errors.UnsupportedMediaError) as info:
        probe(bad)
    assert info.value.code == 4001


def test_audio_only_mp3_is_refused_as_not_a_video(tmp_path):
    mp3 = tmp_path / "song.mp4"  # wrong extension on purpose: content decides
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "sine=duration=2",
        "-c:a",
        "libmp3lame" if False else "mp3",
        "-f",
        "mp3",
        str(mp3),
    )
    with pytest.raises(errors.NoVideoStreamError) as caught:  # sound only: 4004, with a way out
        probe(mp3)
    assert caught.value.code == 4004 and "sound only" in caught.value.message


def test_png_image_is_refused(tmp_path):
    png = tmp_path / "frame.mov"
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=64x64",
        "-frames:v",
        "1",
        "-f",
        "image2",
        "-c:v",
        "png",
        str(png),
    )
    with pytest.raises(errors.UnsupportedMediaError):
        probe(png)


def test_mp4_with_only_audio_has_no_video_stream(tmp_path):
    m4a = tmp_path / "audio.mp4"
    ffmpeg("-f", "lavfi", "-i", "sine=duration=2", "-c:a", "aac", str(m4a))
    with pytest.raises(errors.NoVideoStreamError) as info:
        probe(m4a)
    assert info.value.code == 4004


def test_over_the_size_limit(tmp_path, monkeypatch):
    clip = lavfi_clip(tmp_path / "a.mp4", seconds=1)
    with pytest.raises(errors.InputTooLargeError) as info:
        probe(clip, max_mb=0.001)
    assert info.value.code == 4002
    monkeypatch.setenv("REELCUT_MAX_INPUT_MB", "0.001")
    with pytest.raises(errors.InputTooLargeError):
        probe(clip)


def test_truncated_download_is_reported_as_damaged(tmp_path):
    full = lavfi_clip(tmp_path / "full.mp4", seconds=4, extra=("-movflags", "+faststart"))
    data = full.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(errors.CorruptMediaError, match="truncated"):
        probe(cut)
    # moov at the end and the end missing: the container cannot even be opened.
    tail = lavfi_clip(tmp_path / "tail.mp4", seconds=4)
    cut2 = tmp_path / "cut2.mp4"
    cut2.write_bytes(tail.read_bytes()[:-4000])
    with pytest.raises(errors.CorruptMediaError):
        probe(cut2)


def test_empty_file(tmp_path):
    empty = tmp_path / "empty.mp4"
    empty.touch()
    with pytest.raises(errors.EmptyMediaError) as info:
        probe(empty)
    assert info.value.code == 4005


def test_missing_file_is_also_a_file_not_found_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        probe(tmp_path / "nope.mp4")


def test_cli_prints_one_line_with_the_code_and_exits_nonzero(tmp_path):
    bad = tmp_path / "x.mp4"
    bad.write_bytes(b"\x00" * 1000)
    proc = run_cli("make", str(bad), "-o", str(tmp_path / "out.mp4"))
    assert proc.returncode == 1
    assert "error 4001" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_cli_refuses_unwritable_output_before_doing_any_work(tmp_path):
    clip = lavfi_clip(tmp_path / "a.mp4", seconds=4)
    proc = run_cli("make", str(clip), "-l", "3", "-o", str(tmp_path / "missing" / "out.mp4"))
    assert proc.returncode == 1 and "error 4007" in proc.stderr
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    cmd = [sys.executable, "-m", "reelcut", "make", str(clip), "-l", "3", "-o", str(ro / "out.mp4")]
    if os.geteuid() == 0:  # as root (CI), without the capability that writes anywhere
        caps = "-dac_override,-dac_read_search"
        cmd = ["setpriv", "--bounding-set", caps, "--inh-caps", caps, *cmd]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    assert proc.returncode == 1 and "error 4007" in proc.stderr, proc.stderr
    assert not list(ro.iterdir())  # the probe file was removed, no reel was started


def test_cli_refuses_a_reel_longer_than_the_footage_when_strict(tmp_path):
    clip = lavfi_clip(tmp_path / "a.mp4", seconds=3)
    proc = run_cli("make", str(clip), "-l", "2m", "--strict-length", "-o", str(tmp_path / "o.mp4"))
    assert proc.returncode == 1 and "error 4009" in proc.stderr
    assert not (tmp_path / "o.mp4").exists()


@pytest.mark.parametrize("length", ["abc", "0", "-3"])
def test_cli_refuses_nonsense_lengths(tmp_path, length):
    clip = lavfi_clip(tmp_path / "a.mp4", seconds=3)
    proc = run_cli("make", str(clip), "-l", length, "-o", str(tmp_path / "o.mp4"))
    assert proc.returncode != 0 and "Traceback" not in proc.stderr


def test_unreadable_input_is_a_typed_error(tmp_path):
    """Checked in a child process; as root (CI), one without the capabilities to read anyway."""
    clip = lavfi_clip(tmp_path / "a.mp4", seconds=1)
    clip.chmod(0)
    code = (
        "import sys\nfrom reelcut import errors\nfrom reelcut.media.probe import probe\n"
        "try:\n    probe(sys.argv[1])\nexcept errors.ReelcutError as exc:\n"
        "    print(exc.code, isinstance(exc, PermissionError))\n"
    )
    cmd = [sys.executable, "-c", code, str(clip)]
    if os.geteuid() == 0:
        caps = "-dac_override,-dac_read_search"
        cmd = ["setpriv", "--bounding-set", caps, "--inh-caps", caps, *cmd]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    assert proc.stdout.split() == ["4012", "True"], proc.stderr
