"""Numbers and percentages in English and Chinese, as they are typed in chat.

Everything here works on text that :func:`normalize_numbers` has already rewritten, where number
words in front of a unit are digits ("two minutes" -> "2 minutes", "两分钟" -> "2分钟",
"百分之三十五" -> "35%"). Finders return spans so the parser can tell which words a slot used;
lengths are found by :func:`reelcut.durations.find_durations`, the package's one duration parser.
"""

from __future__ import annotations

import re

from reelcut.durations import Found, Pattern, find_all

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUM = "[零〇一二两三四五六七八九十百千]+"


def cn_to_int(text: str) -> int:
    """``"二十五"`` -> 25, ``"十"`` -> 10, ``"一百二十"`` -> 120, ``"两"`` -> 2."""
    total, digit = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (digit or 1) * _CN_UNITS[ch]
            digit = 0
    return total + digit


_EN_SMALL = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
             "fourteen fifteen sixteen seventeen eighteen nineteen").split()  # fmt: skip
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
            "eighty": 80, "ninety": 90}  # fmt: skip
_EN_VALUE = {w: i for i, w in enumerate(_EN_SMALL)} | _EN_TENS | {"a": 1, "an": 1}
_EN_WORD = "|".join(sorted(_EN_VALUE, key=len, reverse=True))
_EN_NUMBER = re.compile(
    rf"\b(?:({'|'.join(_EN_TENS)})[\s-]({'|'.join(_EN_SMALL[1:10])})|({_EN_WORD}))\b"
    r"(?=[\s-]*(?:and a half\s+)?(?:minutes?|mins?|seconds?|secs?|hours?|percent|%))"
)
_CN_UNIT_AFTER = "(?=\\s*(?:分钟|分|秒|毫秒|小时|个|段|号|条|倍|遍|帧|%|p\\b|P\\b))"
_CN_PATTERNS = (
    re.compile(f"百分之({CN_NUM}|\\d+)"),
    re.compile(f"(?<=第)({CN_NUM})"),
    re.compile(f"(?<=片段|镜头|音量)\\s*({CN_NUM})"),
    re.compile(f"({CN_NUM}){_CN_UNIT_AFTER}"),
)


def normalize_numbers(text: str) -> str:
    """Number words before a unit become digits, in both languages (see the module doc)."""

    def en(m: re.Match[str]) -> str:
        if m.group(3):
            return str(_EN_VALUE[m.group(3)])
        return str(_EN_TENS[m.group(1)] + _EN_SMALL.index(m.group(2)))

    text = re.sub(r"\bhalf an? (minute|second|hour)", r"half-\1", text)
    text = re.sub(r"\ban? second(?=\s+(?!and\b|or\b|long\b|for\b|of\b)[a-z])", "another", text)
    text = _EN_NUMBER.sub(en, text)
    text = _CN_PATTERNS[0].sub(
        lambda m: f"{m.group(1) if m.group(1).isdigit() else cn_to_int(m.group(1))}%", text
    )
    for pattern in _CN_PATTERNS[1:]:
        text = pattern.sub(lambda m: str(cn_to_int(m.group(1))), text)
    return text


_NUM = r"(\d+(?:\.\d+)?)"
_PERCENTS: tuple[Pattern, ...] = (
    (re.compile(rf"{_NUM}\s*(?:%|percent\b|pct\b)"), lambda m: float(m[1])),
    (
        re.compile(
            rf"(?:volume|level|音量)\s*(?:to|at|of|=|:|调到|调成|设为|设成|改成|改为|到|为)?\s*{_NUM}(?![\d.]|\s*(?:s\b|秒|x\b))"
        ),
        lambda m: float(m[1]),
    ),
)


def find_percents(text: str) -> list[Found]:
    """Volumes and shares: "35%", "35 percent", "volume 60", "音量60" (after normalizing)."""
    return find_all(text, _PERCENTS)
