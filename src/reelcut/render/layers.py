"""Stage 4, text and overlays: words (``drawtext``) and pictures laid over the joined reel."""

from __future__ import annotations

from dataclasses import replace

from reelcut.geometry import even
from reelcut.render.clips import still_options
from reelcut.render.fit import is_image
from reelcut.render.graph import Graph
from reelcut.render.text import drawtext, fit_text
from reelcut.render.timing import Timing
from reelcut.render.types import RenderAssets, RenderSettings
from reelcut.timeline.model import Draft


def add_texts(
    graph: Graph, draft: Draft, assets: RenderAssets, vlabel: str, size: tuple[int, int]
) -> str:
    """Every text segment drawn over ``[vlabel]``; returns the label of the result."""
    width, height = size
    filters = []
    for t, seg in enumerate(draft.texts):
        if t in assets.text_positions:
            seg = replace(seg, position=assets.text_positions[t])
        fitted = fit_text(seg, width, height)
        words = graph.add_file(f"text{t}.txt", fitted.lines)
        filters.append(drawtext(seg, assets.fonts[t], words, width, height, fitted.size_px))
    if not filters:
        return vlabel
    graph.add(f"[{vlabel}]{','.join(filters)}[vtext]")
    return "vtext"


def add_overlays(
    graph: Graph,
    draft: Draft,
    assets: RenderAssets,
    timing: Timing,
    settings: RenderSettings,
    vlabel: str,
    size: tuple[int, int],
) -> str:
    """Every overlay (a still, or a video played from its start and looped) over ``[vlabel]``."""
    fps = timing.fps
    width, height = size
    for o, ov in enumerate(draft.overlays):
        a, b = ov.start_ms / 1000, (ov.start_ms + ov.duration_ms) / 1000
        path = assets.files[ov.source_id]
        if is_image(path):
            k = graph.add_input(*still_options(path, fps), "-t",
                                f"{float(timing.total_frames / fps):.3f}", "-i", str(path))  # fmt: skip
            shift = "setpts=PTS-STARTPTS"
        else:
            k = graph.add_input("-threads", str(settings.decode_threads), "-stream_loop", "-1",
                                "-t", f"{b - a:.3f}", "-i", str(path))  # fmt: skip
            shift = f"setpts=PTS-STARTPTS+{a:.3f}/TB"
        fade = min(ov.fade_ms / 1000, (b - a) / 3)
        fades = (
            f",fade=t=in:st={a:.3f}:d={fade:.3f}:alpha=1,fade=t=out:st={b - fade:.3f}:d={fade:.3f}:alpha=1"
            if fade > 0
            else ""
        )
        graph.add(
            f"[{k}:v:0]{shift},fps={fps},scale={even(width * ov.width)}:-2,format=rgba,"
            f"colorchannelmixer=aa={ov.opacity:.3f}{fades}[ovl{o}]"
        )
        graph.add(
            f"[{vlabel}][ovl{o}]overlay=x={width * ov.x:.1f}-overlay_w/2:y={height * ov.y:.1f}-overlay_h/2:"
            f"enable='between(t,{a:.3f},{b:.3f})':eof_action=pass[vov{o}]"
        )
        vlabel = f"vov{o}"
    return vlabel
