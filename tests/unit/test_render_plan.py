"""The render plan as a value: output sizes, one input per source, the stages' labels (no FFmpeg
run here; the rendered files are checked in tests/e2e/test_render_output.py)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from reelcut.editor.options import ReelOptions, option_ops
from reelcut.errors import EditError
from reelcut.geometry import centre_crop, even, window
from reelcut.render import RenderAssets, RenderSettings, plan_draft
from reelcut.timeline.model import Draft, Source, Track, TrackType, VideoSegment
from reelcut.timeline.ops import SetFormat
from reelcut.timeline.validate import validate


def draft_of(src_w: int, src_h: int, **settings: object) -> Draft:
    src = Source("s0", "video", "/footage/a.mp4", 60_000, src_w, src_h, True, "a.mp4", "25")
    clips = (VideoSegment("s0", 1000, 4000), VideoSegment("s0", 9000, 12000))
    return Draft((src,), (Track(TrackType.VIDEO, "Video", clips),), **settings)  # type: ignore[arg-type]


def plan_of(draft: Draft, settings: RenderSettings = RenderSettings()):
    src = draft.sources[0]
    assets = RenderAssets(
        {"s0": Path(src.path)}, {"s0": (src.width, src.height)}, {"s0": True}, Fraction(25)
    )
    return plan_draft(draft, assets, Path("/tmp/out/reel.mp4"), settings)


@pytest.mark.parametrize(
    "source, aspect, size",
    [
        ((1280, 720), "source", (1280, 720)),  # a 720p recording makes a 720p reel
        ((176, 144), "source", (176, 144)),  # not 1320x1080
        ((3840, 2160), "source", (1920, 1080)),  # capped at 1080p on the short side
        ((1080, 1920), "source", (1080, 1920)),  # portrait: the short side is the width
        ((2160, 3840), "source", (1080, 1920)),
        ((1280, 720), "9:16", (720, 1280)),
        ((640, 360), "1:1", (360, 360)),
    ],
)
def test_the_default_size_is_the_footages_own_capped_at_1080p(source, aspect, size):
    draft = draft_of(*source, aspect=aspect)
    validate(draft)
    assert draft.output_size() == size
    plan = plan_of(draft)
    assert (plan.width, plan.height) == size


def test_a_named_resolution_still_forces_its_size():
    assert draft_of(1280, 720, height=1080).output_size() == (1920, 1080)
    assert draft_of(176, 144, height=720).output_size() == (880, 720)
    assert SetFormat(None, 720).apply(draft_of(3840, 2160)).output_size() == (1280, 720)


def test_make_options_keep_the_footages_size_unless_asked():
    draft = draft_of(1280, 720)
    assert not [op for op in option_ops(draft, ReelOptions()) if isinstance(op, SetFormat)]
    (fmt,) = option_ops(draft, ReelOptions(height=1080))
    assert fmt.apply(draft).output_size() == (1920, 1080)


def test_a_height_that_is_not_a_resolution_is_refused():
    with pytest.raises(EditError, match="resolution 101p"):
        validate(draft_of(1280, 720, height=101))


def test_one_input_per_source_and_one_picture_fit_for_cuts_of_one_source():
    plan = plan_of(draft_of(1280, 720, height=360))
    assert plan.args.count("-i") == 1
    assert [name for name, _ in plan.files] == ["clips0.txt", "graph.txt"]
    assert "split=2[s0v0][s0v1]" in plan.filter_graph
    assert plan.filter_graph.count("scale=640:360") == 1  # fitted once, after the join
    assert (plan.width, plan.height, plan.fps) == (640, 360, Fraction(25))
    assert [s.frames for s in plan.segments] == [75, 75]
    assert plan.args[-1] == "/tmp/out/reel.mp4" and "[aout]" in plan.args


def test_even_rounds_halves_up_and_stays_inside_a_limit():
    assert [even(v) for v in (0, 1, 3, 405, 607.5, Fraction(2023, 2))] == [2, 2, 4, 406, 608, 1012]
    assert even(405, limit=405) == 404


def test_the_centre_crop_is_the_largest_window_of_the_aspect():
    assert window(1920, 1080, Fraction(9, 16)) == (Fraction(81, 256), 1)
    assert centre_crop(1920, 1080, Fraction(9, 16)) == (608, 1080)
    assert centre_crop(1080, 1920, Fraction(16, 9)) == (1080, 608)
    assert centre_crop(1280, 720, Fraction(1, 1)) == (720, 720)


def test_a_service_render_of_wide_footage_at_its_own_size_is_brought_within_1080x1920():
    from reelcut.service.drafts import bounded_draft

    wide = draft_of(2520, 1080)  # 21:9 at its own size: 2520 px wide, past the 1920 limit
    bounded = bounded_draft(wide, max_s=600, max_clips=50)
    validate(bounded)
    assert bounded.output_size() == (1918, 822)  # was height 2: a 4x2 reel
    assert bounded_draft(draft_of(1280, 720), 600, 50).output_size() == (1280, 720)
