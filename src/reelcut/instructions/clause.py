"""Reading a chat message into clauses: the part of the parser every edit family shares.

Quoted text ("...", “...”, 《...》, 「...」) is set aside first so that titles keep their words;
the message is cut into clauses at punctuation and at "and"/"然后"/"再" followed by a verb; each
clause is folded (lower case, number words as digits) and its slots are found once: lengths,
percentages and clip references ("the second clip", "第3个", "the last one"). The readers in
:mod:`reelcut.instructions.readers` then take the slots they use from the :class:`Clause`, so a
"3 seconds" that belongs to a title never becomes the reel's length.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reelcut.durations import Found, find_durations
from reelcut.instructions import lexicon
from reelcut.instructions.numbers import find_percents, normalize_numbers
from reelcut.timeline.model import Draft

Request = dict[str, Any]

_QUOTES = re.compile(
    r'"([^"]+)"|“([^”]+)”|《([^》]+)》|「([^」]+)」|『([^』]+)』|‘([^’]+)’|＂([^＂]+)＂'
    r"|(?:(?<=^)|(?<=[\s:：(（]))'([^']+)'(?=$|[\s,.;!?，。；！？)）])"
)
_MARK = "\ue000"
PLACE = re.compile(f"{_MARK}(.){_MARK}")
_CJK = re.compile(r"[\u3400-\u9fff]")
_EN_WORDS = re.compile(r"[A-Za-z]+")


def _quote_mark(i: int) -> str:
    return f"{_MARK}{chr(0xE100 + i)}{_MARK}"


def quote_index(mark: str) -> int:
    return ord(mark) - 0xE100


def set_quotes_aside(message: str) -> tuple[str, list[str]]:
    """``message`` with each quotation replaced by a mark, and the quoted words in order."""
    quotes: list[str] = []

    def keep_quote(m: re.Match[str]) -> str:
        quotes.append(next(g for g in m.groups() if g is not None).strip())
        return f" {_quote_mark(len(quotes) - 1)} "

    return _QUOTES.sub(keep_quote, message), quotes


def put_quotes_back(raw: str, quotes: list[str]) -> str:
    return PLACE.sub(lambda m: f'"{quotes[quote_index(m.group(1))]}"', raw)


def _split_pattern() -> re.Pattern[str]:
    verbs = "|".join(re.escape(v) for v in lexicon.EN_VERBS)
    zh = lexicon.ZH_VERBS
    return re.compile(
        r"[,;!?，；！？。、\n]+(?!\s*\d)|\.(?!\d)"
        r"|\b(?:and then|then|also|plus|after that|afterwards)\b"
        rf"|\band\b(?=\s+(?:{verbs})\b|\s*[\u3400-\u9fff])"
        rf"|然后|接着|并且|同时|另外|还要|之后再|(?=再[{zh}])|(?<=\S)(?:并|和|跟)(?=[{zh}])",
        re.IGNORECASE,
    )


_SPLIT = _split_pattern()
# a clause that only finishes the one before it ("..., 显示3秒", "..., saying 'Derby Day'")
_TAIL = re.compile(
    r"^(?:显示|持续|停留|保持|写着|内容是|文字是|for\b|lasting\b|saying\b|that says\b|reading\b)",
    re.IGNORECASE,
)
_SCRIPT_EDGE = re.compile(r"(?<=[\u3400-\u9fff])(?=[A-Za-z])|(?<=[A-Za-z])(?=[\u3400-\u9fff])")


def language(text: str) -> str:
    """ "zh" when Chinese characters outnumber English words, else "en"."""
    cjk = len(_CJK.findall(text))
    return "zh" if cjk and cjk >= len(_EN_WORDS.findall(text)) else "en"


def reply_language(text: str, preferred: str | None = None) -> str:
    """The language ("en" or "zh") to answer ``text`` in: the message's own when it has words
    (Chinese characters, or an English word of two letters or more), whatever a session was
    created with, as the skill promises ("reply in the user's language"); ``preferred`` (a
    session's language as clients send it: "zh", "zh-CN", "zh_Hans", "en-US"...) only decides
    for a message without words ("9:16", "60s", an emoji). Anything but Chinese is English."""
    if _CJK.search(text) or re.search(r"[A-Za-z]{2}", text):
        return language(text)
    tag = re.split(r"[-_]", (preferred or "").strip().lower(), maxsplit=1)[0]
    return "zh" if tag in ("zh", "cmn") else "en"


def split_clauses(text: str) -> list[str]:
    """The clauses of ``text`` as typed; a piece that only finishes the one before it (a length,
    "saying ...") stays with it."""
    raws: list[str] = []
    for piece in _SPLIT.split(text):
        piece = (piece or "").strip()
        if piece and raws and (_TAIL.match(piece) or _only_a_length(piece)):
            raws[-1] = f"{raws[-1]} {piece}"
        elif piece:
            raws.append(piece)
    return raws


def _only_a_length(piece: str) -> bool:
    """Whether ``piece`` is only a length ("1 second", "3秒", "for 2 minutes")."""
    folded = fold(piece)
    durations = find_durations(folded)
    for d in reversed(durations):
        folded = folded[: d.start] + folded[d.end :]
    return bool(durations) and not re.sub(
        r"\b(?:for|about|around|long|lasting)\b|钟|左右|\W", "", folded
    )


def fold(raw: str) -> str:
    """Lower case, one spelling per key word ("lo-fi", "slo-mo"), number words as digits."""
    text = _SCRIPT_EDGE.sub(" ", raw.lower())
    text = re.sub(r"\blo[\s-]?fi\b", "lofi", text)
    text = re.sub(r"\bhip[\s-]hop\b", "hiphop", text)
    text = re.sub(r"\bslow[\s-]?mo(?:tion)?\b|\bslo[\s-]?mo\b", "slow motion", text)
    text = re.sub(r"\bcross[\s-]fade", "crossfade", text)
    return normalize_numbers(text)


# -- clip references --------------------------------------------------------------------------

_ORDINALS = "first second third fourth fifth sixth seventh eighth ninth tenth".split()
_NUMBER_WORDS = "one two three four five six seven eight nine ten".split()


@dataclass(frozen=True, slots=True)
class Ref:
    """A clip named in a clause: by number from the start, or counted from the end."""

    start: int
    end: int
    number: int | None  # 1-based from the start; None with from_end
    from_end: int = 0  # 1: the last, 2: the one before it

    def index(self, n: int | None) -> int | None:
        if self.number is not None:
            return self.number
        return None if n is None else n - self.from_end + 1


_RefValue = Callable[[re.Match[str]], tuple[int | None, int]]
_REF_PATTERNS: tuple[tuple[re.Pattern[str], _RefValue], ...] = (
    (
        re.compile(r"\bsecond[\s-](?:to[\s-])?last\b|\bpenultimate\b|\bnext[\s-]to[\s-]last\b"),
        lambda m: (None, 2),
    ),
    (re.compile(r"倒数第(\d+)(?:个|段|条)?"), lambda m: (None, int(m[1]))),
    (re.compile(r"\b(?:last|final)\b(?!\s+\d)"), lambda m: (None, 1)),
    (re.compile(r"最后(?:1)?(?:个|段|条)|最后(?=片段|镜头)|最后那?(?:一)?个"), lambda m: (None, 1)),
    (
        re.compile(rf"\b({'|'.join(_ORDINALS)})\b(?!\s+\d)"),
        lambda m: (_ORDINALS.index(m[1]) + 1, 0),
    ),
    (re.compile(r"\b(\d+)(?:st|nd|rd|th)\b"), lambda m: (int(m[1]), 0)),
    (
        re.compile(rf"\b(?:{lexicon.CLIP_NOUN}|number|no\.|#)\s*#?({'|'.join(_NUMBER_WORDS)})\b"),
        lambda m: (_NUMBER_WORDS.index(m[1]) + 1, 0),
    ),
    (
        re.compile(
            rf"(?:\b(?:{lexicon.CLIP_NOUN}|number|no\.)\s*|#)#?\s*(\d+)\b"
            r"(?!\s*(?:%|s\b|sec|min|秒|分))"
        ),
        lambda m: (int(m[1]), 0),
    ),
    (re.compile(r"第(\d+)(?:个|段|条)?"), lambda m: (int(m[1]), 0)),
    (re.compile(r"(?:片段|镜头)\s*(\d+)"), lambda m: (int(m[1]), 0)),
    (re.compile(r"(\d+)号"), lambda m: (int(m[1]), 0)),
    # the rest of a list: "clips 2 and 4", "第二个和第四个"
    (
        re.compile(
            r"(?<=\d)(?:\s*(?:,|and|&|or|和|、|与|跟)\s*)(\d+)\b(?!\s*(?:%|s\b|sec|min|秒|分|p\b))"
        ),
        lambda m: (int(m[1]), 0),
    ),
)


def _find_refs(text: str, slots: list[Found]) -> list[Ref]:
    taken = [False] * len(text)
    for d in slots:
        for k in range(d.start, d.end):
            taken[k] = True
    refs: list[Ref] = []
    for _ in range(2):  # list tails ("and 4") need the ref before them found first
        for pattern, value in _REF_PATTERNS:
            for m in pattern.finditer(text):
                span = m.span(1) if pattern is _REF_PATTERNS[-1][0] else m.span()
                if any(taken[span[0] : span[1]]):
                    continue
                for k in range(*span):
                    taken[k] = True
                number, from_end = value(m)
                refs.append(Ref(span[0], span[1], number, from_end))
    return sorted(refs, key=lambda r: r.start)


# -- one clause ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Clause:
    """One clause being read: its text as typed and folded, and the slots not yet taken."""

    raw: str  # as typed (typos mended), quotes as marks
    text: str  # lower case, numbers as digits
    quotes: list[str]
    durations: list[Found]
    percents: list[Found]
    refs: list[Ref] = field(default_factory=list)
    found: list[tuple[int, Request]] = field(default_factory=list)
    used_refs: set[int] = field(default_factory=set)

    @classmethod
    def read(cls, raw: str, quotes: list[str]) -> Clause:
        text = fold(raw)
        durations, percents = find_durations(text), find_percents(text)
        refs = _find_refs(text, durations + percents)
        return cls(raw, text, quotes, durations, percents, refs)

    def has(self, pattern: str) -> re.Match[str] | None:
        return re.search(pattern, self.text)

    def quote(self) -> str | None:
        m = PLACE.search(self.text)
        return self.quotes[quote_index(m.group(1))] if m else None

    def free_refs(self) -> list[Ref]:
        """The clip references no reader has taken yet."""
        return [r for r in self.refs if r.start not in self.used_refs]

    def take_duration(self, most_s: float | None = None) -> float | None:
        for d in self.durations:
            if most_s is None or d.value <= most_s:
                self.durations.remove(d)
                return d.value
        return None

    def take_percent(self, near: int | None = None) -> int | None:
        """The first percentage, or the one nearest ``near`` ("music 30% and original 80%")."""
        if not self.percents:
            return None
        found = self.percents[0]
        if near is not None:
            found = min(self.percents, key=lambda f: abs(f.start - near))
        self.percents.remove(found)
        return int(round(found.value))

    def direction(self, near: int) -> str | None:
        """ "louder" or "quieter", whichever is said nearest ``near``; None if neither is."""
        said = [
            (abs(m.start() - near), way)
            for pattern, way in ((lexicon.LOUDER, "louder"), (lexicon.QUIETER, "quieter"))
            for m in re.finditer(pattern, self.text)
        ]
        return min(said)[1] if said else None

    def add(self, pos: int, request: Request) -> None:
        self.found.append((pos, request))

    def requests(self) -> list[Request]:
        """What the readers found, in the order it was said."""
        return [r for _, r in sorted(self.found, key=lambda pr: pr[0])]


@dataclass(frozen=True, slots=True)
class Context:
    """What the readers may know besides the words: the draft being edited, the language."""

    draft: Draft | None
    zh: bool

    @property
    def n_clips(self) -> int | None:
        return None if self.draft is None else len(self.draft.clips)

    @property
    def music_volume(self) -> int | None:
        """The music's volume; None when the draft has none (or there is no draft)."""
        if self.draft is None or not self.draft.audio:
            return None
        return self.draft.audio[0].volume

    @property
    def has_title(self) -> bool:
        return self.draft is not None and any(t.role == "title" for t in self.draft.texts)

    def say(self, en: str, zh: str) -> str:
        return zh if self.zh else en
