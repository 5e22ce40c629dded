"""A client written from the hosted editor skill's text alone (not from this service's code).

What it does, in the order the skill describes: get a starter token with a fresh client id
(a token from the environment wins), open a session, route each user message by keyword
(English and Chinese) either to a direct endpoint or to the SSE chat, keep waiting through
heartbeats and empty data, poll the session state when an edit streamed no text, export by
posting a render and polling it until it is completed, and turn the documented error codes
into what the user should be told (2001 no credits, 402 plan, 429 retry once after a pause).
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

SKILL_HEADERS = {
    "X-Skill-Source": "ai-video-editor-highlights",
    "X-Skill-Version": "1.0.0",
    "X-Skill-Platform": "unknown",
}

# (words, action); the first table row whose word is in the message wins, else the chat
ROUTES: list[tuple[tuple[str, ...], str]] = [
    (("export", "导出", "download", "send me the video"), "export"),
    (("credits", "积分", "balance", "余额"), "credits"),
    (("status", "状态", "show tracks"), "state"),
    (("upload", "上传"), "upload"),
]


def route(message: str) -> str:
    lowered = message.lower()
    for words, action in ROUTES:
        if any(w in lowered for w in words):
            return action
    return "chat"


class SkillError(Exception):
    """An answer the skill tells the client to show the user instead of carrying on."""

    def __init__(self, code: int, user_message: str) -> None:
        super().__init__(user_message)
        self.code = code
        self.user_message = user_message


@dataclass
class Reply:
    """What the user is shown for one message, and what the client learned along the way."""

    text: str
    events: list[dict[str, Any]] = field(default_factory=list)
    heartbeats: int = 0
    polled_state: bool = False
    download_url: str | None = None


class SkillClient:
    def __init__(
        self, base_url: str, token: str | None = None, retry_pause_s: float = 30.0
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retry_pause_s = retry_pause_s
        self.http = httpx.Client(base_url=self.base_url, timeout=900, headers=SKILL_HEADERS)
        self.token = token or self._starter_token()
        self.http.headers["Authorization"] = f"Bearer {self.token}"
        self.session_id = self._session()

    # -- the plumbing the skill spells out -----------------------------------------------

    def _call(self, method: str, path: str, **kw: Any) -> dict[str, Any]:
        """One request with the skill's error table applied (429: wait and retry once)."""
        for attempt in (1, 2):
            r = self.http.request(method, path, **kw)
            body = r.json()
            code = body.get("code", r.status_code)
            if code == 0 and r.status_code < 400:
                return body
            if (r.status_code == 429 or code == 429) and attempt == 1:
                time.sleep(self.retry_pause_s)
                continue
            raise SkillError(code, self._tell(code, r.status_code, body.get("message", "")))
        raise AssertionError("unreachable")

    def _tell(self, code: int, status: int, message: str) -> str:
        if code == 2001:
            return f"Out of credits. Register to get more: {self.base_url}/?bind={self.session_id}"
        if status == 402 or code == 2002:
            return "Register or upgrade your plan to unlock export."
        if code == 1001:
            return "Your session expired; reconnecting."
        if code == 4001:
            return "That file type is not supported: try MP4, MOV, AVI or WebM."
        if code == 4002:
            return "That file is too large: compress or trim it first."
        if code == 429 or status == 429:
            return "The service is busy; please try again in a little while."
        return message or f"error {code}"

    def _starter_token(self) -> str:
        r = httpx.post(
            self.base_url + "/api/auth/anonymous-token",
            headers={**SKILL_HEADERS, "X-Client-Id": str(uuid.uuid4())},
        )
        body = r.json()
        if r.status_code != 200:
            raise SkillError(body.get("code", r.status_code), body.get("message", ""))
        return str(body["data"]["token"])

    def _session(self) -> str:
        body = self._call(
            "POST",
            "/api/tasks/me/with-session/nemo_agent",
            json={"task_name": "project", "language": "en"},
        )
        return str(body["data"]["session_id"])

    # -- what the user does ---------------------------------------------------------------

    def upload(self, path: Path) -> dict[str, Any]:
        with path.open("rb") as fh:
            return self._call(
                "POST",
                f"/api/upload-video/nemo_agent/me/{self.session_id}",
                files=[("files", (path.name, fh, "application/octet-stream"))],
            )

    def state(self) -> dict[str, Any]:
        body = self._call("GET", f"/api/state/nemo_agent/me/{self.session_id}/latest")
        return dict(body["data"]["state"])

    def say(self, message: str) -> Reply:
        action = route(message)
        if action == "export":
            return self.export()
        if action == "credits":
            data = self._call("GET", "/api/credits/balance/simple")["data"]
            return Reply(f"{data['available']} credits available")
        if action == "state":
            return Reply(json.dumps(self.state()["draft"]))
        return self.chat(message)

    def chat(self, message: str) -> Reply:
        payload = {
            "app_name": "nemo_agent",
            "user_id": "me",
            "session_id": self.session_id,
            "new_message": {"parts": [{"text": message}]},
        }
        reply = Reply("")
        texts: list[str] = []
        headers = {"Accept": "text/event-stream"}
        with self.http.stream("POST", "/run_sse", json=payload, headers=headers) as r:
            if r.status_code != 200:
                body = json.loads(r.read() or b"{}")
                raise SkillError(
                    body.get("code", r.status_code),
                    self._tell(body.get("code", 0), r.status_code, body.get("message", "")),
                )
            for line in r.iter_lines():
                if line.startswith(":") or line.strip() in ("", "data:", "data: "):
                    reply.heartbeats += line.startswith(":")
                    continue  # heartbeat or empty data: keep waiting
                if not line.startswith("data:"):
                    continue
                event = json.loads(line[5:].strip())
                reply.events.append(event)
                for part in event.get("content", {}).get("parts", []):
                    if "text" in part and not part.get("thought"):
                        texts.append(part["text"])  # tool calls and results stay internal
        if not texts:  # the skill: an edit may stream no text; check the state instead
            reply.polled_state = True
            draft = self.state()["draft"]
            texts.append("Updated." if draft else "Nothing changed yet.")
        reply.text = "\n".join(texts)
        return reply

    def export(self, quality: str = "high", poll_s: float = 0.5) -> Reply:
        """The skill's export: render the session's draft, poll until completed, give the URL."""
        draft = self.state()["draft"]
        render_id = f"render_{int(time.time() * 1000)}_{uuid.uuid4().hex[:6]}"
        body = {
            "id": render_id,
            "sessionId": self.session_id,
            "draft": draft,
            "output": {"format": "mp4", "quality": quality},
        }
        self._call("POST", "/api/render/proxy/lambda", json=body)
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            answer = self._call("GET", f"/api/render/proxy/lambda/{render_id}")
            status = answer.get("status") or answer["data"]["status"]
            if status == "completed":
                output = answer.get("output") or answer["data"]["output"]
                return Reply(f"Your video is ready: {output['url']}", download_url=output["url"])
            if status == "failed":
                raise SkillError(5001, answer["data"].get("error") or "the render failed")
            time.sleep(poll_s)
        raise SkillError(504, "the render did not finish in time")

    def close(self) -> None:
        self.http.close()
