"""The main job: inputs -> analysis -> selection -> draft -> render, as one library call.

Every door that makes a reel (the CLI's ``make``, the chat session's first message, the
service's jobs, the MCP tools) calls :func:`make_reels` or :func:`make_draft`; they take the one
progress callback and cancel event that every long step takes.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from reelcut.analysis import Signals
from reelcut.analysis.loudness import TARGET_LUFS, gain_for_pieces, span_power
from reelcut.durations import format_duration
from reelcut.editor.assets import render_draft
from reelcut.editor.edits import captions_op
from reelcut.editor.footage import analyze_all, first_selection
from reelcut.editor.job import MakeJob, MakeRequest, check_job, check_project, prepare_make
from reelcut.editor.options import ReelOptions, option_ops
from reelcut.editor.requests import resolve
from reelcut.editor.store import Project, project_path_for
from reelcut.instructions.reply import describe, track_lines
from reelcut.media.probe import MediaInfo, probe
from reelcut.progress import ProgressFn, no_progress
from reelcut.render import RenderSettings, check_writable
from reelcut.selection import Clip, LeftOut, SelectionParams
from reelcut.timeline.changes import ReelMade, TopicKept
from reelcut.timeline.model import SOURCE_HEIGHT, Draft
from reelcut.timeline.ops import Batch


@dataclass(frozen=True, slots=True)
class Reel:
    output: Path
    sources: tuple[MediaInfo, ...]
    clips: tuple[Clip, ...]
    duration_s: float
    analysis_s: float
    render_s: float
    gain_db: float | None
    draft: Draft | None = None
    project: Path | None = None
    asked_s: float | None = None  # set when the footage was shorter than the length asked
    left_out: tuple[LeftOut, ...] = ()  # moments that got no clip of their own, and why
    room_note: str | None = (
        None  # "2 more moments would fit in 30 s more", when strong ones did not
    )
    version: int | None = None  # the project's version this reel is
    warnings: tuple[str, ...] = ()  # inputs left out, a length off the target
    render_method: str = "encode"  # "smart" when the source's GOPs were copied; else why not

    def to_json(self) -> dict[str, object]:
        return {
            "output": str(self.output),
            "project": None if self.project is None else str(self.project),
            "version": self.version,
            "warnings": list(self.warnings),
            "summary": None if self.draft is None else " ".join(track_lines(self.draft)),
            "duration_s": round(self.duration_s, 3),
            "analysis_s": round(self.analysis_s, 2),
            "render_s": round(self.render_s, 2),
            "render_method": self.render_method,
            "loudness_gain_db": None if self.gain_db is None else round(self.gain_db, 2),
            "sources": [str(s.path) for s in self.sources],
            "clips": [
                {
                    "source": str(self.sources[c.source_index].path),
                    "source_in_s": c.source_in_ms / 1000,
                    "source_out_s": c.source_out_ms / 1000,
                    "length_s": c.duration_ms / 1000,
                    "peak_s": c.peak_ms / 1000,
                    "score": c.score,
                    "why": c.reason,
                    "components": dict(c.components),
                }
                for c in self.clips
            ],
            "left_out": [
                {"source": str(self.sources[m.source_index].path), **m.to_json()}
                for m in self.left_out
            ],
            "room_note": self.room_note,
        }


def reel_gain_db(
    signals: Sequence[Signals], clips: Sequence[Clip], target_lufs: float = TARGET_LUFS
) -> float | None:
    """Static gain that brings the reel's integrated loudness to ``target_lufs`` (None: silent)."""
    pieces = [
        span_power(signals[c.source_index].block_power, c.source_in_ms, c.source_out_ms)
        for c in clips
    ]
    return gain_for_pieces(pieces, target_lufs)


