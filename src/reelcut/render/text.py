"""On-screen text as FFmpeg ``drawtext`` filters (pure: strings in, strings out).

The words themselves travel in files (``textfile=``), never inside the filter graph, so any
Unicode, quotes, colons or percent signs come out as typed. Lines are wrapped to the frame
width here because drawtext does not wrap.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from reelcut.timeline.model import TextSegment

_Y = {
    "top": "h*0.08",
    "center": "(h-text_h)/2",
    "bottom": "h*0.90-text_h",
    "lower_third": "h*0.72",
}


def is_wide(ch: str) -> bool:
    """A full-width character (Chinese, Japanese, Korean): square, and missing from Latin fonts."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _width(ch: str) -> float:
    """Advance of ``ch`` in font sizes (rough: CJK is square, Latin about half)."""
    return 1.0 if is_wide(ch) else 0.56


def wrap(text: str, max_em: float) -> str:
    """Break ``text`` into lines no wider than ``max_em`` font sizes (words kept whole)."""
    out: list[str] = []
    for para in text.split("\n"):
        line = ""
        width = 0.0
        for token in _tokens(para):
            w = sum(_width(c) for c in token)
            if line and width + w > max_em:
                out.append(line.rstrip())
                line, width = token.lstrip(), sum(_width(c) for c in token.lstrip())
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


def _ffcolour(colour: str) -> str:
    return colour.replace("#", "0x")


def drawtext(seg: TextSegment, font: Path, text_file: Path, width: int, height: int) -> str:
    """The drawtext filter for ``seg`` on a ``width`` x ``height`` reel (t = reel time)."""
    size = max(int(round(seg.size * height)), 8)
    a, b = seg.start_ms / 1000, seg.end_ms / 1000
    fade = min(seg.fade_ms / 1000, (b - a) / 3)
    alpha = (
        f"if(lt(t,{a + fade:.3f}),(t-{a:.3f})/{fade:.3f},"
        f"if(gt(t,{b - fade:.3f}),({b:.3f}-t)/{fade:.3f},1))"
        if fade > 0
        else "1"
    )
    border = max(int(round(seg.outline * height)), 0)
    parts = [
        f"drawtext=fontfile='{_escape_path(font)}'",
        f"textfile='{_escape_path(text_file)}'",
        "expansion=none",
        f"fontsize={size}",
        f"fontcolor={_ffcolour(seg.colour)}",
        "text_align=C",
        "x=(w-text_w)/2",
        f"y={_Y[seg.position]}",
        f"line_spacing={int(size * 0.25)}",
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


def text_lines(seg: TextSegment, width: int, height: int) -> str:
    """The words as they will be drawn: wrapped to 88% of the frame width."""
    size_px = max(seg.size * height, 8)
    return wrap(seg.text, max_em=0.88 * width / size_px)


def _escape_path(path: Path) -> str:
    return str(path).replace("\\", "/").replace("'", "'\\''").replace(":", "\\:")
