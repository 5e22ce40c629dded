"""Stage 2, per-clip chains: each clip cut from its input (or made: a card, a still), retimed,
fitted to the frame and cut to its whole number of frames ``[v{i}]`` and samples ``[a{i}]``.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from reelcut.render.fit import clip_kind, picture_fit
from reelcut.render.graph import Graph
from reelcut.render.inputs import SourceInputs, seconds
from reelcut.render.timing import Timing
from reelcut.render.types import AUDIO_RATE, RenderAssets
from reelcut.timeline.model import Draft

_STEREO = "aformat=sample_fmts=fltp:channel_layouts=stereo"


def add_clip_chains(
    graph: Graph,
    draft: Draft,
    assets: RenderAssets,
    timing: Timing,
    inputs: SourceInputs,
    size: tuple[int, int],
    fit_later: bool,
) -> None:
    """``[v{i}]`` and ``[a{i}]`` for every clip. ``fit_later``: the joined reel is fitted once,
    so the clips keep their own picture size here."""
    fps = timing.fps
    width, height = size
    for i, clip in enumerate(draft.clips):
        vframes, asamples = timing.video_frames(i), timing.audio_samples(i)
        tail = f"tpad=stop_mode=clone:stop=-1,trim=end_frame={vframes},setpts=PTS-STARTPTS[v{i}]"
        if not fit_later:
            tail = f"format=yuv420p,{tail}"
        silence = f"anullsrc=r={AUDIO_RATE}:cl=stereo,atrim=end_sample={asamples}[a{i}]"
        kind = clip_kind(clip, assets)
        if kind == "colour":
            colour = clip.colour.replace("#", "0x")
            graph.add(f"color=c={colour}:s={width}x{height}:r={fps},setsar=1,{tail}")
            graph.add(silence)
            continue
        assert clip.source_id is not None
        src = assets.files[clip.source_id]
        fit = picture_fit(i, assets.display[clip.source_id], size, draft, assets, clip)
        if kind == "image":
            k = graph.add_input(
                *still_options(src, fps), "-t", f"{float(vframes / fps):.3f}", "-i", str(src)
            )
            graph.add(f"[{k}:v:0]setpts=PTS-STARTPTS,fps={fps},{fit},{tail}")
            graph.add(silence)
            continue
        k, read = inputs.index[clip.source_id], inputs.read_of[i]
        many = inputs.shared(clip.source_id)
        v_in = f"[s{k}v{i}]" if many else f"[{k}:v:0]"
        cut = (
            f"start={seconds(read.clip_start_us)}:end={seconds(read.clip_start_us + read.read_us)}"
        )
        speed = f"setpts=(PTS-STARTPTS)/{clip.speed:g}," if clip.speed != 1 else ""
        fit = "" if fit_later else f"{fit},"
        graph.add(f"{v_in}trim={cut},setpts=PTS-STARTPTS,{speed}fps={fps},{fit}{tail}")
        if assets.has_audio.get(clip.source_id):
            a_in = f"[s{k}a{i}]" if many else f"[{k}:a:0]"
            a_src = (
                f"{a_in}atrim={cut},aresample={AUDIO_RATE},{_STEREO},asetpts=PTS-STARTPTS,"
                f"{atempo(clip.speed)}apad"
            )
        else:
            a_src = f"anullsrc=r={AUDIO_RATE}:cl=stereo"
        graph.add(f"{a_src},atrim=end_sample={asamples},asetpts=PTS-STARTPTS[a{i}]")


def still_options(path: Path, fps: Fraction) -> tuple[str, ...]:
    """Input options that repeat a picture for as long as asked (a GIF plays and loops)."""
    if path.suffix.lower() == ".gif":
        return ("-stream_loop", "-1")
    return ("-loop", "1", "-framerate", str(fps))


def atempo(speed: float) -> str:
    """atempo filters for ``speed`` (each takes 0.5-2; chain them beyond that), comma-ended."""
    if speed == 1:
        return ""
    parts, s = [], speed
    while s < 0.5:
        parts.append("atempo=0.5")
        s /= 0.5
    while s > 2.0:
        parts.append("atempo=2.0")
        s /= 2.0
    parts.append(f"atempo={s:.6g}")
    return ",".join(parts) + ","
