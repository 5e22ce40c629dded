"""An optional language model re-ranks and titles the shorts: any OpenAI-compatible chat
endpoint (a local Ollama, vLLM or llama.cpp server, or a hosted one).

Offline ranking (audio and words, :mod:`reelcut.editor.shorts`) always runs first and picks a
pool of non-overlapping candidates; the model only reorders that pool and writes titles, so it
can never cut a clip mid-sentence or pick one that was not a whole thought. Anything unusable
(unreachable, a timeout, an HTTP error, an answer without valid ids) falls back to the offline
ranking with a warning: shorts are made either way.

Configure with ``--llm-url``/``--llm-model`` or ``REELCUT_LLM_BASE_URL``, ``REELCUT_LLM_MODEL``
and ``REELCUT_LLM_API_KEY`` (the same variables as the chat's planner).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # shorts calls this module: only the type comes from there
    from reelcut.editor.shorts import Short

_SYSTEM = """You choose the best short vertical clips from a talk for social media.
You get numbered candidate clips, each a run of whole sentences with its transcript.
Rank them best first: a complete thought, a hook in the first sentence, a clear point or a
laugh. Give each a catchy title of at most 8 words, in the language of its words.
Answer with ONE JSON object and nothing else:
{"ranking": [{"id": N, "title": "..."}, ...]}"""
_TEXT_CHARS = 700  # of each candidate's words in the prompt


@dataclass(frozen=True, slots=True)
class LlmEndpoint:
    """Where the re-ranking model is: ``base_url`` up to ``/v1``, the ``model`` name."""

    base_url: str
    model: str
    api_key: str = ""
    timeout_s: float = 30.0

    @classmethod
    def from_options(
        cls, url: str | None = None, model: str | None = None, timeout_s: float = 30.0
    ) -> LlmEndpoint | None:
        """From flags, else the environment; None when no endpoint is named (offline)."""
        url = url or os.environ.get("REELCUT_LLM_BASE_URL")
        model = model or os.environ.get("REELCUT_LLM_MODEL")
        if not url:
            return None
        from reelcut.errors import InvalidArgumentError

        if not model:
            raise InvalidArgumentError(
                "a language model endpoint needs a model name: --llm-model or REELCUT_LLM_MODEL"
            )
        if not url.startswith(("http://", "https://")):
            raise InvalidArgumentError(f"--llm-url {url!r} is not an http(s) URL")
        return cls(url, model, os.environ.get("REELCUT_LLM_API_KEY", ""), timeout_s)


def _prompt(pool: Sequence[Short]) -> str:
    lines = []
    for k, s in enumerate(pool, 1):
        words = s.text if len(s.text) <= _TEXT_CHARS else s.text[: _TEXT_CHARS - 1] + "…"
        lines.append(f"[{k}] {(s.end_ms - s.start_ms) / 1000:.0f} s: {words}")
    return "Candidates:\n" + "\n".join(lines)


def _ranking(answer: Any, size: int) -> list[tuple[int, str | None]]:
    items = answer.get("ranking") if isinstance(answer, dict) else answer
    if not isinstance(items, list):
        raise ValueError("no ranking list in the answer")
    out: list[tuple[int, str | None]] = []
    for item in items:
        ident = item.get("id") if isinstance(item, dict) else item
        if isinstance(ident, str) and ident.strip().isdigit():
            ident = int(ident)
        if not isinstance(ident, int) or isinstance(ident, bool) or not 1 <= ident <= size:
            continue
        if any(ident == seen for seen, _ in out):
            continue
        title = item.get("title") if isinstance(item, dict) else None
        ok = isinstance(title, str) and 0 < len(title.strip()) <= 120
        out.append((ident, " ".join(title.split()) if ok else None))  # type: ignore[union-attr]
    if not out:
        raise ValueError("the ranking named none of the candidates")
    return out


def rerank(
    pool: Sequence[Short], count: int, endpoint: LlmEndpoint
) -> tuple[list[Short], str | None]:
    """The ``count`` shorts the model ranks best in ``pool`` (offline best first), each with
    ``rank`` set and the model's title; or the offline top ``count`` and a warning saying why
    the model was not used."""
    from reelcut.instructions.planner import PlannerError, chat_json

    offline = [replace(s, rank=k) for k, s in enumerate(pool[:count], 1)]
    if not pool:
        return offline, None
    try:
        answer = chat_json(
            endpoint.base_url, endpoint.model, _SYSTEM, _prompt(pool), endpoint.api_key,
            endpoint.timeout_s,
        )  # fmt: skip
        order = _ranking(answer, len(pool))
    except (PlannerError, ValueError) as e:
        reason = e.message if isinstance(e, PlannerError) else str(e)
        return offline, f"the language model did not re-rank the shorts ({reason}): offline ranking"
    picked: list[Short] = []
    for ident, title in order[:count]:
        s = pool[ident - 1]
        reasons = (*s.reasons, f"ranked by {endpoint.model}")
        picked.append(replace(s, title=title or s.title, reasons=reasons, rank=len(picked) + 1))
    for s in pool:  # the model named too few: the offline order fills the rest
        if len(picked) == count:
            break
        if all(s.start_ms != p.start_ms for p in picked):
            picked.append(replace(s, rank=len(picked) + 1))
    return picked, None
