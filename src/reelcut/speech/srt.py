"""SubRip (SRT) read back: the cues a person fixed in a subtitle editor, as captions.

``reelcut captions --srt`` writes a reel's captions as SRT in reel time; people open it, fix the
names the recogniser misheard and bring it back (``captions --import-srt``, the ``import_srt``
edit). Reading is strict where a wrong guess would put words at the wrong time (a broken time
line, an end before its start) and lenient where editors differ (a byte-order mark, CRLF, a
missing or wrong cue number, ``.`` for ``,`` in times, markup tags, extra blank lines).
"""

from __future__ import annotations

import re

from reelcut.errors import SubtitleFileError
from reelcut.speech.captions import Caption

_TIME = r"(\d{1,3}):([0-5]\d):([0-5]\d)[,.](\d{1,3})"
_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}(?:\s+.*)?$")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|\{\\[^}]*\}")  # <i>, <font ...>, {\an8}
MAX_CUES = 20_000


def _ms(h: str, m: str, s: str, frac: str) -> int:
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(frac.ljust(3, "0"))


def read_srt(text: str) -> list[Caption]:
    """The cues of SRT ``text`` in time order. Raises :class:`SubtitleFileError` (4014) saying
    which cue is wrong, or when there is no cue at all."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    blocks = [b for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    if not blocks:
        raise SubtitleFileError("the subtitle file is empty: no cue to read")
    if len(blocks) > MAX_CUES:
        raise SubtitleFileError(f"the subtitle file has {len(blocks)} cues, more than {MAX_CUES}")
    cues: list[Caption] = []
    for n, block in enumerate(blocks, 1):
        lines = block.split("\n")
        if lines and lines[0].strip().isdigit():
            lines = lines[1:]
        timing = _TIMING.match(lines[0]) if lines else None
        if timing is None:
            shown = (lines[0] if lines else block).strip()[:60]
            raise SubtitleFileError(
                f"cue {n} of the subtitle file has no time line like "
                f"'00:00:01,000 --> 00:00:02,500' (found {shown!r}): is it SRT?"
            )
        g = timing.groups()
        start, end = _ms(*g[:4]), _ms(*g[4:])
        if end <= start:
            raise SubtitleFileError(f"cue {n} of the subtitle file ends before it starts")
        words = "\n".join(" ".join(_TAG.sub("", ln).split()) for ln in lines[1:]).strip()
        if not words:
            raise SubtitleFileError(f"cue {n} of the subtitle file has no words")
        cues.append(Caption(start, end, words))
    return sorted(cues, key=lambda c: (c.start_ms, c.end_ms))
