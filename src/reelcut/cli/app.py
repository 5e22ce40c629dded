"""Typer app: ``make``, ``analyze``, ``probe``, ``sample``, ``score``.

A command parses its options, calls one function of :mod:`reelcut.editor` (or a stage), and
formats what comes back. Every failure the library raises on purpose is a
:class:`ReelcutError`: it is printed as one line with its code and the exit status is 1, never a
traceback. Text that comes from the user or the library goes through :func:`say`, which escapes
Rich markup (``'reelcut[cjk]'`` prints as written).
"""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from reelcut.cli.usage import App
from reelcut.durations import format_duration
from reelcut.errors import ReelcutError

if TYPE_CHECKING:
    from reelcut.selection import LeftOut

app = App(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,  # plain help: no type noise on flags ("<bool>"), as git or ffmpeg
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    help="reelcut: raw footage in, a highlight reel out. Runs locally.",
)
err = Console(stderr=True)
out = Console()

Inputs = Annotated[
    list[Path], typer.Argument(metavar="VIDEO...", help="Video files (mp4, mov, avi, webm, mkv).")
]
Json = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON on stdout.")]
Quiet = Annotated[
    bool, typer.Option("-q", "--quiet", help="No progress bars or notes; errors still print.")
]
NoCache = Annotated[bool, typer.Option("--no-cache", help="Re-analyse even if cached.")]
MaxSize = Annotated[
    float | None,
    typer.Option("--max-size", help="Refuse inputs over this many MB (default: no limit)."),
]


def say(text: str, console: Console = err, style: str | None = None) -> None:
    """Print ``text`` as written: brackets are text, not Rich markup."""
    console.print(escape(text), style=style, highlight=False, soft_wrap=True)


def print_json(doc: Any) -> None:
    sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")


def table(*columns: str, title: str | None = None) -> Table:
    """A Rich table whose cells are added escaped (file names may hold brackets)."""
    t = Table(title=None if title is None else escape(title))
    for col in columns:
        t.add_column(col)
    return t


def row(t: Table, *cells: object) -> None:
    t.add_row(*(escape(str(c)) for c in cells))


def _version(value: bool) -> None:
    if value:
        from reelcut import __version__

        out.print(f"reelcut {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", is_eager=True, callback=_version
        ),
    ] = False,
) -> None:
    """reelcut: raw footage in, a highlight reel out. Runs locally."""


