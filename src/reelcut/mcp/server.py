"""reelcut as an MCP server (official MCP Python SDK): tools, resources and prompts.

:func:`build_server` registers the same tools for every door; ``place_for`` says, per call,
what names mean and who pays (:mod:`reelcut.mcp.place`). Each tool runs its body
(:mod:`reelcut.mcp.tools`) on a worker thread: the editor's progress callback becomes MCP
progress notifications, and a client's cancellation sets the editor's cancel event, which stops
analysis or FFmpeg at the next check (the call then answers with error 4990). A
:class:`~reelcut.errors.ReelcutError` becomes a tool error whose text and structured content
carry reelcut's code and message, so an agent can act on it; nothing answers with a traceback.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import anyio
import anyio.from_thread
import anyio.to_thread
from mcp.server.mcpserver import Context, Image, MCPServer, ResourceSecurity
from mcp.server.mcpserver.exceptions import ResourceError
from mcp.types import CallToolResult, TextContent, ToolAnnotations

from reelcut.errors import ReelcutError
from reelcut.mcp import tools
from reelcut.mcp.place import Place, Work
from reelcut.mcp.tools import Edited, Exported, MediaInfo, Moments, Reel, Rendered, Timeline

log = logging.getLogger("reelcut.mcp")
T = TypeVar("T")
PlaceFor = Callable[[Context], Place]
# Runs a tool elsewhere (a service's workers): (ctx, tool name, its arguments) -> its result.
Remote = Callable[[Context, str, dict[str, Any]], Awaitable[Any]]
REMOTE_TOOLS = frozenset(
    {"analyze_media", "list_moments", "create_reel", "edit_reel", "apply_edits", "render_reel",
     "preview_frame"}
)  # fmt: skip  # the tools that decode, analyse or render: a worker's work

INSTRUCTIONS = """\
reelcut makes highlight reels from raw footage and edits them as projects with versions.
Typical flow: list_moments(path) to see what is in a recording; create_reel(inputs, length_s)
to make, save and render a reel (it returns a project name); get_timeline(project) to read it;
edit_reel(project, "remove clip 2, add lofi music") in English or Chinese, or apply_edits with
typed ops; undo/redo; preview_frame to look at a moment; render_reel to write the MP4;
export_timeline for an editing application. Errors say `error <code>: <what to do>`.
"""
_PROGRESS_EVERY_S = 0.25
_ONLY_READS = ToolAnnotations(read_only_hint=True, open_world_hint=False)
_EDITS = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False)


def refusal(error: ReelcutError) -> CallToolResult:
    """A reelcut error as an MCP tool error an agent can read and act on."""
    return CallToolResult(
        content=[TextContent(type="text", text=f"error {error.code}: {error.message}")],
        structured_content={"error": {"code": error.code, "message": error.message}},
        is_error=True,
    )


class _Progress:
    """The editor's ``progress(stage, done, total)`` as MCP progress notifications.

    Stages restart at zero (analysis, then render) while MCP progress must only grow, so each
    new stage adds 100: progress is ``100 * stages_before + percent``, with the stage named in
    the message. Sent at most every 0.25 s, from the worker thread into the event loop.
    """

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.stages: list[str] = []
        self.last_sent = 0.0
        self.last_value = -1.0

    def __call__(self, stage: str, done: float, total: float) -> None:
        if not self.stages or self.stages[-1] != stage:
            self.stages.append(stage)
        pct = 100.0 * min(max(done / total, 0.0), 1.0) if total > 0 else 0.0
        value = 100.0 * (len(self.stages) - 1) + pct
        now = time.monotonic()
        if value <= self.last_value or (now - self.last_sent < _PROGRESS_EVERY_S and pct < 100):
            return
        self.last_value, self.last_sent = value, now
        try:
            anyio.from_thread.run(self.ctx.report_progress, value, None, f"{stage} {pct:.0f}%")
        except Exception:  # the call may have been cancelled meanwhile; progress is best effort
            pass


async def _blocking(ctx: Context, body: Callable[[Work], T]) -> T:
    """Run ``body`` on a worker thread; a cancelled call sets its cancel event and waits for it
    to stop (so no half-written project or render is left running behind the answer)."""
    work = Work(progress=_Progress(ctx), cancel=threading.Event())
    finished = threading.Event()

    def run() -> T:
        try:
            return body(work)
        finally:
            finished.set()

    try:
        return await anyio.to_thread.run_sync(run, abandon_on_cancel=True)
    except anyio.get_cancelled_exc_class():
        work.cancel.set()
        with anyio.CancelScope(shield=True):
            while not finished.is_set():
                await anyio.sleep(0.05)
        raise


async def _call(ctx: Context, place_for: PlaceFor, body: Callable[[Place, Work], T]) -> T:
    try:
        place = place_for(ctx)
        try:
            return await _blocking(ctx, lambda work: body(place, work))
        finally:
            place.release()
    except ReelcutError as e:
        return refusal(e)  # type: ignore[return-value]  # the SDK passes a CallToolResult through
    except Exception as e:  # a bug: said as one, with the code the service uses for it
        log.exception("MCP tool failed")
        error = ReelcutError(f"internal error ({type(e).__name__}: {e}); the server log has more")
        error.code = 500
        return refusal(error)  # type: ignore[return-value]


async def _remote(ctx: Context, remote: Remote, tool: str, args: dict[str, Any]) -> Any:
    try:
        return await remote(ctx, tool, args)
    except ReelcutError as e:
        return refusal(e)


def build_server(
    place_for: PlaceFor, name: str = "reelcut", remote: Remote | None = None
) -> MCPServer:
    """The reelcut MCP server; ``place_for(ctx)`` gives the :class:`Place` of each call. With
    ``remote``, the :data:`REMOTE_TOOLS` run through it (by name and arguments) instead of on a
    thread here."""
    from reelcut import __version__

    server: MCPServer = MCPServer(name, instructions=INSTRUCTIONS, version=__version__)

    async def heavy(
        ctx: Context, tool: str, args: dict[str, Any], body: Callable[[Place, Work], T]
    ) -> T:
        if remote is None:
            return await _call(ctx, place_for, body)
        return await _remote(ctx, remote, tool, args)  # type: ignore[no-any-return]

    @server.tool(annotations=_ONLY_READS)
    async def analyze_media(path: str, ctx: Context) -> MediaInfo:
        """Analyse one recording (cached per content): length, sound, shot cuts, how much speech
        and music, and how many candidate moments it has."""
        return await heavy(
            ctx, "analyze_media", {"path": path}, lambda p, w: tools.analyze_media(p, w, path)
        )

    @server.tool(annotations=_ONLY_READS)
    async def list_moments(path: str, ctx: Context, top: int = 10, about: str = "") -> Moments:
        """The best candidate moments of a recording, best first: span, peak, score and why.

        With ``about`` ("pricing", "讲定价的那段" works too), the one part where they talk about
        it instead: whole sentences, found in the transcript by words and meaning; error 4013
        when nothing said is about it."""
        return await heavy(
            ctx, "list_moments", {"path": path, "top": top, "about": about},
            lambda p, w: tools.list_moments(p, w, path, top, about),
        )  # fmt: skip

    @server.tool(annotations=_EDITS)
    async def create_reel(
        inputs: list[str],
        length_s: float,
        ctx: Context,
        instruction: str = "",
        output: str | None = None,
        resolution: str | None = None,
    ) -> Reel:
        """Make a highlight reel of about ``length_s`` seconds from the inputs, save it as a
        project and render it. ``instruction`` adds wishes in words ("vertical, lofi music,
        title 'Finals'"; a length it names wins; ``resolution`` 360p to 1080p, the default).
        Returns the project name the other tools take."""
        args = {"inputs": inputs, "length_s": length_s, "instruction": instruction,
                "output": output, "resolution": resolution}  # fmt: skip
        return await heavy(
            ctx, "create_reel", args,
            lambda p, w: tools.create_reel(p, w, inputs, length_s, instruction, output, resolution),
        )  # fmt: skip

    @server.tool(annotations=_ONLY_READS)
    async def get_timeline(project: str, ctx: Context) -> Timeline:
        """The project's current version: a one-line summary, one line per track, and the
        compact draft (times in ms; segments with source in/out, speed, texts, music)."""
        return await _call(ctx, place_for, lambda p, w: tools.get_timeline(p, project))

    @server.tool(annotations=_EDITS)
    async def edit_reel(project: str, instruction: str, ctx: Context) -> Edited:
        """Change the reel as asked in English or Chinese ("make it 30 seconds and vertical",
        "去掉第二段，加上轻松的音乐"). All requested edits become one new version."""
        return await heavy(
            ctx, "edit_reel", {"project": project, "instruction": instruction},
            lambda p, w: tools.edit_reel(p, w, project, instruction),
        )  # fmt: skip

    @server.tool(annotations=_EDITS)
    async def apply_edits(
        project: str,
        ops: list[dict[str, Any]],
        ctx: Context,
        expected_version: int | None = None,
    ) -> Edited:
        """Apply typed edits as one new version, e.g. [{"op": "remove_clip", "index": 2},
        {"op": "set_format", "aspect": "9:16"}, {"op": "music", "what": "lofi"}]. With
        ``expected_version`` the edit is refused (4010) if the project has moved on."""
        return await heavy(
            ctx, "apply_edits",
            {"project": project, "ops": ops, "expected_version": expected_version},
            lambda p, w: tools.apply_edits(p, w, project, ops, expected_version),
        )  # fmt: skip

    @server.tool(annotations=_EDITS)
    async def undo(project: str, ctx: Context) -> Edited:
        """Step back one version (it stays available to redo)."""
        return await _call(ctx, place_for, lambda p, w: tools.step(p, w, project, back=True))

    @server.tool(annotations=_EDITS)
    async def redo(project: str, ctx: Context) -> Edited:
        """Redo the version undone last."""
        return await _call(ctx, place_for, lambda p, w: tools.step(p, w, project, back=False))

    @server.tool(annotations=_EDITS)
    async def render_reel(
        project: str, output: str, ctx: Context, resolution: str | None = None
    ) -> Rendered:
        """Render the project's current version to an MP4 (``resolution`` 360p to 1080p for
        this render only). Over HTTP ``output`` is a file name and the answer a download link."""
        return await heavy(
            ctx, "render_reel", {"project": project, "output": output, "resolution": resolution},
            lambda p, w: tools.render_reel(p, w, project, output, resolution),
        )  # fmt: skip

    @server.tool(annotations=_EDITS)
    async def export_timeline(
        project: str, format: str, ctx: Context, output: str | None = None
    ) -> Exported:
        """Export the timeline for an editing application: otio, fcpxml, fcp7 or edl."""
        return await _call(
            ctx, place_for, lambda p, w: tools.export_timeline(p, w, project, format, output)
        )

    @server.tool(annotations=_ONLY_READS, structured_output=False)
    async def preview_frame(project: str, at_s: float, ctx: Context) -> Image:
        """The reel's picture at ``at_s`` seconds, as it will render (crop, titles, captions),
        as a small PNG you can look at."""
        png = await heavy(
            ctx, "preview_frame", {"project": project, "at_s": at_s},
            lambda p, w: tools.preview_frame(p, w, project, at_s),
        )  # fmt: skip
        if isinstance(png, CallToolResult):
            return png  # type: ignore[return-value]
        return Image(data=png, format="png")

    free = ResourceSecurity(exempt_params={"project"})  # the place checks every name

    @server.resource(
        "reelcut://draft/{+project}", mime_type="application/json", security=free,
        description="The project's current draft (compact JSON) with its summary.",
    )  # fmt: skip
    async def draft_resource(project: str, ctx: Context) -> str:
        return await _read(ctx, place_for, lambda p: tools.get_timeline(p, project))

    @server.resource(
        "reelcut://history/{+project}", mime_type="application/json", security=free,
        description="The project's versions: number, time, what changed, length; the current one.",
    )  # fmt: skip
    async def history_resource(project: str, ctx: Context) -> str:
        return await _read(ctx, place_for, lambda p: tools.history(p, project))

    @server.prompt(title="2-minute highlight reel")
    def highlight_reel(inputs: str, length: str = "2 minutes") -> str:
        """Make a highlight reel of the given recordings, check it, and render it."""
        return (
            f"Make a {length} highlight reel from these recordings: {inputs}.\n"
            "1. Call list_moments on each to see the best moments and why they scored.\n"
            "2. Call create_reel with all of them and the length in seconds.\n"
            "3. Call get_timeline; look at two or three moments with preview_frame.\n"
            "4. Fix what looks wrong with edit_reel (plain words) and check again.\n"
            "5. Call render_reel and report the file, its length and the clips it holds."
        )

    @server.prompt(title="Vertical shorts")
    def vertical_shorts(inputs: str, count: int = 3, seconds: int = 30) -> str:
        """Cut vertical (9:16) shorts for TikTok, Reels or Shorts from the recordings."""
        return (
            f"Cut {count} vertical shorts of about {seconds} seconds from: {inputs}.\n"
            "1. Call list_moments to find the strongest, most separate moments.\n"
            f"2. For each short call create_reel with length_s={seconds} and the instruction "
            '"vertical, captions" (give each its own output name).\n'
            "3. Check each with preview_frame at its middle: the subject must be in frame.\n"
            "4. Render each with render_reel and list the files."
        )

    return server


async def _read(ctx: Context, place_for: PlaceFor, body: Callable[[Place], Any]) -> str:
    try:
        place = place_for(ctx)
        try:
            found = await anyio.to_thread.run_sync(lambda: body(place))
        finally:
            place.release()
    except ReelcutError as e:
        raise ResourceError(f"error {e.code}: {e.message}") from None
    return json.dumps(found, ensure_ascii=False)


def run_stdio(root: Any = None) -> None:
    """``reelcut mcp``: serve on stdin/stdout with local paths (relative ones from ``root``)."""
    from reelcut.mcp.place import LocalPlace

    place = LocalPlace(root)
    build_server(lambda ctx: place).run("stdio")
