"""The MCP tools' bodies: each parses its arguments, calls one function of :mod:`reelcut.editor`
and formats the answer. Nothing here reaches below the application layer.

They are plain blocking functions (the server runs them on a worker thread) taking the
:class:`~reelcut.mcp.place.Place` that says what names mean and a
:class:`~reelcut.mcp.place.Work` carrying progress and cancellation. Results are TypedDicts, so
the server publishes their JSON schema as each tool's output schema.
"""

from __future__ import annotations

from typing import Any

from typing_extensions import TypedDict  # pydantic reads these on 3.11 only from here

from reelcut.editor.store import Project
from reelcut.errors import EditError, InvalidArgumentError
from reelcut.instructions.reply import describe, track_lines
from reelcut.mcp.place import Place, Work
from reelcut.timeline.changes import ReelMade
from reelcut.timeline.model import Draft

_HEIGHTS = {"360p": 360, "480p": 480, "720p": 720, "1080p": 1080}


class MediaInfo(TypedDict):
    input: str
    duration_s: float
    has_audio: bool
    step_s: float
    shot_cuts: int
    speech_share: float
    music_share: float
    moments: int


class Moment(TypedDict):
    start_s: float
    peak_s: float
    end_s: float
    score: float
    why: str


class Moments(TypedDict):
    input: str
    moments: list[Moment]


class Reel(TypedDict):
    project: str
    output: str
    duration_s: float
    summary: str
    version: int


class Timeline(TypedDict):
    project: str
    version: int
    duration_s: float
    summary: str
    tracks: list[str]
    draft: dict[str, Any]


class Edited(TypedDict):
    project: str
    reply: str
    changed: bool
    version: int
    summary: str


class Rendered(TypedDict):
    output: str
    duration_s: float


class Exported(TypedDict):
    format: str
    files: list[str]
    text: str  # the export itself (every format is text), for callers that cannot fetch files


def summarize(draft: Draft) -> str:
    """The track summary on one line ("1. Video: 3 clips (0-30s, 9:16) 2. Music: Lo-fi")."""
    return " ".join(track_lines(draft))


def _height(resolution: str | None) -> int | None:
    if resolution is None:
        return None
    key = resolution.strip().lower()
    key = key if key.endswith("p") else key + "p"
    if key not in _HEIGHTS:
        raise InvalidArgumentError(f"resolution {resolution!r}: use 360p, 480p, 720p or 1080p")
    return _HEIGHTS[key]


def analyze_media(place: Place, work: Work, path: str) -> MediaInfo:
    from reelcut.editor.moments import find_moments

    with place.work("read", None, f"analysing {path}", work) as w:
        found = find_moments(place.media(path), 10**6, progress=w.progress, cancel=w.cancel)
    s = found.signals
    return MediaInfo(
        input=path,
        duration_s=round(s.duration_s, 3),
        has_audio=s.has_audio,
        step_s=s.step_s,
        shot_cuts=len(s.shot_cuts_s),
        speech_share=round(float((s.speech > 0.5).mean()), 3) if len(s.speech) else 0.0,
        music_share=round(float((s.music > 0.5).mean()), 3) if len(s.music) else 0.0,
        moments=len(found.candidates),
    )


def list_moments(place: Place, work: Work, path: str, top: int = 10, about: str = "") -> Moments:
    from reelcut.editor.moments import find_moments

    if not 1 <= top <= 100:
        raise InvalidArgumentError("top is a number of moments from 1 to 100")
    if about.strip():
        return _part_about(place, work, path, about)
    with place.work("read", None, f"finding moments in {path}", work) as w:
        found = find_moments(place.media(path), top, progress=w.progress, cancel=w.cancel)
    return Moments(
        input=path,
        moments=[
            Moment(
                start_s=round(c.start_s, 3),
                peak_s=round(c.peak_s, 3),
                end_s=round(c.end_s, 3),
                score=round(c.score, 4),
                why=c.reason(),
            )
            for c in found.candidates
        ],
    )


