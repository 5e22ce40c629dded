"""Commands on a saved project (``reel.reelcut.json``): show, apply, render, export, undo, redo,
history, captions. Each is a thin call into :mod:`reelcut.editor`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from reelcut.cli.app import Json, Quiet, app, err, out, print_json, row, say, table

ProjectArg = Annotated[
    Path, typer.Argument(metavar="PROJECT", help="A project file (reel.reelcut.json).")
]


def _load(path: Path):  # type: ignore[no-untyped-def]
    from reelcut.editor import Project

    return Project.load(path)


def _print_summary(project) -> None:  # type: ignore[no-untyped-def]
    from reelcut.instructions.reply import track_lines

    for line in track_lines(project.draft):
        say(line, out)


def _version_json(project, version, done: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """What an edit command did, for ``--json``: the version, its words, the tracks after it."""
    from reelcut.instructions.reply import track_lines

    return {
        "project": str(project.path),
        done: version.number,
        "what": version.what,
        "current": project.current.number,
        "length_s": project.draft.duration_ms / 1000,
        "tracks": track_lines(project.draft),
    }


def _report(project, version, done: str, as_json: bool, quiet: bool) -> None:  # type: ignore[no-untyped-def]
    if as_json:
        print_json(_version_json(project, version, done))
        return
    if quiet:
        return
    word = {"version": "", "undone": "undid ", "redone": "redid "}[done]
    say(f"{word}v{version.number}: {version.what}")
    _print_summary(project)


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
        print_json(draft_to_compact(p.draft) if compact else draft_to_json(p.draft))
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
    as_json: Json = False,
    quiet: Quiet = False,
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
    _report(p, version, "version", as_json, quiet)


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
    preset: Annotated[
        str, typer.Option("--preset", help="x264 preset (superfast, veryfast, medium...).")
    ] = "superfast",
    quiet: Quiet = False,
    as_json: Json = False,
) -> None:
    """Render a project's current version to an MP4."""
    from reelcut.cli.progress_bars import progress_bars
    from reelcut.editor.assets import render_draft
    from reelcut.editor.job import check_settings, parse_resolution
    from reelcut.render import RenderSettings
    from reelcut.timeline.ops import SetFormat

    p = _load(project)
    draft = p.draft
    settings = RenderSettings(preset=preset)
    check_settings(settings)
    if aspect or resolution:
        height = parse_resolution(resolution) if resolution else None
        draft = SetFormat(aspect, height).apply(draft)
    with progress_bars(err, enabled=not quiet and not as_json) as progress:
        result = render_draft(draft, output, settings, progress=progress)
    if as_json:
        print_json(
            {"output": str(result.output), "duration_s": round(result.duration_s, 3),
             "render_s": round(result.render_s, 2), "version": p.current.number}
        )  # fmt: skip
    elif not quiet:
        say(f"render {result.render_s:.1f}s -> {result.output}")


@app.command()
def export(
    project: ProjectArg,
    to: Annotated[str, typer.Option("--to", help="otio, fcpxml, fcp7 or edl.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The file to write.")],
    as_json: Json = False,
    quiet: Quiet = False,
) -> None:
    """Export the timeline for an editing application (OpenTimelineIO adapters)."""
    from reelcut.editor.exchange import export_project

    written = export_project(_load(project).draft, output, to)
    if as_json:
        print_json({"written": [str(p) for p in written]})
    elif not quiet:
        for path in written:
            say(f"wrote {path}")


@app.command()
def undo(project: ProjectArg, as_json: Json = False, quiet: Quiet = False) -> None:
    """Undo the last edit (the version stays in the history for redo)."""
    p = _load(project)
    _report(p, p.undo(), "undone", as_json, quiet)


@app.command()
def redo(project: ProjectArg, as_json: Json = False, quiet: Quiet = False) -> None:
    """Redo the edit that was undone last."""
    p = _load(project)
    _report(p, p.redo(), "redone", as_json, quiet)


