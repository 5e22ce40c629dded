"""Commands on a saved project (``reel.reelcut.json``): show, apply, render, export, undo, redo,
history, captions. Each is a thin call into :mod:`reelcut.editor`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from reelcut.cli.app import app, err, out

ProjectArg = Annotated[Path, typer.Argument(help="A project file (reel.reelcut.json).")]
Quiet = Annotated[bool, typer.Option("-q", "--quiet", help="No progress bars.")]


def _load(path: Path):  # type: ignore[no-untyped-def]
    from reelcut.editor import Project

    return Project.load(path)


def _print_summary(project) -> None:  # type: ignore[no-untyped-def]
    from reelcut.instructions.reply import track_lines

    for line in track_lines(project.draft):
        out.print(line, highlight=False)


@app.command()
def show(
    project: ProjectArg,
    compact: Annotated[
        bool, typer.Option("--compact", help="The compact draft agent tools read (JSON).")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="The full readable draft (JSON).")
    ] = False,
) -> None:
    """Track summary of a project (or its draft as JSON)."""
    from reelcut.timeline import draft_to_compact, draft_to_json

    p = _load(project)
    if compact or as_json:
        doc = draft_to_compact(p.draft) if compact else draft_to_json(p.draft)
        sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")
        return
    _print_summary(p)


@app.command()
def apply(
    project: ProjectArg,
    request: Annotated[
        str,
        typer.Argument(
            help='An edit as JSON, e.g. \'{"op":"remove_clip","index":2}\', '
            '\'{"op":"set_length","seconds":60}\', \'{"op":"music","what":"lofi","volume":35}\'.'
        ),
    ],
) -> None:
    """Apply one edit (or {"op":"batch","ops":[...]}) to a project as a new version."""
    from reelcut.editor.requests import resolve
    from reelcut.errors import EditError

    p = _load(project)
    try:
        data = json.loads(request)
    except json.JSONDecodeError as e:
        raise EditError(f"the edit is not valid JSON: {e}") from None
    version = p.apply(resolve(p.draft, data))
    err.print(f"v{version.number}: {version.what}", highlight=False)
    _print_summary(p)


@app.command()
def render(
    project: ProjectArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="The reel to write (.mp4).")],
    *,
    aspect: Annotated[
        str | None, typer.Option("--aspect", help="16:9, 9:16, 1:1 or 4:5 (this render only).")
    ] = None,
    resolution: Annotated[
        str | None, typer.Option("--resolution", help="720p or 1080p (this render only).")
    ] = None,
    preset: Annotated[str, typer.Option("--preset", help="x264 preset.")] = "superfast",
    quiet: Quiet = False,
) -> None:
    """Render a project's current version to an MP4."""
    from reelcut.cli.app import parse_resolution
    from reelcut.cli.progress_bars import progress_bars
    from reelcut.editor.assets import render_draft
    from reelcut.render import RenderSettings
    from reelcut.timeline.ops import SetFormat

    p = _load(project)
    draft = p.draft
    if aspect or resolution:
        height = parse_resolution(resolution) if resolution else None
        draft = SetFormat(aspect, height).apply(draft)
    with progress_bars(err, enabled=not quiet) as progress:
        result = render_draft(draft, output, RenderSettings(preset=preset), progress=progress)
    err.print(f"render {result.render_s:.1f}s -> [bold]{result.output}[/]")


@app.command()
def export(
    project: ProjectArg,
    to: Annotated[str, typer.Option("--to", help="otio, fcpxml, fcp7 or edl.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The file to write.")],
) -> None:
    """Export the timeline for an editing application (OpenTimelineIO adapters)."""
    from reelcut.editor.exchange import export_project

    for path in export_project(_load(project).draft, output, to):
        err.print(f"wrote {path}")


@app.command()
def undo(project: ProjectArg) -> None:
    """Undo the last edit (the version stays in the history for redo)."""
    p = _load(project)
    undone = p.undo()
    err.print(f"undid v{undone.number}: {undone.what}", highlight=False)
    _print_summary(p)


