"""Everything a draft's render needs from disk, found before planning: files, picture sizes,
fonts, the subject-following crop of each clip, music rendered to length, and the loudness gain.

This is the application layer's half of rendering: it may look at the analysis (the loudness
gain comes from the signals measured at analysis time, cached per content, never a second pass)
and at the reframing paths; :func:`reelcut.render.plan_draft` stays pure and
:func:`reelcut.render.run_plan` only runs FFmpeg.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

from reelcut.analysis import Signals, analyze
from reelcut.analysis.loudness import gain_for_pieces, span_power
from reelcut.editor.placement import FaceBand, texts_off_faces
from reelcut.media import hwaccel
from reelcut.media.images import image_size
from reelcut.media.probe import MediaInfo, probe
from reelcut.progress import ProgressFn, check_cancel, no_progress
from reelcut.render import (
    RenderAssets,
    RenderResult,
    RenderSettings,
    check_writable,
    output_fps,
    plan_draft,
    run_plan,
)
from reelcut.render.fonts import find_font
from reelcut.timeline.model import ASPECTS, Draft


def draft_gain_db(
    draft: Draft,
    infos: dict[str, MediaInfo],
    use_cache: bool = True,
    signals: Mapping[str, Signals] | None = None,
) -> float | None:
    """Static gain that brings the reel's own sound to -14 LUFS (None: silent).

    Loudness comes from the analysis (cached after ``make``; ``signals`` skips even the cache).
    """
    pieces = []
    for c in draft.clips:
        if c.source_id is None or c.source_id not in infos:
            continue
        info = infos[c.source_id]
        if not info.has_audio:
            continue
        s = (signals or {}).get(c.source_id) or analyze(info, use_cache=use_cache)
        pieces.append(span_power(s.block_power, c.source_in_ms, c.source_out_ms))
    return gain_for_pieces(pieces)


def prepare_assets(
    draft: Draft,
    *,
    use_cache: bool = True,
    max_mb: float | None = None,
    signals: Mapping[str, Signals] | None = None,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> RenderAssets:
    """Look at every file the draft uses (and make what is generated) so it can be planned."""
    files: dict[str, Path] = {}
    display: dict[str, tuple[int, int]] = {}
    has_audio: dict[str, bool] = {}
    infos: dict[str, MediaInfo] = {}
    used = {c.source_id for c in draft.clips if c.source_id}
    used |= {o.source_id for o in draft.overlays} | {a.source_id for a in draft.audio}
    for src in draft.sources:
        if src.id not in used:
            continue
        check_cancel(cancel)
        if src.kind == "video":
            info = probe(src.path, max_mb=max_mb)
            infos[src.id] = info
            files[src.id] = info.path
            display[src.id] = info.video.display_size
            has_audio[src.id] = info.has_audio
        elif src.kind == "image":
            files[src.id] = Path(src.path)
            display[src.id] = image_size(Path(src.path))
        elif src.kind == "audio":
            from reelcut.music import check_music_file

            check_music_file(Path(src.path))
            files[src.id] = Path(src.path)
        else:  # generated music, rendered to the longest span it plays
            from reelcut.music import music_track

            span = max(
                (a.duration_ms or max(draft.duration_ms - a.start_ms, 1))
                for a in draft.audio
                if a.source_id == src.id
            )
            files[src.id] = music_track(src.path, span / 1000 + 0.5)

    first = next((infos[c.source_id] for c in draft.clips if c.source_id in infos), None)
    fps = output_fps(first) if first else Fraction(30)
    fonts = {i: find_font(t.font, t.text) for i, t in enumerate(draft.texts)}
    crops, faces = _crop_filters(draft, infos, display, progress, cancel)
    gain = draft_gain_db(draft, infos, use_cache=use_cache, signals=signals)
    starts = {sid: info.start_s for sid, info in infos.items() if info.start_s}
    moved = texts_off_faces(draft, faces, draft.output_size()) if faces and draft.texts else {}
    return RenderAssets(files, display, has_audio, fps, crops, fonts, gain, starts, moved)


def _crop_filters(
    draft: Draft,
    infos: dict[str, MediaInfo],
    display: dict[str, tuple[int, int]],
    progress: ProgressFn,
    cancel: threading.Event | None,
) -> tuple[dict[int, str], dict[int, tuple[FaceBand, ...]]]:
    """The subject-following crop of each clip whose picture is wider or taller than the reel,
    and the faces each crop saw (clip index -> bands, for :func:`texts_off_faces`)."""
    ratio = ASPECTS.get(draft.aspect)
    if ratio is None or draft.reframe != "follow":
        return {}, {}
    from reelcut.reframe import crop_filter, crop_path

    todo = [
        (i, c)
        for i, c in enumerate(draft.clips)
        if c.source_id in infos
        and c.role != "card"
        and abs(Fraction(*display[c.source_id]) - ratio) > ratio / 100
    ]
    out: dict[int, str] = {}
    faces: dict[int, tuple[FaceBand, ...]] = {}
    for n, (i, c) in enumerate(todo):
        check_cancel(cancel)
        progress("reframe", n, len(todo))
        assert c.source_id is not None
        path = crop_path(
            infos[c.source_id].path, c.source_in_ms / 1000, c.source_out_ms / 1000, ratio
        )
        w, h = display[c.source_id]
        if c.speed != 1:  # the crop's clock is the reel's: stretch it with the clip
            path = replace(path, keyframes=tuple((t / c.speed, x, y) for t, x, y in path.keyframes))
        out[i] = crop_filter(path, w, h)
        if path.face_bands:
            faces[i] = path.face_bands
    progress("reframe", len(todo), len(todo))
    return out, faces


def accelerated(settings: RenderSettings) -> RenderSettings:
    """Settings with ``video_encoder="auto"`` resolved: NVENC encoding and CUDA decoding where
    an NVIDIA GPU works (:func:`reelcut.media.hwaccel.detect`), libx264 and software decoding
    everywhere else; ``REELCUT_HWACCEL=nvenc`` without one is a HardwareUnavailableError."""
    if settings.video_encoder != "auto":
        return settings
    found = hwaccel.detect()
    return replace(settings, video_encoder=found.encoder, decode_hwaccel=found.decode)


def render_draft(
    draft: Draft,
    output: Path,
    settings: RenderSettings = RenderSettings(),
    *,
    use_cache: bool = True,
    max_mb: float | None = None,
    signals: Mapping[str, Signals] | None = None,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> RenderResult:
    """Render ``draft`` to ``output`` (checks the output path first): a cut-only reel copies the
    source's GOPs and re-encodes only the edges (:mod:`reelcut.render.smart`, unless
    ``settings.smart`` is "off"); anything else, or a reel smart render cannot handle, is one
    full FFmpeg encode, on the GPU where :func:`accelerated` finds one (smart render's edges
    stay on libx264, which matches the source's stream parameters)."""
    check_writable(output)
    settings = accelerated(settings)
    assets = prepare_assets(
        draft, use_cache=use_cache, max_mb=max_mb, signals=signals, progress=progress,
        cancel=cancel,
    )  # fmt: skip
    method = "encode (smart render off)"
    if settings.smart != "off":
        from reelcut.render.smart import NotSmart, plan_smart
        from reelcut.render.smart_write import run_smart

        try:
            smart = plan_smart(draft, assets, output, settings)
            result = run_smart(smart, settings, progress=progress, cancel=cancel)
            return replace(result, gain_db=assets.gain_db)
        except NotSmart as why:  # the reel needs the full encode
            method = f"encode ({why})"
    result = run_plan(plan_draft(draft, assets, output, settings), progress=progress, cancel=cancel)
    return replace(result, gain_db=assets.gain_db, method=method)
