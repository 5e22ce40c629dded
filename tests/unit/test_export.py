"""Exports for other editors: each format re-imported with its OpenTimelineIO adapter holds the
draft's cut, frame for frame."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

import opentimelineio as otio
import pytest

from reelcut.errors import InvalidArgumentError
from reelcut.timeline.exchange import FORMATS, draft_to_otio, export_text, format_for
from reelcut.timeline.model import (
    AudioSegment,
    Draft,
    Source,
    TextSegment,
    Track,
    TrackType,
    VideoSegment,
)
from tests.exchange_reader import read_cut_list, read_timeline

GAME = "/footage/match day/game.mp4"
CROWD = "/footage/crowd.mov"
SUFFIX = {"otio": ".otio", "fcpxml": ".fcpxml", "fcp7": ".xml", "edl": ".edl"}


def export_draft(draft: Draft, path: Path, fmt: str | None = None) -> Path:
    """Write the export's text only (the music stems are tests/integration/test_exchange.py's)."""
    path.write_text(export_text(draft, format_for(path, fmt), path.parent), encoding="utf-8")
    return path


def make_draft(rate: str) -> Draft:
    sources = (
        Source("v1", "video", GAME, 600_000, 1920, 1080, True, "game.mp4", rate),
        Source("v2", "video", CROWD, 120_000, 1920, 1080, True, "", rate),
        Source("m1", "music", "lofi", 0, title="Lo-fi"),
    )
    clips = (
        VideoSegment(None, 0, 2000, role="card", colour="#102030"),
        VideoSegment("v1", 12_345, 20_000, score=0.91, reason="crowd roar"),
        VideoSegment("v1", 17_000, 19_000, speed=0.5, role="replay", score=0.91),
        VideoSegment("v2", 1001, 5005, score=0.5, reason="cheer"),
        VideoSegment("v1", 30_033, 37_777, score=0.7, reason="shot on goal"),
    )
    return Draft(
        sources,
        (
            Track(TrackType.VIDEO, "Video", clips),
            Track(TrackType.AUDIO, "Music", (AudioSegment("m1", start_ms=2000, volume=60),)),
            Track(TrackType.TEXT, "Text", (TextSegment("Match day", 500, 2500),)),
        ),
    )


def frames(ms: int, rate: Fraction) -> int:
    return math.floor(Fraction(ms) * rate / 1000 + Fraction(1, 2))


def expected(draft: Draft, rate: Fraction) -> tuple[list[tuple[str, int, int]], int]:
    """The cut list and total length in frames, worked out here from the draft's ms."""
    cuts, total = [], 0
    for c in draft.clips:
        if c.source_id is None:
            total += frames(c.duration_ms, rate)
            continue
        i, o = frames(c.source_in_ms, rate), frames(c.source_out_ms, rate)
        cuts.append((draft.source(c.source_id).path, i, o))
        total += round(Fraction(o - i) / Fraction(c.speed))
    return cuts, total


@pytest.mark.parametrize("rate", ["25", "30000/1001"])
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_round_trips_the_cut_frame_exactly(tmp_path: Path, fmt: str, rate: str):
    draft = make_draft(rate)
    path = export_draft(draft, tmp_path / f"reel{SUFFIX[fmt]}")
    assert path.exists()
    want, total = expected(draft, Fraction(rate))

    got = read_cut_list(path)
    assert got == want  # count, order, source paths, in and out frames

    timeline = read_timeline(path)
    video = next(t for t in timeline.tracks if t.kind == otio.schema.TrackKind.Video)
    assert round(video.duration().to_frames()) == total


def test_suffix_picks_the_format_and_sources_need_not_exist(tmp_path: Path):
    draft = make_draft("25")
    assert not Path(GAME).exists()
    for fmt, suffix in SUFFIX.items():
        path = export_draft(draft, tmp_path / f"cut{suffix}")
        assert FORMATS[fmt] == suffix
        assert read_cut_list(path)


def test_otio_json_keeps_metadata_speed_card_music_and_title(tmp_path: Path):
    draft = make_draft("30000/1001")
    rate = Fraction(30000, 1001)
    path = export_draft(draft, tmp_path / "reel.otio")
    timeline = otio.adapters.read_from_file(str(path), adapter_name="otio_json")
    assert timeline.to_json_string() == draft_to_otio(draft).to_json_string()

    video, music = timeline.tracks
    card, first, replay = video[0], video[1], video[2]
    assert isinstance(card.media_reference, otio.schema.GeneratorReference)
    assert card.media_reference.generator_kind == "SolidColor"
    assert card.media_reference.parameters["color"] == "#102030"
    assert first.metadata["reelcut"]["score"] == pytest.approx(0.91)
    assert first.metadata["reelcut"]["reason"] == "crowd roar"
    assert first.media_reference.target_url == Path(GAME).as_uri()
    assert replay.metadata["reelcut"]["role"] == "replay"
    (warp,) = replay.effects
    assert isinstance(warp, otio.schema.LinearTimeWarp)
    assert warp.time_scalar == 0.5
    assert replay.source_range.duration.to_frames() == 2 * (
        frames(19_000, rate) - frames(17_000, rate)
    )
    assert not first.effects

    assert music.kind == otio.schema.TrackKind.Audio
    gap, song = music
    assert isinstance(gap, otio.schema.Gap)
    assert gap.duration().to_frames() == frames(2000, rate)
    assert song.metadata["reelcut"]["volume"] == 60
    assert song.metadata["reelcut"]["kind"] == "music"
    assert music.duration() == video.duration()  # duration None: to the end of the reel

    (title,) = video.markers
    assert title.name == "Match day"
    assert title.marked_range.start_time.to_frames() == frames(500, rate)
    assert title.metadata["reelcut"]["role"] == "title"
    assert timeline.metadata["reelcut"]["rate"] == "30000/1001"


