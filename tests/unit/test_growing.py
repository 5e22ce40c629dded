"""A file analysed while it is still being written (an upload streaming in): the same signals
as the finished file, stored under its content key only when the last byte came."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest

from reelcut.analysis import DEFAULT_STEP_S, analyze, cache
from reelcut.editor.footage import analyze_growing
from reelcut.errors import InputNotFoundError
from reelcut.media.growing import GrowingFile, streamable
from reelcut.media.probe import probe, probe_growing
from tests.conftest import ffmpeg, lavfi_clip


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("growing")
    base = lavfi_clip(d / "base.mp4", seconds=12.0, size="320x180", extra=("-g", "25"))
    out = {"moov-last": base}
    for name, args in {
        "faststart.mp4": ("-movflags", "+faststart"),
        "fragmented.mp4": ("-movflags", "frag_keyframe+empty_moov"),
        "clip.mkv": (),
    }.items():
        ffmpeg("-i", str(base), "-c", "copy", *args, str(d / name))
        out[name] = d / name
    return out


def _feed(file: GrowingFile, data: bytes, pause_at: float, go: threading.Event) -> None:
    """Write ``data`` in 16 KiB pieces, waiting for ``go`` once ``pause_at`` of it is written."""
    stop = int(len(data) * pause_at)
    for i in range(0, len(data), 16384):
        if i >= stop and not go.is_set():
            assert go.wait(60), "the reader never got going on the partial file"
        file.write(data[i : i + 16384])
    file.finish()


def test_streamable_says_which_layouts_a_front_to_back_reader_decodes(clips: dict[str, Path]):
    def head(name: str) -> bytes:
        return clips[name].read_bytes()[: 1 << 20]

    assert streamable(head("faststart.mp4")) is True
    assert streamable(head("clip.mkv")) is True
    assert streamable(head("moov-last")) is False
    assert streamable(head("fragmented.mp4")) is False  # its length is known only at the end
    assert streamable(b"RIFF\0\0\0\0AVI LIST") is False
    assert streamable(head("faststart.mp4")[:40]) is None  # moov not whole yet: wait


@pytest.mark.parametrize("name", ["faststart.mp4", "clip.mkv"])
def test_an_upload_analysed_as_it_arrives_matches_the_finished_file(
    clips: dict[str, Path], tmp_path: Path, name: str
):
    data = clips[name].read_bytes()
    file = GrowingFile(tmp_path / "upload.bin")
    file.register()
    probed = threading.Event()
    info_box = {}

    def early() -> None:
        info_box["info"] = probe_growing(file)
        probed.set()

    writer = threading.Thread(target=_feed, args=(file, data, 0.5, probed))
    writer.start()
    early()
    assert file.size < len(data), "the probe must not need the last byte"
    signals = analyze(info_box["info"], use_cache=False)
    writer.join()
    file.unregister()
    whole = analyze(probe(clips[name]), use_cache=False)
    for field in ("excitement", "motion", "loudness_momentary_lufs", "speech", "keyframes_s"):
        assert np.array_equal(getattr(signals, field), getattr(whole, field)), field
    assert signals.duration_s == whole.duration_s


def test_the_result_lands_under_the_finished_files_content_key(
    clips: dict[str, Path], tmp_path: Path
):
    data = clips["faststart.mp4"].read_bytes()
    file = GrowingFile(tmp_path / "upload.bin")
    file.register()
    writer = threading.Thread(target=_feed, args=(file, data, 1.0, threading.Event()))
    writer.start()
    assert analyze_growing(file) == "stored"
    writer.join()
    file.unregister()
    hit = cache.load(cache.content_key(clips["faststart.mp4"]), DEFAULT_STEP_S)
    assert hit is not None
    fresh = analyze(probe(clips["faststart.mp4"]), use_cache=False)
    assert np.array_equal(hit.excitement, fresh.excitement)


def test_an_aborted_upload_stores_nothing(clips: dict[str, Path], tmp_path: Path):
    data = clips["faststart.mp4"].read_bytes()
    file = GrowingFile(tmp_path / "upload.bin")
    file.register()
    file.write(data[: len(data) // 2])
    cancel = threading.Event()
    outcome: list[str] = []
    t = threading.Thread(target=lambda: outcome.append(analyze_growing(file, cancel=cancel)))
    t.start()
    time.sleep(0.3)  # let it read what is there and wait for more
    cancel.set()
    file.abort()
    t.join(30)
    file.unregister()
    assert outcome and outcome[0].startswith("cancelled"), outcome
    assert not cache.cache_dir().exists() or not list(cache.cache_dir().glob("*.npz"))


def test_a_header_that_does_not_tell_the_length_is_not_used(clips: dict[str, Path], tmp_path: Path):
    """A fragmented MP4 says only its first fragment's length at the start: the whole file,
    probed at the last byte, disagrees, and the result is thrown away."""
    data = clips["fragmented.mp4"].read_bytes()
    file = GrowingFile(tmp_path / "upload.bin")
    file.register()
    writer = threading.Thread(target=_feed, args=(file, data, 1.0, threading.Event()))
    writer.start()
    outcome = analyze_growing(file)
    writer.join()
    file.unregister()
    assert outcome.startswith("not used"), outcome
    assert cache.load(cache.content_key(clips["fragmented.mp4"]), DEFAULT_STEP_S) is None


def test_a_reel_cannot_read_a_growing_file_behind_the_readers_back(tmp_path: Path):
    """Its virtual path exists nowhere on disk: a tool that bypasses ``open_input`` fails."""
    file = GrowingFile(tmp_path / "upload.bin")
    file.register()
    try:
        with pytest.raises(InputNotFoundError):
            probe(file.virtual_path)
    finally:
        file.abort()
        file.unregister()
