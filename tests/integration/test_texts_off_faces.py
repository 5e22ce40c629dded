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


def test_a_title_over_the_face_moves_to_a_clear_band(tmp_path: Path) -> None:
    """The face fills about 0.22-0.70 of the height (seen in the frames): a centred title covers
    it and moves to the top; the top title and the bottom caption already clear it; a two-line
    lower third covers it too, but neither band clears this face there, so it stays."""
    draft = _draft(
        "9:16",
        TextSegment("Weekend", 0, 3000, position="center"),
        TextSegment("at the top", 0, 3000, position="top"),
        TextSegment("said in the car", 500, 2000, role="caption", position="bottom"),
        TextSegment("Anna, driver", 1000, 2000, role="lower_third", position="lower_third"),
    )
    assets = prepare_assets(draft)
    assert assets.text_positions == {0: "top"}
    graph = " ".join(plan_draft(draft, assets, tmp_path / "o.mp4", RenderSettings()).args)
    assert graph.count("y=h*0.5-text_h/2") == 0  # nothing is drawn in the middle any more


def test_without_a_crop_nothing_moves() -> None:
    draft = _draft("source", TextSegment("Weekend", 0, 3000, position="center"))
    assert prepare_assets(draft).text_positions == {}
