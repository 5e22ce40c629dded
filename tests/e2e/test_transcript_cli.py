"""``reelcut transcript`` as a person runs it: a real process on clips made here with espeak-ng.

Checks the JSON shape, the SRT/WebVTT files, the cache (a second run does not transcribe
again), no words over music, and the one-line errors for bad input.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reelcut.speech.wer import word_error_rate
from tests import speechmedia


def reelcut(*args: str, cache: Path, ok: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REELCUT_CACHE_DIR": str(cache), "COLUMNS": "200"}
    proc = subprocess.run(
        [sys.executable, "-m", "reelcut", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if ok:
        assert proc.returncode == 0, f"reelcut {' '.join(args)}: {proc.stderr[-1500:]}"
    return proc


@pytest.fixture(scope="module")
def talk() -> speechmedia.Talk:
    if not speechmedia.have_espeak():
        pytest.skip("espeak-ng is not installed")
    return speechmedia.talk(speechmedia.SCRIPT[:2])


@pytest.fixture(scope="module")
def clip(talk: speechmedia.Talk, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return speechmedia.clip(tmp_path_factory.mktemp("cli") / "talk.mp4", talk.samples)


@pytest.fixture(scope="module")
def transcribed(clip: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    """One cold ``transcript --json`` run (the slow part: Whisper) and the cache it filled;
    the SRT/VTT test runs against that cache, which is what it checks."""
    cache = tmp_path_factory.mktemp("transcript") / "cache"
    doc = json.loads(reelcut("transcript", str(clip), "--json", cache=cache).stdout)
    return doc, cache


def test_json_has_segments_and_words_in_source_seconds(
    transcribed: tuple[dict, Path], talk: speechmedia.Talk
) -> None:
    doc, cache = transcribed
    assert set(doc) >= {"language", "segments"} and doc["language"] == "en"
    assert doc["segments"]
    for seg in doc["segments"]:
        assert set(seg) >= {"start", "end", "text", "words"}
        assert seg["start"] <= seg["end"] <= talk.duration_s + 0.5
        for w in seg["words"]:
            assert set(w) >= {"start", "end", "word"}
            assert seg["start"] <= w["start"] <= w["end"] <= seg["end"]
    heard = " ".join(s["text"] for s in doc["segments"])
    assert word_error_rate(talk.text, heard) <= 0.10, heard
    first = doc["segments"][0]["words"][0]["start"]
    assert abs(first - talk.spans_ms[0][0] / 1000) < 0.5
    assert len(list((cache / "speech").glob("*.json"))) == 1  # the run kept its transcript


def test_srt_and_vtt_files_and_a_cached_second_run(
    clip: Path, transcribed: tuple[dict, Path], tmp_path: Path
) -> None:
    _, cache = transcribed
    entries = list((cache / "speech").glob("*.json"))
    assert len(entries) == 1
    stamp = entries[0].stat().st_mtime_ns
    # A second run answers from the cache: the files carry the words, the entry is not rewritten.
    srt, vtt = tmp_path / "talk.srt", tmp_path / "talk.vtt"
    reelcut("transcript", str(clip), "--srt", str(srt), "--vtt", str(vtt), cache=cache)
    subs = srt.read_text("utf-8")
    assert subs.startswith("1\n00:00:0") and " --> " in subs and "season" in subs.lower()
    assert vtt.read_text("utf-8").startswith("WEBVTT\n\n00:00:0")
    assert list((cache / "speech").glob("*.json")) == entries
    assert entries[0].stat().st_mtime_ns == stamp


def test_music_gives_no_words(tmp_path: Path) -> None:
    music = speechmedia.clip(tmp_path / "music.mp4", speechmedia.background("music", 8.0))
    doc = json.loads(reelcut("transcript", str(music), "--json", cache=tmp_path).stdout)
    assert doc["segments"] == []


def test_bad_input_is_one_line_with_its_code(tmp_path: Path) -> None:
    missing = reelcut("transcript", str(tmp_path / "nope.mp4"), cache=tmp_path, ok=False)
    assert missing.returncode == 1 and "error 4006" in missing.stderr
    text = tmp_path / "notes.txt"
    text.write_text("not a video at all\n" * 20)
    wrong = reelcut("transcript", str(text), cache=tmp_path, ok=False)
    assert wrong.returncode == 1 and "error 4001" in wrong.stderr
    for proc in (missing, wrong):
        assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def _sound(talk: speechmedia.Talk, path: Path) -> Path:
    """``talk`` as a sound-only file (the format from the suffix: wav, mp3, m4a)."""
    import wave

    import numpy as np

    from reelcut.media.ffmpeg import ffmpeg_exe

    wav_path = path.with_name(path.stem + "-pcm.wav")
    with wave.open(str(wav_path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(speechmedia.RATE)
        wav.writeframes((np.clip(talk.samples, -1, 1) * 32767).astype("<i2").tobytes())
    codec = {".wav": ["-c:a", "pcm_s16le"], ".mp3": ["-c:a", "libmp3lame"], ".m4a": ["-c:a", "aac"]}
    cmd = [ffmpeg_exe(), "-loglevel", "error", "-y", "-i", str(wav_path), *codec[path.suffix]]
    subprocess.run([*cmd, str(path)], check=True)
    return path


@pytest.mark.parametrize("ext", ["wav", "mp3", "m4a"])
def test_a_sound_only_podcast_is_transcribed(
    talk: speechmedia.Talk, tmp_path: Path, ext: str
) -> None:
    src = _sound(talk, tmp_path / f"podcast.{ext}")
    doc = json.loads(reelcut("transcript", str(src), "--json", cache=tmp_path).stdout)
    heard = " ".join(s["text"] for s in doc["segments"])
    assert word_error_rate(talk.text, heard) <= 0.10, heard


def test_make_and_shorts_of_a_sound_only_file_say_it_needs_a_picture(
    talk: speechmedia.Talk, tmp_path: Path
) -> None:
    src = str(_sound(talk, tmp_path / "podcast.mp3"))
    made = reelcut("make", src, "-l", "5s", "-o", str(tmp_path / "r.mp4"), cache=tmp_path, ok=False)
    cut = reelcut("shorts", src, "-o", str(tmp_path / "shorts"), cache=tmp_path, ok=False)
    for proc in (made, cut):
        assert proc.returncode == 1 and "error 4004" in proc.stderr, proc.stderr
        assert "sound only" in proc.stderr and "transcript reads it" in proc.stderr
        assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "r.mp4").exists()
