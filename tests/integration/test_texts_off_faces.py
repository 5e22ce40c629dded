"""Titles and captions keep off the face the follow crop found (the car interview, 9:16)."""

from __future__ import annotations

from pathlib import Path

from reelcut.editor.assets import prepare_assets
from reelcut.editor.build import source_from_info
from reelcut.media.probe import probe
from reelcut.render import RenderSettings, plan_draft
from reelcut.timeline.model import Draft, TextSegment, Track, TrackType, VideoSegment
from tests.conftest import shared_clip


def _draft(aspect: str, *texts: TextSegment) -> Draft:
    src = source_from_info(probe(shared_clip("carphone_pristine.mp4")), "s0")
    video = Track(TrackType.VIDEO, "Video", (VideoSegment("s0", 0, 4000),))
    words = Track(TrackType.TEXT, "Text", texts)
    return Draft(sources=(src,), tracks=(video, words), aspect=aspect, height=360)


def test_a_title_over_the_face_moves_to_the_top(tmp_path: Path) -> None:
    """The face fills about 0.22-0.70 of the height (seen in the frames): a centred two-line
    title covers it and moves to the top, where it only touches the forehead; the caption at the
    bottom touches the chin but stays, as the top is taken by the title then."""
    draft = _draft(
        "9:16",
        TextSegment("Weekend drive", 0, 3000, position="center"),
        TextSegment("said in the car", 500, 2500, role="caption", position="bottom"),
    )
    assets = prepare_assets(draft)
    assert assets.text_positions == {0: "top"}
    graph = plan_draft(draft, assets, tmp_path / "o.mp4", RenderSettings()).filter_graph
    assert "y=h*0.5-text_h/2" not in graph
    assert graph.count("y=h*0.12:") == 1 and graph.count("y=h*0.78-text_h:") == 1


def test_a_text_stays_where_another_is_drawn_at_the_same_time() -> None:
    draft = _draft(
        "9:16",
        TextSegment("Weekend drive", 0, 3000, position="center"),
        TextSegment("at the top", 1000, 1500, position="top"),
        TextSegment("said in the car", 500, 2500, role="caption", position="bottom"),
    )
    assert prepare_assets(draft).text_positions == {}


def test_without_a_crop_nothing_moves() -> None:
    draft = _draft("source", TextSegment("Weekend", 0, 3000, position="center"))
    assert prepare_assets(draft).text_positions == {}
