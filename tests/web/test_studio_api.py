"""The web page's own endpoints (``/api/web/...``) on a real ``reelcut serve``: moments, hand
edits with history, stills and source by capability URL, NLE exports, and moving a session to
an API key. Plain HTTP (httpx), so they run where no browser is installed."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.service.conftest import Server, anonymous_token, new_session, upload, wait_for
from tests.web.conftest import media


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = Server(tmp_path_factory.mktemp("studio"), anonymous_credits=3).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def footage() -> list[Path]:
    """Two real recordings (5.3 s with 5.1 sound, 10 s without sound): a 9 s reel takes a clip
    of each."""
    return [media("bigbuckbunny.mp4"), media("bikes.mp4")]


def _ok(r: httpx.Response) -> Any:
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["code"] == 0, body
    return body["data"]


def _analysed(c: httpx.Client, sid: str, count: int) -> list[dict[str, Any]]:
    def done() -> list[dict[str, Any]] | None:
        infos = _ok(c.get(f"/api/state/nemo_agent/me/{sid}/latest"))["state"]["video_infos"]
        ok = [v for v in infos if v["analysis_status"] == "completed"]
        return ok if len(ok) == count else None

    found: list[dict[str, Any]] = wait_for(done, 120, "analysis")
    return found


def _clips(project: dict[str, Any]) -> list[tuple[str, int, int]]:
    sources = {s["id"]: s["path"] for s in project["draft"]["m"]["sources"]}
    main = next(t for t in project["draft"]["t"] if t["tt"] == 0)
    return [
        (sources[s["m"]["source_id"]], s["m"]["source_in_ms"], s["m"]["source_out_ms"])
        for s in main["sg"]
    ]


def test_hand_edits_history_moments_and_exports(srv: Server, footage: list[Path]) -> None:
    token = anonymous_token(srv)
    with srv.client(token) as c:
        sid = new_session(c)
        for path in footage:
            assert upload(c, sid, path).status_code == 200
        _analysed(c, sid, 2)

        me = _ok(c.get("/api/web/me"))
        assert me["kind"] == "anonymous" and me["export_allowed"] is True
        assert (me["credits"]["available"], me["credits"]["spent"]) == (1, 2)  # 2 analyses

        empty = _ok(c.get(f"/api/web/sessions/{sid}/project"))
        assert empty["draft"] is None and empty["history"] == []

        made = _ok(c.post(f"/api/web/sessions/{sid}/edit", json={"requests": [{"op": "set_length", "seconds": 9}]}))  # fmt: skip
        clips = _clips(made)
        assert len(clips) >= 2 and made["version"] == 1
        assert made["history"][0]["current"] is True
        media_ids = set(made["files"])
        assert {m for m, _, _ in clips} <= media_ids

        moved = _ok(c.post(f"/api/web/sessions/{sid}/edit", json={"requests": [{"op": "move_clip", "index": 1, "to": 2}]}))  # fmt: skip
        assert _clips(moved)[:2] == [clips[1], clips[0]]
        assert moved["version"] == 2 and moved["can_undo"]

        both = [{"op": "trim_clip", "index": 1, "head_ms": 200}, {"op": "set_format", "aspect": "9:16"}]  # fmt: skip
        trimmed = _ok(c.post(f"/api/web/sessions/{sid}/edit", json={"requests": both}))
        assert trimmed["version"] == 3 and trimmed["draft"]["m"]["aspect"] == "9:16"
        assert _clips(trimmed)[0][1] == clips[1][1] + 200

        # a bad request changes nothing and says why (4010), never a 500
        r = c.post(f"/api/web/sessions/{sid}/edit", json={"requests": [{"op": "remove_clip", "index": 99}]})  # fmt: skip
        assert r.status_code == 400 and r.json()["code"] == 4010, r.text
        assert _ok(c.get(f"/api/web/sessions/{sid}/project"))["version"] == 3

        undone = _ok(c.post(f"/api/web/sessions/{sid}/history", json={"step": "undo"}))
        assert undone["version"] == 2 and undone["can_redo"]
        assert undone["draft"]["m"]["aspect"] != "9:16"
        redone = _ok(c.post(f"/api/web/sessions/{sid}/history", json={"step": "redo"}))
        assert redone["version"] == 3
        back = _ok(c.post(f"/api/web/sessions/{sid}/history", json={"restore": 1}))
        assert back["version"] == 4 and _clips(back) == clips
        assert [v["number"] for v in back["history"]] == [1, 2, 3, 4]
        # the state every other client reads shows the same draft
        state = _ok(c.get(f"/api/state/nemo_agent/me/{sid}/latest"))["state"]
        assert state["draft"] == back["draft"]

        moments = _ok(c.get(f"/api/web/sessions/{sid}/moments"))
        assert {f["media_id"] for f in moments} == media_ids
        for f in moments:
            assert 0 < len(f["curve"]) <= 400 and f["moments"]
            m = f["moments"][0]
            assert m["start_s"] <= m["peak_s"] <= m["end_s"] and m["why"]
            still = httpx.get(f"{srv.url}{f['files']}/still.jpg", params={"t": m["peak_s"]})
            assert still.status_code == 200 and still.content[:2] == b"\xff\xd8"
            part = httpx.get(f"{srv.url}{f['files']}/source", headers={"Range": "bytes=0-99"})
            assert part.status_code == 206 and len(part.content) == 100
        media_id = moments[0]["media_id"]
        forged = httpx.get(f"{srv.url}/api/web/files/{'0' * 32}/{media_id}/still.jpg")
        assert forged.status_code == 404 and forged.json()["code"] == 404

        for fmt, marker in (("edl", b"TITLE:"), ("otio", b"OTIO_SCHEMA"), ("fcpxml", b"<fcpxml")):
            r = c.get(f"/api/web/sessions/{sid}/exchange/{fmt}")
            assert r.status_code == 200, r.text
            assert marker in r.content, fmt
            assert (
                b"bigbuckbunny.mp4" in r.content or b"bikes.mp4" in r.content
            )  # named as uploaded
            assert str(srv.data_dir).encode() not in r.content  # never the server's folders
        r = c.get(f"/api/web/sessions/{sid}/exchange/aaf")
        assert r.status_code == 400 and r.json()["code"] == 400

    with srv.client(anonymous_token(srv)) as other:  # another account sees nothing of it
        r = other.post(f"/api/web/sessions/{sid}/edit", json={"requests": [{"op": "set_length", "seconds": 5}]})  # fmt: skip
        assert r.status_code == 404 and r.json()["code"] == 1002
        assert other.get(f"/api/web/sessions/{sid}/moments").json()["code"] == 1002


def test_a_key_takes_over_the_session_of_an_anonymous_token(
    srv: Server, footage: list[Path]
) -> None:
    anon = anonymous_token(srv)
    with srv.client(anon) as c:
        sid = new_session(c)
        assert upload(c, sid, footage[0]).status_code == 200
        _analysed(c, sid, 1)
    made = subprocess.run(
        [sys.executable, "-m", "reelcut", "admin", "create-key", "--name", "pro", "--credits", "50",
         "--data-dir", str(srv.data_dir)],
        capture_output=True, text=True, env=srv.env, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    key = next(w for w in made.stdout.split() if w.startswith("rc_key_"))
    with srv.client(key) as k:
        assert k.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["code"] == 1002
        wrong = k.post("/api/web/bind", json={"session_id": sid, "previous_token": "rc_anon_nope"})
        assert wrong.status_code == 401 and wrong.json()["code"] == 1001
        bound = _ok(k.post("/api/web/bind", json={"session_id": sid, "previous_token": anon}))
        assert bound["moved_uploads"] == 1
        state = _ok(k.get(f"/api/state/nemo_agent/me/{sid}/latest"))["state"]
        assert len(state["video_infos"]) == 1
        assert _ok(k.get("/api/web/me"))["kind"] == "key"
    with srv.client(anon) as c:  # the anonymous token no longer reaches it
        assert c.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["code"] == 1002


WEB_OPERATIONS = [
    ("/api/web/me", "GET"),
    ("/api/web/bind", "POST"),
    ("/api/web/sessions/{sid}/moments", "GET"),
    ("/api/web/sessions/{sid}/project", "GET"),
    ("/api/web/sessions/{sid}/edit", "POST"),
    ("/api/web/sessions/{sid}/history", "POST"),
    ("/api/web/sessions/{sid}/exchange/{fmt}", "GET"),
    ("/api/web/files/{cap}/{media_id}/still.jpg", "GET"),
]


@pytest.mark.slow
def test_generated_requests_to_the_page_endpoints_get_no_5xx(
    srv: Server, footage: list[Path]
) -> None:
    """Schemathesis over the page's endpoints, on a session that has a reel (so edits reach
    the ops): never a 5xx, every JSON answer the envelope with a code that matches."""
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, Phase, given, settings

    schema = schemathesis.openapi.from_url(srv.url + "/openapi.json")
    token = anonymous_token(srv)
    with srv.client(token) as c:
        sid = new_session(c)
        assert upload(c, sid, footage[0]).status_code == 200
        _analysed(c, sid, 1)
        _ok(c.post(f"/api/web/sessions/{sid}/edit", json={"requests": [{"op": "set_length", "seconds": 4}]}))  # fmt: skip
    for path, method in WEB_OPERATIONS:
        operation = schema[path][method]

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            params = case.path_parameters or {}
            if "sid" in params and len(str(params["sid"])) % 2:
                params["sid"] = sid  # half the time the real session
            response = case.call(base_url=srv.url, headers={"Authorization": f"Bearer {token}"})
            assert response.status_code < 500, (case.path, response.text)
            content_type = (response.headers.get("content-type") or [""])[0]
            if content_type.startswith("application/json"):
                body = response.json()
                assert {"code", "message", "data"} <= set(body), body
                assert (body["code"] == 0) == (response.status_code < 400), body

        check()
