"""An OpenAI-compatible endpoint re-ranks and titles shorts: a real HTTP server on loopback
speaking ``/v1/chat/completions`` (no language model runs here; the server answers as one
would). What it is sent, what its answer does, and every way it can fail (garbage, a timeout,
nothing listening, an HTTP error, ids it made up) falling back to the offline ranking with a
warning."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from reelcut.editor.shorts import Short
from reelcut.editor.shorts_llm import LlmEndpoint, rerank
from reelcut.errors import InvalidArgumentError

POOL = [  # offline best first
    Short(10_000, 30_000, 1.5, ("lively audio",), "Saving money is hard", "Saving money is hard."),
    Short(40_000, 62_000, 1.2, ("whole thought",), "The striker scored", "The striker scored."),
    Short(
        70_000,
        95_000,
        0.9,
        ("a question and its answer",),
        "Where will you",
        "Where will you sleep?",
    ),
]


class Endpoint:
    """A loopback chat-completions server; ``answer`` says what it replies."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.answer: Any = None
        self.status = 200
        self.delay_s = 0.0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append({"path": self.path, **body})
                outer.headers.append(dict(self.headers))
                time.sleep(outer.delay_s)
                content = (
                    outer.answer if isinstance(outer.answer, str) else json.dumps(outer.answer)
                )
                reply = {"choices": [{"message": {"role": "assistant", "content": content}}]}
                data = json.dumps(reply).encode()
                self.send_response(outer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    server = Endpoint()
    yield server
    server.close()


def test_the_model_reorders_and_titles_what_offline_ranking_found(endpoint, monkeypatch):
    monkeypatch.setenv("REELCUT_LLM_API_KEY", "sk-test")
    endpoint.answer = {
        "ranking": [
            {"id": 3, "title": "Sleeping on a train"},
            {"id": 1, "title": "Why saving is hard"},
        ]
    }
    llm = LlmEndpoint.from_options(endpoint.url, "tiny-test")
    assert llm is not None
    made, warning = rerank(POOL, 2, llm)
    assert warning is None
    assert [(s.start_ms, s.title, s.rank) for s in made] == [
        (70_000, "Sleeping on a train", 1),
        (10_000, "Why saving is hard", 2),
    ]
    assert made[0].reasons[-1] == "ranked by tiny-test"
    [sent] = endpoint.requests
    assert sent["path"] == "/v1/chat/completions" and sent["model"] == "tiny-test"
    prompt = sent["messages"][-1]["content"]
    assert all(f"[{k}]" in prompt for k in (1, 2, 3)) and "Where will you sleep?" in prompt
    assert endpoint.headers[0]["Authorization"] == "Bearer sk-test"


def test_too_few_ids_are_filled_from_the_offline_order(endpoint):
    endpoint.answer = {"ranking": [{"id": 2}, {"id": 2}, {"id": 9}, "x"]}
    made, warning = rerank(POOL, 3, LlmEndpoint(endpoint.url, "m"))
    assert warning is None
    assert [s.start_ms for s in made] == [40_000, 10_000, 70_000]
    assert made[0].title == "The striker scored"  # no title given: the offline one


@pytest.mark.parametrize(
    ("setup", "says"),
    [
        (lambda e: setattr(e, "answer", "I think the second one is best!"), "not JSON"),
        (lambda e: setattr(e, "answer", {"ranking": [{"id": 7}]}), "none of the candidates"),
        (lambda e: setattr(e, "answer", {"best": 1}), "no ranking"),
        (lambda e: (setattr(e, "status", 500), setattr(e, "answer", {})), "500"),
        (lambda e: (setattr(e, "delay_s", 2.0), setattr(e, "answer", {})), "did not answer within"),
    ],
)
def test_an_unusable_endpoint_falls_back_to_the_offline_ranking(endpoint, setup, says):
    setup(endpoint)
    made, warning = rerank(POOL, 2, LlmEndpoint(endpoint.url, "m", timeout_s=0.5))
    assert [(s.start_ms, s.title, s.rank) for s in made] == [
        (10_000, "Saving money is hard", 1),
        (40_000, "The striker scored", 2),
    ]
    assert warning is not None and says in warning and "offline ranking" in warning


def test_nothing_listening_falls_back_too():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nothing listens there
    made, warning = rerank(POOL, 1, LlmEndpoint(f"http://127.0.0.1:{port}/v1", "m"))
    assert [s.start_ms for s in made] == [10_000] and warning and "offline ranking" in warning


def test_the_endpoint_comes_from_flags_or_the_environment(monkeypatch):
    monkeypatch.delenv("REELCUT_LLM_BASE_URL", raising=False)
    monkeypatch.delenv("REELCUT_LLM_MODEL", raising=False)
    assert LlmEndpoint.from_options() is None  # offline by default
    monkeypatch.setenv("REELCUT_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("REELCUT_LLM_MODEL", "qwen")
    assert LlmEndpoint.from_options() == LlmEndpoint("http://127.0.0.1:9/v1", "qwen", "")
    monkeypatch.delenv("REELCUT_LLM_MODEL")
    with pytest.raises(InvalidArgumentError, match="model name"):
        LlmEndpoint.from_options("http://x/v1")
    with pytest.raises(InvalidArgumentError, match="not an http"):
        LlmEndpoint.from_options("ftp://x", "m")
