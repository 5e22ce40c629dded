"""Chat messages to edit requests, in English and Chinese, without a language model.

``parse("make it vertical for Reels and add lofi music at 35%")`` gives the requests of
:mod:`reelcut.editor.requests` in the order they were said::

    [{"op": "set_format", "aspect": "9:16"}, {"op": "music", "what": "lofi", "volume": 35}]

How it reads a message: quoted text ("...", “...”, 《...》, 「...」) is set aside first so that
titles keep their words; misspelt key words are mended (difflib); the message is cut into
clauses at punctuation and at "and"/"然后"/"再" followed by a verb; number words before a unit
become digits (:mod:`reelcut.instructions.clause`); then each edit family's reader
(:data:`reelcut.instructions.readers.READERS`, one module per family) looks for its words in each
clause and takes the slots (lengths, percentages, clip numbers) it uses, so a "3 seconds" that
belongs to a title never becomes the reel's length.

Besides the shared vocabulary it emits one request of its own, ``focus`` (what the reel should
be about), which selection will read::

    {"op": "focus", "kind": "crowd" | "speech" | "action" | "keyword" | "topic", "keyword": str | None}

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

from reelcut.instructions import lexicon
from reelcut.instructions.clause import (
    PLACE,
    Clause,
    Context,
    Request,
    fold,
    language,
    put_quotes_back,
    set_quotes_aside,
    split_clauses,
)
from reelcut.instructions.intents import (
    INTENTS,
    ExportAsk,
    advice,
    asks_for_advice,
    asks_for_reel,
    take_upload,
)
from reelcut.instructions.meaning import Match, matcher, reread
from reelcut.instructions.readers import READERS
from reelcut.instructions.routing import export_ask, route
from reelcut.timeline.model import Draft

FOCUS_KINDS = ("crowd", "speech", "action", "keyword", "topic")


@dataclass(frozen=True, slots=True)
class Parse:
    """What a message asks for.

    ``requests`` are in the order said. ``question`` is one short question to ask when part of
    the message could not be decided (the requests hold what could); "make it look better" gets
    concrete suggestions here. ``unknown`` is set, with a suggestion of what can be asked, when
    nothing at all was understood. ``ignored`` lists clauses that were not understood although
    others were.

    ``intent`` is one of :data:`~reelcut.instructions.intents.INTENTS`: ``"make"`` when a reel
    is asked of the footage ("extract the best moments and compile"; with no length named the
    caller picks its default; when the upload already has a reel the requests edit it),
    ``"export"`` with ``export`` saying what to write, ``"preview"`` for a quick look, else
    ``"edit"``. ``source`` is the upload the message is about, 1-based in upload order (-1:
    the last one), or None. ``matched`` names the example phrasing the meaning matcher read
    instead of the message, when it did (:mod:`reelcut.instructions.meaning`).
    """

    requests: list[Request] = field(default_factory=list)
    language: str = "en"
    question: str | None = None
    unknown: str | None = None
    ignored: tuple[str, ...] = ()
    intent: str = "edit"
    source: int | None = None
    export: ExportAsk | None = None
    matched: str | None = None

    @property
    def focus(self) -> list[Request]:
        return [r for r in self.requests if r["op"] == "focus"]

    @property
    def edits(self) -> list[Request]:
        """The requests :func:`reelcut.editor.requests.resolve` takes (all but ``focus``)."""
        return [r for r in self.requests if r["op"] != "focus"]

    def batch(self) -> Request | None:
        """The edits as one request (one undo step), or None when there are none."""
        edits = self.edits
        if not edits:
            return None
        return edits[0] if len(edits) == 1 else {"op": "batch", "ops": edits}


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


def parse(
    message: str,
    draft: Draft | None = None,
    *,
    meaning: bool = True,
    reply_in: str | None = None,
) -> Parse:
    """Read ``message`` into edit requests (see the module doc); ``draft`` makes relative asks
    ("louder music", "make it shorter", "the last clip") into numbers. With ``meaning`` (and the
    ``meaning`` extra installed) a clause no reader understood is read as the closest example
    phrasing (:mod:`reelcut.instructions.meaning`). Questions are asked in ``reply_in`` ("en"
    or "zh"; default: the message's language).

    Never raises on odd input: what is not understood comes back as ``unknown`` or ``question``.
    """
    door = route(message)
    text, quotes = set_quotes_aside(message)
    text = unicodedata.normalize("NFKC", text)
    lang = reply_in if reply_in in ("en", "zh") else language(text)
    ctx = Context(draft, lang == "zh")
    text = lexicon.mend_typos(text)
    found: list[Request] = []
    questions: list[str] = []
    ignored: list[str] = []
    source: int | None = None
    matched: list[Match] = []
    near = matcher() if meaning else None
    for raw in split_clauses(text):
        clause = Clause.read(raw, quotes)
        upload = take_upload(clause)
        source = upload if source is None else source
        requests = _read(clause, ctx)
        understood = bool(requests) or upload is not None or _FILLER.match(PLACE.sub(" ", raw))
        if not understood and near is not None and not _asks_beside_edits(clause.text):
            match = near.closest(clause.text)
            if match is not None:
                matched.append(match)
                requests = [] if match.family in INTENTS else _read(reread(clause, match), ctx)
                understood = True
        if not understood:
            ignored.append(put_quotes_back(raw, quotes))
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
    folded = fold(text)
    intent = "edit"
    said = [m.family for m in matched if m.family in INTENTS]
    if door in ("export", "preview"):
        intent = door
    elif asks_for_reel(folded):
        intent = "make"
    elif said and not requests:
        intent = said[0]
    if not requests and not questions and intent == "edit" and asks_for_advice(folded):
        questions.append(advice(ctx.zh))
    unknown = None
    if not requests and not questions and intent == "edit" and source is None:
        unknown = _unknown(ctx, message)
    return Parse(
        requests=requests,
        language=lang,
        question=questions[0] if questions else None,
        unknown=unknown,
        ignored=tuple(ignored) if requests or questions else (),
        intent=intent,
        source=source,
        export=export_ask(message) if intent == "export" else None,
        matched=" | ".join(m.example for m in matched) or None,
    )


def _read(clause: Clause, ctx: Context) -> list[Request]:
    for reader in READERS:
        reader.read(clause, ctx)
    return clause.requests()


def _asks_beside_edits(folded: str) -> bool:
    """Words the tables already place outside the edits (a reel, advice), which the meaning
    matcher must not read as an edit."""
    return asks_for_reel(folded) or asks_for_advice(folded)


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


def _check_clips(requests: list[Request], ctx: Context, questions: list[str]) -> None:
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


def _unknown(ctx: Context, message: str) -> str:
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
