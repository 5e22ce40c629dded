"""A draft -> one FFmpeg command (a value you can print and assert on). No I/O here.

The planner runs six stages over one :class:`~reelcut.render.graph.Graph`:

1. inputs (:mod:`.inputs`): one concat-demuxer input per source file, whatever the number of
   clips taken from it, so memory does not grow with the clips or the recording's length;
2. per-clip chains (:mod:`.clips`): every clip cut to a whole number of frames and the matching
   number of audio samples, counted from the start of the reel (:mod:`.timing`), so audio and
   video stay in sync at every cut; each picture fitted to the output aspect on its own
   (subject-following crop, blurred background or centre crop, :mod:`.fit`);
3. joins (here): a short audio crossfade at every cut (no clicks), ``xfade`` for video
   transitions; each piece but the last runs past its cut, so transitions take no time;
4. text and overlays (:mod:`.layers`) over the joined reel;
5. the music mix (:mod:`.mix`): the footage's own sound levelled, music ducked under it;
6. encoder arguments (here): H.264 High + AAC, the reel's exact length.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from reelcut.media.probe import MediaInfo
from reelcut.render.clips import add_clip_chains
from reelcut.render.fit import shared_fit
from reelcut.render.graph import Graph
from reelcut.render.inputs import add_source_inputs
from reelcut.render.layers import add_overlays, add_texts
from reelcut.render.mix import add_sound
from reelcut.render.timing import Timing, plan_timing
from reelcut.render.types import (
    AUDIO_RATE,
    PlannedSegment,
    RenderAssets,
    RenderPlan,
    RenderSettings,
)
from reelcut.timeline.model import Draft

__all__ = [
    "AUDIO_RATE",
    "PlannedSegment",
    "RenderAssets",
    "RenderPlan",
    "RenderSettings",
    "output_fps",
    "plan_draft",
    "work_dir_for",
]


def plan_draft(
    draft: Draft,
    assets: RenderAssets,
    output: Path,
    settings: RenderSettings = RenderSettings(),
) -> RenderPlan:
    """Build the FFmpeg arguments that render ``draft`` to ``output``."""
    if not draft.clips:
        raise ValueError("nothing to render: no clips")
    size = draft.output_size()
    timing = plan_timing(draft, assets, settings)
    graph = Graph(work_dir_for(output))
    inputs = add_source_inputs(graph, draft, assets, timing, settings)
    fit = shared_fit(draft, assets, size, xfade=bool(timing.xfade_frames))
    add_clip_chains(graph, draft, assets, timing, inputs, size, fit_later=fit is not None)
    vlabel, alabel = _join(graph, timing)
    if fit is not None:
        graph.add(f"[{vlabel}]{fit},format=yuv420p[vfit]")
        vlabel = "vfit"
    vlabel = add_texts(graph, draft, assets, vlabel, size)
    vlabel = add_overlays(graph, draft, assets, timing, settings, vlabel, size)
    add_sound(graph, draft, assets, timing, settings, alabel)
    filter_graph = graph.filter_graph
    script = graph.add_file("graph.txt", filter_graph)
    args = _encoder_args(graph, script, vlabel, timing, settings, output)
    return RenderPlan(
        args,
        output,
        size[0],
        size[1],
        timing.fps,
        timing.duration_s,
        timing.segments,
        filter_graph,
        graph.work_dir,
        tuple(graph.files),
    )


def _join(graph: Graph, timing: Timing) -> tuple[str, str]:
    """Join ``[v{i}]``/``[a{i}]`` into one picture and one sound; returns their labels."""
    fps = timing.fps
    n = len(timing.segments)
    vlabel, alabel = "v0", "a0"
    reel_frames = 0
    for i in range(1, n):
        reel_frames += timing.segments[i - 1].frames
        if timing.xfade_frames:
            graph.add(
                f"[{vlabel}][v{i}]xfade=transition={timing.xfade_kind}:duration="
                f"{float(timing.xfade_frames / fps):.4f}:offset={float(reel_frames / fps):.4f}[vx{i}]"
            )
            vlabel = f"vx{i}"
        graph.add(
            f"[{alabel}][a{i}]acrossfade=ns={timing.fade_samples}:c1=tri:c2=tri[ax{i}]"
            if timing.fade_samples
            else f"[{alabel}][a{i}]concat=n=2:v=0:a=1[ax{i}]"
        )
        alabel = f"ax{i}"
    if not timing.xfade_frames and n > 1:
        ins = "".join(f"[v{i}]" for i in range(n))
        graph.add(f"{ins}concat=n={n}:v=1:a=0[vcat]")
        vlabel = "vcat"
    return vlabel, alabel


def _encoder_args(
    graph: Graph,
    script: Path,
    vlabel: str,
    timing: Timing,
    settings: RenderSettings,
    output: Path,
) -> tuple[str, ...]:
    """The whole command line after the binary: global options, inputs, graph, encoders."""
    fps = timing.fps
    args = ["-hide_banner", "-nostdin", "-y", "-loglevel", "error"]
    args += ["-progress", "pipe:1", "-nostats", "-copyts", *graph.input_args]
    args += [
        "-/filter_complex", str(script),
        "-map", f"[{vlabel}]", "-map", "[aout]",
        *video_codec_args(settings), "-pix_fmt", "yuv420p", "-r", str(fps),
        "-g", str(max(int(round(2 * fps)), 1)),
        "-c:a", "aac", "-b:a", settings.audio_bitrate, "-ar", str(AUDIO_RATE), "-ac", "2",
        "-t", f"{timing.duration_s:.6f}", "-movflags", "+faststart",
    ]  # fmt: skip
    if settings.threads:
        args += ["-threads", str(settings.threads)]
    args += ["-f", "mp4", str(output)]
    return tuple(args)


#: x264's presets -> NVENC's (p1 fastest ... p7 best), for the same speed/quality intent.
NVENC_PRESETS = {
    "ultrafast": "p1", "superfast": "p2", "veryfast": "p3", "faster": "p4", "fast": "p4",
    "medium": "p5", "slow": "p6", "slower": "p7", "veryslow": "p7", "placebo": "p7",
}  # fmt: skip


def video_codec_args(settings: RenderSettings) -> list[str]:
    """The H.264 encoder and its quality options: libx264 at ``crf``, or (``h264_nvenc``, where
    :mod:`reelcut.media.hwaccel` found a GPU) NVENC in constant-quality VBR at the same number
    (``-cq``, H.264's quantiser scale as CRF is), High profile, the preset mapped by intent.
    "auto" is libx264: the planner never probes hardware."""
    if settings.video_encoder == "h264_nvenc":
        return [
            "-c:v", "h264_nvenc", "-profile:v", "high",
            "-preset", NVENC_PRESETS.get(settings.preset, "p4"), "-tune", "hq",
            "-rc", "vbr", "-cq", str(settings.crf), "-b:v", "0",
        ]  # fmt: skip
    return ["-c:v", "libx264", "-profile:v", "high", "-preset", settings.preset,
            "-crf", str(settings.crf)]  # fmt: skip


def work_dir_for(output: Path) -> Path:
    """The hidden folder beside ``output`` that holds the command's files while it runs."""
    return output.parent / f".{output.name}.reelcut-work"


def output_fps(info: MediaInfo) -> Fraction:
    """The reel's frame rate for footage like ``info``: its own, capped at 60, whole when VFR."""
    fps = info.video.fps
    if fps > 60:
        return Fraction(60)
    if info.video.variable_frame_rate:
        return Fraction(round(float(fps))) or Fraction(30)
    return fps
