"""Exports for editing applications come with the generated music they link to."""

from __future__ import annotations

import wave
from pathlib import Path

from reelcut.editor.exchange import export_project
from reelcut.timeline import AudioSegment, Draft, Source, Track, TrackType, VideoSegment
from reelcut.timeline.ops import SetMusic


def test_fcpxml_export_writes_the_music_stem_it_links(tmp_path):
    src = Source("s0", "video", str(tmp_path / "game.mp4"), 60_000, 1280, 720, True, "game", "25")
    clips = (VideoSegment("s0", 0, 4000), VideoSegment("s0", 10_000, 14_000))
    draft = Draft(sources=(src,), tracks=(Track(TrackType.VIDEO, "Video", clips),))
    music = Source("music-lofi", "music", "lofi", 0, title="Lo-fi")
    draft = SetMusic(AudioSegment("music-lofi", volume=35), music).apply(draft)
    written = export_project(draft, tmp_path / "cut.fcpxml")
    assert [p.name for p in written] == ["cut.fcpxml", "reelcut-music-lofi.wav"]
    assert "reelcut-music-lofi.wav" in written[0].read_text()
    with wave.open(str(written[1])) as w:
        assert abs(w.getnframes() / w.getframerate() - 8.0) < 1.0
    assert [p.name for p in export_project(draft, tmp_path / "cut.edl")] == ["cut.edl"]


def test_music_stems_land_beside_the_export_whatever_the_current_folder(tmp_path, monkeypatch):
    src = Source("s0", "video", str(tmp_path / "game.mp4"), 60_000, 1280, 720, True, "game", "25")
    draft = Draft(
        sources=(src,),
        tracks=(Track(TrackType.VIDEO, "Video", (VideoSegment("s0", 0, 3000),)),),
    )
    music = Source("music-lofi", "music", "lofi", 0, title="Lo-fi")
    draft = SetMusic(AudioSegment("music-lofi", volume=35), music).apply(draft)
    here, there = tmp_path / "here", tmp_path / "there"
    here.mkdir()
    there.mkdir()
    monkeypatch.chdir(here)
    written = export_project(draft, Path("../there/cut.FCPXML"))  # suffix in any case
    assert [p.resolve() for p in written] == [
        there / "cut.FCPXML",
        there / "reelcut-music-lofi.wav",
    ]
    assert list(here.iterdir()) == []
    assert (there / "reelcut-music-lofi.wav").as_uri() in written[0].read_text()
