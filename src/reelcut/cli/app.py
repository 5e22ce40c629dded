"""Typer app: ``make``, ``analyze``, ``probe``, ``sample``.

Every failure the library raises on purpose is a :class:`ReelcutError`: it is printed as one line
with its code and the exit status is 1, never a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from reelcut.durations import format_duration, parse_duration
from reelcut.errors import ReelcutError

if TYPE_CHECKING:
    from reelcut.selection import LeftOut

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="reelcut: raw footage in, a highlight reel out. Runs locally.",
)
err = Console(stderr=True)
out = Console()

Inputs = Annotated[list[Path], typer.Argument(help="Video files (mp4, mov, avi, webm, mkv).")]
Json = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON on stdout.")]
NoCache = Annotated[bool, typer.Option("--no-cache", help="Re-analyse even if cached.")]
MaxSize = Annotated[
    float | None, typer.Option("--max-size", help="Input size limit in MB (default 500).")
]


_HEIGHTS = {"360p": 360, "480p": 480, "720p": 720, "1080p": 1080}


def parse_resolution(value: str) -> int:
    """``720p``/``1080p`` (also ``720``, ``1080P``) -> lines of the shorter side."""
    from reelcut.errors import InvalidArgumentError

    key = value.strip().lower()
    key = key if key.endswith("p") else key + "p"
    if key not in _HEIGHTS:
        raise InvalidArgumentError(f"resolution {value!r}: use 720p or 1080p")
    return _HEIGHTS[key]


@app.command()
def make(
    inputs: Inputs,
    output: Annotated[
        Path,
        typer.Option(
            "-o", "--output", help="Reel file, or a folder when making one reel per input."
        ),
    ],
    length: Annotated[
        str, typer.Option("-l", "--length", help="Reel length: 90, 90s, 2m, 1:30.")
    ] = "2m",
    strict_length: Annotated[
        bool,
        typer.Option(
            "--strict-length",
            help="Fail (error 4009) when the footage is shorter than --length, instead of "
            "making the longest reel it allows.",
        ),
    ] = False,
    combine: Annotated[
        bool, typer.Option("--combine", help="One reel from all inputs (default: one per input).")
    ] = False,
    resolution: Annotated[
        str | None,
        typer.Option(
            "--resolution", help="720p or 1080p (default: the footage's own size, at most 1080p)."
        ),
    ] = None,
    min_clip: Annotated[float, typer.Option("--min-clip", help="Shortest clip, seconds.")] = 3.0,
    max_clip: Annotated[float, typer.Option("--max-clip", help="Longest clip, seconds.")] = 20.0,
    crossfade: Annotated[
        float, typer.Option("--crossfade", help="Video crossfade at cuts, seconds (0: hard cut).")
    ] = 0.0,
    preset: Annotated[
        str,
        typer.Option(
            "--preset",
            help="x264 preset: superfast renders fastest; veryfast or medium are smaller.",
        ),
    ] = "superfast",
    aspect: Annotated[
        str, typer.Option("--aspect", help="source, 16:9, 9:16 (TikTok/Reels/Shorts), 1:1, 4:5.")
    ] = "source",
    reframe: Annotated[
        str,
        typer.Option("--reframe", help="Narrower aspect: follow (the action), blur (fit), center."),
    ] = "follow",
    title: Annotated[str | None, typer.Option("--title", help="Title text at the start.")] = None,
    title_seconds: Annotated[float, typer.Option("--title-seconds")] = 3.0,
    music: Annotated[
        str | None,
        typer.Option("--music", help="lofi, upbeat, epic, calm, happy, dramatic, or a file."),
    ] = None,
    music_volume: Annotated[int, typer.Option("--music-volume", help="Percent.")] = 35,
    captions: Annotated[
        bool, typer.Option("--captions", help="Burn in captions from the speech.")
    ] = False,
    transition: Annotated[
        str, typer.Option("--transition", help="cut, crossfade or fade_black.")
    ] = "cut",
    instruction: Annotated[
        str | None,
        typer.Option(
            "-i", "--instruction", help='What you want, in words: "2-minute reel, vertical".'
        ),
    ] = None,
    project: Annotated[
        Path | None,
        typer.Option("--project", help="Where to save the project (default REEL.reelcut.json)."),
    ] = None,
    no_project: Annotated[
        bool, typer.Option("--no-project", help="Do not save a project file.")
    ] = False,
    as_json: Json = False,
    no_cache: NoCache = False,
    max_size: MaxSize = None,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="No progress bars.")] = False,
) -> None:
    """Make a highlight reel of LENGTH from one or more recordings (and save it as a project)."""
    from reelcut.cli.progress_bars import progress_bars
    from reelcut.editor import ReelOptions, SelectionParams, project_path_for
    from reelcut.editor.make import make_reels
    from reelcut.errors import InvalidArgumentError
    from reelcut.render import RenderSettings

    height = parse_resolution(resolution) if resolution else 0  # 0: the footage's own
    requests: list[dict[str, object]] = []
    if instruction:
        from reelcut.editor.requests import from_words

        said_length, requests = from_words(instruction)
        if said_length is not None:
            length = f"{said_length:g}s"
    options = ReelOptions(
        aspect=aspect,
        height=height,
        reframe=reframe,
        transition=transition,
        transition_ms=int(crossfade * 1000) if crossfade else 500,
        title=title,
        title_s=title_seconds,
        music=music,
        music_volume=music_volume,
        captions=captions,
    )
    params = SelectionParams(
        target_s=parse_duration(length), min_clip_s=min_clip, max_clip_s=max_clip
    )
    settings = RenderSettings(height=height or None, video_crossfade_s=crossfade, preset=preset)
    if combine or len(inputs) == 1:
        outputs = [output]
    else:
        output.mkdir(parents=True, exist_ok=True)
        outputs = [output / f"{p.stem}-reel.mp4" for p in inputs]
    if project is not None and len(outputs) > 1:
        raise InvalidArgumentError("--project names one file: use it with one reel (--combine)")
    projects: list[Path | None] = (
        [None] * len(outputs)
        if no_project
        else [project]
        if project is not None
        else [project_path_for(o) for o in outputs]
    )
    with progress_bars(err, enabled=not quiet and not as_json) as progress:
        reels = make_reels(
            inputs,
            outputs,
            params,
            settings,
            combine=combine or len(inputs) == 1,
            use_cache=not no_cache,
            max_mb=max_size,
            progress=progress,
            options=options,
            projects=projects,
            requests=requests,
            strict_length=strict_length,
        )
    for reel in reels:
        if reel.asked_s is not None:
            err.print(
                f"[yellow]warning:[/] the footage is {format_duration(reel.duration_s)}, so "
                f"{reel.output.name} is {format_duration(reel.duration_s)} "
                f"(asked: {format_duration(reel.asked_s)})",
                highlight=False,
            )
    if as_json:
        out.print_json(
            json.dumps([r.to_json() for r in reels] if len(reels) > 1 else reels[0].to_json())
        )
        return
    for reel in reels:
        table = Table(title=f"{reel.output}  ({format_duration(reel.duration_s)})")
        for col in ("#", "source", "in", "out", "length", "why"):
            table.add_column(col)
        for i, c in enumerate(reel.clips, 1):
            table.add_row(
                str(i),
                reel.sources[c.source_index].path.name,
                format_duration(c.source_in_ms / 1000),
                format_duration(c.source_out_ms / 1000),
                f"{c.duration_ms / 1000:.1f}s",
                c.reason,
            )
        err.print(table)
        err.print(
            f"analysis {reel.analysis_s:.1f}s, render {reel.render_s:.1f}s -> [bold]{reel.output}[/]"
        )
        if reel.project is not None:
            err.print(f"project: {reel.project} (edit with reelcut apply/undo/render)")
        if reel.room_note:
            err.print(f"[yellow]{reel.room_note}[/] (see --json: left_out)")


def print_left_out(left_out: Sequence[LeftOut], note: str | None) -> None:
    """The strong moments a reel left out, one line each, and the note on room."""
    for m in left_out:
        if m.strong:
            out.print(f"left out {format_duration(m.peak_s)} ({m.reason}): {m.describe()}")
    if note:
        out.print(f"[yellow]{note}[/]")


@app.command()
def analyze(
    input: Annotated[Path, typer.Argument()],
    as_json: Json = False,
    no_cache: NoCache = False,
    max_size: MaxSize = None,
    top: Annotated[int, typer.Option("--top", help="Candidates to list.")] = 10,
    length: Annotated[
        str | None,
        typer.Option("--length", help="Also say what a reel this long would take and leave out."),
    ] = None,
) -> None:
    """Analyse a recording: signals over time and the best highlight candidates, with reasons."""
    from reelcut.cli.progress_bars import progress_bars
    from reelcut.editor.moments import find_moments

    length_s = None if length is None else parse_duration(length)
    with progress_bars(err, enabled=not as_json) as progress:
        found = find_moments(
            input,
            top,
            length_s=length_s,
            max_mb=max_size,
            use_cache=not no_cache,
            progress=progress,
        )
    signals, cands = found.signals, found.candidates
    if as_json:
        sys.stdout.write(json.dumps(found.to_json()) + "\n")
        return
    table = Table(title=f"{input.name}: top {len(cands)} moments")
    for col in ("peak", "span", "score", "why"):
        table.add_column(col)
    for c in cands:
        table.add_row(
            format_duration(c.peak_s),
            f"{format_duration(c.start_s)}-{format_duration(c.end_s)}",
            f"{c.score:.3f}",
            c.reason(),
        )
    out.print(table)
    out.print(
        f"{len(signals.shot_cuts_s)} shot cuts; speech {100 * (signals.speech > 0.5).mean():.0f}% "
        f"of the time; music {100 * (signals.music > 0.5).mean():.0f}%"
    )
    if found.reel is not None:
        print_left_out(found.reel.left_out, found.reel.room_note())


@app.command()
def probe(
    input: Annotated[Path, typer.Argument()], as_json: Json = False, max_size: MaxSize = None
) -> None:
    """Describe a media file (duration, streams, frame rate, rotation, audio layout)."""
    from reelcut.media.probe import probe as run_probe

    info = run_probe(input, max_mb=max_size)
    doc = {
        "path": str(info.path),
        "container": info.container,
        "size_bytes": info.size_bytes,
        "duration_s": info.duration_s,
        "video": {
            "codec": info.video.codec,
            "width": info.video.width,
            "height": info.video.height,
            "rotation": info.video.rotation,
            "fps": float(info.video.fps),
            "variable_frame_rate": info.video.variable_frame_rate,
        },
        "audio": None
        if info.audio is None
        else {
            "codec": info.audio.codec,
            "sample_rate": info.audio.sample_rate,
            "channels": info.audio.channels,
            "layout": info.audio.layout,
        },
    }
    if as_json:
        sys.stdout.write(json.dumps(doc) + "\n")
    else:
        out.print(doc)


@app.command()
def sample(
    output: Annotated[Path, typer.Argument(help="Where to write the generated footage (.mp4).")],
    minutes: Annotated[float, typer.Option("--minutes")] = 3.0,
    genre: Annotated[str, typer.Option("--genre", help="sports, talk or gaming.")] = "sports",
    height: Annotated[int, typer.Option("--height")] = 720,
    seed: Annotated[int, typer.Option("--seed")] = 1,
    close_events: Annotated[
        bool,
        typer.Option(
            "--close-events", help="Some events seconds apart (goal after goal, laugh then cheer)."
        ),
    ] = False,
) -> None:
    """Generate demo footage with known highlights (and OUTPUT.truth.json saying where)."""
    import shutil

    from reelcut.footage import make_footage

    truth = make_footage(
        output,
        genre=genre,
        minutes=minutes,
        height=height,
        seed=seed,
        speech=shutil.which("espeak-ng") is not None,
        close_events=close_events,
    )
    err.print(
        f"wrote {output} ({minutes:g} min {genre}, "
        f"{sum(1 for e in truth.events if e.grade == 2)} highlights)"
    )


@app.command()
def score(
    reel: Annotated[Path, typer.Argument(help="A reel cut from footage made by `reelcut sample`.")],
    truth: Annotated[
        list[Path] | None,
        typer.Argument(help="Its truth file(s), one per source clip (default: SOURCE.truth.json)."),
    ] = None,
    source: Annotated[
        Path | None, typer.Option("--source", help="The footage the reel was cut from.")
    ] = None,
) -> None:
    """Score a reel of generated footage, any aspect: recall, precision, distractors (JSON)."""
    from reelcut.footage import truth_path
    from reelcut.footage.score import score_reel

    if not truth:
        if source is None:
            raise typer.BadParameter("give the truth file or --source FOOTAGE.mp4")
        truth = [truth_path(source)]
    result = score_reel(reel, truth)
    by_kind = result.distractor_share_by_kind
    sys.stdout.write(json.dumps({**result.row(), "by_kind": by_kind}) + "\n")


def main() -> None:
    try:
        rc = app(standalone_mode=False)  # a command's typer.Exit(code) comes back as the value
        if isinstance(rc, int) and rc:
            sys.exit(rc)
    except ReelcutError as exc:
        err.print(f"[red]error {exc.code}:[/] {exc.message}", highlight=False, soft_wrap=True)
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except (typer.Abort, typer.Exit) as exc:
        sys.exit(getattr(exc, "exit_code", 1))
    except Exception as exc:
        # Usage errors (Typer's vendored click) know how to print themselves and their exit code.
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            exc.show()
            sys.exit(exc.exit_code)
        raise
