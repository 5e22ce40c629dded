"""The chat session (the editing agent): a chat message in, the edit done, a reply out — as a stream of events.

Steps: understand the message (a language-model planner when one is configured, else — or when
it fails — the built-in English/Chinese parser), make the reel first if there is none yet, then
apply every requested edit in order as ONE new project version (all or nothing), and answer in
the message's language with what changed and the track summary. Each step is an
:class:`AgentEvent` (thinking, tool_call, tool_result, text, error) that the service streams.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from reelcut.durations import reel_length
from reelcut.editor.footage import analyze_all, first_draft, footage_among
from reelcut.editor.requests import resolve
from reelcut.editor.store import Project
from reelcut.errors import EditError, ReelcutError
from reelcut.instructions.clause import reply_language
from reelcut.instructions.parser import Parse, parse
from reelcut.instructions.planner import Planner, PlannerError, planner_from_env
from reelcut.instructions.reply import describe, reply, track_lines
from reelcut.instructions.routing import route
from reelcut.progress import check_cancel
from reelcut.selection import SelectionParams
from reelcut.timeline.changes import Change, ReelMade
from reelcut.timeline.model import Draft

PROJECT_NAME = "project.reelcut.json"
CURRENT_FILE = "current.json"
DEFAULT_LENGTH_S = 60.0
PREVIEW_HEIGHT = 360
_UNDO = re.compile(
    r"^\s*(undo|undo that|undo the last edit|撤销|撤回|撤销上一步)\s*[.!。！]?\s*$", re.I
)
_REDO = re.compile(r"^\s*(redo|redo that|重做|恢复)\s*[.!。！]?\s*$", re.I)


@dataclass(frozen=True, slots=True)
class AgentEvent:
    kind: str  # "thinking" | "tool_call" | "tool_result" | "text" | "error"
    text: str
    data: dict[str, Any] = field(default_factory=dict)


def _say(language: str, en: str, zh: str) -> str:
    return zh if language == "zh" else en


@dataclass(frozen=True, slots=True)
class Current:
    """Which project a chat session works on: the whole footage's, or one upload's (batch
    style: "make a reel of the second video" starts that upload's own draft, and later
    messages edit it until another upload is named). Kept in ``current.json`` beside them."""

    project: str = PROJECT_NAME
    upload: int | None = None  # 1-based among the session's videos; None: all footage

    @staticmethod
    def read(workspace: Path) -> Current:
        try:
            data = json.loads((workspace / CURRENT_FILE).read_text(encoding="utf-8"))
            upload = data.get("upload")
            return Current(str(data["project"]), upload if _whole_number(upload) else None)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return Current()

    def write(self, workspace: Path) -> None:
        tmp = workspace / f".{CURRENT_FILE}.tmp"
        tmp.write_text(json.dumps({"project": self.project, "upload": self.upload}), "utf-8")
        tmp.replace(workspace / CURRENT_FILE)


def upload_project(upload: int) -> str:
    return f"upload-{upload}.reelcut.json"


def run_agent(
    message: str,
    workspace: Path,
    sources: list[Path],
    *,
    language: str | None = None,
    cancel: threading.Event | None = None,
    project_path: Path | None = None,
    planner: Planner | None = None,
    use_cache: bool = True,
    default_length_s: float = DEFAULT_LENGTH_S,
) -> Iterator[AgentEvent]:
    """Carry out ``message`` on the session's project in ``workspace`` (made from ``sources``
    when new), or on ``project_path`` when given (one project, as ``reelcut edit`` has).

    An export or a preview asked in words ends with a text event whose data holds ``render``
    (``{"quality": "high" | "preview", "format", "height", "language"}``): the door that runs
    the session starts that render and reports it. A reel longer than the footage is made as
    long as the footage allows, and the reply says so. Replies are in the message's language;
    ``language`` (a session's, "en-US" and "zh-CN" alike) only decides for a message without
    words (:func:`reelcut.instructions.clause.reply_language`).
    """
    current = Current.read(workspace) if project_path is None else Current()
    path = project_path or workspace / current.project
    project = Project.load(path) if path.is_file() else None
    draft = project.draft if project else None
    lang = reply_language(message, language)
    first = parse(message, draft, reply_in=lang)

    door = route(message)
    if door in ("credits", "upload") and first.source is None:
        yield AgentEvent(
            "text", _say(lang, f"Routed to {door}.", f"已转到：{door}。"), {"route": door}
        )
        return
    if door == "status" and first.intent not in ("export", "preview"):
        yield AgentEvent("text", _summary(draft, lang), {"route": "status"})
        return
    if project and (_UNDO.match(message) or _REDO.match(message)):
        yield from _undo_redo(project, message, lang)
        return

    if project_path is None and first.source is not None:
        videos = footage_among(sources)
        number = len(videos) if first.source == -1 else first.source
        if not 1 <= number <= len(videos):
            have = _say(lang, f"{len(videos)} video(s)", f"{len(videos)} 个视频")
            yield AgentEvent(
                "text",
                _say(lang, f"There is no video {number}: this session has {have}.",
                     f"没有第 {number} 个视频：这个会话有 {have}。"),
                {"changed": False},
            )  # fmt: skip
            return
        current = Current(upload_project(number), number)
        current.write(workspace)
        path = workspace / current.project
        project = Project.load(path) if path.is_file() else None
    if project_path is None and current.upload is not None and project is None:
        videos = footage_among(sources)
        if 1 <= current.upload <= len(videos):
            sources = [Path(videos[current.upload - 1].path)]

    plan = first
    if planner is None:
        planner = planner_from_env()
    if planner is not None:
        yield AgentEvent(
            "tool_call", "planner", {"name": "planner", "args": {"model": planner.model}}
        )
        try:
            requests = planner.plan(message, track_lines(draft) if draft else [], lang)
            plan = Parse(requests=requests, language=lang)
            yield AgentEvent("tool_result", "planner", {"name": "planner", "response": requests})
        except PlannerError as e:
            yield AgentEvent(
                "thinking",
                _say(
                    lang,
                    f"The language model did not help ({e}); using the built-in parser instead.",
                    f"语言模型没有给出可用的结果（{e}），改用内置解析器。",
                ),
                {"fallback": True},
            )
    if plan.question or plan.unknown:
        yield AgentEvent("text", plan.question or plan.unknown or "", {"changed": False})
        return

    render = _render_ask(first)
    if render is not None:
        render["language"] = lang  # the door's note about the file is in the reply's language
    requests = _renumber(list(plan.requests))
    made: list[Change] = []
    notes: list[str] = []
    try:
        check_cancel(cancel)
        if project is None:
            length = _first_length(requests, default_length_s)
            asked = any(r.get("op") == "set_length" for r in requests)
            requests = [r for r in requests if r.get("op") != "set_length"]
            yield AgentEvent(
                "tool_call", "make_reel", {"name": "make_reel", "args": {"seconds": length}}
            )
            project, made, note = _make_project(path, sources, length, use_cache, cancel, lang)
            notes += [note] if note and asked else []  # no "you asked for 60 s" unasked
            yield AgentEvent(
                "tool_result",
                describe(made, lang),
                {"name": "make_reel", "response": {"summary": track_lines(project.draft)}},
            )
        requests, more = _fit_lengths(project.draft, requests, lang)
        notes += more
        if not requests and not made:
            text = _summary(project.draft, lang) if render else _say(
                lang, "Nothing to change.", "没有需要修改的地方。"
            )  # fmt: skip
            yield AgentEvent("text", _with_render(text, render, lang), _data(False, render))
            return
        new, applied = _apply_all(project.draft, requests, cancel, use_cache)
        events = applied[1]
        yield from events
        if applied[0]:
            project.commit(new, describe(applied[0]))
    except ReelcutError as e:  # said once: as the error, or inside the reply when a reel exists
        if made and project is not None:
            text = reply(lang, made, project.draft) + _say(
                lang, f"\nBut I could not: {e.message}", f"\n但无法完成：{e.message}"
            )
            data = {"changed": True, "version": project.current.number, "error_code": e.code}
            yield AgentEvent("text", text, data)
            return
        yield AgentEvent(
            "error",
            _say(lang, f"I could not do that: {e.message}", f"无法完成：{e.message}"),
            {"code": e.code, "changed": False},
        )
        return
    text = reply(lang, made + applied[0], project.draft)
    if notes:
        text += "\n" + "\n".join(notes)
    if plan.ignored:
        text += _say(
            lang,
            "\n(Not understood: " + "; ".join(plan.ignored) + ")",
            "\n（没看懂：" + "；".join(plan.ignored) + "）",
        )
    data = _data(True, render)
    data["version"] = project.current.number
    yield AgentEvent("text", _with_render(text, render, lang), data)


def _summary(draft: Draft | None, lang: str) -> str:
    lines = track_lines(draft, lang) if draft else []
    return "\n".join(lines) if lines else _say(
        lang, "There is no reel yet: ask for one (e.g. a 60-second reel).",
        "还没有视频：先说要多长的集锦，比如“剪一个60秒的集锦”。",
    )  # fmt: skip


def _render_ask(plan: Parse) -> dict[str, Any] | None:
    """What the door should render after this message: an export or a quick preview."""
    if plan.intent == "export" and (plan.export is None or plan.export.format == "mp4"):
        height = plan.export.height if plan.export else None
        return {"quality": "high", "format": "mp4", "height": height}
    if plan.intent == "preview":
        return {"quality": "preview", "format": "mp4", "height": PREVIEW_HEIGHT}
    return None


def _data(changed: bool, render: dict[str, Any] | None) -> dict[str, Any]:
    data: dict[str, Any] = {"changed": changed}
    if render is not None:
        data["render"] = render
        data["route"] = "export" if render["quality"] != "preview" else "preview"
    return data


def _with_render(text: str, render: dict[str, Any] | None, lang: str) -> str:
    if render is None:
        return text
    if render["quality"] == "preview":
        return text + _say(lang, "\nRendering a quick preview.", "\n正在生成快速预览。")
    return text + _say(lang, "\nExporting the MP4.", "\n正在导出 MP4。")


def _footage_s(draft: Draft) -> float:
    return sum(s.duration_ms for s in draft.sources if s.kind == "video") / 1000


def _shortened(footage_s: float, asked_s: float, lang: str) -> str:
    return _say(
        lang,
        f"Your footage is {footage_s:.0f} s, so the reel is {footage_s:.0f} s "
        f"(you asked for {asked_s:.0f} s).",
        f"素材只有 {footage_s:.0f} 秒，所以集锦是 {footage_s:.0f} 秒（你要的是 {asked_s:.0f} 秒）。",
    )


def _fit_lengths(
    draft: Draft, requests: list[dict[str, Any]], lang: str
) -> tuple[list[dict[str, Any]], list[str]]:
    """Lengths asked beyond the footage become the footage's length, with a note saying so."""
    footage = _footage_s(draft)
    out, notes = [], []
    for r in requests:
        seconds = r.get("seconds")
        if (
            r.get("op") == "set_length"
            and isinstance(seconds, int | float)
            and footage > 0
            and seconds > footage
        ):
            notes.append(_shortened(footage, float(seconds), lang))
            r = {**r, "seconds": int(footage)}
        out.append(r)
    return out, notes


def _first_length(requests: list[dict[str, Any]], default_s: float) -> float:
    """The reel length asked for in ``requests`` (checked: planners can send anything)."""
    for r in requests:
        if r.get("op") == "set_length":
            return reel_length(r.get("seconds"), EditError)
    return default_s


_RENUMBERED = ("remove_clip", "move_clip", "trim_clip", "next_best", "slow_motion")
_RESHAPES = ("slow_motion", "set_length", "focus", "add_card", "insert_clip")  # add or re-pick


def _whole_number(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _renumber(requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Clip numbers in one message mean the clips as the person saw them, before any of its
    edits: "remove clip 2 and move clip 4 to the start" moves the clip that was 4th. Numbers are
    followed through removals and moves; after an edit that adds or re-picks clips they are left
    alone."""
    order = list(range(1, 1000))  # the clips as seen (their first numbers), in current order
    out: list[dict[str, Any]] = []
    for k, req in enumerate(requests):
        req = dict(req)
        name = req.get("op")
        if name in _RENUMBERED and req.get("index") in order:
            req["index"] = order.index(req["index"]) + 1
        pos, to = req.get("index"), req.get("to")
        if name == "remove_clip" and _whole_number(pos) and 0 < pos <= len(order):
            order.pop(pos - 1)
        elif (
            name == "move_clip"
            and _whole_number(pos)
            and _whole_number(to)
            and 0 < pos <= len(order)
            and 0 < to <= len(order)
        ):
            order.insert(to - 1, order.pop(pos - 1))
        out.append(req)
        if name in _RESHAPES:
            return out + [dict(r) for r in requests[k + 1 :]]
    return out


def _apply_all(
    draft: Draft, requests: list[dict[str, Any]], cancel: threading.Event | None, use_cache: bool
) -> tuple[Draft, tuple[list[Change], list[AgentEvent]]]:
    """Resolve and apply every request in order on a copy; nothing is kept unless all succeed."""
    changed: list[Change] = []
    events: list[AgentEvent] = []
    for req in requests:
        check_cancel(cancel)
        name = str(req.get("op"))
        args = {k: v for k, v in req.items() if k != "op"}
        events.append(AgentEvent("tool_call", name, {"name": name, "args": args}))
        op = resolve(draft, req, use_cache=use_cache)
        draft = op.apply(draft)
        changed.extend(op.changes())
        events.append(
            AgentEvent(
                "tool_result", describe(op.changes()), {"name": name, "response": {"ok": True}}
            )
        )
    return draft, (changed, events)


def _make_project(
    path: Path, sources: list[Path], length_s: float, use_cache: bool,
    cancel: threading.Event | None, lang: str,
) -> tuple[Project, list[Change], str | None]:  # fmt: skip
    """A new project with the best reel of ``length_s`` (or of all the footage, when that is
    shorter: the third value then says so)."""
    videos = footage_among(sources)
    if not videos:
        raise EditError("there is no footage yet: upload a video first")
    signals = analyze_all(videos, use_cache=use_cache, cancel=cancel)
    footage = sum(s.duration_s for s in signals)
    note = None
    if length_s > footage:
        note = _shortened(footage, length_s, lang)
        length_s = footage
    draft, clips = first_draft(
        videos, signals, SelectionParams(target_s=length_s), use_cache=use_cache, cancel=cancel
    )
    made: list[Change] = [ReelMade(len(clips), draft.duration_ms)]
    path.parent.mkdir(parents=True, exist_ok=True)
    return Project.create(path, draft, describe(made)), made, note


def _undo_redo(project: Project, message: str, lang: str) -> Iterator[AgentEvent]:
    undo = bool(_UNDO.match(message))
    try:
        version = project.undo() if undo else project.redo()
    except EditError as e:
        yield AgentEvent("text", e.message, {"changed": False})
        return
    head = _say(lang, "Undid: " if undo else "Redid: ", "已撤销：" if undo else "已重做：")
    text = head + version.what + "\n" + "\n".join(track_lines(project.draft, lang))
    yield AgentEvent("text", text, {"changed": True, "version": project.current.number})
