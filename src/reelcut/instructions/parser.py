"""Chat messages to edit requests, in English and Chinese, without a language model.

``parse("make it vertical for Reels and add lofi music at 35%")`` gives the requests of
:mod:`reelcut.project.requests` in the order they were said::

    [{"op": "set_format", "aspect": "9:16"}, {"op": "music", "what": "lofi", "volume": 35}]

How it reads a message: quoted text ("...", “...”, 《...》, 「...」) is set aside first so that
titles keep their words; misspelt key words are mended (difflib); the message is cut into
clauses at punctuation and at "and"/"然后"/"再" followed by a verb; number words before a unit
become digits; then each kind of edit looks for its words in each clause and takes the slots
(lengths, percentages, clip numbers) it uses, so a "3 seconds" that belongs to a title never
becomes the reel's length.

Besides the shared vocabulary it emits one request of its own, ``focus`` (what the reel should
be about), which selection will read::

    {"op": "focus", "kind": "crowd" | "speech" | "action" | "keyword", "keyword": str | None}

``crowd``: loud crowd moments (cheers, applause); ``speech``: where people talk; ``action``:
movement, with ``keyword`` naming an event when one was said ("only the goals" -> "goal");
``keyword``: where the word ``keyword`` is spoken ("when someone says touchdown").

With a draft, relative requests become numbers ("louder music" from the draft's volume, "make it
shorter" to 75% of its length, "the last clip" to its number); without one, what cannot be
decided becomes a question.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from reelcut.instructions import lexicon
from reelcut.instructions.numbers import Found, find_durations, find_percents, normalize_numbers
from reelcut.timeline.model import Draft

Request = dict[str, Any]

FOCUS_KINDS = ("crowd", "speech", "action", "keyword")
SHORTER_SHARE = 0.75  # "make it shorter" with no number: three quarters of the current length
LONGER_SHARE = 1.25
MUSIC_VOLUME = 35  # the music op's default, used as the base when there is no draft
MIN_LENGTH_S, MAX_LENGTH_S = 5, 3600


@dataclass(frozen=True, slots=True)
class Parse:
    """What a message asks for.

    ``requests`` are in the order said. ``question`` is one short question to ask when part of
    the message could not be decided (the requests hold what could). ``unknown`` is set, with a
    suggestion of what can be asked, when nothing at all was understood. ``ignored`` lists
    clauses that were not understood although others were.
    """

    requests: list[Request] = field(default_factory=list)
    language: str = "en"
    question: str | None = None
    unknown: str | None = None
    ignored: tuple[str, ...] = ()

    @property
    def focus(self) -> list[Request]:
        return [r for r in self.requests if r["op"] == "focus"]

    @property
    def edits(self) -> list[Request]:
        """The requests :func:`reelcut.project.requests.resolve` takes (all but ``focus``)."""
        return [r for r in self.requests if r["op"] != "focus"]

    def batch(self) -> Request | None:
        """The edits as one request (one undo step), or None when there are none."""
        edits = self.edits
        if not edits:
            return None
        return edits[0] if len(edits) == 1 else {"op": "batch", "ops": edits}


# -- reading the message ----------------------------------------------------------------------

_QUOTES = re.compile(
    r'"([^"]+)"|“([^”]+)”|《([^》]+)》|「([^」]+)」|『([^』]+)』|‘([^’]+)’|＂([^＂]+)＂'
    r"|(?:(?<=^)|(?<=[\s:：(（]))'([^']+)'(?=$|[\s,.;!?，。；！？)）])"
)
_MARK = "\ue000"
_PLACE = re.compile(f"{_MARK}(.){_MARK}")
_CJK = re.compile(r"[\u3400-\u9fff]")
_EN_WORDS = re.compile(r"[A-Za-z]+")


def _quote_mark(i: int) -> str:
    return f"{_MARK}{chr(0xE100 + i)}{_MARK}"


def _quote_index(mark: str) -> int:
    return ord(mark) - 0xE100


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


def _language(text: str) -> str:
    cjk = len(_CJK.findall(text))
    return "zh" if cjk and cjk >= len(_EN_WORDS.findall(text)) else "en"


@dataclass(slots=True)
class _Clause:
    """One clause being read: its text as typed and folded, and the slots not yet taken."""

    raw: str  # as typed (typos mended), quotes as marks
    text: str  # lower case, numbers as digits
    quotes: list[str]
    durations: list[Found]
    percents: list[Found]
    found: list[tuple[int, Request]] = field(default_factory=list)
    used_refs: set[int] = field(default_factory=set)

    def has(self, pattern: str) -> re.Match[str] | None:
        return re.search(pattern, self.text)

    def quote(self) -> str | None:
        m = _PLACE.search(self.text)
        return self.quotes[_quote_index(m.group(1))] if m else None

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
            for pattern, way in ((_LOUDER, "louder"), (_QUIETER, "quieter"))
            for m in re.finditer(pattern, self.text)
        ]
        return min(said)[1] if said else None

    def add(self, pos: int, request: Request) -> None:
        self.found.append((pos, request))


_SCRIPT_EDGE = re.compile(r"(?<=[\u3400-\u9fff])(?=[A-Za-z])|(?<=[A-Za-z])(?=[\u3400-\u9fff])")
# a clause that only finishes the one before it ("..., 显示3秒", "..., saying 'Derby Day'")
_TAIL = re.compile(
    r"^(?:显示|持续|停留|保持|写着|内容是|文字是|for\b|lasting\b|saying\b|that says\b|reading\b)",
    re.IGNORECASE,
)


def _only_a_length(piece: str) -> bool:
    """Whether ``piece`` is only a length ("1 second", "3秒", "for 2 minutes")."""
    folded = _fold(piece)
    durations = find_durations(folded)
    for d in reversed(durations):
        folded = folded[: d.start] + folded[d.end :]
    return bool(durations) and not re.sub(
        r"\b(?:for|about|around|long|lasting)\b|钟|左右|\W", "", folded
    )


def _fold(raw: str) -> str:
    text = _SCRIPT_EDGE.sub(" ", raw.lower())
    text = re.sub(r"\blo[\s-]?fi\b", "lofi", text)
    text = re.sub(r"\bhip[\s-]hop\b", "hiphop", text)
    text = re.sub(r"\bslow[\s-]?mo(?:tion)?\b|\bslo[\s-]?mo\b", "slow motion", text)
    text = re.sub(r"\bcross[\s-]fade", "crossfade", text)
    return normalize_numbers(text)


@dataclass(frozen=True, slots=True)
class _Context:
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


# -- clip references --------------------------------------------------------------------------

_ORDINALS = "first second third fourth fifth sixth seventh eighth ninth tenth".split()
_NUMBER_WORDS = "one two three four five six seven eight nine ten".split()
_CLIP_NOUN = r"clips?|shots?|scenes?|segments?|片段|镜头"


@dataclass(frozen=True, slots=True)
class _Ref:
    start: int
    end: int
    number: int | None  # 1-based from the start; None with from_end
    from_end: int = 0  # 1: the last, 2: the one before it

    def index(self, n: int | None) -> int | None:
        if self.number is not None:
            return self.number
        return None if n is None else n - self.from_end + 1


_REF_PATTERNS: tuple[tuple[re.Pattern[str], Any], ...] = (
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
        re.compile(rf"\b(?:{_CLIP_NOUN}|number|no\.|#)\s*#?({'|'.join(_NUMBER_WORDS)})\b"),
        lambda m: (_NUMBER_WORDS.index(m[1]) + 1, 0),
    ),
    (
        re.compile(
            rf"(?:\b(?:{_CLIP_NOUN}|number|no\.)\s*|#)#?\s*(\d+)\b(?!\s*(?:%|s\b|sec|min|秒|分))"
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


def _refs(clause: _Clause) -> list[_Ref]:
    text = clause.text
    taken = [False] * len(text)
    for d in clause.durations + clause.percents:
        for k in range(d.start, d.end):
            taken[k] = True
    refs: list[_Ref] = []
    for _ in range(2):  # list tails ("and 4") need the ref before them found first
        for pattern, value in _REF_PATTERNS:
            for m in pattern.finditer(text):
                span = m.span(1) if pattern.groups and pattern is _REF_PATTERNS[-1][0] else m.span()
                if any(taken[span[0] : span[1]]):
                    continue
                for k in range(*span):
                    taken[k] = True
                number, from_end = value(m)
                refs.append(_Ref(span[0], span[1], number, from_end))
    return sorted(refs, key=lambda r: r.start)


# -- the edits ----------------------------------------------------------------------------------

_REMOVE = (
    r"\b(?:remove|delete|drop|get rid of|take (?:off|out|away)|lose|hide|clear|kill|erase|ditch"
    r"|cut out|without|no|don't want|do not want|turn off|switch off|disable|stop)\b"
    r"|去掉|删掉|删除|删了|不要|移除|取消|拿掉|去除|关掉|关闭|清除|隐藏|砍掉"
)
_CHANGE = r"\b(?:change|rename|edit|update|replace|switch|fix|make the title)\b|改|换|更改|修改|设为|设成|叫"
_ADD = r"\b(?:add|put|insert|give|include|create|with)\b|加|添加|加上|放"
_MUSIC = r"\bmusic\b|\bsongs?\b|\bsoundtrack\b|\bbgm\b|\btunes?\b|\bbeats?\b|音乐|配乐|背景乐|曲子|歌曲|\bsong\b|歌"
_ORIGINAL = (
    r"\boriginal\b(?!\s+(?:aspect|shape|ratio|format|size))"
    r"|\b(?:source|game|clip|video|camera|natural|live|ambient|crowd|stadium|footage)"
    r"(?:'s)?\s+(?:audio|sound|noise)s?\b|\bbackground noise\b|\bcommentary\b|\bcommentator\b"
    r"|\bvoices?\b|\baudio\b|\bsound\b|\bcrowd\b|原声|原音|原视频的?声音|现场声|视频的?声音|解说|人声|环境声"
    r"|原始音频|声音"
)
_LOUDER = (
    r"\blouder\b|\bturn (?:it |the \w+ )?up\b|\braise\b|\bincrease\b|\bboost\b|\bmore volume\b"
    r"|\bhigher\b|大声|大一点|大点|大些|响一点|响点|调高|调大|提高|加大|增大|大一些"
)
_QUIETER = (
    r"\bquieter\b|\bsofter\b|\bturn (?:it |the \w+ )?down\b|\blower\b|\bdecrease\b|\breduce\b"
    r"|\bless volume\b|\bquieten\b|小声|小一点|小点|小些|轻一点|轻点|调低|调小|降低|减小|低一点|小一些"
)
_MUTE = r"\bmute\b|\bsilence\b|静音|消音"
_UNMUTE = r"\bunmute\b|\brestore\b|\bbring back\b|\bturn on\b|\bback on\b|恢复|打开|开启|取消静音"


def _round5(v: float) -> int:
    return int(5 * round(v / 5))


def _relative(base: int, louder: bool, much: bool) -> int:
    if louder:
        return min(400, max(base + 10, _round5(base * (2.0 if much else 1.5))))
    return max(0, min(base - 10, _round5(base * (0.4 if much else 0.6))))


def _text_after(raw: str, pattern: str) -> str | None:
    """Unquoted words after ``pattern`` ("title to Derby Day" -> "Derby Day"), tidied."""
    m = re.search(pattern + r"\s*(?P<t>\S.*)$", raw, re.IGNORECASE)
    if not m:
        return None
    text = m.group("t")
    text = re.sub(
        r"\s+(?:for|lasting|over)\s+\S+\s*(?:seconds?|secs?|s)\b.*$"
        r"|\s+(?:at|in|on) the (?:start|beginning|end)\b.*$"
        r"|\s*(?:显示|持续|停留|保持|时长)?\s*[\d零一二两三四五六七八九十半]+\s*秒钟?.*$"
        r"|(?:吧|呢|啊|哦|。|\.)+$",
        "",
        text,
        flags=re.IGNORECASE,
    ).strip(" \t:：,，")
    if not text or _PLACE.search(text):
        return None
    return text


def _title(c: _Clause, ctx: _Context) -> None:
    m = c.has(
        r"\btitle[sd]?\b|\bheadline\b|\bheading\b|\bcall it\b|\bname it\b|标题|片名|题目|视频名"
    )
    if not m or c.has(r"\btitle card\b|\bsubtitles?\b|副标题") or c.has(r"\bintro\b|片头"):
        return
    if c.has(_REMOVE):
        c.add(m.start(), {"op": "remove_text", "role": "title"})
        return
    text = c.quote()
    if text is None:
        text = _text_after(
            c.raw,
            r"(?:\btitle[sd]?\s*(?:to|as|:|=|is|saying|that says|reading|called|named|should say"
            r"|should be)|\btitled|\bcall it|\bname it|\brename it(?: to)?"
            r"|(?:标题|片名|题目)\s*(?:改成|改为|换成|设为|设成|设置为|叫做|叫|是|为|:|写))",
        )
    seconds = c.take_duration(most_s=60)
    if text is None:
        if seconds is not None and ctx.has_title:
            c.add(
                m.start(), {"op": "edit_text", "role": "title", "duration_ms": int(seconds * 1000)}
            )
        else:
            c.add(m.start(), {"op": "title", "text": ""})  # dropped below with a question
        return
    change = c.has(_CHANGE) and not c.has(r"\badd\b|添加|加上|加个|加一个")
    if (change and (ctx.draft is None or ctx.has_title)) or (ctx.has_title and not c.has(_ADD)):
        request: Request = {"op": "edit_text", "role": "title", "text": text}
        if seconds is not None:
            request["duration_ms"] = int(seconds * 1000)
    else:
        request = {"op": "title", "text": text}
        if seconds is not None:
            request["seconds"] = seconds if seconds % 1 else int(seconds)
    c.add(m.start(), request)


_INTRO = r"\bintro(?:duction)?\b|\bopening (?:card|screen|title)\b|\btitle card\b|\bstart card\b|片头|开场|开头卡片|封面"
_OUTRO = r"\boutro\b|\bend(?:ing)? (?:card|screen|slate)\b|\bclosing (?:card|screen)\b|片尾|结尾卡片|结束卡片|结束画面"


def _cards(c: _Clause, ctx: _Context) -> None:
    for pattern, where in ((_INTRO, "intro"), (_OUTRO, "outro")):
        m = c.has(pattern)
        if not m:
            continue
        if c.has(_REMOVE):
            clips = ctx.draft.clips if ctx.draft is not None else ()
            at = 1 if where == "intro" else len(clips)
            if clips and clips[at - 1].role == "card":
                c.add(m.start(), {"op": "remove_clip", "index": at})
            else:
                c.add(m.start(), {"op": "question", "text": ctx.say(
                    f"I don't see an {where} card in the reel. Which clip should I remove?",
                    f"视频里没有{'片头' if where == 'intro' else '片尾'}卡片。要删除哪个片段？",
                )})  # fmt: skip
            continue
        text = c.quote()
        if text is None:
            text = _text_after(
                c.raw,
                r"(?:\bsaying|\bthat says|\bwith the (?:text|words)|\breading|\bwith|:"
                r"|写着|内容是|文字是|文字|显示|写)",
            )
        request: Request = {"op": "add_card", "where": where, "text": text or ""}
        seconds = c.take_duration(most_s=15)
        if seconds is not None:
            request["duration_ms"] = int(seconds * 1000)
        c.add(m.start(), request)


def _transition(c: _Clause, ctx: _Context) -> None:
    kinds = (
        (
            r"\bfade (?:to|through|into) black\b|\bdip to black\b|\bblack fades?\b|黑场|渐黑|闪黑|淡出到黑",
            "fade_black",
        ),
        (
            r"\bhard cuts?\b|\bstraight cuts?\b|\bjump cuts?\b|\bno transitions?\b|\bplain cuts?\b|硬切|直接切|不要转场|无转场",
            "cut",
        ),
        (
            r"\bcrossfades?\b|\bdissolves?\b|\bfades? between\b|\bsmooth transitions?\b|淡入淡出|交叉淡化|叠化|溶解|渐变",
            "crossfade",
        ),
        (r"\btransitions?\b|转场|过渡", "crossfade"),
        (r"\bfades?\b", "crossfade"),
    )
    for pattern, kind in kinds:
        m = c.has(pattern)
        if not m:
            continue
        if kind == "crossfade" and pattern.startswith(r"\bfades?") and c.has(_MUSIC):
            return  # "fade the music out" is the music's
        if kind == "crossfade" and pattern.startswith(r"\btransitions") and c.has(_REMOVE):
            kind = "cut"
        request: Request = {"op": "set_transition", "kind": kind}
        if kind != "cut":
            seconds = c.take_duration(most_s=5)
            request["duration_ms"] = int(seconds * 1000) if seconds is not None else 500
        c.add(m.start(), request)
        return


def _slow_motion(c: _Clause, ctx: _Context, refs: list[_Ref]) -> None:
    m = c.has(
        r"\bslow motion\b|\breplay\b|\bhalf[\s-]speed\b|\bquarter[\s-]speed\b|\bslow(?:ed)? (?:it )?down\b"
        r"|慢动作|慢放|慢镜头|回放|慢速|半速"
    )
    if not m:
        return
    if c.has(_REMOVE):
        clips = ctx.draft.clips if ctx.draft is not None else ()
        replays = [k + 1 for k, clip in enumerate(clips) if clip.role == "replay"]
        for k in reversed(replays):
            c.add(m.start(), {"op": "remove_clip", "index": k})
        if not replays:
            c.add(m.start(), {"op": "question", "text": ctx.say(
                "I don't see a slow-motion replay in the reel. Which clip should I remove?",
                "视频里没有慢动作回放。要删除哪个片段？",
            )})  # fmt: skip
        return
    request: Request = {"op": "slow_motion"}
    free = [r for r in refs if r.start not in c.used_refs]
    if free:
        c.used_refs.add(free[0].start)
        index = free[0].index(ctx.n_clips)
        if index is None:
            c.add(m.start(), _which_clip(ctx, "replay"))
            return
        request["index"] = index
    if c.has(r"\bquarter\b|0?\.25\s*x|四分之一"):
        request["speed"] = 0.25
    elif c.has(r"\bhalf\b|0?\.5\s*x|半速|一半"):
        request["speed"] = 0.5
    else:
        speed = re.search(r"(0?\.\d+)\s*x\b|(\d+)%\s*(?:speed|速度)", c.text)
        if speed:
            request["speed"] = float(speed[1]) if speed[1] else int(speed[2]) / 100
            if speed[2]:
                c.take_percent()
    seconds = c.take_duration(most_s=10)
    if seconds is not None:
        request["seconds"] = seconds if seconds % 1 else int(seconds)
    c.add(m.start(), request)


def _trim(c: _Clause, ctx: _Context, refs: list[_Ref]) -> None:
    verb = c.has(
        r"\btrim\b|\bcut\b|\bshorten\b|\bshave\b|\bchop\b|\bsnip\b|\bextend\b|\blengthen\b"
        r"|\blonger\b|\bshorter\b|\btighten\b|剪掉|剪短|裁掉|砍掉|缩短|减掉|延长|加长|长一点|短一点|多留|剪"
    )
    free = [r for r in refs if r.start not in c.used_refs]
    if not verb or not free:
        return
    longer = bool(c.has(r"\bextend\b|\blengthen\b|\blonger\b|延长|加长|长一点|多留"))
    amounts = list(c.durations)
    said = bool(amounts) or bool(
        c.has(
            r"\bshorten\b|\bshorter\b|\bextend\b|\blengthen\b|\blonger\b|剪短|缩短|延长|加长|长一点|短一点"
        )
    )
    if not said:
        return  # "cut clip 2" removes it
    c.used_refs.add(free[0].start)
    index = free[0].index(ctx.n_clips)
    head_words = r"\b(?:start|beginning|front|head|opening)\b|\bfirst\s+\d|开头|前面|开始|头部|前\d"
    tail_words = r"\b(?:end|ending|tail|back)\b|\blast\s+\d|结尾|后面|末尾|尾部|最后\d|后\d"
    head_m, tail_m = c.has(head_words), c.has(tail_words)
    ms = [int(a.value * 1000) for a in amounts] or [1000]
    c.durations.clear()
    sign = -1 if longer else 1
    head = tail = 0
    if head_m and tail_m and len(ms) > 1:
        first_head = head_m.start() < tail_m.start()
        head, tail = (ms[0], ms[1]) if first_head else (ms[1], ms[0])
    elif head_m and not tail_m:
        head = ms[0]
    else:
        tail = ms[0]
    if index is None:
        c.add(verb.start(), _which_clip(ctx, "trim"))
        return
    c.add(
        verb.start(),
        {"op": "trim_clip", "index": index, "head_ms": sign * head, "tail_ms": sign * tail},
    )


def _which_clip(ctx: _Context, what: str) -> Request:
    n = ctx.n_clips
    zh_what = {
        "remove": "删除",
        "replace": "替换",
        "move": "移动",
        "trim": "修剪",
        "replay": "慢放",
    }[what]
    if n:
        return {"op": "question", "text": ctx.say(
            f"Which clip should I {what}? The reel has {n} clip{'s' * (n != 1)} (1-{n}).",
            f"要{zh_what}哪个片段？目前有{n}个片段（1-{n}）。",
        )}  # fmt: skip
    return {"op": "question", "text": ctx.say(
        f"Which clip should I {what}? Say its number, e.g. \"the second clip\".",
        f"要{zh_what}哪个片段？请说编号，例如“第二个片段”。",
    )}  # fmt: skip


def _clips(c: _Clause, ctx: _Context, refs: list[_Ref]) -> None:
    free = [r for r in refs if r.start not in c.used_refs]
    n = ctx.n_clips
    swap = c.has(r"\bswap\b(?!\s+out)|\bswitch\b(?!\s+out)|\bexchange\b|交换|调换|对调|互换")
    move = c.has(
        r"\bmove\b|\bput\b|\bplace\b|\bbring\b|\bshift\b|\breorder\b"
        r"|移到|放到|挪到|调到|放在|移动到|挪|移"
    )
    replace_ = c.has(
        r"\breplace\b|\bswap out\b|\bswitch out\b|\bchange\b|\bnext best\b|\banother\b"
        r"|\bsomething else\b|\bdifferent\b|\b(?:don't|do not|dont) like\b|\bhate\b|\bboring\b"
        r"|换掉|替换|换一个|换个|换成别的|不喜欢|不好看|换一下|换"
    )
    remove = c.has(
        r"\b(?:remove|delete|drop|cut out|cut|get rid of|lose|skip|kill|take out|erase|ditch"
        r"|don't want|do not want|no)\b|删掉|删除|删了|去掉|去除|移除|不要|剪掉|拿掉|砍掉|删"
    )
    noun = c.has(rf"\b(?:{_CLIP_NOUN})\b|片段|镜头") if not c.found else None
    if swap and len(free) >= 2:
        a, b = free[0].index(n), free[1].index(n)
        if a is None or b is None:
            c.add(swap.start(), _which_clip(ctx, "move"))
            return
        a, b = min(a, b), max(a, b)
        c.add(swap.start(), {"op": "move_clip", "index": a, "to": b})
        if b - a > 1:
            c.add(swap.start() + 1, {"op": "move_clip", "index": b - 1, "to": a})
        return
    target = _move_target(c, ctx, free)
    if move and free and target is not None:
        index = free[0].index(n)
        if index is None or target == -1:
            c.add(move.start(), _which_clip(ctx, "move"))
        else:
            c.add(move.start(), {"op": "move_clip", "index": index, "to": target})
        return
    if replace_ and (free or noun) and not c.has(_MUSIC):
        if not free:
            c.add(replace_.start(), _which_clip(ctx, "replace"))
            return
        for ref in free:
            index = ref.index(n)
            if index is None:
                c.add(replace_.start(), _which_clip(ctx, "replace"))
                return
            c.add(ref.start, {"op": "next_best", "index": index})
        return
    if remove and (free or noun):
        if not free:
            c.add(remove.start(), _which_clip(ctx, "remove"))
            return
        indexes = [ref.index(n) for ref in free]
        if any(i is None for i in indexes):
            c.add(remove.start(), _which_clip(ctx, "remove"))
            return
        for index in sorted({i for i in indexes if i is not None}, reverse=True):
            c.add(remove.start(), {"op": "remove_clip", "index": index})


def _move_target(c: _Clause, ctx: _Context, free: list[_Ref]) -> int | None:
    """Where "move clip 3 ..." puts it: 1 for "to the start", n for "to the end"; -1: unknown."""
    n = ctx.n_clips
    if c.has(
        r"\b(?:to|at) the (?:start|beginning|front|top|opening)\b|\bto (?:the )?front\b|\bfirst\b$|开头|最前|第一位"
    ):
        return 1
    if c.has(
        r"\b(?:to|at) the (?:end|back|bottom)\b|\bto last\b|\blast\b$|最后面|放到最后|移到最后|末尾|结尾|最后$"
    ):
        return n if n else -1
    m = c.has(r"\b(?:to|into) (?:position|place|slot|spot)\s*#?(\d+)|第(\d+)(?:个)?位置?")
    if m and (len(free) < 2 or c.has(r"\bposition\b|\bplace\b|\bslot\b|\bspot\b|位置")):
        return int(m[1] or m[2])
    if len(free) >= 2:
        source, dest = free[0].index(n), free[1].index(n)
        if source is None or dest is None:
            return -1
        between = c.text[free[0].end : free[1].start]
        after_text = c.text[free[1].end : free[1].end + 4]
        if re.search(r"\bafter\b", between) or re.match(r"\s*(?:后面|之后|后)", after_text):
            return dest if source < dest else dest + 1
        if re.search(r"\bbefore\b", between) or re.match(r"\s*(?:前面|之前|前)", after_text):
            return dest - 1 if source < dest else dest
        return dest
    return None


def _music(c: _Clause, ctx: _Context) -> None:
    from reelcut.errors import InvalidArgumentError
    from reelcut.music.moods import MOODS, resolve_mood

    noun = c.has(_MUSIC)
    if not noun and not c.has(_ORIGINAL) and (ctx.draft is None or ctx.music_volume is not None):
        noun = c.has(rf"\bvolume\b|音量|{_LOUDER}|{_QUIETER}")  # "louder": the music, if any
    canonical = c.has(rf"\b(?:{'|'.join(MOODS)}|chillhop)\b") if not noun else None
    file = re.search(r"[\w./\\~-]+\.(?:mp3|wav|m4a|aac|flac|ogg|opus)\b", c.raw, re.IGNORECASE)
    original = c.has(_ORIGINAL)
    if not (noun or canonical or file):
        return
    if canonical and not noun and original:
        return
    pos = (noun or canonical or file).start() if (noun or canonical) else 0  # type: ignore[union-attr]
    current = ctx.music_volume
    way = c.direction(pos)
    louder, quieter = way == "louder", way == "quieter"
    if noun and not c.has(_MUTE) and c.has(_REMOVE) and not (louder or quieter):
        c.add(pos, {"op": "remove_music"})
        return
    if noun and c.has(_MUTE):
        c.add(pos, {"op": "edit_music", "volume": 0})
        return
    fade = c.has(r"\bfade[sd]?\b.*\b(in|out)\b|\bfade[sd]?[\s-](in|out)\b|淡入|淡出|渐入|渐出")
    if fade and noun:
        seconds = c.take_duration(most_s=10)
        ms = int(seconds * 1000) if seconds is not None else 2000
        which = fade.group(0)
        request: Request = {"op": "edit_music"}
        if "in" in which.split() or "入" in which or which.endswith("in"):
            request["fade_in_ms"] = ms
        if "out" in which or "出" in which:
            request["fade_out_ms"] = ms
        c.add(pos, request)
        return
    volume = c.take_percent(pos)
    if (louder or quieter) and volume is None:
        if ctx.draft is not None and current is None:
            c.add(pos, {"op": "question", "text": ctx.say(
                "There is no music yet. Which mood should I add: lofi, upbeat, epic, calm, "
                "happy or dramatic?",
                "现在还没有音乐。要加哪种：lofi、动感、激昂、舒缓、欢快还是紧张？",
            )})  # fmt: skip
            return
        much = bool(c.has(r"\bmuch\b|\ba lot\b|\bway\b|很多|多一些|再大|再小|大很多|小很多"))
        base = current if current is not None else MUSIC_VOLUME
        c.add(pos, {"op": "edit_music", "volume": _relative(base, louder, much)})
        return
    what: str | None = None
    if file:
        what = file.group(0)
    else:
        for word in re.findall(r"[a-z]+", c.text):
            if word in ("music", "song", "songs", "beats", "beat", "tune", "tunes"):
                continue
            try:
                what = resolve_mood(word)
                break
            except InvalidArgumentError:
                continue
        if what is None:
            for pattern, mood in lexicon.ZH_MOODS:
                if re.search(pattern, c.text):
                    what = mood
                    break
    if what is None and volume is not None and (current is not None or ctx.draft is None):
        c.add(pos, {"op": "edit_music", "volume": volume})
        return
    if what is None and original and not c.has(_ADD):
        return  # "the audio ... music" said about the original sound
    keep = volume if volume is not None else (current if current is not None else MUSIC_VOLUME)
    c.add(pos, {"op": "music", "what": what or lexicon.DEFAULT_MOOD, "volume": keep})


def _original(c: _Clause, ctx: _Context) -> None:
    noun = c.has(_ORIGINAL)
    music = c.has(_MUSIC)
    if not noun and not music and ctx.draft is not None and ctx.music_volume is None:
        noun = c.has(rf"\bvolume\b|音量|{_LOUDER}|{_QUIETER}")  # no music: the footage's sound
    bare_mute = c.has(_MUTE) and not music
    if not noun and not bare_mute:
        return
    if music and noun and not re.search(r"原声|原音|original|game|crowd|commentary", noun.group(0)):
        return  # "声音"/"sound" next to music is the music's
    if music and not noun:
        return
    pos = (noun or bare_mute).start()  # type: ignore[union-attr]
    base = ctx.draft.original_volume if ctx.draft is not None else 100
    if c.has(_UNMUTE):
        c.add(pos, {"op": "set_original_volume", "volume": 100})
        return
    if c.has(_MUTE) or c.has(_REMOVE):
        c.add(pos, {"op": "set_original_volume", "volume": 0})
        return
    volume = c.take_percent(pos)
    if volume is not None:
        c.add(pos, {"op": "set_original_volume", "volume": volume})
        return
    way = c.direction(pos)
    if way:
        much = bool(c.has(r"\bmuch\b|\ba lot\b|很多"))
        c.add(pos, {"op": "set_original_volume", "volume": _relative(base, way == "louder", much)})


def _format(c: _Clause, ctx: _Context) -> None:
    request: Request = {"op": "set_format"}
    pos = len(c.text)
    for table in (lexicon.SHAPES, lexicon.PLATFORMS):
        hits = [(m.start(), aspect) for p, aspect in table if (m := re.search(p, c.text))]
        if hits:  # the table's order decides: "YouTube Shorts" is Shorts
            start, aspect = hits[0]
            request["aspect"] = aspect
            pos = min(pos, start)
            break
    m = c.has(r"(?<!\d)(\d{3,4})\s*p(?![a-z])")
    big = c.has(r"\b4k\b|\b2160p\b|\b1440p\b|\b2k\b|\buhd\b|4k|超高清")
    if m and int(m[1]) in (360, 480, 720, 1080):
        request["height"] = int(m[1])
        pos = min(pos, m.start())
    elif big:
        c.add(big.start(), {"op": "question", "text": ctx.say(
            "The sharpest output reelcut makes is 1080p. Shall I use 1080p?",
            "最高只能输出1080p。用1080p可以吗？",
        )})  # fmt: skip
    else:
        for p, height in lexicon.HEIGHT_WORDS:
            if hm := c.has(p):
                request["height"] = height
                pos = min(pos, hm.start())
                break
    if "aspect" in request or c.has(r"\breframe\b|\bcrop\b|\bfit\b|裁剪|画面|背景|构图"):
        for p, mode in lexicon.REFRAMES:
            if rm := c.has(p):
                request["reframe"] = mode
                pos = min(pos, rm.start())
                break
    if len(request) > 1:
        c.add(pos, request)


def _captions(c: _Clause, ctx: _Context) -> None:
    m = c.has(r"\bcaptions?\b|\bsubtitles?\b|\bsubs\b|\bclosed captions?\b|\bcc\b|字幕")
    if not m:
        return
    if c.has(_REMOVE):
        c.add(m.start(), {"op": "set_captions", "captions": []})
    else:
        c.add(m.start(), {"op": "captions"})


def _focus(c: _Clause, ctx: _Context) -> None:
    if any(r["op"] in ("set_original_volume", "edit_music", "music") for _, r in c.found):
        return
    quoted = c.quote()
    said = c.has(
        r"\b(?:when|where|whenever|every time|moments? when)\s+(?:someone|somebody|anyone|he|she"
        r"|they|people|the (?:commentator|announcer|crowd|coach|host|speaker|ref|referee))\s+"
        r"(?:says?|said|shouts?|yells?|screams?|mentions?|talks about|chants?|calls? out)\s+"
        r"(?P<k>.+)$|\b(?:mentions? of|the word)\s+(?P<k2>\S+)"
        r"|(?:有人|谁|解说员?|主持人|他|她|大家|观众)?(?:说|喊|提到|讲|叫)(?!话)(?:到|了|出)?\s*(?P<k3>.+?)"
        r"(?:的时候|时|的部分|的片段|的地方|的瞬间)"
    )
    if said:
        keyword = quoted or (said.group("k") or said.group("k2") or said.group("k3") or "")
        keyword = keyword.strip(" \"'“”.!?。！？")
        if keyword and not _PLACE.search(keyword):
            c.add(said.start(), {"op": "focus", "kind": "keyword", "keyword": keyword})
            return
    crowd = c.has(
        r"\bcrowd\b|\bcheer(?:s|ing)?\b|\bapplause\b|\bclapping\b|\bfans? (?:go|going|went) "
        r"(?:wild|crazy)\b|\broars?\b|\bloudest\b|欢呼|喝彩|掌声|尖叫|沸腾|观众|现场气氛|呐喊"
    )
    if crowd:
        c.add(crowd.start(), {"op": "focus", "kind": "crowd", "keyword": None})
        return
    events = [(m.start(), name) for p, name in lexicon.EVENTS if (m := c.has(p))]
    if events:
        start, name = min(events)
        c.add(start, {"op": "focus", "kind": "action", "keyword": name})
        return
    cue = c.has(
        r"\bonly\b|\bjust the\b|\bfocus\b|\bmostly\b|\bmore of\b|只要|只保留|只留|只剪|只选|重点|聚焦|只看|多一些|多点"
    )
    speech = c.has(
        r"\btalking\b|\bspeech\b|\bspeaking\b|\bdialog(?:ue)?\b|\binterviews?\b|\bpeople talk"
        r"|\bsomeone talks\b|\bspoken\b|说话|对话|讲话|采访|发言"
    )
    if speech and cue:
        c.add(speech.start(), {"op": "focus", "kind": "speech", "keyword": None})
        return
    action = c.has(
        r"\baction\b|\bfast[\s-]paced\b|\bfast (?:parts|moments)\b|\bmost exciting\b|\bintense\b"
        r"|\bbig plays?\b|激烈|高能|动作场面|动作镜头|打斗|动作"
    )
    if action and (cue or c.has(r"\bparts?\b|\bmoments?\b|部分|片段|时刻|镜头")):
        c.add(action.start(), {"op": "focus", "kind": "action", "keyword": None})
        return
    if cue and c.has(r"\bonly\b|只要|只保留|只留|只剪|只选") and not c.found:
        c.add(cue.start(), {"op": "question", "text": ctx.say(
            "What should the reel keep? I can focus on crowd reactions, talking, action, an event "
            "(\"only the goals\") or a spoken word (\"when someone says touchdown\").",
            "要保留哪些内容？可以只要观众欢呼、说话、动作、某种事件（“只要进球”）或说到某个词的时刻。",
        )})  # fmt: skip


def _length(c: _Clause, ctx: _Context) -> None:
    if any(r["op"] == "trim_clip" for _, r in c.found):
        return
    shorter = c.has(
        r"\bshorter\b|\bshorten\b|\btrim it down\b|\bcut it down\b|\btighter\b|\bcondense\b"
        r"|短一点|短一些|短些|缩短|剪短|短点|更短|精简|压缩|少一点"
    )
    longer = c.has(r"\blonger\b|\blengthen\b|\bextend it\b|长一点|长一些|长些|加长|延长|更长|长点")
    relative = shorter or longer
    duration = c.durations[0] if c.durations else None
    current_s = ctx.draft.duration_ms / 1000 if ctx.draft is not None else None
    if relative and duration is not None:
        before = c.text[: duration.start]
        after = c.text[duration.end : duration.end + 12]
        by = bool(
            re.search(r"\bby\s*$", before)
            or re.match(r"\s*(?:shorter|longer)", after)
            or (
                re.search(r"(?:缩短|减少|延长|加长|短|长)了?\s*$", before)
                and not re.search(r"(?:到|为|成)\s*$", before)
            )
        )
        if by:
            c.durations.remove(duration)
            if current_s is None:
                c.add(relative.start(), _how_long(ctx))
                return
            delta = duration.value if longer else -duration.value
            c.add(relative.start(), {"op": "set_length", "seconds": _whole(current_s + delta)})
            return
    if duration is not None and MIN_LENGTH_S <= duration.value <= MAX_LENGTH_S:
        c.durations.remove(duration)
        c.add(duration.start, {"op": "set_length", "seconds": _whole(duration.value)})
        return
    if (
        duration is not None
        and duration.value < MIN_LENGTH_S
        and c.has(r"\breels?\b|highlights?|\bvideo\b|\bclip\b|集锦|视频|短片|剪")
    ):
        c.durations.remove(duration)
        c.add(duration.start, {"op": "question", "text": ctx.say(
            f"A reel needs at least {MIN_LENGTH_S} seconds: shall I make it {MIN_LENGTH_S} seconds?",
            f"集锦至少需要{MIN_LENGTH_S}秒：要做成{MIN_LENGTH_S}秒吗？",
        )})  # fmt: skip
        return
    if relative and not c.has(rf"{_MUSIC}|{_ORIGINAL}|{_CLIP_NOUN}|title|标题|片头|片尾"):
        if current_s is None:
            c.add(relative.start(), _how_long(ctx))
            return
        share = LONGER_SHARE if longer and not shorter else SHORTER_SHARE
        c.add(relative.start(), {"op": "set_length", "seconds": _whole(current_s * share)})


def _whole(seconds: float) -> int | float:
    value = max(float(MIN_LENGTH_S), round(seconds, 1))
    return int(value) if value == int(value) else value


def _how_long(ctx: _Context) -> Request:
    return {"op": "question", "text": ctx.say(
        'How long should the reel be? For example "60 seconds".',
        "要剪成多长？例如“60秒”。",
    )}  # fmt: skip


def _read_clause(c: _Clause, ctx: _Context) -> None:
    refs = _refs(c)
    _title(c, ctx)
    _cards(c, ctx)
    _transition(c, ctx)
    _slow_motion(c, ctx, refs)
    _trim(c, ctx, refs)
    _music(c, ctx)
    _original(c, ctx)
    _format(c, ctx)
    _captions(c, ctx)
    _clips(c, ctx, refs)
    _focus(c, ctx)
    _length(c, ctx)


# -- the whole message ----------------------------------------------------------------------------

_FILLER = re.compile(
    r"^(?:please|pls|thanks?|thank you|ok(?:ay)?|hi|hey|hello|can you|could you|i want|i'd like"
    r"|extract|pick|find|get|grab|choose|select|make|create|compile|build|edit|cut|them|it|me|us"
    r"|into|a|an|the|of|from|this|that|my|our|video|videos|footage|clip|clips|reel|highlights?"
    r"|best|top|moments?|parts?|and|to|for|with|some|nice|good|great|now|just|all|together|export|render|download|导出|下载|渲染"
    r"|帮我|请|谢谢|麻烦|你好|把|提取|挑出|挑选|选出|找出|剪辑|剪|做|做成|生成|一下|一个|个|的|视频"
    r"|精彩|片段|集锦|合集|高光|时刻|瞬间|最|好看|吧|呢|啊|了|和|并|成|出|来|吗|\s|\W)+$",
    re.IGNORECASE,
)
_IDEMPOTENT = {"captions", "set_captions", "set_transition", "music", "remove_music", "focus",
               "set_original_volume", "title", "edit_text", "remove_text", "slow_motion"}  # fmt: skip


def parse(message: str, draft: Draft | None = None) -> Parse:
    """Read ``message`` into edit requests (see the module doc); ``draft`` makes relative asks
    ("louder music", "make it shorter", "the last clip") into numbers.

    Never raises on odd input: what is not understood comes back as ``unknown`` or ``question``.
    """
    quotes: list[str] = []

    def keep_quote(m: re.Match[str]) -> str:
        quotes.append(next(g for g in m.groups() if g is not None).strip())
        return f" {_quote_mark(len(quotes) - 1)} "

    text = _QUOTES.sub(keep_quote, message)
    text = unicodedata.normalize("NFKC", text)
    language = _language(text)
    ctx = _Context(draft, language == "zh")
    text = lexicon.mend_typos(text)
    found: list[Request] = []
    questions: list[str] = []
    ignored: list[str] = []
    raws: list[str] = []
    for piece in _SPLIT.split(text):
        piece = (piece or "").strip()
        if piece and raws and (_TAIL.match(piece) or _only_a_length(piece)):
            raws[-1] = f"{raws[-1]} {piece}"
        elif piece:
            raws.append(piece)
    for raw in raws:
        folded = _fold(raw)
        clause = _Clause(raw, folded, quotes, find_durations(folded), find_percents(folded))
        _read_clause(clause, ctx)
        requests = [r for _, r in sorted(clause.found, key=lambda pr: pr[0])]
        if not requests and not _FILLER.match(_PLACE.sub(" ", raw)):
            ignored.append(_PLACE.sub(lambda m: f'"{quotes[_quote_index(m.group(1))]}"', raw))
        for r in requests:
            if r["op"] == "question":
                questions.append(r["text"])
            elif r["op"] == "title" and not r["text"]:
                questions.append(ctx.say("What should the title say?", "标题要写什么？"))
            else:
                found.append(r)
    requests = _tidy(found)
    _check_clips(requests, ctx, questions)
    requests = [r for r in requests if r.get("op") != "invalid"]
    unknown = None
    if not requests and not questions:
        unknown = _unknown(ctx, message)
    return Parse(
        requests=requests,
        language=language,
        question=questions[0] if questions else None,
        unknown=unknown,
        ignored=tuple(ignored) if requests or questions else (),
    )


def _tidy(found: list[Request]) -> list[Request]:
    """One ``set_format`` (the first place, all fields), no repeated idempotent requests, and a
    run of removals from the highest clip down so each number means the clip the user saw."""
    out: list[Request] = []
    fmt: Request | None = None
    for r in found:
        if r["op"] == "set_format":
            if fmt is None:
                fmt = dict(r)
                out.append(fmt)
            else:
                fmt.update(r)
            continue
        if r["op"] in _IDEMPOTENT and r in out:
            continue
        out.append(r)
    k = 0
    while k < len(out):
        if out[k]["op"] != "remove_clip":
            k += 1
            continue
        j = k
        while j < len(out) and out[j]["op"] == "remove_clip":
            j += 1
        run = sorted({r["index"] for r in out[k:j]}, reverse=True)
        out[k:j] = [{"op": "remove_clip", "index": i} for i in run]
        k += len(run)
    return out


def _check_clips(requests: list[Request], ctx: _Context, questions: list[str]) -> None:
    """Clip numbers past the end of the reel become a question instead of a failing edit."""
    n = ctx.n_clips
    if n is None:
        return
    for r in requests:
        numbers = [r[k] for k in ("index", "to") if k in r and r["op"] != "edit_text"]
        if r["op"] in ("remove_text",) or not numbers:
            continue
        if any(not 1 <= v <= n for v in numbers):
            r["op"] = "invalid"
            questions.append(ctx.say(
                f"The reel has {n} clip{'s' * (n != 1)}. Which one did you mean (1-{n})?",
                f"目前只有{n}个片段。你指的是哪一个（1-{n}）？",
            ))  # fmt: skip


def _unknown(ctx: _Context, message: str) -> str:
    shown = message.strip()
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return ctx.say(
        f'Sorry, I didn\'t understand "{shown}". I can change the length ("make it 60 seconds"), '
        'the format ("make it vertical for TikTok", "1080p"), the title ("title \'Derby Day\'"), '
        'music ("add lofi music at 35%", "louder music"), clips ("remove the second clip", '
        '"replace clip 3", "move clip 4 to the start"), add captions, transitions, a slow-motion '
        'replay, or keep only some moments ("only the goals").',
        f"抱歉，没看懂“{shown}”。我可以：改时长（“剪成60秒”）、改画幅（“改成竖屏”“1080p”）、"
        "改标题（“把标题改成《城市之梦》”）、配乐（“加轻音乐，音量35%”“音乐大声一点”）、"
        "调整片段（“删掉第二个片段”“换掉第三个”“把第四个移到开头”）、加字幕、转场、慢动作回放，"
        "或只保留某些时刻（“只要进球”）。",
    )
