"""The whole flow a hosted editor's agent skill runs, against a real server."""

from __future__ import annotations

from pathlib import Path

from reelcut.media.probe import probe
from tests.service.conftest import Server, anonymous_token, new_session, run_sse, upload, wait_for


def test_token_session_upload_edit_render_download(server: Server, clip: Path, tmp_path: Path):
    token = anonymous_token(server)
    with server.client(
        token, headers={"X-Skill-Source": "test-skill", "X-Skill-Version": "1.2"}
    ) as c:
        assert c.get("/api/credits/balance/simple").json()["data"] == {
            "available": 100,
            "frozen": 0,
            "total": 100,
            "spent": 0,
        }
        sid = new_session(c)
        assert (
            c.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]["draft"] is None
        )

        r = upload(c, sid, clip, name="../../etc/my match.mp4")
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["code"] == 0
        [media] = body["data"]["files"]
        assert media["name"] == "my match.mp4" and media["kind"] == "video"
        assert media["width"] == 320 and media["height"] == 180 and media["has_audio"]
        assert body["data"]["credits_frozen"] == 1

        events, comments = run_sse(c, sid, "make a 5 second reel")
        assert events, "no events"
        for e in events:
            assert e["author"] == "nemo_agent" and e["partial"] is False
            assert e["content"]["role"] == "model" and e["content"]["parts"]
            assert {"id", "invocationId", "timestamp"} <= e.keys()
        parts = [p for e in events for p in e["content"]["parts"]]
        assert any("functionCall" in p for p in parts)
        assert any("functionResponse" in p for p in parts)
        assert any("text" in p and not p.get("thought") for p in parts)
        assert not [line for line in comments if line != ": ping"]

        state = c.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]
        draft = state["draft"]
        assert draft is not None and draft["t"] and draft["d"] > 0
        paths = [s["path"] for s in draft["m"]["sources"]]
        assert paths == [media["id"]], "server paths must not leak"
        [info] = state["video_infos"]
        assert info["id"] == media["id"] and info["analysis_status"] in (
            "queued",
            "running",
            "completed",
        )

        balance = wait_for(
            lambda: (b := c.get("/api/credits/balance/simple").json()["data"])["frozen"] == 0 and b,
            what="credits settled",
        )
        assert balance["available"] == 98 and balance["spent"] == 2  # analysis 1 + edit 1

        r = c.post(
            "/api/render/proxy/lambda",
            json={
                "id": "render_1",
                "sessionId": sid,
                "draft": None,
                "output": {"format": "mp4", "quality": "high"},
            },
        )
        assert r.status_code == 200, r.text
        assert r.json()["data"]["status"] in ("queued", "rendering", "completed")

        def done() -> dict | None:
            data = c.get("/api/render/proxy/lambda/render_1").json()["data"]
            assert data["status"] != "failed", data
            assert 0 <= data["progress"] <= 1
            return data if data["status"] == "completed" else None

        data = wait_for(done, 90, "render")
        url = data["output"]["url"]
        assert c.get("/api/credits/balance/simple").json()["data"]["available"] == 98  # free

        whole = httpx_get(url)
        assert whole.status_code == 200 and whole.headers["accept-ranges"] == "bytes"
        size = len(whole.content)
        part = httpx_get(url, headers={"Range": "bytes=0-99"})
        assert part.status_code == 206
        assert part.headers["content-range"] == f"bytes 0-99/{size}"
        assert part.content == whole.content[:100]
        tail = httpx_get(url, headers={"Range": f"bytes={size - 10}-"})
        assert tail.status_code == 206 and tail.content == whole.content[-10:]
        out = tmp_path / "reel.mp4"
        out.write_bytes(whole.content)
        info = probe(out)
        assert 3.5 <= info.duration_s <= 5.5 and info.has_audio

        state = c.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]
        [generated] = state["generated_media"]
        assert generated["id"] == "render_1"
        if generated["url"] != url:  # a bucket: the poll gave a presigned link, the state a
            moved = httpx_get(generated["url"])  # stable one that redirects to a fresh one
            assert moved.status_code == 307, moved.text
            assert httpx_get(moved.headers["location"]).content == whole.content


def httpx_get(url: str, **kw):  # type: ignore[no-untyped-def]
    import httpx

    return httpx.get(url, timeout=30, **kw)
