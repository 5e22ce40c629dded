"""Titles fit the frame: a long title on a 9:16 reel is at most three lines inside the safe area,
checked on the rendered picture (bright text on a black source)."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

from reelcut.editor.assets import render_draft
from reelcut.render import RenderSettings
from reelcut.render.text import MAX_LINES, fit_text
from reelcut.timeline.model import Draft, Source, TextSegment, Track, TrackType, VideoSegment
from tests.conftest import ffmpeg

LONG = "The most incredible last-minute comeback in the history of the Sunday league derby"


def luma_at(path: Path, t: float) -> np.ndarray:
    with av.open(str(path)) as c:
        for frame in c.decode(video=0):
            if frame.time is not None and frame.time >= t:
                return frame.to_ndarray(format="gray")
    raise AssertionError(f"no frame at {t} s in {path}")


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Stretches of True in a 1-D mask, as (first, last) indices."""
    out, start = [], None
    for i, on in enumerate(mask):
        if on and start is None:
            start = i
        elif not on and start is not None:
            out.append((start, i - 1))
            start = None
    if start is not None:
        out.append((start, len(mask) - 1))
    return out


def test_a_long_title_on_a_vertical_reel_is_three_lines_inside_the_safe_area(tmp_path: Path):
    src = tmp_path / "black.mp4"
    ffmpeg("-f", "lavfi", "-i", "color=c=black:s=320x180:r=25:d=2", "-c:v", "libx264",
           "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(src))  # fmt: skip
    source = Source("s0", "video", str(src), 2000, 320, 180, False, "black", "25")
    title = TextSegment(LONG, 0, 2000, role="title", size=0.08, outline=0, fade_ms=0)
    draft = Draft(
        (source,),
        (
            Track(TrackType.VIDEO, "Video", (VideoSegment("s0", 0, 2000),)),
            Track(TrackType.TEXT, "Text", (title,)),
        ),
        aspect="9:16",
        height=360,
        reframe="center",
    )
    out = tmp_path / "reel.mp4"
    render_draft(draft, out, RenderSettings(preset="ultrafast"))
    luma = luma_at(out, 1.0)
    h, w = luma.shape
    assert (w, h) == (360, 640)
    bright = luma > 128
    rows = runs(bright.any(axis=1))
    cols = np.flatnonzero(bright.any(axis=0))
    assert 1 <= len(rows) <= MAX_LINES, rows  # today's wrap made 8 lines over the frame
    assert cols.min() >= 0.10 * w and cols.max() <= 0.90 * w  # the portrait safe area


def test_titles_shrink_to_three_lines_and_short_ones_keep_their_size():
    seg = TextSegment(LONG, 0, 2000, role="title", size=0.08)
    fitted = fit_text(seg, 1080, 1920)
    assert fitted.lines.count("\n") + 1 <= MAX_LINES
    assert fitted.size_px < 0.08 * 1920
    short = fit_text(TextSegment("Match day", 0, 2000, size=0.08), 1080, 1920)
    assert (short.lines, short.size_px) == ("Match day", round(0.08 * 1920))
    cjk = fit_text(
        TextSegment("周末联赛德比史上最不可思议的绝杀逆转全场精彩进球回顾与赛后采访", 0, 1),
        1080,
        1920,
    )
    lines = cjk.lines.split("\n")
    assert len(lines) <= MAX_LINES and max(len(x) for x in lines) * cjk.size_px <= 0.80 * 1080
