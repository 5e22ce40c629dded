"""The chat session's events as Google ADK events, the shape hosted editors' clients parse.

The session itself is :func:`reelcut.editor.chat.run_agent`; each of its events becomes
``{"id", "invocationId", "author", "timestamp", "content": {"role": "model", "parts": [...]},
"partial": false}`` with a text, ``functionCall`` or ``functionResponse`` part.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

AUTHOR = "nemo_agent"


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
