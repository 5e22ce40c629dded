"""Titles on the rendered picture (bright text on a black source): a long title on a 9:16 reel is
at most three lines inside the safe area; Chinese draws with the font reelcut ships; emoji draw
when a monochrome emoji font is installed."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from reelcut.editor.assets import render_draft
from reelcut.errors import FontNotFoundError
from reelcut.render import RenderSettings, fonts
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


def text_mask(tmp_path: Path, text: str, name: str) -> np.ndarray:
    """Where ``text`` (white, no outline, 40% of the frame height) lights a black 320x180 reel."""
    src = tmp_path / "black.mp4"
    if not src.exists():
        ffmpeg("-f", "lavfi", "-i", "color=c=black:s=320x180:r=25:d=1", "-c:v", "libx264",
               "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(src))  # fmt: skip
    source = Source("s0", "video", str(src), 1000, 320, 180, False, "black", "25")
    seg = TextSegment(text, 0, 1000, role="title", size=0.4, outline=0, fade_ms=0)
    draft = Draft(
        (source,),
        (
            Track(TrackType.VIDEO, "Video", (VideoSegment("s0", 0, 1000),)),
            Track(TrackType.TEXT, "Text", (seg,)),
        ),
    )
    out = tmp_path / f"{name}.mp4"
    render_draft(draft, out, RenderSettings(preset="ultrafast"))
    return luma_at(out, 0.5) > 128


def differ(a: np.ndarray, b: np.ndarray) -> float:
    """Share of lit pixels that are lit in one picture only (0: the same glyph, e.g. two boxes)."""
    return float((a ^ b).sum() / max((a | b).sum(), 1))


def test_chinese_titles_draw_with_the_shipped_font_on_a_machine_without_fonts(
    tmp_path: Path, monkeypatch
):
    monkeypatch.setattr(fonts, "_SYSTEM_DIRS", (tmp_path / "no-fonts",))
    monkeypatch.delenv("REELCUT_FONT", raising=False)
    monkeypatch.delenv("REELCUT_FONT_CJK", raising=False)
    fonts._system_index.cache_clear()
    try:
        assert fonts.find_font("sans", "周末") == fonts.PACKAGED_CJK
        assert fonts.find_font("sans", "Match day") == fonts.PACKAGED_CJK  # Latin-1 too
        with pytest.raises(FontNotFoundError, match="apt install fonts-noto-cjk"):
            fonts.find_font("sans", "𠀀")  # outside the shipped set, and no system font
        zhou, mo = text_mask(tmp_path, "周", "zhou"), text_mask(tmp_path, "末", "mo")
    finally:
        fonts._system_index.cache_clear()
    assert zhou.sum() > 300 and mo.sum() > 300
    assert differ(zhou, mo) > 0.3  # two real glyphs, not two missing-glyph boxes


def test_the_shipped_font_covers_everyday_chinese():
    chars = fonts.packaged_cjk_chars()
    hanzi = set()
    for a in range(0xB0, 0xD8):  # GB 2312 level 1: the 3,755 most used hanzi
        for b in range(0xA1, 0xFF):
            try:
                hanzi.add(bytes([a, b]).decode("gb2312"))
            except UnicodeDecodeError:  # the last row is not full
                continue
    assert len(hanzi) == 3755 and hanzi <= chars
    assert {
        "們",
        "體",
        "、",
        "。",
        "ア",
        "！",
    } <= chars  # traditional, punctuation, kana, full width


def test_emoji_draw_when_a_monochrome_emoji_font_is_installed(tmp_path: Path):
    names = ("Symbola.ttf", "Symbola_hint.ttf", "NotoEmoji-Regular.ttf")
    if not any(n in names for n in fonts._system_index()):
        pytest.skip("no monochrome emoji font here (apt install fonts-symbola)")
    assert fonts.find_font("sans", "Goal 🔥").name in names
    fire, grin = text_mask(tmp_path, "🔥", "fire"), text_mask(tmp_path, "😀", "grin")
    assert fire.sum() > 300 and grin.sum() > 300
    assert differ(fire, grin) > 0.3  # two pictographs, not two boxes
