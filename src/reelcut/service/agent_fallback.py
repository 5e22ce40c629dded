"""A minimal stand-in for the chat agent (``reelcut.instructions.agent``) while it is written.

Same interface as ``run_agent``: it yields events and keeps the session's project in
``workspace/project.reelcut.json``. It answers "export", "credits" and "status" in words and,
for anything else, builds a reel from the session's videos (analysis cached per content) with
:func:`reelcut.project.build.draft_from_clips`: the length named in the message ("a 5 second
reel", "90s", "2 minutes", "1:30") or ``default_s``, capped at the footage.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reelcut.errors import InputError

PROJECT_FILE = "project.reelcut.json"

_LENGTH = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:-\s*)?(s|sec|secs|second|seconds|秒|m|min|mins|minute|minutes|分钟)"
    r"(?![a-z])|(\d+:\d{2})"
)


@dataclass(frozen=True, slots=True)
class AgentEvent:
    kind: str  # "thinking" | "tool_call" | "tool_result" | "text" | "error"
    text: str
    data: dict[str, Any] = field(default_factory=dict)


def requested_seconds(message: str) -> float | None:
    """The reel length a message names, in seconds, or None."""
    m = _LENGTH.search(message.lower())
    if m is None:
        return None
    if m.group(3):
        minutes, seconds = m.group(3).split(":")
        return int(minutes) * 60 + int(seconds)
    value = float(m.group(1))
    return value * 60 if m.group(2).startswith(("m", "分")) else value


def run_agent(
    message: str,
    workspace: Path,
    sources: Sequence[Path],
    *,
    language: str | None = None,
    cancel: threading.Event | None = None,
    default_s: float = 60.0,
) -> Iterator[AgentEvent]:
    from reelcut.project.store import Project
    from reelcut.timeline.summary import summarize

    words = message.lower()
    project_path = Path(workspace) / PROJECT_FILE
    if any(w in words for w in ("export", "download", "render")):
        yield AgentEvent(
            "text",
            "To export, POST /api/render/proxy/lambda with this session's id; it renders the "
            "current draft (exports are free), then poll GET /api/render/proxy/lambda/{id}.",
        )
        return
    if any(w in words for w in ("credit", "balance")):
        yield AgentEvent(
            "text",
            "Your balance is at GET /api/credits/balance/simple. An edit that changes the reel "
            "costs 1 credit; analysis costs 1 credit per started minute of footage.",
        )
        return
    if "status" in words:
        if project_path.is_file():
            project = Project.load(project_path)
            yield AgentEvent("text", summarize(project.draft), {"version": project.current.number})
        else:
            yield AgentEvent("text", "No reel yet: ask for one, e.g. 'make a 30 second reel'.")
        return
    yield from _make_reel(message, project_path, sources, cancel, default_s)


def _make_reel(
    message: str,
    project_path: Path,
    sources: Sequence[Path],
    cancel: threading.Event | None,
    default_s: float,
) -> Iterator[AgentEvent]:
    from reelcut.analysis import analyze
    from reelcut.media.probe import MediaInfo, probe
    from reelcut.project.build import draft_from_clips
    from reelcut.project.store import Project
    from reelcut.selection import SelectionParams, select_clips
    from reelcut.timeline.summary import summarize

    infos: list[MediaInfo] = []
    for path in sources:
        try:
            infos.append(probe(path))
        except InputError:
            continue  # pictures and sound are not footage
    if not infos:
        yield AgentEvent("error", "Upload a video first: there is no footage to cut yet.")
        return
    total = sum(i.duration_s for i in infos)
    asked = requested_seconds(message)
    target = min(asked or default_s, total)
    yield AgentEvent(
        "thinking", f"Cutting a {target:.0f} s reel from {total:.0f} s of footage.", {}
    )
    args = {"seconds": round(target, 2)}
    yield AgentEvent("tool_call", "make_reel", {"name": "make_reel", "args": args})
    signals = [analyze(info, cancel=cancel) for info in infos]
    clips = select_clips(signals, SelectionParams(target_s=target, min_clip_s=min(3.0, target / 2)))
    draft = draft_from_clips(infos, clips, target)
    what = f"made a {draft.duration_ms / 1000:.0f}s reel of {len(clips)} clips"
    if project_path.is_file():
        project = Project.load(project_path)
        version = project.commit(draft, what)
    else:
        project = Project.create(project_path, draft, what)
        version = project.current
    summary = summarize(draft)
    yield AgentEvent(
        "tool_result",
        "make_reel",
        {"name": "make_reel", "response": {"version": version.number, "summary": summary}},
    )
    note = "" if asked is None or asked <= total else f" (the footage is only {total:.0f} s)"
    yield AgentEvent("text", f"Done: {what}{note}. {summary}")
