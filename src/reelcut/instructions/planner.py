"""Optional language-model planner: any OpenAI-compatible chat endpoint (a local Ollama, vLLM,
llama.cpp server...) turns a free-form request into the same typed edit requests the built-in
parser emits. Nothing it says is applied unchecked: every request must name a known operation
and is validated again when applied. Configure with ``REELCUT_LLM_BASE_URL`` (e.g.
``http://127.0.0.1:11434/v1``), ``REELCUT_LLM_MODEL`` and optionally ``REELCUT_LLM_API_KEY``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

from reelcut.errors import ReelcutError
from reelcut.instructions.vocabulary import MEDIA_REQUESTS

_SYSTEM = """You turn video-editing requests about a highlight reel into JSON operations.
Answer with ONE JSON object: {"requests": [ ... ]} and nothing else. Each request is one of:
{"op":"set_length","seconds":N}
{"op":"set_format","aspect":"16:9|9:16|1:1|4:5","height":720|1080,"reframe":"follow|blur|center"}
{"op":"title","text":"...","seconds":S}   {"op":"edit_text","role":"title","text":"..."}
{"op":"remove_text","role":"title"}   {"op":"music","what":"lofi|upbeat|epic|calm|happy|dramatic","volume":PERCENT}
{"op":"edit_music","volume":PERCENT}   {"op":"remove_music"}   {"op":"set_original_volume","volume":PERCENT}
{"op":"set_transition","kind":"cut|crossfade|fade_black","duration_ms":MS}
{"op":"remove_clip","index":N}   {"op":"move_clip","index":N,"to":M}   {"op":"next_best","index":N}
{"op":"trim_clip","index":N,"head_ms":MS,"tail_ms":MS}   {"op":"slow_motion"}   {"op":"captions"}
{"op":"add_card","where":"intro|outro","text":"..."}
{"op":"focus","kind":"crowd|speech|action|keyword|topic","keyword":"..."}
Clip numbers start at 1. Use only these operations and fields."""


class PlannerError(ReelcutError):
    """The planner could not be reached or did not answer with valid operations."""

    code = 5004


@dataclass(frozen=True, slots=True)
class Planner:
    base_url: str
    model: str
    api_key: str = ""
    timeout_s: float = 30.0

    def plan(self, message: str, summary: list[str], language: str) -> list[dict[str, Any]]:
        """The requests for ``message`` (raises :class:`PlannerError` on anything unusable)."""

        context = "Current reel:\n" + "\n".join(summary) if summary else "No reel yet."
        user = f"{context}\nRequest ({language}): {message}"
        answer = chat_json(self.base_url, self.model, _SYSTEM, user, self.api_key, self.timeout_s)
        return validate_requests(answer)


def chat_json(
    base_url: str, model: str, system: str, user: str, api_key: str = "", timeout_s: float = 30.0
) -> Any:
    """One question to an OpenAI-compatible ``/chat/completions`` endpoint, answered as JSON.
    Raises :class:`PlannerError` on anything unusable (unreachable, a timeout, an HTTP error,
    no JSON in the answer)."""
    try:
        import httpx
    except ImportError:
        raise PlannerError("talking to a language model needs httpx: pip install httpx") from None

    body = {
        "model": model,
        "temperature": 0,
        "response_format": {"type": "json_object"},
        "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
    }
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    url = base_url.rstrip("/") + "/chat/completions"
    try:
        r = httpx.post(url, json=body, headers=headers, timeout=timeout_s)
        r.raise_for_status()
        choice = r.json()["choices"][0]["message"]
    except httpx.TimeoutException:
        raise PlannerError(f"{url} did not answer within {timeout_s:g} s") from None
    except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as e:
        raise PlannerError(f"no usable answer from {url}: {e}") from None
    return _content_json(choice)


def _content_json(choice: dict[str, Any]) -> Any:
    """The JSON the model gave, from a tool call's arguments or the message text."""
    calls = choice.get("tool_calls") or []
    text = calls[0]["function"]["arguments"] if calls else choice.get("content") or ""
    text = text.strip()
    if text.startswith("```"):
        text = text.strip("`").removeprefix("json").strip()
    try:
        return json.loads(text)
    except (TypeError, json.JSONDecodeError):
        raise PlannerError("the answer was not JSON") from None


def validate_requests(data: Any) -> list[dict[str, Any]]:
    from reelcut.timeline.opjson import op_from_json

    items = data.get("requests") if isinstance(data, dict) else data
    if not isinstance(items, list) or not items:
        raise PlannerError("the answer held no requests")
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("op"), str):
            raise PlannerError(f"not an operation: {item!r}")
        if item["op"] in MEDIA_REQUESTS:
            continue
        try:
            op_from_json(item)
        except ReelcutError as e:
            raise PlannerError(f"invalid operation {item.get('op')!r}: {e}") from None
    return items


def planner_from_env() -> Planner | None:
    base = os.environ.get("REELCUT_LLM_BASE_URL")
    model = os.environ.get("REELCUT_LLM_MODEL")
    if not base or not model:
        return None
    return Planner(base, model, os.environ.get("REELCUT_LLM_API_KEY", ""))
