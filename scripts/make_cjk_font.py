"""Build the small CJK font reelcut ships, so Chinese titles work right after ``pip install``.

A subset of Noto Sans CJK SC Regular (SIL Open Font License 1.1) to the characters people write
in titles: every character of GB 2312 (6,763 hanzi: simplified Chinese in everyday use), the
5,401 frequently used traditional characters of Big5's first level, Japanese kana, CJK and
full-width punctuation, Latin-1. Renamed (the OFL asks a modified font not to use the
original's name) and written with the list of characters it covers, which
:mod:`reelcut.render.fonts` reads to decide whether a text can be drawn with it.

Run by hand when the character set changes (needs fonttools, in the ``dev`` extra)::

    python scripts/make_cjk_font.py NotoSansCJKsc-Regular.otf

The source is the upstream font (Debian's fonts-noto-cjk, or github.com/notofonts/noto-cjk).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

OUT = Path(__file__).resolve().parents[1] / "src" / "reelcut" / "render" / "fontdata"
NAME = "Reelcut CJK"
FILE = "ReelcutCJK-Regular.otf"


def _codec_chars(codec: str, lead: range, trail: range) -> set[str]:
    chars = set()
    for a in lead:
        for b in trail:
            try:
                chars.add(bytes([a, b]).decode(codec))
            except UnicodeDecodeError:
                continue
    return chars


def wanted() -> set[str]:
    ranges = [
        (0x20, 0x7E),  # ASCII
        (0xA0, 0xFF),  # Latin-1
        (0x2010, 0x2027),  # dashes, quotes, ellipsis
        (0x2030, 0x203A),
        (0x3000, 0x303F),  # CJK symbols and punctuation
        (0x3040, 0x30FF),  # hiragana, katakana
        (0xFF01, 0xFF5E),  # full-width forms
        (0xFFE0, 0xFFE6),
    ]
    chars = {chr(c) for a, b in ranges for c in range(a, b + 1)}
    chars |= _codec_chars("gb2312", range(0xB0, 0xF8), range(0xA1, 0xFF))  # GB 2312 hanzi
    chars |= _codec_chars("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)])
    return chars


def main(source: Path) -> None:
    font = TTFont(source)
    covered = set(chr(c) for c in font.getBestCmap())
    chars = sorted(wanted() & covered)
    options = subset.Options()
    options.hinting = False
    options.layout_features = ["kern", "palt", "halt", "liga", "locl"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    options.notdef_outline = True
    sub = subset.Subsetter(options)
    sub.populate(unicodes=[ord(c) for c in chars])
    sub.subset(font)
    for record in font["name"].names:
        if record.nameID in (1, 4):
            record.string = f"{NAME} Regular" if record.nameID == 4 else NAME
        elif record.nameID in (3, 6):
            record.string = "ReelcutCJK-Regular"
    font["CFF "].cff.fontNames = ["ReelcutCJK-Regular"]
    OUT.mkdir(parents=True, exist_ok=True)
    font.save(OUT / FILE)
    (OUT / "ReelcutCJK-Regular.chars").write_text("".join(chars), encoding="utf-8")
    print(f"{OUT / FILE}: {len(chars)} characters, {(OUT / FILE).stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
