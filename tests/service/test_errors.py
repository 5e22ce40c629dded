"""Every error answers in the envelope with its stable code and a message a client can show."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from reelcut.service.admin import create_key
from reelcut.service.settings import Settings
from tests.service.conftest import Server, anonymous_token, new_session, upload, wait_for


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """This module's own server, not the session's: its tests check that refused uploads leave
    nothing in the scratch folder, where a render another file left running on the shared
    server may still be writing (CI saw one's .part.mp4 there)."""
    srv = Server(tmp_path_factory.mktemp("serve-errors")).start()
    yield srv
    srv.stop()


def check(r: httpx.Response, status: int, code: int) -> str:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"code", "message", "data"}
    assert body["code"] == code and body["data"] is None
    assert isinstance(body["message"], str) and body["message"]
    return str(body["message"])


def key(server: Server, credits: int, export: bool = True) -> str:
    return create_key(Settings(data_dir=server.data_dir), "test", credits, export).key


def test_missing_client_id_is_400(server: Server):
    r = httpx.post(server.url + "/api/auth/anonymous-token")
    assert "X-Client-Id" in check(r, 400, 400)


def test_second_token_for_a_client_id_is_429(server: Server):
    cid = uuid.uuid4().hex
    anonymous_token(server, cid)
    r = httpx.post(server.url + "/api/auth/anonymous-token", headers={"X-Client-Id": cid})
    check(r, 429, 429)
    assert int(r.headers["retry-after"]) > 0


@pytest.mark.parametrize("auth", [None, "Bearer nope", "Basic abc"])
def test_bad_token_is_1001(server: Server, auth: str | None):
    headers = {"Authorization": auth} if auth else {}
    r = httpx.get(server.url + "/api/credits/balance/simple", headers=headers)
    check(r, 401, 1001)


def test_expired_token_is_1001(server: Server):
    token = anonymous_token(server)
    with sqlite3.connect(server.data_dir / "reelcut.db") as db:
        db.execute(
            "UPDATE accounts SET expires_at = '2000-01-01 00:00:00' WHERE token_hash = ?",
            (hashlib.sha256(token.encode()).hexdigest(),),
        )
    with server.client(token) as c:
        assert "expired" in check(c.get("/api/credits/balance/simple"), 401, 1001)


def test_unknown_session_is_1002(server: Server, clip: Path):
    with server.client(anonymous_token(server)) as c:
        check(c.get("/api/state/nemo_agent/me/nope/latest"), 404, 1002)
        check(upload(c, "nope", clip), 404, 1002)
        body = {"session_id": "nope", "new_message": {"parts": [{"text": "hi"}]}}
        check(c.post("/run_sse", json=body), 404, 1002)
        r = c.post("/api/render/proxy/lambda", json={"id": "r1", "sessionId": "nope"})
        check(r, 404, 1002)


def test_no_credits_is_2001(server: Server, clip: Path):
    with server.client(key(server, 0)) as c:
        sid = new_session(c)
        assert "needs 1" in check(upload(c, sid, clip), 403, 2001)
        body = {"session_id": sid, "new_message": {"parts": [{"text": "make a reel"}]}}
        check(c.post("/run_sse", json=body), 403, 2001)
        state = c.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]
        assert state["video_infos"] == []  # refused uploads are not kept
    assert not [p for p in (server.data_dir / "tmp").iterdir()]


def test_text_file_named_mp4_is_4001(server: Server, tmp_path: Path):
    fake = tmp_path / "movie.mp4"
    fake.write_text("this is not a video\n" * 50)
    with server.client(anonymous_token(server)) as c:
        sid = new_session(c)
        message = check(upload(c, sid, fake), 415, 4001)
        assert "movie.mp4" in message or "unsupported" in message
        assert str(server.data_dir) not in message


def test_file_over_the_limit_is_4002_and_deleted(server: Server, tmp_path: Path):
    big = tmp_path / "big.mp4"
    big.write_bytes(os.urandom(3 * 2**20))  # the test server's limit is 2 MB
    with server.client(anonymous_token(server)) as c:
        sid = new_session(c)
        assert "2 MB" in check(upload(c, sid, big), 413, 4002)
    assert not [p for p in (server.data_dir / "tmp").iterdir()]


