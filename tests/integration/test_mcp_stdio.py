"""``reelcut mcp`` driven by the official MCP SDK's own client over stdio (a real child process):
the tools list, a reel of a real clip made, edited in English and Chinese, looked at, undone,
rendered and exported; errors carry reelcut's codes; a cancelled call stops and leaves nothing.
"""

from __future__ import annotations

import base64
import os
import struct
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest

pytest.importorskip("mcp")

from mcp import Client, StdioServerParameters  # noqa: E402

from tests.conftest import lavfi_clip, shared_clip  # noqa: E402
from tests.mediacheck import facts  # noqa: E402

TOOLS = {
    "analyze_media", "list_moments", "create_reel", "get_timeline", "edit_reel", "apply_edits",
    "undo", "redo", "render_reel", "export_timeline", "preview_frame",
}  # fmt: skip


def _stdio(root: Path) -> StdioServerParameters:
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return StdioServerParameters(
        command=sys.executable, args=["-m", "reelcut", "mcp", "--root", str(root)], env=env
    )


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


async def _ok(client: Client, name: str, args: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(name, args)
    assert not result.is_error, result.content
    assert isinstance(result.structured_content, dict)
    return result.structured_content


@pytest.mark.slow
def test_stdio_agent_makes_edits_looks_renders_and_exports(tmp_path: Path) -> None:
    bunny = shared_clip("bigbuckbunny.mp4")

    async def session() -> None:
        async with Client(_stdio(tmp_path)) as client:
            assert TOOLS <= {t.name for t in (await client.list_tools()).tools}
            prompts = {p.name for p in (await client.list_prompts()).prompts}
            assert {"highlight_reel", "vertical_shorts"} <= prompts

            moments = await _ok(client, "list_moments", {"path": str(bunny), "top": 3})
            assert 1 <= len(moments["moments"]) <= 3
            assert all(m["start_s"] <= m["peak_s"] <= m["end_s"] for m in moments["moments"])

            seen: list[float] = []

            async def progress(value: float, total: float | None, message: str | None) -> None:
                seen.append(value)

            made = await client.call_tool(
                "create_reel",
                {"inputs": [str(bunny)], "length_s": 5, "output": "bunny.mp4",
                 "resolution": "360p"},
                progress_callback=progress,
            )  # fmt: skip
            assert not made.is_error, made.content
            reel = made.structured_content
            assert reel is not None
            assert seen and seen == sorted(seen)  # progress arrived and only grew
            assert reel["output"] == str(tmp_path / "bunny.mp4")
            assert 4.0 <= reel["duration_s"] <= 6.0
            project = reel["project"]
            assert Path(project).is_file() and reel["version"] == 1

            en = await _ok(
                client, "edit_reel", {"project": project, "instruction": "add a title 'Bunny'"}
            )
            assert en["changed"] and en["version"] == 2 and '"Bunny"' in en["summary"]
            zh = await _ok(client, "edit_reel", {"project": project, "instruction": "改成竖屏"})
            assert zh["changed"] and "9:16" in zh["summary"] and "已" in zh["reply"]

            stale = await client.call_tool(
                "apply_edits",
                {"project": project, "ops": [{"op": "remove_clip", "index": 1}],
                 "expected_version": 1},
            )  # fmt: skip
            assert stale.is_error
            assert stale.structured_content == {
                "error": {"code": 4010, "message": stale.structured_content["error"]["message"]}
            }
            assert "version 3" in stale.structured_content["error"]["message"]

            timeline = await _ok(client, "get_timeline", {"project": project})
            assert timeline["version"] == 3 and timeline["draft"]["m"]["aspect"] == "9:16"

            still = await client.call_tool("preview_frame", {"project": project, "at_s": 1.0})
            assert not still.is_error, still.content
            image = still.content[0]
            assert image.type == "image" and image.mime_type == "image/png"
            width, height = _png_size(base64.b64decode(image.data))
            assert height > width  # the vertical crop is what the agent sees

            back = await _ok(client, "undo", {"project": project})
            assert back["version"] == 2 and "9:16" not in back["summary"]
            again = await _ok(client, "redo", {"project": project})
            assert again["version"] == 3

            history = await client.read_resource(f"reelcut://history/{project}")
            assert '"current": 3' in history.contents[0].text

            out = tmp_path / "final.mp4"
            rendered = await _ok(
                client, "render_reel", {"project": project, "output": str(out),
                                        "resolution": "360p"},
            )  # fmt: skip
            assert rendered["output"] == str(out)
            f = facts(out)
            assert f.video_codec == "h264" and f.height > f.width
            assert abs(f.video_s - rendered["duration_s"]) < 0.3

            edl = await _ok(client, "export_timeline", {"project": project, "format": "edl"})
            assert Path(edl["files"][0]).is_file() and "bigbuckbunny" in edl["text"]

            missing = await client.call_tool("get_timeline", {"project": "nowhere.reelcut.json"})
            assert missing.is_error and missing.structured_content is not None
            assert missing.structured_content["error"]["code"] == 4006
            assert "create_reel" in missing.structured_content["error"]["message"]

    anyio.run(session)


@pytest.mark.slow
def test_stdio_cancelled_reel_stops_and_leaves_no_project(tmp_path: Path) -> None:
    long = lavfi_clip(tmp_path / "long.mp4", seconds=40.0, size="640x360")

    async def session() -> None:
        async with Client(_stdio(tmp_path)) as client:
            started = anyio.Event()

            async def progress(value: float, total: float | None, message: str | None) -> None:
                started.set()

            async with anyio.create_task_group() as tg:

                async def make() -> None:
                    await client.call_tool(
                        "create_reel",
                        {"inputs": [str(long)], "length_s": 20, "output": "long-reel.mp4"},
                        progress_callback=progress,
                    )

                tg.start_soon(make)
                with anyio.fail_after(60):
                    await started.wait()
                tg.cancel_scope.cancel()
            # the server stopped the work and still answers
            listed = await client.list_tools()
            assert listed.tools
            with anyio.fail_after(30):
                while any(tmp_path.glob(".long-reel*")):
                    await anyio.sleep(0.1)
            assert not (tmp_path / "long-reel.reelcut.json").exists()
            assert not (tmp_path / "long-reel.mp4").exists()

    anyio.run(session)
