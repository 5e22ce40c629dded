"""On-screen text as FFmpeg ``drawtext`` filters (pure: strings in, strings out).

The words themselves travel in files (``textfile=``), never inside the filter graph, so quotes,
colons or percent signs come out as typed. drawtext does not wrap, so lines are broken here, and
a title, card or lower third is fitted to the frame: at most :data:`MAX_LINES` lines inside the
platform's safe area (narrower on a portrait reel, where the app's buttons sit at the side and
its captions at the bottom), shrunk from the asked size until it fits. Captions keep their size
(their layers must line up word for word) and wrap to the width only.

Widths are estimated per character class from the fonts reelcut picks (DejaVu Sans: lower case
0.56 em, capitals 0.67, digits 0.64; CJK is square), rounded up, so a fitted line stays inside.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from reelcut.timeline.model import TextSegment

MAX_LINES = 3
MIN_SIZE = 0.025  # the smallest a fitted text shrinks to, as a share of the frame height
_SHRINK = 0.92
_LINE_SPACING = 0.25  # of the font size

# y = h*anchor - text_h*pull: where each position puts a text's top edge
_Y_LANDSCAPE = {
    "top": (0.08, 0.0),
    "center": (0.5, 0.5),
    "bottom": (0.90, 1.0),
    "lower_third": (0.72, 0.0),
}
# TikTok, Reels and Shorts cover the top ~10% (tabs) and bottom ~20% (caption, music) of a
# portrait frame, and a column of buttons at the right.
_Y_PORTRAIT = {
    "top": (0.12, 0.0),
    "center": (0.5, 0.5),
    "bottom": (0.78, 1.0),
    "lower_third": (0.64, 1.0),  # ends above where captions begin
}


def is_wide(ch: str) -> bool:
    """A full-width character (Chinese, Japanese, Korean): square, and missing from Latin fonts."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def is_emoji(ch: str) -> bool:
    """A pictograph (emoji, symbols) that ordinary text fonts lack."""
    cp = ord(ch)
    return (
        0x1F000 <= cp <= 0x1FAFF
        or 0x2600 <= cp <= 0x27BF
        or 0x2B00 <= cp <= 0x2BFF
        or cp in (0x200D, 0xFE0F)
    )


def _width(ch: str, mono: bool = False) -> float:
    """Advance of ``ch`` in font sizes (rounded up from the fonts reelcut uses)."""
    if ch in "\u200d\ufe0f":
        return 0.0
    if is_emoji(ch):
        return 1.25
    if is_wide(ch):
        return 1.0
    if mono:
        return 0.61
    if ch == " ":
        return 0.32
    if ch.isdigit():
        return 0.64
    if ch.isupper():
        return 0.72 if ch not in "MWmw" else 1.0
    if ch.islower():
        return 0.57 if ch not in "mw" else 0.92
    return 0.6 if ch.isalpha() else 0.38


def text_width(text: str, mono: bool = False) -> float:
    """Width of one line of ``text`` in font sizes."""
    return sum(_width(c, mono) for c in text)


def wrap(text: str, max_em: float, mono: bool = False) -> str:
    """Break ``text`` into lines no wider than ``max_em`` font sizes (words kept whole)."""
    out: list[str] = []
    for para in text.split("\n"):
        line = ""
        width = 0.0
        for token in _tokens(para):
            w = text_width(token, mono)
            if line and width + w > max_em:
                out.append(line.rstrip())
                line, width = token.lstrip(), text_width(token.lstrip(), mono)
            else:
                line += token
                width += w
        out.append(line.rstrip())
    return "\n".join(out)


def _tokens(text: str) -> list[str]:
    """Words with their leading space; each CJK character is a token of its own."""
    tokens: list[str] = []
    cur = ""
    for ch in text:
        wide = is_wide(ch)
        if ch == " " or wide:
            if cur:
                tokens.append(cur)
            cur = ch
            if wide:
                tokens.append(cur)
                cur = ""
        else:
            cur += ch
    if cur:
        tokens.append(cur)
    return tokens


@dataclass(frozen=True, slots=True)
class FittedText:
    """The words as they will be drawn (lines broken) and the font size that fits them."""

    lines: str
    size_px: int


def safe_width(width: int, height: int) -> float:
    """The width text may use, in pixels: the platform's safe area for the frame's shape."""
    if width < height:  # 9:16, 4:5: keep clear of the buttons at the right (centred text)
        return 0.80 * width
    if width == height:
        return 0.84 * width
    return 0.88 * width


