"""The chat session (the editing agent): a chat message in, the edit done, a reply out — as a stream of events.

Steps: understand the message (a language-model planner when one is configured, else — or when
it fails — the built-in English/Chinese parser), make the reel first if there is none yet, then
apply every requested edit in order as ONE new project version (all or nothing), and answer in
the message's language with what changed and the track summary. Each step is an
:class:`AgentEvent` (thinking, tool_call, tool_result, text, error) that the service streams.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from reelcut.editor.footage import analyze_all, first_draft, footage_among
from reelcut.editor.requests import resolve
from reelcut.editor.store import Project
from reelcut.errors import EditError, ReelcutError
from reelcut.instructions.parser import Parse, parse
from reelcut.instructions.planner import Planner, PlannerError, planner_from_env
from reelcut.instructions.reply import describe, reply, track_lines
from reelcut.instructions.routing import route
from reelcut.progress import check_cancel
from reelcut.selection import SelectionParams
from reelcut.timeline.changes import Change, ReelMade
from reelcut.timeline.model import Draft

PROJECT_NAME = "project.reelcut.json"
DEFAULT_LENGTH_S = 60.0
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
    """Carry out ``message`` on the project in ``workspace`` (made from ``sources`` if new)."""
    path = project_path or workspace / PROJECT_NAME
    project = Project.load(path) if path.is_file() else None
    draft = project.draft if project else None
    first = parse(message, draft)
    lang = language or first.language
    yield AgentEvent("thinking", _say(lang, "Reading the request.", "正在理解你的要求。"))

    door = route(message)
    if door in ("credits", "upload") or (door == "export" and not first.edits):
        yield AgentEvent(
            "text", _say(lang, f"Routed to {door}.", f"已转到：{door}。"), {"route": door}
        )
        return
    if door in ("status", "preview"):
        lines = track_lines(draft, lang) if draft else []
        text = "\n".join(lines) if lines else _say(
            lang, "There is no reel yet: ask for one (e.g. a 60-second reel).",
            "还没有视频：先说要多长的集锦，比如“剪一个60秒的集锦”。",
        )  # fmt: skip
        yield AgentEvent("text", text, {"route": door})
        return
    if project and (_UNDO.match(message) or _REDO.match(message)):
        yield from _undo_redo(project, message, lang)
        return

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

    requests = _renumber(list(plan.requests))
    made: list[Change] = []
    try:
        check_cancel(cancel)
        if project is None:
            length = _first_length(requests, default_length_s)
            requests = [r for r in requests if r.get("op") != "set_length"]
            yield AgentEvent(
                "tool_call", "make_reel", {"name": "make_reel", "args": {"seconds": length}}
            )
            project, made = _make_project(path, sources, length, use_cache, cancel)
            yield AgentEvent(
                "tool_result",
                describe(made, lang),
                {"name": "make_reel", "response": {"summary": track_lines(project.draft)}},
            )
        if not requests and not made:
            yield AgentEvent(
                "text", _say(lang, "Nothing to change.", "没有需要修改的地方。"), {"changed": False}
            )
            return
        new, applied = _apply_all(project.draft, requests, cancel, use_cache)
        events = applied[1]
        yield from events
        if applied[0]:
            project.commit(new, describe(applied[0]))
    except ReelcutError as e:
        yield AgentEvent("error", e.message, {"code": e.code})
        if made and project is not None:  # the reel exists: say so, and what could not be done
            text = reply(lang, made, project.draft) + _say(
                lang, f"\nBut I could not: {e.message}", f"\n但无法完成：{e.message}"
            )
            yield AgentEvent("text", text, {"changed": True, "version": project.current.number})
            return
        yield AgentEvent(
            "text",
            _say(lang, f"I could not do that: {e.message}", f"无法完成：{e.message}"),
            {"changed": False},
        )
        return
    text = reply(lang, made + applied[0], project.draft)
    if plan.ignored:
        text += _say(
            lang,
            "\n(Not understood: " + "; ".join(plan.ignored) + ")",
            "\n（没看懂：" + "；".join(plan.ignored) + "）",
        )
    yield AgentEvent("text", text, {"changed": True, "version": project.current.number})


def _first_length(requests: list[dict[str, Any]], default_s: float) -> float:
    """The reel length asked for in ``requests`` (checked: planners can send anything)."""
    for r in requests:
        if r.get("op") == "set_length":
            value = r.get("seconds")
            if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
                raise EditError("the reel length must be a positive number of seconds")
            return float(value)
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
    cancel: threading.Event | None,
) -> tuple[Project, list[Change]]:  # fmt: skip
    videos = footage_among(sources)
    if not videos:
        raise EditError("there is no footage yet: upload a video first")
    signals = analyze_all(videos, use_cache=use_cache, cancel=cancel)
    draft, clips = first_draft(videos, signals, SelectionParams(target_s=length_s))
    made: list[Change] = [ReelMade(len(clips), draft.duration_ms)]
    path.parent.mkdir(parents=True, exist_ok=True)
    return Project.create(path, draft, describe(made)), made


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
