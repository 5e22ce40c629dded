"""What the reel should be about: crowd reactions, talking, action, an event, a spoken word,
or the part where they talk about a topic ("the part about pricing", "找到讲定价的那段")."""

from __future__ import annotations

from reelcut.instructions import lexicon
from reelcut.instructions.clause import PLACE, Clause, Context
from reelcut.instructions.readers.base import (
    Reader,
)

_PART = r"(?:part|bit|section|segment|piece|moment|clip|portion)s?"
_WHO = (
    r"(?:they|he|she|we|you|i|someone|somebody|people|the (?:speaker|host|guest|presenter|"
    r"teacher|lecturer|ceo|panel)s?)"
)
_TALK = (
    r"(?:(?:talks?|talked|talking|discuss(?:es|ed|ing)?|speaks?|spoke|speaking|chats?|chatting"
    r"|goes on|went on|explains?|explained|explaining|gets?|got) (?:about|on|into|over)"
    r"|discuss(?:es|ed|ing)?|covers?|covered|covering|explains?|explained|explaining)"
)
_TOPIC_EN = (
    rf"\b{_PART} (?:where|when|in which|that) (?:{_WHO} (?:is |are |was |were )?)?{_TALK}\s+(?P<t>.+)$"
    rf"|\b{_PART} (?:about|on the (?:subject|topic) of)\s+(?P<t2>.+)$"
    rf"|\bwhere {_WHO} (?:is |are |was |were )?{_TALK}\s+(?P<t3>.+)$"
)
_TOPIC_ZH = (
    r"(?:讲|谈|聊|讨论|介绍|说到|讲到|谈到|聊到|关于|有关)(?:到|了|起)?\s*(?P<t4>.+?)"
    r"(?:的(?:那一?段|那部分|部分|片段|内容|一段|话题)|那一?段)"
)


def _topic(c: Clause) -> bool:
    """ "The part where they talk about X" / "找到讲X的那段": the reel becomes that part."""
    m = c.has(_TOPIC_EN) or c.has(_TOPIC_ZH)
    if not m:
        return False
    words = c.quote() or next(g for g in m.groups() if g)
    words = words.strip(" \"'“”.!?。！？，,")
    if not words or PLACE.search(words):
        return False
    c.add(m.start(), {"op": "focus", "kind": "topic", "keyword": words})
    return True


def read(c: Clause, ctx: Context) -> None:
    if any(r["op"] in ("set_original_volume", "edit_music", "music") for _, r in c.found):
        return
    if _topic(c):
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
        if keyword and not PLACE.search(keyword):
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


EXAMPLES = (
    "only the goals",
    "focus on the crowd cheering",
    "only when people are talking",
    "only the action parts",
    "when someone says touchdown",
    "只要进球",
    "只要观众欢呼的部分",
    "只保留说话的部分",
    "多一些动作镜头",
    "only keep the crowd reactions",
    "show just the scoring plays",
    "focus on people speaking",
    "only the action, the exciting parts",
    "只留观众欢呼",
    "只要有人说话的地方",
    "只剪精彩的动作",
    "只要得分的瞬间",
)  # no topic phrasing: read as its nearest example, "the part about pricing" would keep "pricing"
READER = Reader("focus", read, EXAMPLES)