@app.command()
def make(
    inputs: Inputs,
    output: Annotated[
        str,
        typer.Option(
            "-o",
            "--output",
            help="Reel file; a folder (reels/, or an existing one) for one reel per input.",
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
            "--resolution",
            help="Shorter side: 360p, 480p, 720p or 1080p (default: the footage's own, at most 1080p).",
        ),
    ] = None,
    min_clip: Annotated[float, typer.Option("--min-clip", help="Shortest clip, seconds.")] = 3.0,
    max_clip: Annotated[float, typer.Option("--max-clip", help="Longest clip, seconds.")] = 20.0,
    crossfade: Annotated[
        float,
        typer.Option("--crossfade", help="Video crossfade at cuts, 0-5 seconds (0: hard cut)."),
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
    title_seconds: Annotated[
        float, typer.Option("--title-seconds", help="How long the title shows, seconds.")
    ] = 3.0,
    music: Annotated[
        str | None,
        typer.Option("--music", help="lofi, upbeat, epic, calm, happy, dramatic, or a file."),
    ] = None,
    music_volume: Annotated[
        int, typer.Option("--music-volume", help="Music level, percent (0-400).")
    ] = 35,
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
    about: Annotated[
        str | None,
        typer.Option(
            "--about",
            help='The reel is the part where they talk about this ("pricing"), whole sentences.',
        ),
    ] = None,
    project: Annotated[
        Path | None,
        typer.Option("--project", help="Where to save the project (default REEL.reelcut.json)."),
    ] = None,
    no_project: Annotated[
        bool, typer.Option("--no-project", help="Do not save a project file.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Start an existing project afresh (default: the reel is its next version).",
        ),
    ] = False,
    as_json: Json = False,
    no_cache: NoCache = False,
    max_size: MaxSize = None,
    quiet: Quiet = False,
) -> None:
    """Make a highlight reel of LENGTH from one or more recordings (and save it as a project)."""
    from reelcut.cli.progress_bars import progress_bars
    from reelcut.editor.job import MakeRequest
    from reelcut.editor.make import make as make_reel

    request = MakeRequest(
        inputs=tuple(inputs),
        output=output,
        length=length,
        combine=combine,
        resolution=resolution,
        min_clip_s=min_clip,
        max_clip_s=max_clip,
        crossfade_s=crossfade,
        preset=preset,
        aspect=aspect,
        reframe=reframe,
        title=title,
        title_s=title_seconds,
        music=music,
        music_volume=music_volume,
        captions=captions,
        transition=transition,
        instruction=instruction,
        about=about,
        project=project,
        save_project=not no_project,
        force=force,
        use_cache=not no_cache,
        max_mb=max_size,
        strict_length=strict_length,
    )
    with progress_bars(err, enabled=not quiet and not as_json) as progress:
        reels = make_reel(request, progress=progress)
    if as_json:
        print_json([r.to_json() for r in reels] if len(reels) > 1 else reels[0].to_json())
    for reel in reels:
        for note in reel.warnings:  # also with -q and --json: the reel is not what was asked
            say(f"warning: {note}", style="yellow")
    if as_json or quiet:
        return
    for reel in reels:
        t = table("#", "source", "in", "out", "length", "why",
                  title=f"{reel.output}  ({format_duration(reel.duration_s)})")  # fmt: skip
        for i, c in enumerate(reel.clips, 1):
            row(
                t,
                i,
                reel.sources[c.source_index].path.name,
                format_duration(c.source_in_ms / 1000),
                format_duration(c.source_out_ms / 1000),
                f"{c.duration_ms / 1000:.1f}s",
                c.reason,
            )
        err.print(t)
        say(f"analysis {reel.analysis_s:.1f}s, render {reel.render_s:.1f}s -> {reel.output}")
        if reel.project is not None:
            say(f"project: {reel.project} v{reel.version} (edit with reelcut apply/undo/render)")
        if reel.room_note:
            say(f"{reel.room_note} (see --json: left_out)", style="yellow")


def print_left_out(left_out: Sequence[LeftOut], note: str | None) -> None:
    """The strong moments a reel left out, one line each, and the note on room."""
    for m in left_out:
        if m.strong:
            say(f"left out {format_duration(m.peak_s)} ({m.reason}): {m.describe()}", out)
    if note:
        say(note, out, style="yellow")


@app.command()
def analyze(
    input: Annotated[Path, typer.Argument(metavar="VIDEO", help="The recording to analyse.")],
    as_json: Json = False,
    no_cache: NoCache = False,
    max_size: MaxSize = None,
    top: Annotated[int, typer.Option("--top", help="How many candidates to list.")] = 10,
    length: Annotated[
        str | None,
        typer.Option("--length", help="Also say what a reel this long would take and leave out."),
    ] = None,
    quiet: Quiet = False,
) -> None:
    """Analyse a recording: signals over time and the best highlight candidates, with reasons."""
    from reelcut.cli.progress_bars import progress_bars
    from reelcut.durations import parse_duration
    from reelcut.editor.moments import find_moments
    from reelcut.instructions.reply.base import plural

    length_s = None if length is None else parse_duration(length)
    with progress_bars(err, enabled=not as_json and not quiet) as progress:
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
        print_json(found.to_json())
        return
    t = table("peak", "span", "score", "why", title=f"{input.name}: top {len(cands)} moments")
    for c in cands:
        row(
            t,
            format_duration(c.peak_s),
            f"{format_duration(c.start_s)}-{format_duration(c.end_s)}",
            f"{c.score:.3f}",
            c.reason(),
        )
    out.print(t)
    say(
        f"{plural(len(signals.shot_cuts_s), 'shot cut')}; speech "
        f"{100 * (signals.speech > 0.5).mean():.0f}% of the time; music "
        f"{100 * (signals.music > 0.5).mean():.0f}%",
        out,
    )
    if found.reel is not None:
        print_left_out(found.reel.left_out, found.reel.room_note())


@app.command()
def probe(
    input: Annotated[Path, typer.Argument(metavar="VIDEO", help="The file to describe.")],
    as_json: Json = False,
    max_size: MaxSize = None,
) -> None:
    """Describe a media file (duration, streams, frame rate, rotation, audio layout)."""
    from reelcut.instructions.reply.base import plural
    from reelcut.media.probe import probe as run_probe

    info = run_probe(input, max_mb=max_size)
    v, a = info.video, info.audio
    if as_json:
        print_json(
            {
                "path": str(info.path),
                "container": info.container,
                "size_bytes": info.size_bytes,
                "duration_s": info.duration_s,
                "video": {
                    "codec": v.codec,
                    "width": v.width,
                    "height": v.height,
                    "rotation": v.rotation,
                    "fps": float(v.fps),
                    "variable_frame_rate": v.variable_frame_rate,
                },
                "audio": None
                if a is None
                else {
                    "codec": a.codec,
                    "sample_rate": a.sample_rate,
                    "channels": a.channels,
                    "layout": a.layout,
                },
            }
        )
        return
    t = table("", str(info.path.name))
    row(t, "container", info.container)
    row(t, "size", f"{info.size_bytes / 2**20:.1f} MB")
    row(t, "duration", f"{format_duration(info.duration_s)} ({info.duration_s:.2f} s)")
    rate = f"{float(v.fps):.3f}".rstrip("0").rstrip(".") + " fps"
    rate += " (variable)" if v.variable_frame_rate else ""
    turned = f", rotated {v.rotation}°" if v.rotation else ""
    row(t, "video", f"{v.codec} {v.width}x{v.height}{turned}, {rate}")
    row(
        t,
        "audio",
        "none"
        if a is None
        else f"{a.codec} {a.sample_rate} Hz, {plural(a.channels, 'channel')} ({a.layout})",
    )
    out.print(t)


@app.command()
def sample(
    output: Annotated[
        Path, typer.Argument(metavar="OUTPUT", help="Where to write the footage (.mp4).")
    ],
    minutes: Annotated[
        float, typer.Option("--minutes", help="How long the footage runs (0.5-120).")
    ] = 3.0,
    genre: Annotated[str, typer.Option("--genre", help="sports, talk or gaming.")] = "sports",
    height: Annotated[
        int, typer.Option("--height", help="Picture height in lines (16:9; even, 180-2160).")
    ] = 720,
    seed: Annotated[
        int, typer.Option("--seed", help="Another seed, other footage (the same seed repeats).")
    ] = 1,
    close_events: Annotated[
        bool,
        typer.Option(
            "--close-events", help="Some events seconds apart (goal after goal, laugh then cheer)."
        ),
    ] = False,
    quiet: Quiet = False,
    as_json: Json = False,
) -> None:
    """Generate demo footage with known highlights (and OUTPUT.truth.json saying where)."""
    import shutil

    from reelcut.cli.progress_bars import progress_bars
    from reelcut.footage import make_footage, truth_path
    from reelcut.instructions.reply.base import plural

    with progress_bars(err, enabled=not quiet and not as_json) as progress:
        truth = make_footage(
            output,
            genre=genre,
            minutes=minutes,
            height=height,
            seed=seed,
            speech=shutil.which("espeak-ng") is not None,
            close_events=close_events,
            progress=progress,
        )
    highlights = sum(1 for e in truth.events if e.grade == 2)
    if as_json:
        print_json(
            {"output": str(output), "truth": str(truth_path(output)), "genre": genre,
             "minutes": minutes, "highlights": highlights}
        )  # fmt: skip
    elif not quiet:
        say(f"wrote {output} ({minutes:g} min {genre}, {plural(highlights, 'highlight')})")


@app.command()
def score(
    reel: Annotated[
        Path,
        typer.Argument(metavar="REEL", help="A reel cut from footage made by `reelcut sample`."),
    ],
    truth: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[TRUTH]...",
            help="Its truth file(s), one per source clip (default: SOURCE.truth.json).",
        ),
    ] = None,
    source: Annotated[
        Path | None, typer.Option("--source", help="The footage the reel was cut from.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="JSON on stdout (the default: this prints JSON).")
    ] = True,
) -> None:
    """Score a reel of generated footage, any aspect: recall, precision, distractors (JSON)."""
    from reelcut.errors import InvalidArgumentError
    from reelcut.footage import truth_path
    from reelcut.footage.score import score_reel

    if not truth:
        if source is None:
            raise InvalidArgumentError("give the truth file or --source FOOTAGE.mp4")
        truth = [truth_path(source)]
    result = score_reel(reel, truth)
    print_json({**result.row(), "by_kind": result.distractor_share_by_kind})


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so that every ``finally`` runs (FFmpeg is killed,
    temporary files go) before the process exits with 143."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


def main() -> None:
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        rc = app(standalone_mode=False)  # a command's typer.Exit(code) comes back as the value
        if isinstance(rc, int) and rc:
            sys.exit(rc)
    except ReelcutError as exc:
        err.print(
            f"[red]error {exc.code}:[/] {escape(exc.message)}", highlight=False, soft_wrap=True
        )
        sys.exit(1)
    except KeyboardInterrupt:
        say("interrupted")
        sys.exit(130)
    except Terminated:
        say("terminated")
        sys.exit(143)
    except (typer.Abort, typer.Exit) as exc:
        sys.exit(getattr(exc, "exit_code", 1))
    except Exception as exc:
        # Usage errors (Typer's vendored click) know how to print themselves and their exit code.
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            exc.show()
            sys.exit(exc.exit_code)
        raise
