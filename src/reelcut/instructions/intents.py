"""What a whole message asks for besides edits: a reel made from the footage, an export, a
preview, which upload it is about ("the second video", "第二个视频"), or advice.

These are read before and beside the edit readers: "make a 30-second reel of the first video"
is a reel (``make``) of upload 1 with a length; "now the second one, vertical" is upload 2 made
vertical; "export 1080p MP4" is an export at 1080p. The chat session acts on them
(:mod:`reelcut.editor.chat`); nothing here runs a pipeline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reelcut.instructions.clause import Clause

INTENTS = ("edit", "make", "export", "preview")


@dataclass(frozen=True, slots=True)
class ExportAsk:
    """An export asked for in words: the file kind and, when one was named, the height."""

    format: str = "mp4"  # "mp4" | "otio" | "fcpxml" | "fcp7" | "edl"
    height: int | None = None


_ORDINAL_WORDS = "first second third fourth fifth sixth seventh eighth ninth tenth".split()
_ORD = rf"(?P<n>{'|'.join(_ORDINAL_WORDS)}|last|latest|\d+(?:st|nd|rd|th))"
_UPLOAD_NOUN = r"(?:videos?|uploads?|files?|recordings?|footage|movies?|match|game)"
# each on folded text (lower case, "第二" already "第2")
_UPLOAD_REFS = (
    re.compile(rf"\b(?:the |my |your )?{_ORD}(?: uploaded)? {_UPLOAD_NOUN}\b"),
    re.compile(
        rf"\b(?:the |my )?{_ORD} (?:clip|one|video|file|thing) (?:that )?(?:i|we|you)(?:'ve| have)?"
        r" (?:uploaded|sent|gave you|added|shared|attached)\b"
    ),
    re.compile(r"\b(?:video|upload|file|recording) (?:number |no\. ?|#)?(?P<n>\d+)\b"),
    re.compile(rf"^\s*(?:and |ok(?:ay)?,? )?now,? (?:do |for |with )?(?:the )?{_ORD}(?: one)?\b"),
    re.compile(
        r"第(?P<n>\d+)(?:个|段|条|部)?(?:上传的?|传的)?(?:视频|素材|文件|录像|片子)"
        r"|第(?P<n2>\d+)个上传的"
    ),
    re.compile(r"(?P<last>最后|最新)(?:一个|那个|上传)?的?(?:视频|素材|文件)"),
)
_ONLY = re.compile(r"\bonly\b|\bjust\b|只用|只要|只剪|仅用|仅")


def _upload_number(m: re.Match[str]) -> int:
    groups = m.groupdict()
    if groups.get("last"):
        return -1
    word = groups.get("n") or groups.get("n2") or ""
    if word in ("last", "latest"):
        return -1
    if word in _ORDINAL_WORDS:
        return _ORDINAL_WORDS.index(word) + 1
    return int(re.match(r"\d+", word)[0])  # type: ignore[index]


def take_upload(clause: Clause) -> int | None:
    """Which upload ``clause`` is about (1-based; -1 for the last one), or None.

    The words that named it are blanked in the clause, with its clip references and any "only"
    ("a 5-second reel of the second video only"), so no reader takes "second" for a clip.
    """
    for pattern in _UPLOAD_REFS:
        m = pattern.search(clause.text)
        if m is None:
            continue
        a, b = m.span()
        clause.text = clause.text[:a] + " " * (b - a) + clause.text[b:]
        clause.text = _ONLY.sub(lambda o: " " * len(o.group(0)), clause.text)
        clause.refs = [r for r in clause.refs if r.end <= a or r.start >= b]
        return _upload_number(m)
    return None


_MAKE = re.compile(
    r"\b(?:make|create|generate|build|compile|produce|extract|put together|assemble|give me"
    r"|cut|edit|turn)\b.*\b(?:reels?|highlights?|compilation|montage|recap|supercut|footage"
    r"|best (?:moments?|parts?|bits|plays|clips|scenes)|videos?)\b"
    r"|\bcompile\b|\bextract\b.*\b(?:best|top|highlights?|moments?)\b"
    r"|(?:生成|做|剪|制作|合成|提取|挑出|剪辑|整理|出)(?:一个|一段|个|成)?.*?"
    r"(?:集锦|高光|精彩|视频|合集|短片|片段)|集锦|高光时刻|精彩瞬间|精彩片段"
)


def asks_for_reel(folded: str) -> bool:
    """Whether the message asks for a reel to be made from the footage ("extract the best
    moments and compile", "generate my raw video footage", "做一个集锦")."""
    return bool(_MAKE.search(folded))


_BETTER = re.compile(
    r"\b(?:look|sound|feel)s? (?:better|nicer|good|great|cool(?:er)?|more professional|pro)\b"
    r"|\bimprove\b|\bpolish\b|\bnicer\b|\bmore professional\b|\bspice (?:it )?up\b"
    r"|\bmake it (?:better|pop|awesome|great)\b|\benhance\b"
    r"|更好看|好看一点|好看些|优化|美化|更专业|提升|润色|精致"
)


def asks_for_advice(folded: str) -> bool:
    """Whether the message asks for "better" without saying how ("make it look better")."""
    return bool(_BETTER.search(folded))


def advice(zh: bool) -> str:
    """Concrete things to say instead of "better": each is a request the parser reads."""
    if zh:
        return (
            "可以这样让视频更好看：加转场（“片段之间淡入淡出”）、配乐（“加动感音乐，音量30%”）、"
            "加标题（“标题改成《周末》”）、加字幕、加慢动作回放（“加个慢动作回放”），"
            "或改成竖屏（“改成竖屏”）。要哪一个？"
        )
    return (
        "Here is what makes a reel look better; say any of them: smooth transitions "
        '("crossfade between clips"), music ("add upbeat music at 30%"), a title '
        '("title \'Derby Day\'"), captions ("add captions"), a slow-motion replay of the best '
        'moment ("add a slow motion replay"), or a vertical version ("make it vertical").'
    )


# phrasings of each intent for the meaning matcher (reelcut.instructions.meaning)
INTENT_EXAMPLES: dict[str, tuple[str, ...]] = {
    "make": (
        "make a highlight reel",
        "compile the best moments",
        "cut my footage into a highlight video",
        "turn the recording into a short recap",
        "把精彩瞬间剪成集锦",
        "帮我生成一个高光视频",
        "把比赛剪成精彩合集",
    ),
    "export": (
        "export the video",
        "download the reel",
        "give me the final file",
        "导出视频",
        "下载成片",
        "把视频发给我",
    ),
    "preview": (
        "preview the result",
        "show me what it looks like",
        "let me watch it first",
        "预览一下",
        "看看效果",
        "先给我看看",
    ),
}
