"""What ``make`` was asked for, checked before any work: options, outputs, projects, inputs.

A typo in an option, an output nobody can write or a damaged project beside the reel should
fail in a second with a code, not after the analysis of an hour of footage (and leave nothing
behind). :func:`prepare_make` turns a :class:`MakeRequest` (the options as a person gives them)
into a :class:`MakeJob` that :func:`reelcut.editor.make.run_make` can run without surprises.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from reelcut.durations import parse_duration, reel_length
from reelcut.editor.build import draft_from_clips
from reelcut.editor.options import ReelOptions, option_ops
from reelcut.editor.store import Project, project_path_for
from reelcut.errors import EditError, InvalidArgumentError, OutputNotWritableError, ProjectError
from reelcut.media import hwaccel
from reelcut.media.ffmpeg import ffmpeg_exe
from reelcut.media.probe import MediaInfo, probe
from reelcut.render import RenderSettings, check_writable
from reelcut.selection import Clip, SelectionParams
from reelcut.timeline.model import HEIGHTS, SOURCE_HEIGHT
from reelcut.timeline.ops import Batch
from reelcut.timeline.validate import check_volume, validate

#: libx264's presets, fastest first.
X264_PRESETS = (
    "ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow",
)  # fmt: skip
MAX_CROSSFADE_S = 5.0


def parse_resolution(value: str) -> int:
    """``720p``/``1080p`` (also ``720``, ``1080P``) -> lines of the shorter side."""
    key = value.strip().lower().removesuffix("p")
    if not key.isdigit() or int(key) not in HEIGHTS:
        names = ", ".join(f"{h}p" for h in HEIGHTS)
        raise InvalidArgumentError(f"resolution {value!r}: use one of {names}")
    return int(key)


@dataclass(frozen=True, slots=True)
class MakeRequest:
    """``reelcut make``'s options as given (lengths and sizes still as text)."""

    inputs: tuple[Path, ...]
    output: str | Path  # as typed: a trailing slash ("reels/") means a folder
    length: str = "2m"
    combine: bool = False
    resolution: str | None = None  # None: the footage's own size, at most 1080p (no upscaling)
    min_clip_s: float = 3.0
    max_clip_s: float = 20.0
    crossfade_s: float = 0.0
    preset: str = "superfast"
    aspect: str = "source"
    reframe: str = "follow"
    title: str | None = None
    title_s: float = 3.0
    music: str | None = None
    music_volume: int = 35
    captions: bool = False
    transition: str = "cut"
    instruction: str | None = None
    about: str | None = None  # the reel is the part that talks about this (whole sentences)
    project: Path | None = None
    save_project: bool = True
    force: bool = False  # start an existing project afresh (its history goes)
    use_cache: bool = True
    max_mb: float | None = None
    strict_length: bool = False  # True: footage shorter than the length is error 4009


@dataclass(frozen=True, slots=True)
class MakeJob:
    """A checked ``make``: every input probed, every output and project known to be writable."""

    infos: tuple[MediaInfo, ...]
    outputs: tuple[Path, ...]
    projects: tuple[Path | None, ...]
    combine: bool
    params: SelectionParams
    settings: RenderSettings
    options: ReelOptions
    requests: tuple[dict[str, object], ...] = ()
    fresh_projects: bool = False  # True: replace projects found at ``projects`` (no history)
    use_cache: bool = True
    max_mb: float | None = None
    made_dirs: tuple[Path, ...] = field(default=())  # output folders this job created
    strict_length: bool = True  # False: footage shorter than the length gives a shorter reel


def prepare_make(req: MakeRequest) -> MakeJob:
    """Check everything ``make`` can check without analysing: raises before any work is done."""
    if not req.inputs:
        raise InvalidArgumentError("no input: give one or more video files")
    height = parse_resolution(req.resolution) if req.resolution else SOURCE_HEIGHT
    length, requests = _read_instruction(req.instruction, req.length)
    if req.about is not None:
        if not req.about.strip():
            raise InvalidArgumentError('--about needs a topic: --about "pricing"')
        requests.append({"op": "focus", "kind": "topic", "keyword": req.about.strip()})
    params = SelectionParams(
        target_s=reel_length(parse_duration(length)),
        min_clip_s=req.min_clip_s,
        max_clip_s=req.max_clip_s,
    )
    settings = RenderSettings(
        height=height or None, video_crossfade_s=req.crossfade_s, preset=req.preset
    )
    options = ReelOptions(
        aspect=req.aspect,
        height=height,
        reframe=req.reframe,
        transition=req.transition,
        transition_ms=int(req.crossfade_s * 1000) if req.crossfade_s else 500,
        title=req.title,
        title_s=req.title_s,
        music=req.music,
        music_volume=req.music_volume,
        captions=req.captions,
    )
    combine = req.combine or len(req.inputs) == 1
    target = Path(req.output)
    folder = _is_folder(req.output, combine, len(req.inputs))
    outputs = output_paths(req.inputs, target, combine) if folder else (target,)
    if req.project is not None and len(outputs) > 1:
        raise InvalidArgumentError("--project names one file: use it with one reel (--combine)")
    projects: tuple[Path | None, ...] = (
        (None,) * len(outputs)
        if not req.save_project
        else (req.project,)
        if req.project is not None
        else tuple(project_path_for(o) for o in outputs)
    )
    made_dirs: tuple[Path, ...] = ()
    ffmpeg_exe()  # a missing FFmpeg (REELCUT_FFMPEG=/nope) is its own error (5002), found now
    if folder and not target.is_dir():
        _check_can_make_dir(target)
    else:
        for out in outputs:
            check_writable(out)
    for project in projects:
        if project is not None:  # in a folder still to be made: the folder's check covers it
            check_project(project, fresh=req.force, writable=project.parent.is_dir())
    job = MakeJob(
        infos=tuple(probe(p, max_mb=req.max_mb) for p in req.inputs),
        outputs=outputs,
        projects=projects,
        combine=combine,
        params=params,
        settings=settings,
        options=options,
        requests=tuple(requests),
        fresh_projects=req.force,
        use_cache=req.use_cache,
        max_mb=req.max_mb,
        strict_length=req.strict_length,
    )
    check_job(job)
    if folder and not target.is_dir():
        target.mkdir(parents=True)
        made_dirs = (target,)
    return replace(job, made_dirs=made_dirs)