def fit_text(seg: TextSegment, width: int, height: int) -> FittedText:
    """Break and size ``seg`` for a ``width`` x ``height`` reel (see the module docstring)."""
    mono = seg.font == "mono"
    size = max(seg.size * height, 8.0)
    if seg.role == "caption":
        return FittedText(wrap(seg.text, 0.88 * width / size, mono), int(round(size)))
    room = safe_width(width, height)
    floor = max(MIN_SIZE * height, 8.0)
    while True:
        lines = wrap(seg.text, room / size, mono)
        fits = lines.count("\n") < MAX_LINES and all(
            text_width(line, mono) * size <= room for line in lines.split("\n")
        )
        if fits or size * _SHRINK < floor:
            break
        size *= _SHRINK
    if not fits:  # even at the smallest size: break long words and drop what does not fit
        lines = _hard_wrap(seg.text, room / size, mono)
    return FittedText(lines, int(round(size)))


def text_band(seg: TextSegment, width: int, height: int) -> tuple[float, float]:
    """Top and bottom of ``seg`` as drawn on a ``width`` x ``height`` reel, as shares of the
    height: the band a face under the text would lose (the editor keeps texts off faces)."""
    fitted = fit_text(seg, width, height)
    lines = fitted.lines.count("\n") + 1
    text_h = (lines * fitted.size_px + (lines - 1) * int(fitted.size_px * _LINE_SPACING)) / height
    anchor, pull = (_Y_PORTRAIT if width < height else _Y_LANDSCAPE)[seg.position]
    top = anchor - pull * text_h
    return top, top + text_h


def _hard_wrap(text: str, max_em: float, mono: bool) -> str:
    """At most :data:`MAX_LINES` lines of at most ``max_em``, breaking inside words, "…" last."""
    lines: list[str] = []
    for line in wrap(text, max_em, mono).split("\n"):
        cur = ""
        for ch in line:
            if cur and text_width(cur + ch, mono) > max_em:
                lines.append(cur)
                cur = ch.lstrip()
            else:
                cur += ch
        lines.append(cur)
    if len(lines) > MAX_LINES:
        last = lines[MAX_LINES - 1]
        while last and text_width(last + "…", mono) > max_em:
            last = last[:-1]
        lines = [*lines[: MAX_LINES - 1], last.rstrip() + "…"]
    return "\n".join(lines)


def _ffcolour(colour: str) -> str:
    return colour.replace("#", "0x")


def drawtext(
    seg: TextSegment, font: Path, text_file: Path, width: int, height: int, size_px: int
) -> str:
    """The drawtext filter for ``seg`` at ``size_px`` on a ``width`` x ``height`` reel."""
    size = size_px
    a, b = seg.start_ms / 1000, seg.end_ms / 1000
    fade = min(seg.fade_ms / 1000, (b - a) / 3)
    alpha = (
        f"if(lt(t,{a + fade:.3f}),(t-{a:.3f})/{fade:.3f},"
        f"if(gt(t,{b - fade:.3f}),({b:.3f}-t)/{fade:.3f},1))"
        if fade > 0
        else "1"
    )
    border = max(int(round(seg.outline * height)), 0)
    anchor, pull = (_Y_PORTRAIT if width < height else _Y_LANDSCAPE)[seg.position]
    y = f"h*{anchor:g}" + {0.0: "", 0.5: "-text_h/2", 1.0: "-text_h"}[pull]
    parts = [
        f"drawtext=fontfile='{_escape_path(font)}'",
        f"textfile='{_escape_path(text_file)}'",
        "expansion=none",
        f"fontsize={size}",
        f"fontcolor={_ffcolour(seg.colour)}",
        "text_align=C",
        "x=(w-text_w)/2",
        f"y={y}",
        f"line_spacing={int(size * _LINE_SPACING)}",
        f"enable='between(t,{a:.3f},{b:.3f})'",
        f"alpha='{alpha}'",
    ]
    if border:
        parts += [f"borderw={border}", f"bordercolor={_ffcolour(seg.outline_colour)}"]
    if seg.box:
        parts += [
            "box=1",
            f"boxcolor={_ffcolour(seg.box_colour)}",
            f"boxborderw={int(size * 0.35)}",
        ]
    return ":".join(parts)


def _escape_path(path: Path) -> str:
    return str(path).replace("\\", "/").replace("'", "'\\''").replace(":", "\\:")