def test_edl_has_event_lines_with_reels_and_timecodes(tmp_path: Path):
    path = export_draft(make_draft("25"), tmp_path / "reel.edl")
    text = path.read_text()
    events = [line for line in text.splitlines() if re.match(r"^\d{3} ", line)]
    assert len(events) == 5  # the card is a black event
    assert re.fullmatch(
        r"001\s+BL\s+V\s+C\s+00:00:00:00 00:00:02:00 00:00:00:00 00:00:02:00", events[0]
    )
    # 12.345 s -> frame 309 = 00:00:12:09; 20 s -> 500; on the timeline from frame 50.
    assert re.fullmatch(
        r"002\s+gamemp4\s+V\s+C\s+00:00:12:09 00:00:20:00 00:00:02:00 00:00:09:16", events[1]
    )
    # The half-speed replay uses 50 source frames over 100 timeline frames.
    assert re.fullmatch(
        r"003\s+gamemp4\s+V\s+C\s+00:00:17:00 00:00:19:00 00:00:09:16 00:00:13:16", events[2]
    )
    assert re.search(r"^M2\s+03 game\.mp4\s+12\.5\s+00:00:17:00$", text, re.MULTILINE)
    assert f"* FROM CLIP: {CROWD}" in text
    assert "TITLE: Match day" in text  # texts survive as comments
    assert "FCM: NON-DROP FRAME" in text


def test_edl_at_ntsc_rate_is_non_drop_frame_and_reads_back(tmp_path: Path):
    path = export_draft(make_draft("30000/1001"), tmp_path / "reel.edl")
    text = path.read_text()
    assert ";" not in text
    assert read_cut_list(path, rate="30000/1001") == read_cut_list(path)
    with pytest.raises(InvalidArgumentError):
        bare = tmp_path / "bare.edl"
        bare.write_text(text.replace("* REELCUT RATE 30000/1001\n", ""))
        read_cut_list(bare)


def test_fcpxml_is_well_formed_with_asset_paths_on_frame_boundaries(tmp_path: Path):
    path = export_draft(make_draft("30000/1001"), tmp_path / "reel.fcpxml")
    root = ET.fromstring(path.read_bytes())
    assert root.tag == "fcpxml"
    srcs = {a.get("src") for a in root.iter("asset")}
    assert Path(GAME).as_uri() in srcs
    assert "file:///footage/match%20day/game.mp4" in srcs
    assert Path(CROWD).as_uri() in srcs
    (fmt,) = root.iter("format")
    assert fmt.get("frameDuration") == "1001/30000s"
    frame = Fraction(1001, 30000)
    for element in root.iter():
        for attr in ("offset", "start", "duration"):
            value = element.get(attr)
            if value:
                seconds = Fraction(value.removesuffix("s"))
                assert (seconds / frame).denominator == 1, (element.tag, attr, value)
    assert any(m.get("value") == "Match day" for m in root.iter("marker"))


def test_fcpxml_marks_sources_with_sound_as_having_audio(tmp_path: Path):
    draft = make_draft("25")
    silent = Source("v3", "video", "/footage/drone.mp4", 60_000, 1920, 1080, False, "drone", "25")
    clips = (*draft.clips, VideoSegment("v3", 0, 2000))
    draft = Draft((*draft.sources, silent), (Track(TrackType.VIDEO, "Video", clips),))
    root = ET.fromstring(export_draft(draft, tmp_path / "reel.fcpxml").read_bytes())
    sound = {a.get("src"): a.get("hasAudio") for a in root.iter("asset")}
    assert sound == {
        Path(GAME).as_uri(): "1",
        Path(CROWD).as_uri(): "1",
        Path("/footage/drone.mp4").as_uri(): "0",
    }


def test_fcp7_has_color_card_ntsc_rate_and_title_marker(tmp_path: Path):
    path = export_draft(make_draft("30000/1001"), tmp_path / "reel.xml")
    root = ET.fromstring(path.read_bytes())
    assert root.findtext(".//generatoritem/effect/effectid") == "Color"
    assert root.findtext(".//sequence/rate/ntsc") == "TRUE"
    assert root.findtext(".//sequence/rate/timebase") == "30"
    assert [m.findtext("name") for m in root.findall("./project/children/sequence/marker")] == [
        "Match day"
    ]
    assert "file:///footage/match%20day/game.mp4" in {e.text for e in root.iter("pathurl")}


def test_unknown_format_is_refused_with_the_list(tmp_path: Path):
    draft = make_draft("25")
    with pytest.raises(InvalidArgumentError, match="otio, fcpxml, fcp7, edl"):
        export_draft(draft, tmp_path / "reel.otio", fmt="aaf")
    with pytest.raises(InvalidArgumentError, match=r"\.edl"):
        export_draft(draft, tmp_path / "reel.mov")
