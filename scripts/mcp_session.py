"""Record a real agent-style session with ``reelcut mcp``: the official MCP SDK's client starts
the server over stdio, calls its tools the way an agent would, and every call and answer is
written to ``docs/mcp-session.md`` (the one frame the agent looks at goes beside it as PNG).

    PYTHONPATH=src python scripts/mcp_session.py [--clip ../shared/media/bigbuckbunny.mp4]

Nothing here is mocked: the reel is made, edited, rendered and probed for real, in a scratch
folder (its paths are shown as ``<work>/...`` in the transcript).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import anyio
from mcp import Client, StdioServerParameters

ROOT = Path(__file__).resolve().parents[1]


class Recorder:
    def __init__(self, client: Client, work: Path, docs: Path) -> None:
        self.client = client
        self.work = work
        self.docs = docs
        self.lines: list[str] = []

    def _clean(self, text: str) -> str:
        return text.replace(str(self.work), "<work>")

    def say(self, text: str) -> None:
        self.lines += [text, ""]

    async def call(self, name: str, args: dict[str, Any], note: str = "") -> dict[str, Any]:
        progress: list[str] = []

        async def seen(value: float, total: float | None, message: str | None) -> None:
            progress.append(message or f"{value:.0f}")

        started = time.monotonic()
        result = await self.client.call_tool(name, args, progress_callback=seen)
        took = time.monotonic() - started
        if note:
            self.say(note)
        shown = json.dumps(args, ensure_ascii=False)
        self.lines.append(f"**call** `{name}` `{self._clean(shown)}`  ({took:.1f} s)")
        if progress:
            self.lines.append(
                f"progress ({len(progress)} notifications): {', '.join(progress[:3])} ... "
                f"{progress[-1]}"
            )
        self.lines.append("")
        answer: dict[str, Any] = {}
        if result.structured_content is not None:
            answer = dict(result.structured_content)
            text = json.dumps(answer, ensure_ascii=False, indent=1)
            if len(text) > 1500:
                text = text[:1500] + "\n... (cut here; the agent gets all of it)"
            label = "error" if result.is_error else "result"
            self.lines += [f"{label}:", "```json", self._clean(text), "```", ""]
        for block in result.content:
            if block.type == "image":
                png = base64.b64decode(block.data)
                out = self.docs / "mcp-session-frame.png"
                out.write_bytes(png)
                answer["png_bytes"] = len(png)
                self.lines += [
                    f"result: an image ({block.mime_type}, {len(png)} bytes), the agent sees:",
                    "",
                    f"![frame]({out.name})",
                    "",
                ]
        return answer


async def session(clip: Path, work: Path, docs: Path) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "REELCUT_CACHE_DIR": str(work / "cache")}
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "reelcut", "mcp", "--root", str(work)], env=env
    )
    async with Client(params) as client:
        rec = Recorder(client, work, docs)
        tools = (await client.list_tools()).tools
        rec.say(f"Server `{client.server_info.name if client.server_info else '?'}`; tools: "
                + ", ".join(f"`{t.name}`" for t in tools) + ".")  # fmt: skip
        prompts = (await client.list_prompts()).prompts
        rec.say("Prompts: " + ", ".join(f"`{p.name}` ({p.title})" for p in prompts) + ".")

        await rec.call("list_moments", {"path": str(clip), "top": 3},
                       "The agent first looks at what is in the recording.")  # fmt: skip
        reel = await rec.call(
            "create_reel",
            {"inputs": [str(clip)], "length_s": 5, "instruction": "title 'Big Buck Bunny'",
             "output": "bunny.mp4", "resolution": "360p"},
            "It asks for a 5-second reel with a title.",
        )  # fmt: skip
        project = str(reel["project"])
        await rec.call("get_timeline", {"project": project}, "It reads the timeline back.")
        await rec.call("edit_reel", {"project": project, "instruction": "make it vertical"},
                       "An edit in English.")  # fmt: skip
        await rec.call("edit_reel", {"project": project, "instruction": "加上轻松的背景音乐"},
                       "An edit in Chinese (add relaxed background music).")  # fmt: skip
        await rec.call("preview_frame", {"project": project, "at_s": 1.5},
                       "It looks at the picture 1.5 s in, as it will render.")  # fmt: skip
        await rec.call(
            "apply_edits",
            {"project": project, "ops": [{"op": "remove_text", "index": 1}],
             "expected_version": 2},
            "A typed edit against a version it read earlier is refused.",
        )  # fmt: skip
        await rec.call("undo", {"project": project}, "It undoes the music...")
        await rec.call("redo", {"project": project}, "...and changes its mind.")
        history = await client.read_resource(f"reelcut://history/{project}")
        text = getattr(history.contents[0], "text", "")
        rec.say("It reads the resource `reelcut://history/<project>`:")
        rec.lines += ["```json", rec._clean(text), "```", ""]
        rendered = await rec.call(
            "render_reel", {"project": project, "output": "final.mp4", "resolution": "360p"},
            "It renders the final reel.",
        )  # fmt: skip
        await rec.call("export_timeline", {"project": project, "format": "edl"},
                       "And exports an EDL for an editing application.")  # fmt: skip
        await rec.call("get_timeline", {"project": "missing.reelcut.json"},
                       "A wrong name answers with a code and what to do.")  # fmt: skip

    from reelcut.media.probe import probe

    info = probe(Path(str(rendered["output"])))
    w, h = info.video.display_size
    rec.say(
        f"Checked after the session with `reelcut.media.probe`: `final.mp4` is {w}x{h}, "
        f"{info.duration_s:.2f} s, audio {'yes' if info.has_audio else 'no'}."
    )
    return rec.lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clip", type=Path, default=ROOT.parent / "shared/media/bigbuckbunny.mp4")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "mcp-session.md")
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="reelcut-mcp-session-") as tmp:
        started = time.monotonic()
        lines = anyio.run(session, args.clip.resolve(), Path(tmp), args.out.parent)
        took = time.monotonic() - started
    head = [
        "# A session with `reelcut mcp` (transcript)",
        "",
        "Recorded by `scripts/mcp_session.py`: the official MCP Python SDK's client started "
        "`reelcut mcp` over stdio and called its tools as an agent would, on "
        f"`{args.clip.name}` (5.3 s of *Big Buck Bunny*, CC BY 3.0 Blender Foundation). "
        f"Every call and answer below is what went over the wire; the session took {took:.0f} s "
        "on a shared 2-core machine.",
        "",
    ]
    args.out.write_text("\n".join(head + lines), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
