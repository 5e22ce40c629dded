"""Finding a font file for on-screen text, including Chinese, Japanese and emoji.

In order: ``REELCUT_FONT`` (and ``REELCUT_FONT_CJK`` for text with CJK characters), then for CJK
the font reelcut ships (:data:`PACKAGED_CJK`, a subset of Noto Sans CJK SC holding GB 2312, Big5's
frequent characters and kana, so Chinese titles work right after ``pip install``) when it has
every character of the text, then system fonts (Noto CJK, WenQuanYi, Source Han...). Latin text
takes DejaVu, Liberation or Noto from the system folders, or the shipped font when there is none.

Emoji: FFmpeg draws one text with one font file and cannot draw colour emoji fonts, so a text
with emoji (and no CJK) is drawn with a monochrome font that has both letters and pictographs:
Symbola (``apt install fonts-symbola``) or Noto Emoji. Without one, emoji show as boxes.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from reelcut.errors import EditError, FontNotFoundError
from reelcut.render.text import is_emoji, is_wide

FONT_DATA = Path(__file__).resolve().parent / "fontdata"
PACKAGED_CJK = FONT_DATA / "ReelcutCJK-Regular.otf"
_SYSTEM_DIRS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".fonts",
    Path.home() / ".local/share/fonts",
    Path("/Library/Fonts"),
    Path("/System/Library/Fonts"),
    Path("C:/Windows/Fonts"),
)
_LATIN = {
    "sans": ("DejaVuSans.ttf", "LiberationSans-Regular.ttf", "NotoSans-Regular.ttf", "Arial.ttf"),
    "serif": ("DejaVuSerif.ttf", "LiberationSerif-Regular.ttf", "NotoSerif-Regular.ttf"),
    "mono": ("DejaVuSansMono.ttf", "LiberationMono-Regular.ttf", "NotoSansMono-Regular.ttf"),
}
_CJK = (
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKsc-Regular.otf",
    "NotoSansSC-Regular.otf",
    "SourceHanSansSC-Regular.otf",
    "wqy-microhei.ttc",
    "wqy-zenhei.ttc",
    "PingFang.ttc",
    "msyh.ttc",
)
_EMOJI = ("Symbola.ttf", "Symbola_hint.ttf", "NotoEmoji-Regular.ttf", "NotoEmoji[wght].ttf")


def needs_cjk(text: str) -> bool:
    """True when ``text`` has characters a Latin font lacks (Chinese, Japanese, Korean)."""
    return any(is_wide(ch) and not is_emoji(ch) for ch in text)


def has_emoji(text: str) -> bool:
    return any(is_emoji(ch) and ch not in "\u200d\ufe0f" for ch in text)


@functools.cache
def _system_index() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for root in _SYSTEM_DIRS:
        if not root.is_dir():
            continue
        for dirpath, _dirs, files in os.walk(root):
            for f in files:
                if f.lower().endswith((".ttf", ".otf", ".ttc")):
                    found.setdefault(f, Path(dirpath) / f)
    return found


@functools.cache
def packaged_cjk_chars() -> frozenset[str]:
    """The characters the shipped CJK font draws (empty when it is missing)."""
    listed = PACKAGED_CJK.with_suffix(".chars")
    if not (PACKAGED_CJK.is_file() and listed.is_file()):
        return frozenset()
    return frozenset(listed.read_text(encoding="utf-8"))


def _missing_from_packaged(text: str) -> list[str]:
    covered = packaged_cjk_chars()
    return sorted({ch for ch in text if ch.strip() and ch not in covered and not is_emoji(ch)})


def find_font(name: str, text: str = "") -> Path:
    """A font file for ``name`` ("sans", "serif", "mono" or a file path) that can draw ``text``."""
    if name not in _LATIN:
        path = Path(name).expanduser()
        if not path.is_file():
            raise EditError(f"font file {name} not found")
        return path
    cjk = needs_cjk(text)
    named = os.environ.get("REELCUT_FONT_CJK" if cjk else "REELCUT_FONT")
    if named and Path(named).is_file():
        return Path(named)
    index = _system_index()
    if cjk:
        missing = _missing_from_packaged(text)
        if not missing:
            return PACKAGED_CJK
        for file in _CJK:
            if file in index:
                return index[file]
        raise FontNotFoundError(
            f"the font reelcut ships cannot draw {''.join(missing[:10])}: install a full CJK font "
            "(apt install fonts-noto-cjk, or fonts-wqy-microhei) or set REELCUT_FONT_CJK to a "
            ".ttf/.otf/.ttc file"
        )
    if has_emoji(text):
        for file in _EMOJI:
            if file in index:
                return index[file]
    for file in (*_LATIN[name], *_LATIN["sans"]):
        if file in index:
            return index[file]
    if packaged_cjk_chars():
        return PACKAGED_CJK  # it has Latin-1 too: text works on a machine without fonts
    raise FontNotFoundError(
        "no font found for on-screen text: install one (apt install fonts-dejavu-core) "
        "or set REELCUT_FONT to a .ttf/.otf file"
    )