def make(
    request: MakeRequest,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> list[Reel]:
    """``reelcut make``: check the request (before any work), then make its reels."""
    return run_make(prepare_make(request), progress=progress, cancel=cancel)


def make_reels(
    inputs: Sequence[str | Path],
    outputs: Sequence[Path],
    params: SelectionParams,
    settings: RenderSettings = RenderSettings(),
    combine: bool = True,
    use_cache: bool = True,
    max_mb: float | None = None,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
    options: ReelOptions | None = None,
    projects: Sequence[Path | None] | None = None,
    requests: Sequence[dict[str, object]] = (),
    strict_length: bool = True,
    fresh_projects: bool = False,
) -> list[Reel]:
    """One reel from all ``inputs`` (``combine``) or one reel per input, written to ``outputs``.

    Each reel's draft is saved as a project (``projects``; default ``reel.reelcut.json`` beside
    each output, ``None`` entries save nothing) so it can be edited and rendered again. Outputs,
    projects and options are checked before the analysis starts (see :func:`prepare_make`).

    A length longer than a reel's footage is :class:`~reelcut.errors.NotEnoughFootageError`
    with ``strict_length``; without it the reel is all the footage allows and its ``asked_s``
    says what was asked (a hosted editor answers with the best it can, and says so).
    """
    expected = 1 if combine else len(inputs)
    if len(outputs) != expected:
        raise ValueError(f"{expected} output path(s) needed, got {len(outputs)}")
    for out in outputs:
        check_writable(out)
    if projects is None:
        projects = [project_path_for(out) for out in outputs]
    for project_file in projects:
        if project_file is not None:
            check_project(project_file, fresh=fresh_projects)
    job = MakeJob(
        infos=tuple(probe(p, max_mb=max_mb) for p in inputs),
        outputs=tuple(outputs),
        projects=tuple(projects),
        combine=combine,
        params=params,
        settings=settings,
        options=options or ReelOptions(height=settings.height or SOURCE_HEIGHT),
        requests=tuple(requests),
        fresh_projects=fresh_projects,
        use_cache=use_cache,
        max_mb=max_mb,
        strict_length=strict_length,
    )
    check_job(job)
    return run_make(job, progress=progress, cancel=cancel)


def run_make(
    job: MakeJob, progress: ProgressFn = no_progress, cancel: threading.Event | None = None
) -> list[Reel]:
    """Analyse, select, edit and render a checked job; each project is written only after its
    reel is (a failed or interrupted make leaves no project for a reel never written)."""
    try:
        return _run(job, progress, cancel)
    except BaseException:
        for folder in job.made_dirs:  # made for this job and still empty: not left behind
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


def _run(job: MakeJob, progress: ProgressFn, cancel: threading.Event | None) -> list[Reel]:
    infos, params, options = job.infos, job.params, job.options
    t0 = time.monotonic()
    signals = analyze_all(infos, use_cache=job.use_cache, progress=progress, cancel=cancel)
    analysis_s = time.monotonic() - t0
    groups = [list(range(len(infos)))] if job.combine else [[i] for i in range(len(infos))]
    reels = []
    for group, out, project_file in zip(groups, job.outputs, job.projects, strict=True):
        group_infos = [infos[i] for i in group]
        group_signals = [signals[i] for i in group]
        footage_s = sum(s.duration_s for s in group_signals)
        group_params, asked_s = params, None
        if not job.strict_length and params.target_s > footage_s + params.tolerance_s:
            group_params, asked_s = replace(params, target_s=footage_s), params.target_s
        draft, chosen = first_selection(
            group_infos, group_signals, group_params,
            use_cache=job.use_cache, progress=progress, cancel=cancel,
        )  # fmt: skip
        clips = chosen.clips
        ops = option_ops(draft, options)
        if job.requests:  # edits said in words (make -i, --about): on the draft so far
            so_far = Batch(tuple(ops)).apply(draft)
            batch_request = {"op": "batch", "ops": list(job.requests)}
            ops.append(resolve(so_far, batch_request, use_cache=job.use_cache))
        if options.captions:  # last: captions of the clips the reel ends up with
            so_far = Batch(tuple(ops)).apply(draft)
            ops.append(captions_op(so_far, progress=progress, cancel=cancel))
        what = describe([ReelMade(len(clips), draft.duration_ms)])
        final = draft
        if ops:
            batch = Batch(tuple(ops))
            final = batch.apply(draft)
            what += "; " + describe(batch.changes())
        if any(isinstance(c, TopicKept) for c in Batch(tuple(ops)).changes()):
            clips = _clips_of(final)  # the part about the topic is the reel, whatever its length
            group_params = replace(group_params, target_s=final.duration_ms / 1000)
            asked_s, chosen = None, replace(chosen, left_out=())
        by_id = {f"s{k}": sig for k, sig in enumerate(group_signals)}
        result = render_draft(
            final,
            out,
            job.settings,
            use_cache=job.use_cache,
            max_mb=job.max_mb,
            signals=by_id,
            progress=progress,
            cancel=cancel,
        )
        saved = version = None
        if project_file is not None:
            saved, version = save_made(project_file, final, what, fresh=job.fresh_projects)
        reels.append(
            Reel(
                out,
                tuple(group_infos),
                tuple(clips),
                result.duration_s,
                analysis_s,
                result.render_s,
                result.gain_db,
                final,
                saved,
                asked_s,
                chosen.left_out,
                chosen.room_note(),
                version,
                coverage_warnings(group_infos, clips, group_params, result.duration_s)
                + _footage_note(out, result.duration_s, asked_s),
                result.method,
            )
        )
    return reels


def _clips_of(draft: Draft) -> tuple[Clip, ...]:
    """The reel's clips as selection's values (source index from the draft's source ids)."""
    index = {s.id: k for k, s in enumerate(s for s in draft.sources if s.kind == "video")}
    return tuple(
        Clip(
            index[c.source_id],
            c.source_in_ms,
            c.source_out_ms,
            c.peak_ms or c.source_in_ms,
            c.score,
            c.reason,
        )  # fmt: skip
        for c in draft.clips
        if c.source_id in index
    )


def save_made(path: Path, draft: Draft, what: str, fresh: bool = False) -> tuple[Path, int]:
    """Save a made reel's draft: a new project, or the next version of the one already there.

    Re-running ``make`` with the same output keeps the edit history (undo goes back to the
    reel before); ``fresh`` starts the project again. Saving is atomic (see :class:`Project`).
    """
    if path.exists() and not fresh:
        project = Project.load(path)
        return path, project.commit(draft, what).number
    return Project.create(path, draft, what).path, 1


def _footage_note(out: Path, duration_s: float, asked_s: float | None) -> tuple[str, ...]:
    if asked_s is None:
        return ()
    return (
        f"the footage is {format_duration(duration_s)}, so {out.name} is "
        f"{format_duration(duration_s)} (asked: {format_duration(asked_s)})",
    )


def coverage_warnings(
    infos: Sequence[MediaInfo], clips: Sequence[Clip], params: SelectionParams, duration_s: float
) -> tuple[str, ...]:
    """What the person should know about a reel that is not quite what was asked for: inputs
    of a combined reel left out, or a length off the target by more than the tolerance."""
    notes = []
    used = {c.source_index for c in clips}
    missing = [info.path.name for i, info in enumerate(infos) if i not in used]
    if len(infos) > 1 and missing:
        room = (
            f"a {params.target_s:g}s reel has no room for a {params.min_clip_s:g}s clip of each "
            f"of the {len(infos)} inputs"
            if params.target_s < len(infos) * (params.min_clip_s + 1)
            else "their moments were too weak or too long for the rest"
        )
        notes.append(
            f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not in the reel: {room} "
            "(a longer --length or a shorter --min-clip makes room)"
        )
    if abs(duration_s - params.target_s) > params.tolerance_s + 0.05:
        notes.append(f"the reel is {duration_s:.1f}s long, not the {params.target_s:g}s asked for")
    return tuple(notes)
