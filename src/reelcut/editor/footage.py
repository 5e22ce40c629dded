"""The footage behind a reel: probed and analysed (from the cache after the first time), and
the plain first draft selection makes of it.

Making a reel, the chat's first message, the service's analysis job and the edits that
re-select (a new length, the next best moment) all reach the footage through here, so the
sequence probe -> analyse -> select is written once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from reelcut.analysis import DEFAULT_STEP_S, Signals, analyze, cache
from reelcut.editor.build import draft_from_clips
from reelcut.errors import CancelledError, ReelcutError
from reelcut.media.growing import Growing
from reelcut.media.probe import MediaInfo, probe, probe_growing
from reelcut.progress import ProgressFn, check_cancel, no_progress
from reelcut.selection import Clip, Selection, SelectionParams
from reelcut.timeline.model import Draft


def analyze_all(
    infos: Sequence[MediaInfo],
    *,
    use_cache: bool = True,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> list[Signals]:
    """The signals of every input (from the cache when it has them), one progress bar over all."""
    total = sum(i.duration_s for i in infos)
    done = 0.0
    signals: list[Signals] = []
    for info in infos:
        check_cancel(cancel)

        def part(stage: str, d: float, t: float, base: float = done) -> None:
            progress("analyze", base + d, total)

        signals.append(analyze(info, use_cache=use_cache, progress=part, cancel=cancel))
        done += info.duration_s
    return signals


def analyze_media(
    path: str | Path,
    *,
    max_mb: float | None = None,
    use_cache: bool = True,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> Signals:
    """Probe and analyse one file (cached per content), as an upload's analysis job does."""
    info = probe(path, max_mb=max_mb)
    return analyze(info, use_cache=use_cache, progress=progress, cancel=cancel)


def analysis_file(path: Path) -> Path:
    """Where the analysis of ``path`` is cached (by its content): a service with several
    workers shares this file through its storage, so a file is analysed once, anywhere."""
    return cache.entry_path(cache.content_key(path), DEFAULT_STEP_S)


def analysis_files() -> tuple[Path, str]:
    """The folder analyses are cached in and the pattern their files match: a service with a
    bucket counts them in its bounded local copy, and nothing else of that folder."""
    return cache.cache_dir(), cache.ENTRY_GLOB


def analyze_growing(
    file: Growing,
    *,
    afford: Callable[[float], bool] = lambda seconds: True,
    cancel: threading.Event | None = None,
) -> str:
    """Analyse an upload while its bytes arrive; ``"stored"`` when the result is in the cache.

    The signals are kept only when the last byte came and the whole file, probed again, is what
    its first bytes said (length, start, streams): they are then stored under the finished
    file's content key, exactly where :func:`analyze_media` looks, so the upload's analysis job
    finds them. Otherwise (an abort, a header that lied, a layout that cannot stream, an
    account that cannot pay, ``afford(seconds)`` False) nothing is stored and the reason comes
    back; the job then analyses the file the usual way.
    """
    try:
        early = probe_growing(file)
        if not afford(early.duration_s):
            return "not started: the account cannot pay for this analysis"
        signals = analyze(early, use_cache=False, cancel=cancel)
        file.wait_for(1 << 62)
        if file.aborted or (cancel is not None and cancel.is_set()):
            return "cancelled: the upload was aborted"
        final = probe(file.path)
    except ReelcutError as exc:
        if isinstance(exc, CancelledError) or file.aborted:
            return "cancelled: the upload was aborted"  # its early end may read as damage
        return f"not used: {exc.message}"
    same = (early.duration_s, early.start_s, early.video, early.audio, early.container) == (
        final.duration_s, final.start_s, final.video, final.audio, final.container
    )  # fmt: skip
    if not same:
        return "not used: the whole file differs from what its first bytes said"
    cache.store(cache.content_key(file.path), DEFAULT_STEP_S, signals)
    return "stored"


def first_draft(
    infos: Sequence[MediaInfo],
    signals: Sequence[Signals],
    params: SelectionParams,
    *,
    use_cache: bool = True,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> tuple[Draft, list[Clip]]:
    """The plain first draft of a reel: the selected clips on one video track."""
    draft, chosen = first_selection(
        infos, signals, params, use_cache=use_cache, progress=progress, cancel=cancel
    )
    return draft, list(chosen.clips)


def first_selection(
    infos: Sequence[MediaInfo],
    signals: Sequence[Signals],
    params: SelectionParams,
    *,
    use_cache: bool = True,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> tuple[Draft, Selection]:
    """The first draft and the whole selection behind it (what was left out, and why).

    Where speech is heard around the cut points, they fall between sentences
    (:mod:`reelcut.editor.speech_cuts`: only the speech there is transcribed, cached).
    """
    from reelcut.editor.speech_cuts import select_speech_aware

    chosen = select_speech_aware(
        [i.path for i in infos], list(signals), params,
        use_cache=use_cache, progress=progress, cancel=cancel,
    )  # fmt: skip
    return draft_from_clips(infos, list(chosen.clips), params.target_s), chosen


def footage_among(paths: Sequence[Path], max_mb: float | None = None) -> list[MediaInfo]:
    """The probed videos among ``paths`` (pictures and music uploaded beside them are skipped)."""
    videos = []
    for p in paths:
        try:
            videos.append(probe(p, max_mb=max_mb))
        except ReelcutError:
            continue
    return videos


def draft_signals(draft: Draft, use_cache: bool = True) -> list[Signals]:
    """The signals of each video source of ``draft``, in source order (cached per content)."""
    return [analyze(probe(s.path), use_cache=use_cache) for s in draft.sources if s.kind == "video"]