@app.command()
def history(project: ProjectArg, as_json: Json = False) -> None:
    """The versions of a project; the current one is marked."""
    p = _load(project)
    if as_json:
        print_json(
            {
                "project": str(p.path),
                "current": p.current.number,
                "versions": [
                    {"version": v.number, "at": v.at, "what": v.what,
                     "length_s": v.draft.duration_ms / 1000}
                    for v in p.versions
                ],
            }
        )  # fmt: skip
        return
    t = table("", "version", "when", "what", "length")
    for i, v in enumerate(p.versions):
        row(
            t,
            "*" if i == p.head else "",
            f"v{v.number}",
            v.at,
            v.what,
            f"{v.draft.duration_ms / 1000:.1f}s",
        )
    out.print(t)


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
    import_srt: Annotated[
        Path | None,
        typer.Option(
            "--import-srt",
            help="Use this SRT's cues (reel time, e.g. a fixed --srt) instead of the speech.",
        ),
    ] = None,
    as_json: Json = False,
    quiet: Quiet = False,
) -> None:
    """Caption the reel from its speech, or from an SRT you fixed (burned in on render; SRT/VTT
    sidecars on request). One line is fixed with apply: {"op":"edit_caption","index":3,"text":...}."""
    from reelcut.editor.edits import captions_op, srt_captions_op
    from reelcut.speech import Caption, to_srt, to_vtt
    from reelcut.speech.captions import GUARD
    from reelcut.timeline.model import TextSegment

    p = _load(project)
    if import_srt is not None:
        version = p.apply(srt_captions_op(p.draft, _read_text(import_srt)))
    else:
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
    if as_json:
        print_json({**_version_json(p, version, "version"), "captions": len(cues)})
    elif not quiet:
        say(f"v{version.number}: {version.what}")


def _read_text(path: Path) -> str:
    """A text file given on the command line, its faults as reelcut's errors."""
    from reelcut.errors import InputNotFoundError, InputNotReadableError, SubtitleFileError

    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputNotFoundError(f"{path}: no such file") from None
    except PermissionError:
        raise InputNotReadableError(f"{path}: not readable (permissions)") from None
    except IsADirectoryError:
        raise InputNotFoundError(f"{path} is a folder, not a subtitle file") from None
    except UnicodeDecodeError:
        raise SubtitleFileError(f"{path} is not UTF-8 text: save the SRT as UTF-8") from None


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
    as_json: Json = False,
    quiet: Quiet = False,
) -> None:
    """Apply an instruction in English or Chinese to a project (one undoable step).

    Exits 2 when nothing changed (a question back, or an edit that could not apply)."""
    from reelcut.editor.chat import run_agent
    from reelcut.errors import InputNotFoundError

    if not project.is_file():
        raise InputNotFoundError(f"project {project} not found (make one with reelcut make)")
    changed = False
    asked: dict[str, object] | None = None  # an export or preview said in words
    events: list[dict[str, object]] = []
    for event in run_agent(message, project.parent, [], project_path=project):
        events.append({"kind": event.kind, "text": event.text})
        if event.kind == "text":
            changed = bool(event.data.get("changed"))
            ask = event.data.get("render")
            asked = ask if isinstance(ask, dict) else asked
            if not as_json:
                say(event.text, out)
        elif event.kind == "error":
            events[-1]["code"] = event.data.get("code")
            if not as_json:
                say(f"error {event.data.get('code', '')}: {event.text}", style="red")
        elif verbose and not as_json and not quiet:
            say(f"{event.kind}: {event.text}", style="dim")
    if as_json:
        current = _load(project).current
        print_json(
            {"changed": changed, "version": current.number, "what": current.what,
             "events": events}
        )  # fmt: skip
    if asked is not None and asked.get("quality") != "preview":
        # "导出" / "export 1080p MP4": write the reel (-o, or beside the project)
        height = asked.get("height")
        resolution = f"{height}p" if height in (720, 1080) else None
        render(
            project, render_to or output_for_project(project), resolution=resolution,
            quiet=quiet or as_json, as_json=False,
        )  # fmt: skip
        return
    if render_to is not None and changed:
        render(project, render_to, quiet=quiet or as_json, as_json=False)
    if not changed:
        raise typer.Exit(2)
