"""A draft -> one FFmpeg command (a value you can print and assert on). No I/O here.

Each source file is one FFmpeg input, whatever the number of clips taken from it: a concat-demuxer
list (``ffconcat``) that names the file once per clip with an ``inpoint`` a little before the clip
and an ``outpoint`` just past it. The demuxer opens the file for one clip at a time and seeks, so
FFmpeg decodes only from the keyframe before each clip, and memory does not grow with the number
of clips or the length of the recording: one decoder, one sample index and one set of frame
queues per source (an input per clip held all of them at once, ~50 MB each at 1080p, plus a
90-minute MP4's index each; the render's peak grew with the input's length).

Each list entry gets a whole-second slot on the input's timeline (``duration``) so clips never
overlap there; the graph splits the decoded stream and cuts every clip out of its slot by
timestamp (``trim``/``atrim``), exactly as an input seek (``-ss``) would: the first frame kept is
the first at or after the clip's in-point, the same frame to the tick. ``-copyts`` keeps those
timestamps as the lists set them. Every clip is cut to a whole number of frames and the matching
number of audio samples, counted from the start of the reel, so audio and video stay in sync at
every cut however many clips there are.

Cuts get a short audio crossfade (no clicks): each piece but the last runs past its cut and
overlaps the next one, so transitions take no time from the reel (video transitions likewise,
with ``xfade``). The picture of each clip is fitted to the output aspect on its own (subject-
following crop, blurred background or centre crop); text, pictures, music and ducking are then
laid over the joined reel, all in the same pass.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from reelcut.render.text import drawtext, text_lines
from reelcut.timeline.model import Draft, VideoSegment

AUDIO_RATE = 48000
_READ_EXTRA_S = 1.0  # read a little past each clip: crossfade tails and short final GOPs
_PREROLL_S = 0.1  # start decoding this much before a clip: the audio decoder's first frame
_CUT_FADE_MS = 30


@dataclass(frozen=True, slots=True)
class RenderSettings:
    height: int = 1080  # used by plan_render (clips without a draft); a draft has its own
    fps: Fraction | None = None  # None: the first source's rate (capped at 60)
    crf: int = 21
    preset: str = "superfast"  # >= 60 fps at 1080p on 2 cores, still H.264 High (CABAC, 8x8)
    audio_fade_ms: int = _CUT_FADE_MS
    video_crossfade_s: float = 0.0
    gain_db: float | None = None  # static loudness gain; None leaves the level alone
    audio_bitrate: str = "192k"
    threads: int = 0  # encoder threads; 0: let FFmpeg choose
    decode_threads: int = 2  # per input (one per source file, not per clip)


@dataclass(frozen=True, slots=True)
class RenderAssets:
    """What the planner needs to know about the files behind a draft (found by ``assets.py``)."""

    files: Mapping[str, Path]  # source id -> file to read (music already rendered to length)
    display: Mapping[str, tuple[int, int]]  # source id -> upright picture size
    has_audio: Mapping[str, bool]
    fps: Fraction
    crop_filters: Mapping[int, str] = field(default_factory=dict)  # clip index -> crop filter
    fonts: Mapping[int, Path] = field(default_factory=dict)  # index in draft.texts -> font file
    gain_db: float | None = None  # loudness gain for the footage's own sound
    start_s: Mapping[str, float] = field(default_factory=dict)  # source id -> first timestamp


@dataclass(frozen=True, slots=True)
class PlannedSegment:
    source: Path | None
    source_in_s: float
    frames: int
    samples: int
    reel_start_s: float


@dataclass(frozen=True, slots=True)
class RenderPlan:
    args: tuple[str, ...]  # everything after the ffmpeg binary
    output: Path
    width: int
    height: int
    fps: Fraction
    duration_s: float
    segments: tuple[PlannedSegment, ...]
    filter_graph: str
    work_dir: Path  # the runner creates it, writes ``files`` into it, and removes it after
    files: tuple[tuple[str, str], ...] = ()  # (name inside work_dir, text)


def work_dir_for(output: Path) -> Path:
    return output.parent / f".{output.name}.reelcut-work"


def plan_draft(
    draft: Draft,
    assets: RenderAssets,
    output: Path,
    settings: RenderSettings = RenderSettings(),
) -> RenderPlan:
    """Build the FFmpeg arguments that render ``draft`` to ``output``."""
    clips = draft.clips
    if not clips:
        raise ValueError("nothing to render: no clips")
    width, height = draft.output_size()
    fps = settings.fps or assets.fps
    work = work_dir_for(output)
    last = len(clips) - 1
    xfade_kind = {"crossfade": "fade", "fade_black": "fadeblack"}.get(draft.transition)
    if settings.video_crossfade_s and not xfade_kind:
        xfade_kind = "fade"
    trans_s = settings.video_crossfade_s or draft.transition_ms / 1000
    xfade_frames = int(round(trans_s * fps)) if xfade_kind and len(clips) > 1 else 0
    fade_ms = (
        max(settings.audio_fade_ms, int(trans_s * 1000)) if xfade_frames else settings.audio_fade_ms
    )
    fade_samples = int(AUDIO_RATE * fade_ms / 1000)

    args: list[str] = ["-hide_banner", "-nostdin", "-y", "-loglevel", "error"]
    args += ["-progress", "pipe:1", "-nostats", "-copyts"]
    graph: list[str] = []
    files: list[tuple[str, str]] = []
    n_inputs = 0

    def add_input(*opts: str) -> int:
        nonlocal n_inputs
        args.extend(opts)
        n_inputs += 1
        return n_inputs - 1

    # one concat input per source file, its clips in reel order (see the module docstring)
    reads: dict[str, list[_Read]] = {}
    for i, clip in enumerate(clips):
        if _kind(clip, assets) != "video":
            continue
        assert clip.source_id is not None
        frames = max(int(round(clip.duration_ms / 1000 * fps)), 1)
        vframes = frames + (xfade_frames if i < last else 0)
        read_s = (vframes / fps) * clip.speed + _READ_EXTRA_S
        start_us = int(round(assets.start_s.get(clip.source_id, 0.0) * _S))
        slots = reads.setdefault(clip.source_id, [])
        in_us = clip.source_in_ms * 1000 + start_us
        read_us = int(round(read_s * _S))
        slots.append(_Read.after(slots[-1] if slots else None, i, in_us, read_us, start_us))
    source_input: dict[str, int] = {}
    for n, (source_id, slots) in enumerate(reads.items()):
        name = f"clips{n}.txt"
        files.append((name, _concat_list(assets.files[source_id], slots)))
        source_input[source_id] = add_input(
            "-threads", str(settings.decode_threads), "-f", "concat", "-safe", "0",
            "-i", str(work / name),
        )  # fmt: skip
        k = source_input[source_id]
        if len(slots) > 1:
            outs = "".join(f"[s{k}v{r.clip}]" for r in slots)
            graph.append(f"[{k}:v:0]split={len(slots)}{outs}")
            if assets.has_audio.get(source_id):
                outs = "".join(f"[s{k}a{r.clip}]" for r in slots)
                graph.append(f"[{k}:a:0]asplit={len(slots)}{outs}")
    read_of = {r.clip: r for slots in reads.values() for r in slots}
    # One picture fit for the joined reel instead of one per clip, where that changes no pixel
    # (cuts only, one source, one fit): a finished clip's filters keep their frame buffers until
    # FFmpeg ends, so every per-clip scaler would add its own pool to the peak.
    fits = {
        _fit(i, assets.display[c.source_id], (width, height), draft, assets, c)
        for i, c in enumerate(clips)
        if c.source_id is not None and c.source_id in reads
    }
    shared_fit = (
        fits.pop()
        if not xfade_frames and len(reads) == 1 and len(read_of) == len(clips) and len(fits) == 1
        else None
    )
    if shared_fit is not None and "[" in shared_fit:
        shared_fit = None  # a fit with its own labels (blurred background) stays per clip

    segments: list[PlannedSegment] = []
    total_frames = 0
    for i, clip in enumerate(clips):
        frames = max(int(round(clip.duration_ms / 1000 * fps)), 1)
        s0 = int(round(total_frames * AUDIO_RATE / fps))
        total_frames += frames
        s1 = int(round(total_frames * AUDIO_RATE / fps))
        vframes = frames + (xfade_frames if i < last else 0)
        asamples = s1 - s0 + (fade_samples if i < last else 0)
        src = assets.files.get(clip.source_id) if clip.source_id else None
        segments.append(
            PlannedSegment(src, clip.source_in_ms / 1000, frames, s1 - s0, float(s0 / AUDIO_RATE))
        )
        tail = f"tpad=stop_mode=clone:stop=-1,trim=end_frame={vframes},setpts=PTS-STARTPTS[v{i}]"
        if shared_fit is None:
            tail = f"format=yuv420p,{tail}"
        kind = _kind(clip, assets)
        if kind == "colour":
            graph.append(
                f"color=c={clip.colour.replace('#', '0x')}:s={width}x{height}:r={fps},setsar=1,{tail}"
            )
            graph.append(f"anullsrc=r={AUDIO_RATE}:cl=stereo,atrim=end_sample={asamples}[a{i}]")
            continue
        assert src is not None and clip.source_id is not None
        disp = assets.display[clip.source_id]
        fit = _fit(i, disp, (width, height), draft, assets, clip)
        if kind == "image":
            k = add_input(*_still(src, fps), "-t", f"{float(vframes / fps):.3f}", "-i", str(src))
            graph.append(f"[{k}:v:0]setpts=PTS-STARTPTS,fps={fps},{fit},{tail}")
            graph.append(f"anullsrc=r={AUDIO_RATE}:cl=stereo,atrim=end_sample={asamples}[a{i}]")
            continue
        k, read = source_input[clip.source_id], read_of[i]
        many = len(reads[clip.source_id]) > 1
        v_in = f"[s{k}v{i}]" if many else f"[{k}:v:0]"
        cut = f"start={_seconds(read.clip_start_us)}:end={_seconds(read.clip_start_us + read.read_us)}"
        speed = f"setpts=(PTS-STARTPTS)/{clip.speed:g}," if clip.speed != 1 else ""
        fit = "" if shared_fit is not None else f"{fit},"
        graph.append(f"{v_in}trim={cut},setpts=PTS-STARTPTS,{speed}fps={fps},{fit}{tail}")
        if assets.has_audio.get(clip.source_id):
            tempo = _atempo(clip.speed)
            a_in = f"[s{k}a{i}]" if many else f"[{k}:a:0]"
            a_src = (
                f"{a_in}atrim={cut},aresample={AUDIO_RATE},aformat=sample_fmts=fltp:"
                f"channel_layouts=stereo,asetpts=PTS-STARTPTS,{tempo}apad"
            )
        else:
            a_src = f"anullsrc=r={AUDIO_RATE}:cl=stereo"
        graph.append(f"{a_src},atrim=end_sample={asamples},asetpts=PTS-STARTPTS[a{i}]")

    vlabel, alabel = "v0", "a0"
    reel_frames = 0
    for i in range(1, len(clips)):
        reel_frames += segments[i - 1].frames
        if xfade_frames:
            graph.append(
                f"[{vlabel}][v{i}]xfade=transition={xfade_kind}:duration="
                f"{float(xfade_frames / fps):.4f}:offset={float(reel_frames / fps):.4f}[vx{i}]"
            )
            vlabel = f"vx{i}"
        graph.append(
            f"[{alabel}][a{i}]acrossfade=ns={fade_samples}:c1=tri:c2=tri[ax{i}]"
            if fade_samples
            else f"[{alabel}][a{i}]concat=n=2:v=0:a=1[ax{i}]"
        )
        alabel = f"ax{i}"
    if not xfade_frames and len(clips) > 1:
        ins = "".join(f"[v{i}]" for i in range(len(clips)))
        graph.append(f"{ins}concat=n={len(clips)}:v=1:a=0[vcat]")
        vlabel = "vcat"
    if shared_fit is not None:
        graph.append(f"[{vlabel}]{shared_fit},format=yuv420p[vfit]")
        vlabel = "vfit"

    # text and pictures over the joined reel
    post: list[str] = []
    for t, seg in enumerate(draft.texts):
        name = f"text{t}.txt"
        files.append((name, text_lines(seg, width, height)))
        post.append(drawtext(seg, assets.fonts[t], work / name, width, height))
    if post:
        graph.append(f"[{vlabel}]{','.join(post)}[vtext]")
        vlabel = "vtext"
    for o, ov in enumerate(draft.overlays):
        a, b = ov.start_ms / 1000, (ov.start_ms + ov.duration_ms) / 1000
        path = assets.files[ov.source_id]
        if _is_image(path):
            k = add_input(*_still(path, fps), "-t", f"{float(total_frames / fps):.3f}",
                          "-i", str(path))  # fmt: skip
            shift = "setpts=PTS-STARTPTS"
        else:  # a video plays from its start when it appears (looped if shorter)
            k = add_input("-threads", str(settings.decode_threads), "-stream_loop", "-1",
                          "-t", f"{b - a:.3f}", "-i", str(path))  # fmt: skip
            shift = f"setpts=PTS-STARTPTS+{a:.3f}/TB"
        fade = min(ov.fade_ms / 1000, (b - a) / 3)
        ow = _even(width * ov.width)
        fades = (
            f",fade=t=in:st={a:.3f}:d={fade:.3f}:alpha=1,fade=t=out:st={b - fade:.3f}:d={fade:.3f}:alpha=1"
            if fade > 0
            else ""
        )
        graph.append(
            f"[{k}:v:0]{shift},fps={fps},scale={ow}:-2,format=rgba,"
            f"colorchannelmixer=aa={ov.opacity:.3f}{fades}[ovl{o}]"
        )
        graph.append(
            f"[{vlabel}][ovl{o}]overlay=x={width * ov.x:.1f}-overlay_w/2:y={height * ov.y:.1f}-overlay_h/2:"
            f"enable='between(t,{a:.3f},{b:.3f})':eof_action=pass[vov{o}]"
        )
        vlabel = f"vov{o}"

    # sound: the footage's own (levelled), then music under it
    reel_samples = int(round(total_frames * AUDIO_RATE / fps))
    own_db = (settings.gain_db if settings.gain_db is not None else assets.gain_db) or 0.0
    own = draft.original_volume / 100
    own_chain = [f"volume={own_db + 20 * math.log10(own):.2f}dB" if own > 0 else "volume=0"]
    music = draft.audio
    loud = settings.gain_db is not None or assets.gain_db is not None or bool(music)
    if music:
        graph.append(f"[{alabel}]{','.join(own_chain)},asplit=2[aown][aside]")
        mixed = ["[aown]"]
        for m, mseg in enumerate(music):
            path = assets.files[mseg.source_id]
            loop = ("-stream_loop", "-1") if mseg.loop else ()
            k = add_input(*loop, "-i", str(path))
            start = int(round(mseg.start_ms * AUDIO_RATE / 1000))
            end = (
                reel_samples
                if mseg.duration_ms is None
                else min(reel_samples, start + int(round(mseg.duration_ms * AUDIO_RATE / 1000)))
            )
            n = max(end - start, 1)
            fi = min(mseg.fade_in_ms / 1000, n / AUDIO_RATE / 2)
            fo = min(mseg.fade_out_ms / 1000, n / AUDIO_RATE / 2)
            chain = [
                f"[{k}:a:0]aresample={AUDIO_RATE}",
                "aformat=sample_fmts=fltp:channel_layouts=stereo",
                f"atrim=start_sample={int(mseg.source_in_ms * AUDIO_RATE / 1000)}:end_sample={int(mseg.source_in_ms * AUDIO_RATE / 1000) + n}",
                "asetpts=PTS-STARTPTS",
            ]
            if fi > 0:
                chain.append(f"afade=t=in:d={fi:.3f}")
            if fo > 0:
                chain.append(f"afade=t=out:st={n / AUDIO_RATE - fo:.3f}:d={fo:.3f}")
            chain.append(f"volume={mseg.volume / 100:.3f}")
            if start:
                chain.append(f"adelay={start}S:all=1")
            chain.append(f"apad=whole_len={reel_samples}")
            label = f"mus{m}"
            graph.append(",".join(chain) + f"[{label}]")
            if mseg.duck and own > 0:
                side = f"aside{m}"
                if m + 1 < len(music):
                    graph.append(f"[aside]asplit=2[{side}][aside]")
                else:
                    side = "aside"
                graph.append(
                    f"[{label}][{side}]sidechaincompress=threshold=0.06:ratio=6:attack=20:"
                    f"release=600:makeup=1[{label}d]"
                )
                label = f"{label}d"
            elif m + 1 == len(music):
                graph.append("[aside]anullsink")
            mixed.append(f"[{label}]")
        graph.append(
            f"{''.join(mixed)}amix=inputs={len(mixed)}:duration=first:normalize=0,"
            f"atrim=end_sample={reel_samples}[amixed]"
        )
        alabel, own_chain = "amixed", []
    final = own_chain + (["alimiter=limit=0.891:level=false:attack=5:release=50"] if loud else [])
    final.append(
        f"afade=t=in:d=0.01,aformat=sample_fmts=fltp:sample_rates={AUDIO_RATE}:channel_layouts=stereo"
    )
    graph.append(f"[{alabel}]{','.join(final)}[aout]")
    filter_graph = ";\n".join(graph)
    files.append(("graph.txt", filter_graph))

    duration_s = float(total_frames / fps)
    args += [
        "-/filter_complex", str(work / "graph.txt"),
        "-map", f"[{vlabel}]", "-map", "[aout]",
        "-c:v", "libx264", "-profile:v", "high", "-preset", settings.preset,
        "-crf", str(settings.crf), "-pix_fmt", "yuv420p", "-r", str(fps),
        "-g", str(max(int(round(2 * fps)), 1)),
        "-c:a", "aac", "-b:a", settings.audio_bitrate, "-ar", str(AUDIO_RATE), "-ac", "2",
        "-t", f"{duration_s:.6f}", "-movflags", "+faststart",
    ]  # fmt: skip
    if settings.threads:
        args += ["-threads", str(settings.threads)]
    args += ["-f", "mp4", str(output)]
    return RenderPlan(
        tuple(args),
        output,
        width,
        height,
        fps,
        duration_s,
        tuple(segments),
        filter_graph,
        work,
        tuple(files),
    )


@dataclass(frozen=True, slots=True)
class _Read:
    """One clip's entry in its source's concat list, and where it lands on that input's clock.

    Times are whole microseconds (FFmpeg's own unit for these lists). The entry's slot starts
    ``slot_us`` into the input; the demuxer shifts the file's timestamps by ``slot_us -
    inpoint_us``, kept a whole number of seconds so the shift is a whole number of ticks in any
    time base: then ``trim`` at ``clip_start_us`` keeps exactly the frames an input seek to
    ``in_us`` would keep. The first slot starts at 0, so the first in-point is a whole second.
    """

    clip: int
    in_us: int  # the clip's in-point, file time
    read_us: int
    inpoint_us: int
    slot_us: int

    @classmethod
    def after(
        cls, prev: _Read | None, clip: int, in_us: int, read_us: int, file_start_us: int
    ) -> _Read:
        floor_us = (file_start_us // _S) * _S
        inpoint_us = max(floor_us, in_us - int(_PREROLL_S * _S))
        if prev is None:
            return cls(clip, in_us, read_us, (inpoint_us // _S) * _S, 0)
        whole_s = -(-(prev.slot_end_us - inpoint_us) // _S)  # ceil
        return cls(clip, in_us, read_us, inpoint_us, inpoint_us + whole_s * _S)

    @property
    def outpoint_us(self) -> int:
        return self.in_us + self.read_us

    @property
    def clip_start_us(self) -> int:
        return self.slot_us + (self.in_us - self.inpoint_us)

    @property
    def slot_end_us(self) -> int:  # a second's gap: clips never meet on the input's clock
        return self.slot_us + (self.outpoint_us - self.inpoint_us) + _S


_S = 1_000_000


def _seconds(us: int) -> str:
    return f"{us // _S}.{us % _S:06d}" if us >= 0 else f"-{_seconds(-us)}"


def _concat_list(path: Path, reads: list[_Read]) -> str:
    """An ffconcat list that reads ``path`` once per clip (absolute: the list lives elsewhere)."""
    quoted = "'" + os.path.abspath(path).replace("'", "'\\''") + "'"
    lines = ["ffconcat version 1.0"]
    for r, nxt in zip(reads, [*reads[1:], None], strict=True):
        lines += [
            f"file {quoted}",
            f"inpoint {_seconds(r.inpoint_us)}",
            f"outpoint {_seconds(r.outpoint_us)}",
            f"duration {_seconds((nxt.slot_us if nxt else r.slot_end_us) - r.slot_us)}",
        ]
    return "\n".join(lines) + "\n"


def _is_image(path: Path) -> bool:
    return path.suffix.lower() in (".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp")


def _kind(clip: VideoSegment, assets: RenderAssets) -> str:
    if clip.source_id is None:
        return "colour"
    return "image" if _is_image(assets.files[clip.source_id]) else "video"


def _still(path: Path, fps: Fraction) -> tuple[str, ...]:
    """Input options that repeat a picture for as long as asked (a GIF plays and loops)."""
    if path.suffix.lower() == ".gif":
        return ("-stream_loop", "-1")
    return ("-loop", "1", "-framerate", str(fps))


def _even(v: float) -> int:
    return max(2, int(round(v / 2)) * 2)


def _atempo(speed: float) -> str:
    """atempo filters for ``speed`` (each takes 0.5-2; chain them beyond that)."""
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


def _fit(
    index: int,
    disp: tuple[int, int],
    out: tuple[int, int],
    draft: Draft,
    assets: RenderAssets,
    clip: VideoSegment,
) -> str:
    """Filters that turn one clip's upright picture into exactly ``out`` pixels."""
    (sw, sh), (w, h) = disp, out
    scale = f"scale={w}:{h}:flags=bicubic,setsar=1"
    if abs(sw / sh - w / h) < 0.01 * (w / h):
        return scale
    letterbox = (
        f"scale={w}:{h}:force_original_aspect_ratio=decrease:flags=bicubic,"
        f"pad={w}:{h}:(ow-iw)/2:(oh-ih)/2:color={clip.colour.replace('#', '0x')},setsar=1"
    )
    if draft.aspect == "source" or clip.role == "card":
        return letterbox
    if draft.reframe == "blur":
        bw, bh = _even(w / 8), _even(h / 8)
        return (
            f"split=2[fg{index}][bg{index}];"
            f"[bg{index}]scale={bw}:{bh}:force_original_aspect_ratio=increase,crop={bw}:{bh},"
            f"boxblur=luma_radius=6:luma_power=2:chroma_radius=6:chroma_power=2,"
            f"scale={w}:{h},setsar=1[bb{index}];"
            f"[fg{index}]scale={w}:{h}:force_original_aspect_ratio=decrease:flags=bicubic,setsar=1[ff{index}];"
            f"[bb{index}][ff{index}]overlay=(main_w-overlay_w)/2:(main_h-overlay_h)/2"
        )
    crop = assets.crop_filters.get(index)
    if crop is None:  # centre crop: the largest window of the output aspect
        ratio = Fraction(w, h)
        if Fraction(sw, sh) > ratio:
            cw, ch = _even(float(sh * ratio)), sh
        else:
            cw, ch = sw, _even(float(sw / ratio))
        crop = f"crop={cw}:{ch}:(iw-{cw})/2:(ih-{ch})/2"
    return f"{crop},{scale}"