def test_plan_without_export_is_402(server: Server):
    with server.client(key(server, 10, export=False)) as c:
        sid = new_session(c)
        r = c.post("/api/render/proxy/lambda", json={"id": "r1", "sessionId": sid})
        assert "export is not in" in check(r, 402, 2002)


def test_bad_json_and_bad_fields_are_400_envelopes(server: Server):
    with server.client(anonymous_token(server)) as c:
        r = c.post("/run_sse", content=b"{not json", headers={"Content-Type": "application/json"})
        check(r, 400, 400)
        check(c.post("/run_sse", json={"session_id": 5}), 400, 400)
        r = c.post("/api/render/proxy/lambda", json={"id": "../x", "sessionId": "s"})
        check(r, 400, 400)
        check(c.get("/no/such/route"), 404, 404)
        r = c.post(
            "/run_sse", content=b"x" * (3 * 2**20), headers={"Content-Type": "application/json"}
        )
        check(r, 413, 413)


def test_invalid_or_foreign_draft_is_refused(server: Server, clip: Path):
    with server.client(anonymous_token(server)) as c:
        sid = new_session(c)
        r = c.post("/api/render/proxy/lambda", json={"id": "r0", "sessionId": sid})
        assert "nothing to render" in check(r, 400, 400)
        bad = {"t": "not a list"}
        r = c.post("/api/render/proxy/lambda", json={"id": "r1", "sessionId": sid, "draft": bad})
        assert "tracks" in check(r, 400, 4010)
        foreign = {
            "d": 2000,
            "t": [
                {
                    "tt": 0,
                    "sg": [
                        {
                            "st": 0,
                            "d": 2000,
                            "m": {"source_id": "s0", "source_in_ms": 0, "source_out_ms": 2000},
                        }
                    ],
                }
            ],
            "m": {
                "sources": [
                    {
                        "id": "s0",
                        "kind": "video",
                        "path": str(clip),
                        "duration_ms": 4000,
                        "width": 320,
                        "height": 180,
                    }
                ]
            },
        }
        r = c.post(
            "/api/render/proxy/lambda", json={"id": "r2", "sessionId": sid, "draft": foreign}
        )
        assert "not one of this session's uploads" in check(r, 400, 4010)


def test_request_log_keeps_attribution(server: Server):
    headers = {
        "X-Skill-Source": "skills/reelcut",
        "X-Skill-Version": "0.3",
        "X-Skill-Platform": "claude-code",
        "X-Client-Id": uuid.uuid4().hex,
    }
    assert httpx.post(server.url + "/api/auth/anonymous-token", headers=headers).status_code == 200

    def rows() -> list[tuple[str, str, str, int]]:  # written just after the answer is sent
        with sqlite3.connect(server.data_dir / "reelcut.db") as db:
            return db.execute(
                "SELECT skill_source, skill_version, skill_platform, status FROM request_log "
                "WHERE skill_platform = 'claude-code'"
            ).fetchall()

    assert wait_for(rows, 10, "the request log row") == [
        ("skills/reelcut", "0.3", "claude-code", 200)
    ]


def test_a_jobs_stored_code_answers_the_status_the_error_would_here():
    """A request that waits on a job run elsewhere (a hand edit on a worker) answers from the
    code the row keeps, by the same table as an error raised in the API process."""
    from reelcut.errors import CancelledError, InputTooLargeError, UnsupportedMediaError
    from reelcut.service.errors import http_status_for, http_status_for_code

    for error in (UnsupportedMediaError("x"), InputTooLargeError("x"), CancelledError("x")):
        assert http_status_for_code(error.code) == http_status_for(error)
    assert [http_status_for_code(c) for c in (4001, 4002, 4990, 409, 429, 5003)] == [
        415, 413, 400, 409, 429, 500
    ]  # fmt: skip
