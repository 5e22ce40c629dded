"""The bridge to the chat agent: find it, and turn its events into Google ADK events.

The agent is ``reelcut.instructions.agent.run_agent`` when that module exists, else the small
stand-in in :mod:`reelcut.service.agent_fallback`. Events become the ADK shape hosted editors'
clients already parse: ``{"id", "invocationId", "author", "timestamp", "content": {"role":
"model", "parts": [...]}, "partial": false}`` with a text, ``functionCall`` or
``functionResponse`` part.
"""

from __future__ import annotations

import importlib
import importlib.util
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

AUTHOR = "nemo_agent"
AgentFn = Callable[..., Iterator[Any]]


def load_agent(default_s: float = 60.0) -> tuple[AgentFn, str]:
    """``(run_agent, name)``: the real agent if it is installed, else the fallback."""
    try:
        found = importlib.util.find_spec("reelcut.instructions.agent") is not None
    except ImportError:
        found = False
    if found:
        module = importlib.import_module("reelcut.instructions.agent")
        return module.run_agent, "reelcut.instructions.agent"
    from reelcut.service import agent_fallback

    return partial(agent_fallback.run_agent, default_s=default_s), "fallback"


def adk_event(
    kind: str, text: str, data: dict[str, Any] | None, invocation_id: str
) -> dict[str, Any]:
    """One agent event as an ADK event dict."""
    data = dict(data or {})
    part: dict[str, Any]
    extra: dict[str, Any] = {}
    if kind == "tool_call":
        args = data.get("args")
        if not isinstance(args, dict):
            args = {k: v for k, v in data.items() if k != "name"}
        part = {"functionCall": {"name": str(data.get("name") or text), "args": args}}
    elif kind == "tool_result":
        response = data.get("response")
        if not isinstance(response, dict):
            response = {k: v for k, v in data.items() if k != "name"} or {"result": text}
        part = {"functionResponse": {"name": str(data.get("name") or text), "response": response}}
    elif kind == "thinking":
        part = {"text": text, "thought": True}
    else:
        part = {"text": text}
        if kind == "error":
            extra = {"errorCode": str(data.get("code", "error")), "errorMessage": text}
    return {
        "id": secrets.token_hex(8),
        "invocationId": invocation_id,
        "author": AUTHOR,
        "timestamp": time.time(),
        "content": {"role": "model", "parts": [part]},
        "partial": False,
        **extra,
    }


def run(
    agent: AgentFn,
    message: str,
    workspace: Path,
    sources: list[Path],
    language: str | None,
    cancel: threading.Event,
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Run ``agent`` and yield ``(kind, text, data)`` of each event it makes."""
    for event in agent(message, workspace, sources, language=language, cancel=cancel):
        data = getattr(event, "data", None)
        yield str(event.kind), str(event.text), dict(data) if isinstance(data, dict) else {}
