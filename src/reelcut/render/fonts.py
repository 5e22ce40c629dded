"""Finding a font file for on-screen text, including one that covers Chinese.

reelcut ships no font of its own: it looks, in order, at ``REELCUT_FONT`` (and ``REELCUT_FONT_CJK``
for text with CJK characters), at the Noto CJK fonts of the optional ``reelcut[cjk]`` extra
(mplfonts), and at the usual system font folders (DejaVu, Noto, WenQuanYi, Source Han, Liberation).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from reelcut.errors import EditError, RenderError
from reelcut.render.text import is_wide

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


def needs_cjk(text: str) -> bool:
    """True when ``text`` has characters a Latin font lacks (Chinese, Japanese, Korean)."""
    return any(is_wide(ch) for ch in text)


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


def _packaged_cjk() -> Path | None:
    try:
        import mplfonts  # type: ignore[import-not-found]
    except ImportError:
        return None
    path = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
    return path if path.is_file() else None


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
        packaged = _packaged_cjk()
        if packaged:
            return packaged
        for file in _CJK:
            if file in index:
                return index[file]
        raise RenderError(
            "no font with Chinese/Japanese/Korean characters found: install one "
            "(apt install fonts-noto-cjk or fonts-wqy-microhei, or pip install 'reelcut[cjk]') "
            "or set REELCUT_FONT_CJK to a .ttf/.otf/.ttc file"
        )
    for file in (*_LATIN[name], *_LATIN["sans"], *_CJK):
        if file in index:
            return index[file]
    if index:
        return next(iter(index.values()))
    raise RenderError(
        "no font found for on-screen text: install one (apt install fonts-dejavu-core) "
        "or set REELCUT_FONT to a .ttf/.otf file"
    )
