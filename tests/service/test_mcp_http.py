"""``/mcp`` on a real ``reelcut serve`` (loopback child process), driven by the official MCP SDK's
own client over streamable HTTP: a real clip uploaded through the API is made into a reel,
edited in English and Chinese, rendered and downloaded; credits move as the API's do; a cancelled
make fails its job and releases its credit; a wrong token, another account's session or upload,
and server paths are all refused.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

pytest.importorskip("mcp")

import httpx2  # noqa: E402
from mcp import Client, MCPError  # noqa: E402
from mcp.client.streamable_http import streamable_http_client  # noqa: E402

from tests.conftest import lavfi_clip, shared_clip  # noqa: E402
from tests.mediacheck import facts  # noqa: E402
from tests.service.conftest import (  # noqa: E402
    Server,
    anonymous_token,
    new_session,
    upload,
    wait_for,
)


@pytest.fixture(scope="module")
def mcp_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(tmp_path_factory.mktemp("serve-mcp"), max_upload_mb=20).start()
    yield srv
    srv.stop()


@asynccontextmanager
async def mcp_client(
    srv: Server, token: str, statuses: list[int] | None = None
) -> AsyncIterator[Client]:
    headers = {"Authorization": f"Bearer {token}"}

    async def seen(response: httpx2.Response) -> None:
        if statuses is not None:
            statuses.append(response.status_code)

    hooks = {"response": [seen]}
    async with httpx2.AsyncClient(headers=headers, timeout=300, event_hooks=hooks) as http:
        async with Client(streamable_http_client(srv.url + "/mcp", http_client=http)) as client:
            yield client


async def _ok(client: Client, name: str, args: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(name, args)
    assert not result.is_error, result.content
    assert isinstance(result.structured_content, dict)
    return result.structured_content


async def _error(client: Client, name: str, args: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(name, args)
    assert result.is_error, result.structured_content
    assert result.structured_content is not None
    error = result.structured_content["error"]
    assert isinstance(error, dict)
    return error


def _balance(srv: Server, token: str) -> dict[str, Any]:
    with srv.client(token) as c:
        data = c.get("/api/credits/balance/simple").json()["data"]
    assert isinstance(data, dict)
    return data


def _download(url: str, to: Path) -> Path:
    r = httpx.get(url, timeout=60)
    assert r.status_code == 200, r.text
    to.write_bytes(r.content)
    return to


@pytest.mark.slow
def test_http_agent_makes_edits_and_renders_a_real_clip(mcp_server: Server, tmp_path: Path):
    srv = mcp_server
    bunny = shared_clip("bigbuckbunny.mp4")
    token = anonymous_token(srv)
    with srv.client(token) as c:
        sid = new_session(c)
        r = upload(c, sid, bunny)
        assert r.status_code == 200, r.text
        media_id = r.json()["data"]["files"][0]["id"]
    start = _balance(srv, token)

    async def session() -> None:
        async with mcp_client(srv, token) as client:
            names = {t.name for t in (await client.list_tools()).tools}
            assert {"create_reel", "edit_reel", "render_reel", "preview_frame"} <= names

            reel = await _ok(
                client, "create_reel",
                {"inputs": [media_id], "length_s": 5, "output": "bunny.mp4", "resolution": "360p"},
            )  # fmt: skip
            assert reel["project"] == sid  # the API's session: every door sees one project
            assert reel["output"].startswith(srv.url + "/api/files/")
            made = facts(_download(reel["output"], tmp_path / "made.mp4"))
            assert made.video_codec == "h264" and abs(made.video_s - reel["duration_s"]) < 0.3

            en = await _ok(client, "edit_reel", {"project": sid, "instruction": "make it vertical"})
            assert en["changed"] and "9:16" in en["summary"]
            zh = await _ok(
                client, "edit_reel", {"project": sid, "instruction": "加一个标题“小兔子”"}
            )
            assert zh["changed"] and "小兔子" in zh["summary"] and "已" in zh["reply"]

            timeline = await _ok(client, "get_timeline", {"project": sid})
            assert timeline["version"] == 3
            assert str(srv.data_dir) not in str(timeline["draft"])  # no server paths
            assert media_id in str(timeline["draft"])

            rendered = await _ok(client, "render_reel", {"project": sid, "output": "final.mp4"})
            final = facts(_download(rendered["output"], tmp_path / "final.mp4"))
            assert final.height > final.width and abs(final.video_s - rendered["duration_s"]) < 0.3

            still = await client.call_tool("preview_frame", {"project": sid, "at_s": 0.5})
            assert not still.is_error and still.content[0].type == "image"

            edl = await _ok(client, "export_timeline", {"project": sid, "format": "edl"})
            assert str(srv.data_dir) not in edl["text"] and media_id in edl["text"]

            # server files cannot be named: not as inputs, not inside edits
            err = await _error(client, "list_moments", {"path": str(bunny)})
            assert err["code"] == 404 and "media id" in err["message"]
            err = await _error(
                client, "apply_edits",
                {"project": sid, "ops": [{"op": "music", "what": str(bunny)}]},
            )  # fmt: skip
            assert err["code"] == 4010

    anyio.run(session)
    end = _balance(srv, token)
    assert start["available"] - end["available"] == 3  # create + two edits; renders are free
    assert end["frozen"] == 0
    with srv.client(token) as c:  # the REST API sees the same project and the MCP renders
        state = c.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]
    assert state["draft"]["m"]["aspect"] == "9:16"
    assert sum(g["status"] == "completed" for g in state["generated_media"]) == 2


def test_http_refuses_wrong_token_and_other_accounts(mcp_server: Server, clip: Path):
    srv = mcp_server
    r = httpx.post(srv.url + "/mcp", headers={"Authorization": "Bearer rc_anon_nope"}, json={})
    assert (r.status_code, r.json()["code"]) == (401, 1001)
    r = httpx.post(srv.url + "/mcp", json={})
    assert (r.status_code, r.json()["code"]) == (401, 1001)

    statuses: list[int] = []

    async def wrong_token() -> None:
        async with mcp_client(srv, "rc_anon_wrong", statuses) as client:
            await client.list_tools()

    with pytest.raises((BaseExceptionGroup, MCPError)):  # the SDK client cannot open a session
        anyio.run(wrong_token)
    assert statuses and set(statuses) == {401}

    alice, bob = anonymous_token(srv), anonymous_token(srv)
    with srv.client(alice) as c:
        sid = new_session(c)
        r = upload(c, sid, clip)
        assert r.status_code == 200, r.text
        media_id = r.json()["data"]["files"][0]["id"]

    async def bob_tries() -> None:
        async with mcp_client(srv, bob) as client:
            err = await _error(client, "get_timeline", {"project": sid})
            assert err["code"] == 1002
            err = await _error(client, "edit_reel", {"project": sid, "instruction": "vertical"})
            assert err["code"] == 1002
            err = await _error(client, "create_reel", {"inputs": [media_id], "length_s": 3})
            assert err["code"] == 404
            err = await _error(client, "analyze_media", {"path": media_id})
            assert err["code"] == 404

    anyio.run(bob_tries)
    assert (
        _balance(srv, bob)["available"] == _balance(srv, alice)["available"] + 1
    )  # alice's upload


@pytest.mark.slow
def test_http_cancelled_reel_fails_its_job_and_releases_the_credit(
    mcp_server: Server, tmp_path: Path
):
    srv = mcp_server
    long = lavfi_clip(tmp_path / "long.mp4", seconds=60.0, size="640x360")
    token = anonymous_token(srv)
    with srv.client(token) as c:
        sid = new_session(c)
        r = upload(c, sid, long)
        assert r.status_code == 200, r.text
        media_id = r.json()["data"]["files"][0]["id"]

    async def cancel_it() -> None:
        async with mcp_client(srv, token) as client:
            started = anyio.Event()

            async def progress(value: float, total: float | None, message: str | None) -> None:
                started.set()

            async with anyio.create_task_group() as tg:

                async def make() -> None:
                    await client.call_tool(
                        "create_reel",
                        {"inputs": [media_id], "length_s": 40},
                        progress_callback=progress,
                    )

                tg.start_soon(make)
                with anyio.fail_after(120):
                    await started.wait()
                tg.cancel_scope.cancel()

    anyio.run(cancel_it)

    def render_state() -> list[dict[str, Any]]:
        with srv.client(token) as c:
            state = c.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]
        made = [g for g in state["generated_media"] if g["status"] != "rendering"]
        return made if made and not state["draft"] else []

    (job,) = wait_for(render_state, 60, "the cancelled make to end")
    assert job["status"] == "failed" and "cancel" in job["error"]

    # The upload's own analysis job (1 credit, frozen while it runs) may still be running beside
    # the cancelled make: wait for every hold to end, then the make's must have been released.
    def settled() -> dict[str, Any] | None:
        balance = _balance(srv, token)
        return balance if balance["frozen"] == 0 else None

    balance = wait_for(settled, 60, "the upload's analysis to settle")
    assert balance["frozen"] == 0 and balance["available"] == 100 - 1  # only the upload's minute
    assert balance["spent"] == 1  # the analysis; the cancelled make's credit was released


def test_http_agent_edits_a_reel_the_page_made(mcp_server: Server, clip: Path):
    """A project the page's hand edit made keeps its sources as storage keys; the door reads
    them as the session's uploads (by media id), edits it and previews it, and the page sees
    the door's version."""
    srv = mcp_server
    token = anonymous_token(srv)
    with srv.client(token) as c:
        sid = new_session(c)
        media_id = upload(c, sid, clip).json()["data"]["files"][0]["id"]
        make = {"requests": [{"op": "set_length", "seconds": 3}]}
        wait_for(
            lambda: c.post(f"/api/web/sessions/{sid}/edit", json=make).status_code == 200,
            60, "the page's first reel",
        )  # fmt: skip

    async def agent() -> None:
        async with mcp_client(srv, token) as client:
            timeline = await _ok(client, "get_timeline", {"project": sid})
            sources = timeline["draft"]["m"]["sources"]
            assert [s["path"] for s in sources if s["kind"] == "video"] == [media_id], sources
            ops = [{"op": "set_format", "aspect": "9:16"}]
            edited = await _ok(client, "apply_edits", {"project": sid, "ops": ops})
            assert edited["version"] == 2, edited
            still = await client.call_tool("preview_frame", {"project": sid, "at_s": 0.5})
            assert not still.is_error, still.content
            assert still.content[0].type == "image"

    anyio.run(agent)
    with srv.client(token) as c:
        project = c.get(f"/api/web/sessions/{sid}/project").json()["data"]
        assert project["version"] == 2 and project["draft"]["m"]["aspect"] == "9:16", project
        [source] = [s for s in project["draft"]["m"]["sources"] if s["kind"] == "video"]
        assert source["path"] == media_id  # kept as a storage key: the page still names it