@app.command()
def redo(project: ProjectArg) -> None:
    """Redo the edit that was undone last."""
    p = _load(project)
    done = p.redo()
    err.print(f"redid v{done.number}: {done.what}", highlight=False)
    _print_summary(p)


@app.command()
def history(project: ProjectArg) -> None:
    """The versions of a project; the current one is marked."""
    p = _load(project)
    table = Table()
    for col in ("", "version", "when", "what", "length"):
        table.add_column(col)
    for i, v in enumerate(p.versions):
        table.add_row(
            "*" if i == p.head else "",
            f"v{v.number}",
            v.at,
            v.what,
            f"{v.draft.duration_ms / 1000:.1f}s",
        )
    out.print(table)


@app.command()
def captions(
    project: ProjectArg,
    srt: Annotated[Path | None, typer.Option("--srt", help="Also write an SRT sidecar.")] = None,
    vtt: Annotated[Path | None, typer.Option("--vtt", help="Also write a WebVTT sidecar.")] = None,
    engine: Annotated[
        str | None, typer.Option("--engine", help="Speech engine (default whisper).")
    ] = None,
    style: Annotated[
        str, typer.Option("--style", help="classic (two lines) or highlight (word by word).")
    ] = "classic",
    min_confidence: Annotated[
        float | None,
        typer.Option("--min-confidence", help="Leave out words under this probability (0.4)."),
    ] = None,
) -> None:
    """Caption the reel from its speech (burned in on render; SRT/VTT sidecars on request)."""
    from reelcut.editor.edits import captions_op
    from reelcut.speech import Caption, to_srt, to_vtt
    from reelcut.speech.captions import GUARD
    from reelcut.timeline.model import TextSegment

    p = _load(project)
    version = p.apply(captions_op(p.draft, engine, style=style, min_confidence=min_confidence))
    cues = [  # the highlight style's per-word layers are drawing, not text
        Caption(t.start_ms, t.end_ms, t.text)
        for t in p.draft.texts
        if isinstance(t, TextSegment) and t.role == "caption" and not t.text.startswith(GUARD)
    ]
    if srt:
        srt.write_text(to_srt(cues), encoding="utf-8")
    if vtt:
        vtt.write_text(to_vtt(cues), encoding="utf-8")
    err.print(f"v{version.number}: {version.what}", highlight=False)


def output_for_project(project: Path) -> Path:
    """The reel a project renders to by default: ``reel.mp4`` for ``reel.reelcut.json``."""
    name = project.name.removesuffix(".reelcut.json").removesuffix(".json")
    return project.with_name(f"{name or project.stem}.mp4")


@app.command()
def edit(
    project: ProjectArg,
    message: Annotated[
        str, typer.Argument(help='What to change, e.g. "make it 60 seconds and vertical".')
    ],
    render_to: Annotated[
        Path | None, typer.Option("-o", "--output", help="Also render the result to this MP4.")
    ] = None,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="Show every step.")] = False,
) -> None:
    """Apply an instruction in English or Chinese to a project (one undoable step)."""
    from reelcut.editor.chat import run_agent
    from reelcut.errors import InputNotFoundError

    if not project.is_file():
        raise InputNotFoundError(f"project {project} not found (make one with reelcut make)")
    changed = False
    asked: dict[str, object] | None = None  # an export or preview said in words
    for event in run_agent(message, project.parent, [], project_path=project):
        if event.kind == "text":
            out.print(event.text, highlight=False)
            changed = bool(event.data.get("changed"))
            ask = event.data.get("render")
            asked = ask if isinstance(ask, dict) else asked
        elif event.kind == "error":
            err.print(f"[red]error {event.data.get('code', '')}:[/] {event.text}", highlight=False)
        elif verbose:
            err.print(f"[dim]{event.kind}: {event.text}[/]", highlight=False)
    if asked is not None and asked.get("quality") != "preview":
        # "导出" / "export 1080p MP4": write the reel (-o, or beside the project)
        height = asked.get("height")
        resolution = f"{height}p" if height in (720, 1080) else None
        render(project, render_to or output_for_project(project), resolution=resolution)
        return
    if render_to is not None and changed:
        render(project, render_to)
    if not changed:
        raise typer.Exit(2)