def _part_about(place: Place, work: Work, path: str, about: str) -> Moments:
    """The one part where they talk about ``about`` (whole sentences), as a moment whose
    ``why`` quotes what is said; a topic nobody talks about is error 4013."""
    from reelcut.editor.topics import find_in_recording

    with place.work("read", None, f"finding the part about {about} in {path}", work) as w:
        part = find_in_recording(place.media(path), about, progress=w.progress, cancel=w.cancel)
    said = part.text if len(part.text) <= 300 else part.text[:299] + "…"
    return Moments(
        input=path,
        moments=[
            Moment(
                start_s=part.start_ms / 1000,
                peak_s=part.start_ms / 1000,
                end_s=part.end_ms / 1000,
                score=part.score,
                why=f'talks about "{part.topic}": {said}',
            )
        ],
    )


def create_reel(
    place: Place,
    work: Work,
    inputs: list[str],
    length_s: float,
    instruction: str = "",
    output: str | None = None,
    resolution: str | None = None,
) -> Reel:
    from reelcut.editor import ReelOptions
    from reelcut.editor.make import make_reels
    from reelcut.editor.requests import from_words
    from reelcut.render import RenderSettings
    from reelcut.selection import SelectionParams

    if not inputs:
        raise InvalidArgumentError("inputs: name at least one video")
    if not 0 < length_s <= 4 * 3600:
        raise InvalidArgumentError("length_s is the reel length in seconds (more than 0)")
    said_length, requests = from_words(instruction) if instruction.strip() else (None, [])
    height = _height(resolution)  # None: the footage's own size, capped at 1080p
    paths = [place.media(i) for i in inputs]
    project_file, out = place.new_reel(inputs, output)
    ref = place.project_ref(project_file)
    with place.work("make", ref, f"making a {length_s:g} s reel", work) as w:
        reel = make_reels(
            paths,
            [out],
            SelectionParams(target_s=said_length or length_s),
            RenderSettings(height=height),
            options=ReelOptions(height=height or 0),
            projects=[None],
            requests=requests,
            progress=w.progress,
            cancel=w.cancel,
        )[0]
        assert reel.draft is not None
        what = describe([ReelMade(len(reel.clips), reel.draft.duration_ms)])
        if project_file.is_file():  # a reel made again in the same place is one more version
            version = Project.load(project_file).commit(reel.draft, what).number
        else:
            version = Project.create(project_file, reel.draft, what).current.number
        w.changed = True
        w.record.update(duration_s=round(reel.duration_s, 3))
        shown = place.publish(out, w)
    return Reel(
        project=ref,
        output=shown,
        duration_s=round(reel.duration_s, 3),
        summary=summarize(reel.draft),
        version=version,
    )


def get_timeline(place: Place, project: str) -> Timeline:
    p = Project.load(place.project(project))
    return Timeline(
        project=project,
        version=p.current.number,
        duration_s=p.draft.duration_ms / 1000,
        summary=summarize(p.draft),
        tracks=track_lines(p.draft),
        draft=place.public_draft(project, p.draft),
    )


def edit_reel(place: Place, work: Work, project: str, instruction: str) -> Edited:
    from reelcut.editor.chat import run_agent

    if not instruction.strip():
        raise InvalidArgumentError("instruction: say what to change, in English or Chinese")
    path = place.project(project)
    before = Project.load(path).current.number
    reply: list[str] = []
    with place.work("edit", project, "an AI edit", work) as w:
        for event in run_agent(instruction, path.parent, [], project_path=path, cancel=w.cancel):
            if event.kind == "text":
                reply.append(event.text)
        after = Project.load(path)
        w.changed = after.current.number != before
        if w.changed:
            try:
                place.check_draft(project, after.draft)
            except EditError:
                after.undo()  # a file the caller may not use: the edit is not kept
                raise
    return Edited(
        project=project,
        reply="\n".join(reply),
        changed=w.changed,
        version=after.current.number,
        summary=summarize(after.draft),
    )