def check_job(job: MakeJob) -> None:
    """The render settings and the reel options, tried on a stand-in draft of the inputs.

    The same edits the real draft gets are applied to a one-clip draft, so an unknown aspect,
    a volume of 500 % or a missing music file is refused (4008) before the analysis starts.
    """
    check_settings(job.settings)
    stand_in = Clip(0, 0, max(int(job.infos[0].duration_s * 1000), 1), 0, 0.0, "check")
    draft = draft_from_clips(job.infos[:1], [stand_in], job.params.target_s)
    try:
        check_volume(job.options.music_volume, "music")  # refused even before --music is given
        ops = option_ops(draft, job.options)
        if ops:
            validate(Batch(tuple(ops)).apply(draft))
    except EditError as exc:
        raise InvalidArgumentError(exc.message) from None


def check_settings(settings: RenderSettings) -> None:
    """Refuse bad settings before any work: presets, crossfade, and ``REELCUT_HWACCEL`` (an
    unknown value, or ``nvenc`` where no GPU encodes, fails here, not after the analysis)."""
    if settings.video_encoder == "auto":
        hwaccel.detect()
    if settings.preset not in X264_PRESETS:
        raise InvalidArgumentError(
            f"preset {settings.preset!r} is not an x264 preset: use one of {', '.join(X264_PRESETS)}"
        )
    if not 0 <= settings.video_crossfade_s <= MAX_CROSSFADE_S:
        raise InvalidArgumentError(
            f"crossfade {settings.video_crossfade_s:g} s: use 0 (hard cuts) up to "
            f"{MAX_CROSSFADE_S:g} s"
        )


def check_project(path: Path, fresh: bool, writable: bool = True) -> None:
    """The project file ``make`` will write: its folder writable, an old one readable.

    An existing project keeps its history (the new reel becomes its next version), so it must
    be readable; ``fresh`` (``--force``) replaces it instead.
    """
    if writable:
        check_writable(path)
    if path.exists() and not fresh:
        try:
            Project.load(path)
        except ProjectError as exc:
            raise ProjectError(
                f"{exc.message}; make keeps a project's history, so it stops here "
                "(--force starts the project afresh, --no-project saves none)"
            ) from None


def output_paths(inputs: Sequence[Path], folder: Path, combine: bool) -> tuple[Path, ...]:
    """Reel names inside ``folder``: ``NAME-reel.mp4`` per input (``-2``... when names repeat),
    ``reel.mp4`` for a reel of several inputs."""
    if combine:
        name = f"{inputs[0].stem}-reel.mp4" if len(inputs) == 1 else "reel.mp4"
        return (folder / name,)
    seen: dict[str, int] = {}
    out = []
    for p in inputs:
        seen[p.stem] = seen.get(p.stem, 0) + 1
        n = seen[p.stem]
        out.append(folder / (f"{p.stem}-reel.mp4" if n == 1 else f"{p.stem}-{n}-reel.mp4"))
    return tuple(out)


def _is_folder(output: str | Path, combine: bool, n_inputs: int) -> bool:
    """``-o reels/``, an existing folder, or one reel per input: the output names a folder."""
    text = str(output)  # a Path has lost the trailing slash: the caller passes the text typed
    return text.endswith(("/", os.sep)) or Path(output).is_dir() or (not combine and n_inputs > 1)


def _check_can_make_dir(folder: Path) -> None:
    """A folder that does not exist yet: its nearest existing parent must take new entries."""
    parent = folder.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise OutputNotWritableError(f"cannot make folder {folder}: {parent} is not a folder")
    try:
        check_writable(parent / f"{folder.name}.mp4")
    except OutputNotWritableError as exc:
        raise OutputNotWritableError(f"cannot make folder {folder}: {exc.message}") from None


def _read_instruction(instruction: str | None, length: str) -> tuple[str, list[dict[str, object]]]:
    """``make -i "2-minute reel, vertical"``: the length it names and the other edits."""
    if not instruction:
        return length, []
    from reelcut.editor.requests import from_words

    said_length, requests = from_words(instruction)
    return (length if said_length is None else f"{said_length:g}s"), list(requests)
