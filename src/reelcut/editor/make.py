"""The main job: inputs -> analysis -> selection -> draft -> render, as one library call.

Every door that makes a reel (the CLI's ``make``, the chat session's first message, the
service's jobs, the MCP tools) calls :func:`make_reels` or :func:`make_draft`; they take the one
progress callback and cancel event that every long step takes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from reelcut.analysis import Signals
from reelcut.analysis.loudness import TARGET_LUFS, gain_for_pieces, span_power
from reelcut.editor.assets import render_draft
from reelcut.editor.edits import captions_op
from reelcut.editor.footage import analyze_all, first_selection
from reelcut.editor.options import ReelOptions, option_ops
from reelcut.editor.requests import resolve
from reelcut.editor.store import Project, project_path_for
from reelcut.instructions.reply import describe, track_lines
from reelcut.media.probe import MediaInfo, probe
from reelcut.progress import ProgressFn, no_progress
from reelcut.render import RenderSettings, check_writable
from reelcut.selection import Clip, LeftOut, SelectionParams
from reelcut.timeline.changes import ReelMade
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

    def to_json(self) -> dict[str, object]:
        return {
            "output": str(self.output),
            "project": None if self.project is None else str(self.project),
            "summary": None if self.draft is None else " ".join(track_lines(self.draft)),
            "duration_s": round(self.duration_s, 3),
            "analysis_s": round(self.analysis_s, 2),
            "render_s": round(self.render_s, 2),
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
) -> list[Reel]:
    """One reel from all ``inputs`` (``combine``) or one reel per input, written to ``outputs``.

    Each reel's draft is saved as a project (``projects``; default ``reel.reelcut.json`` beside
    each output, ``None`` entries save nothing) so it can be edited and rendered again.

    A length longer than a reel's footage is :class:`~reelcut.errors.NotEnoughFootageError`
    with ``strict_length``; without it the reel is all the footage allows and its ``asked_s``
    says what was asked (a hosted editor answers with the best it can, and says so).
    """
    expected = 1 if combine else len(inputs)
    if len(outputs) != expected:
        raise ValueError(f"{expected} output path(s) needed, got {len(outputs)}")
    for out in outputs:
        check_writable(out)
    if options is None:
        options = ReelOptions(height=settings.height or SOURCE_HEIGHT)
    if projects is None:
        projects = [project_path_for(out) for out in outputs]
    infos = [probe(p, max_mb=max_mb) for p in inputs]
    t0 = time.monotonic()
    signals = analyze_all(infos, use_cache=use_cache, progress=progress, cancel=cancel)
    analysis_s = time.monotonic() - t0
    groups = [list(range(len(infos)))] if combine else [[i] for i in range(len(infos))]
    reels = []
    for group, out, project_file in zip(groups, outputs, projects, strict=True):
        group_infos = [infos[i] for i in group]
        group_signals = [signals[i] for i in group]
        footage_s = sum(s.duration_s for s in group_signals)
        group_params, asked_s = params, None
        if not strict_length and params.target_s > footage_s + params.tolerance_s:
            group_params, asked_s = replace(params, target_s=footage_s), params.target_s
        draft, chosen = first_selection(group_infos, group_signals, group_params)
        clips = chosen.clips
        ops = option_ops(draft, options)
        if options.captions:
            draft = Batch(tuple(ops)).apply(draft)
            ops = [captions_op(draft, progress=progress, cancel=cancel)]
        if requests:  # edits said in words (make -i): resolved against the draft so far
            draft = Batch(tuple(ops)).apply(draft)
            ops = [resolve(draft, {"op": "batch", "ops": list(requests)}, use_cache=use_cache)]
        what = describe([ReelMade(len(clips), draft.duration_ms)])
        final = draft
        if ops:
            batch = Batch(tuple(ops))
            final = batch.apply(draft)
            what += "; " + describe(batch.changes())
        saved = None
        if project_file is not None:
            saved = Project.create(project_file, final, what).path
        by_id = {f"s{k}": sig for k, sig in enumerate(group_signals)}
        result = render_draft(
            final,
            out,
            settings,
            use_cache=use_cache,
            max_mb=max_mb,
            signals=by_id,
            progress=progress,
            cancel=cancel,
        )
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
            )
        )
    return reels