def apply_edits(
    place: Place,
    work: Work,
    project: str,
    ops: list[dict[str, Any]],
    expected_version: int | None = None,
) -> Edited:
    from reelcut.editor.requests import resolve

    if not ops:
        raise InvalidArgumentError(
            'ops: give at least one edit, e.g. {"op": "remove_clip", "index": 2}'
        )
    path = place.project(project)
    place.check_request(project, ops)
    with place.work("edit", project, "typed edits", work) as w:
        p = Project.load(path)
        if expected_version is not None and p.current.number != expected_version:
            raise EditError(
                f"the project is at version {p.current.number}, not {expected_version}: "
                "read it again with get_timeline and send the edits against what is there now"
            )
        op = resolve(p.draft, ops[0] if len(ops) == 1 else {"op": "batch", "ops": ops})
        new = op.apply(p.draft)
        place.check_draft(project, new)
        version = p.commit(new, describe(op.changes()))
        w.changed = True
    return Edited(
        project=project,
        reply=version.what,
        changed=True,
        version=version.number,
        summary=summarize(p.draft),
    )


def step(place: Place, work: Work, project: str, back: bool) -> Edited:
    """Undo (``back``) or redo one version."""
    path = place.project(project)
    with place.work("step", project, "undo" if back else "redo", work) as w:
        p = Project.load(path)
        moved = p.undo() if back else p.redo()
        w.changed = True
    return Edited(
        project=project,
        reply=("undid v" if back else "redid v") + f"{moved.number}: {moved.what}",
        changed=True,
        version=p.current.number,
        summary=summarize(p.draft),
    )


def render_reel(
    place: Place, work: Work, project: str, output: str, resolution: str | None = None
) -> Rendered:
    from reelcut.editor.assets import render_draft
    from reelcut.timeline.ops import SetFormat

    height = _height(resolution)
    draft = Project.load(place.project(project)).draft
    if height is not None:
        draft = SetFormat(None, height).apply(draft)
    draft = place.check_draft(project, draft)
    with place.work("render", project, "a render", work) as w:
        target = place.target(project, output, ".mp4")
        result = render_draft(draft, target, progress=w.progress, cancel=w.cancel)
        w.record.update(duration_s=round(result.duration_s, 3))
        shown = place.publish(target, w)
    return Rendered(output=shown, duration_s=round(result.duration_s, 3))


def export_timeline(
    place: Place, work: Work, project: str, format: str, output: str | None = None
) -> Exported:
    from reelcut.editor.exchange import export_project
    from reelcut.timeline.exchange import FORMATS

    if format not in FORMATS:
        raise InvalidArgumentError(f"format {format!r}: use one of {', '.join(FORMATS)}")
    draft = place.for_export(project, Project.load(place.project(project)).draft)
    with place.work("export", project, f"a {format} export", work) as w:
        target = place.target(project, output, FORMATS[format])
        written = export_project(draft, target, format)
        text = written[0].read_text(encoding="utf-8", errors="replace")
        files = [place.publish(f, w) for f in written]
    return Exported(format=format, files=files, text=text)


def preview_frame(place: Place, work: Work, project: str, at_s: float) -> bytes:
    from reelcut.editor.preview import preview_png

    draft = place.check_draft(project, Project.load(place.project(project)).draft)
    with place.work("read", project, "a preview", work) as w:
        return preview_png(draft, at_s, cancel=w.cancel)


def history(place: Place, project: str) -> dict[str, Any]:
    p = Project.load(place.project(project))
    return {
        "project": project,
        "current": p.current.number,
        "versions": [
            {
                "version": v.number,
                "at": v.at,
                "what": v.what,
                "duration_s": v.draft.duration_ms / 1000,
                "current": i == p.head,
            }
            for i, v in enumerate(p.versions)
        ],
    }
