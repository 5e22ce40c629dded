"""Smart render: a reel that only cuts copies the source's whole GOPs and re-encodes the edges.

A cut-only reel (one source, or sources with the same H.264 stream parameters; the source's own
picture size; no text, crop, overlay, speed change or transition) is mostly the source's own
coded pictures. :func:`plan_smart` splits every clip into at most three pieces on the source's
frame grid: a *head* from the clip's first frame to the next IDR keyframe, a *middle* of whole
closed GOPs copied packet for packet, and a *tail* from the last IDR inside the clip to its
end. Heads and tails are re-encoded with libx264 at the source's size, pixel format, profile and
level (no B-frames, so their timestamps need no reordering) — also where a GPU encodes full
renders: NVENC cannot be told to match every one of those parameters, and the edges are short; :func:`run_smart` writes every piece
into one MP4 with hand-set timestamps on the source's clock:

- parameter sets: each piece starts with an IDR carrying its own SPS/PPS in-band (the source's
  from its ``avcC``, the encoder's from its own), so the decoder switches at every join;
- B-frame reordering and negative timestamps: the whole reel decodes ``delay`` ticks early (the
  source's largest pts-dts), so copied GOPs keep their own order and every dts stays rising;
- open GOPs: a keyframe that is not an IDR, or whose GOP holds pictures shown before it, is
  never a copy point; such GOPs are re-encoded, or the reel falls back when none is usable;
- VFR: any frame off the constant grid sends the reel to the full encode;
- AAC priming and sync: the sound is rendered whole by the normal sound chain (30 ms crossfades,
  loudness gain, limiter), each clip cut at the sample the full encode cuts at, then muxed.

Anything that does not hold raises :class:`NotSmart` with the reason; the caller renders the
normal way. Nothing here imports analysis, selection or the editor.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
import time
from bisect import bisect_left
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av

from reelcut.errors import CancelledError, RenderError
from reelcut.media.ffmpeg import die_with_parent, ffmpeg_exe
from reelcut.media.probe import probe
from reelcut.progress import ProgressFn, no_progress
from reelcut.render.fit import clip_kind
from reelcut.render.graph import Graph
from reelcut.render.mix import add_sound
from reelcut.render.run import RenderResult, check_writable
from reelcut.render.timing import plan_timing
from reelcut.render.types import AUDIO_RATE, RenderAssets, RenderSettings
from reelcut.timeline.model import Draft

_STEREO = "aformat=sample_fmts=fltp:channel_layouts=stereo"
# the source's colour tags, carried into the edges' SPS so a player never switches at a join
_COLOUR = ("colorspace", "color_range", "color_primaries", "color_trc")
_PROFILES = {"Constrained Baseline": "baseline", "Baseline": "baseline", "Main": "main",
             "High": "high"}  # fmt: skip


_HOLD_MAX = 2  # frames a clip may run past its footage's last one (held, as the full encode does)


class NotSmart(Exception):
    """The draft cannot be smart-rendered; ``str(exc)`` says why (the caller encodes fully)."""


@dataclass(frozen=True, slots=True)
class StreamIndex:
    """One source's video packets in decode order, on its own time base (demuxed, not decoded)."""

    path: Path
    time_base: Fraction
    frame_ticks: int  # one frame's duration in ticks
    first_pts: int
    frame_count: int
    delay: int  # pts - dts at the IDRs: how far decoding runs ahead of display
    idr_frames: tuple[int, ...]  # frame numbers (display order) where a whole closed GOP starts
    params: tuple[object, ...]  # what must match between sources for their packets to mix
    extradata: bytes


@dataclass(frozen=True, slots=True)
class Piece:
    """Frames ``first`` .. ``first + frames - 1`` of one source: copied or re-encoded."""

    source: Path
    first: int
    frames: int
    copy: bool


@dataclass(frozen=True, slots=True)
class SmartPlan:
    """The reel as pieces, plus what the edge encoder must match; print it, assert on it."""

    output: Path
    pieces: tuple[Piece, ...]
    indexes: dict[Path, StreamIndex]
    fps: Fraction
    duration_s: float
    audio_graph: str  # the sound: the normal chain over clips cut at the full encode's samples
    audio_inputs: tuple[str, ...]
    encoder: tuple[str, ...]  # libx264 options for the edges

    @property
    def copied_frames(self) -> int:
        return sum(p.frames for p in self.pieces if p.copy)

    @property
    def encoded_frames(self) -> int:
        return sum(p.frames for p in self.pieces if not p.copy)


def index_stream(path: Path) -> StreamIndex:
    """Demux ``path``'s video packets; :class:`NotSmart` when it is not constant-rate H.264 or
    is turned by its display matrix (copied packets would keep the turn, edges would not)."""
    if probe(path, max_mb=1e9).video.rotation:
        raise NotSmart(f"{path.name} is shown rotated")
    with av.open(str(path)) as box:
        if not box.streams.video:
            raise NotSmart(f"{path.name} has no video")
        vs = box.streams.video[0]
        cc = vs.codec_context
        if cc.name != "h264" or vs.time_base is None:
            raise NotSmart(f"{path.name} is {cc.name}, not H.264")
        extradata = bytes(cc.extradata or b"")
        if len(extradata) < 7 or extradata[0] != 1 or extradata[4] & 3 != 3:
            raise NotSmart(f"{path.name} has no avcC with 4-byte NAL lengths")
        rate = vs.average_rate or vs.guessed_rate
        if not rate:
            raise NotSmart(f"{path.name} has no frame rate")
        tb = Fraction(vs.time_base)
        ticks = 1 / (Fraction(rate) * tb)
        if ticks.denominator != 1:
            raise NotSmart(f"{path.name}: a frame is not a whole number of ticks")
        rows: list[tuple[int, int, bool, bool]] = []
        for pkt in box.demux(vs):
            if pkt.size == 0 or pkt.pts is None or pkt.dts is None:
                continue
            rows.append(
                (
                    pkt.pts,
                    pkt.dts,
                    pkt.is_keyframe,
                    _is_idr(bytes(pkt)) if pkt.is_keyframe else False,
                )
            )
        colour = tuple(int(getattr(cc, a, 0) or 0) for a in _COLOUR)
        params = (cc.width, cc.height, cc.pix_fmt, cc.profile, extradata[3], rate, tb, colour)
    if not rows:
        raise NotSmart(f"{path.name} has no video packets")
    frame_ticks = int(ticks)
    pts_sorted = sorted(r[0] for r in rows)
    first = pts_sorted[0]
    if any(p != first + k * frame_ticks for k, p in enumerate(pts_sorted)):
        raise NotSmart(f"{path.name} is not constant frame rate")
    # how far decoding runs ahead of display at an IDR: every piece's decode clock starts there
    delay = max((p - d for p, d, _, idr_ in rows if idr_), default=0)
    idr: list[int] = []
    for n, (pts, _dts, key, is_idr) in enumerate(rows):
        if not key or not is_idr:
            continue
        nxt = next((m for m in range(n + 1, len(rows)) if rows[m][2]), len(rows))
        if all(rows[m][0] > pts for m in range(n + 1, nxt)):  # no leading pictures: closed
            idr.append((pts - first) // frame_ticks)
    return StreamIndex(
        path, tb, frame_ticks, first, len(rows), delay, tuple(sorted(idr)), params, extradata
    )


def _is_idr(data: bytes) -> bool:
    """Whether the length-prefixed H.264 access unit starts with (or holds) an IDR slice."""
    at = 0
    while at + 5 <= len(data):
        size = int.from_bytes(data[at : at + 4], "big")
        kind = data[at + 4] & 0x1F
        if kind == 5:
            return True
        if kind in (1, 2):
            return False
        at += 4 + size
    return False


def _parameter_sets(extradata: bytes) -> bytes:
    """The SPS and PPS of an ``avcC`` record as 4-byte length-prefixed NAL units."""
    out, at = bytearray(), 6
    count = extradata[5] & 0x1F
    for table in range(2):
        for _ in range(count):
            size = int.from_bytes(extradata[at : at + 2], "big")
            out += size.to_bytes(4, "big") + extradata[at + 2 : at + 2 + size]
            at += 2 + size
        if table == 0:
            count, at = extradata[at], at + 1
    return bytes(out)


def check_smart(draft: Draft, assets: RenderAssets, settings: RenderSettings) -> None:
    """:class:`NotSmart` unless the reel is cuts of the sources' own pictures at their size."""
    if draft.texts or draft.overlays:
        raise NotSmart("the reel draws text or overlays")
    if assets.crop_filters:
        raise NotSmart("the reel reframes")
    if settings.video_crossfade_s or (draft.transition != "cut" and len(draft.clips) > 1):
        raise NotSmart("the reel has transitions")
    if settings.height is not None or settings.fps not in (None, assets.fps):
        raise NotSmart("the settings ask for another size or rate")
    for clip in draft.clips:
        if clip_kind(clip, assets) != "video" or clip.speed != 1:
            raise NotSmart("a clip is a card, a still or a speed change")
        assert clip.source_id is not None
        if tuple(assets.display[clip.source_id]) != draft.output_size():
            raise NotSmart("the reel is not the footage's own size and aspect")


def plan_smart(
    draft: Draft, assets: RenderAssets, output: Path, settings: RenderSettings = RenderSettings()
) -> SmartPlan:
    """The pieces of a cut-only reel, or :class:`NotSmart` saying why it needs a full encode."""
    check_smart(draft, assets, settings)
    timing = plan_timing(draft, assets, settings)
    indexes: dict[Path, StreamIndex] = {}
    pieces: list[Piece] = []
    for clip, seg in zip(draft.clips, timing.segments, strict=True):
        assert clip.source_id is not None
        path = Path(assets.files[clip.source_id])
        ix = indexes.get(path) or indexes.setdefault(path, index_stream(path))
        if Fraction(1, 1) / (ix.frame_ticks * ix.time_base) != timing.fps:
            raise NotSmart(f"{path.name} runs at another rate than the reel")
        in_s = Fraction(clip.source_in_ms, 1000) + Fraction(assets.start_s.get(clip.source_id, 0))
        in_ticks = in_s / ix.time_base - ix.first_pts
        first = max(0, -(-in_ticks // ix.frame_ticks))  # first frame at or after the in-point
        first = int(first)
        if first + seg.frames > ix.frame_count + _HOLD_MAX:
            raise NotSmart("a clip runs past the end of its footage")
        pieces += _split(path, ix, first, seg.frames)  # frames past the end: in an encoded tail
    if not any(p.copy for p in pieces):
        raise NotSmart("no clip holds a whole closed GOP to copy")
    params = {ix.params for ix in indexes.values()}
    if len(params) > 1:
        raise NotSmart("the sources' streams differ")
    graph, inputs = _audio_graph(draft, assets, settings)
    ix = next(iter(indexes.values()))
    width, height, pix_fmt, profile, level, _rate, _tb, colour = ix.params
    assert isinstance(colour, tuple)
    tags = [x for a, v in zip(_COLOUR, colour, strict=True) for x in (f"-{a}", str(v))]
    encoder = (
        "-c:v", "libx264", "-preset", settings.preset, "-crf", str(max(settings.crf - 4, 0)),
        "-pix_fmt", str(pix_fmt), "-profile:v", _PROFILES.get(str(profile), "high"),
        "-level:v", f"{int(str(level)) / 10:g}", "-bf", "0", "-g", "100000",
        "-s", f"{width}x{height}", *tags,
    )  # fmt: skip
    return SmartPlan(
        output, tuple(pieces), indexes, timing.fps, timing.duration_s, graph, inputs, encoder
    )


def _split(path: Path, ix: StreamIndex, first: int, frames: int) -> list[Piece]:
    """Head (encoded), middle (copied whole GOPs), tail (encoded) of one clip."""
    end = first + frames
    k = bisect_left(ix.idr_frames, first)
    starts = [f for f in ix.idr_frames[k:] if f <= end]
    if len(starts) < 2:
        return [Piece(path, first, frames, False)]
    k1, k2 = starts[0], starts[-1]
    out = []
    if k1 > first:
        out.append(Piece(path, first, k1 - first, False))
    out.append(Piece(path, k1, k2 - k1, True))
    if end > k2:
        out.append(Piece(path, k2, end - k2, False))
    return out


def _audio_graph(
    draft: Draft, assets: RenderAssets, settings: RenderSettings
) -> tuple[str, tuple[str, ...]]:
    """The reel's sound alone: each clip from an input seek to its in-point (the sample the full
    encode's ``atrim`` keeps), the same crossfades, then the normal sound chain."""
    timing = plan_timing(draft, assets, settings)
    graph = Graph(Path("."))
    for i, clip in enumerate(draft.clips):
        assert clip.source_id is not None
        n = timing.audio_samples(i)
        if assets.has_audio.get(clip.source_id):
            k = graph.add_input(
                "-ss", f"{clip.source_in_ms / 1000:.3f}", "-t", f"{n / AUDIO_RATE + 0.5:.3f}",
                "-vn", "-i", str(assets.files[clip.source_id]),
            )  # fmt: skip
            src = f"[{k}:a:0]aresample={AUDIO_RATE},{_STEREO},asetpts=PTS-STARTPTS,apad"
        else:
            src = f"anullsrc=r={AUDIO_RATE}:cl=stereo"
        graph.add(f"{src},atrim=end_sample={n},asetpts=PTS-STARTPTS[a{i}]")
    label = "a0"
    for i in range(1, len(draft.clips)):
        join = (
            f"acrossfade=ns={timing.fade_samples}:c1=tri:c2=tri"
            if timing.fade_samples
            else "concat=n=2:v=0:a=1"
        )
        graph.add(f"[{label}][a{i}]{join}[ax{i}]")
        label = f"ax{i}"
    add_sound(graph, draft, assets, timing, settings, label)
    return graph.filter_graph, tuple(graph.input_args)


def run_smart(
    plan: SmartPlan,
    settings: RenderSettings = RenderSettings(),
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> RenderResult:
    """Encode the edges, copy the middles, render the sound, mux; the output appears whole."""
    check_writable(plan.output)
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix=f".{plan.output.name}.smart-", dir=plan.output.parent))
    try:
        video = work / "video.mp4"
        audio = work / "audio.m4a"
        graph = work / "audio.txt"
        graph.write_text(plan.audio_graph, encoding="utf-8")
        _ffmpeg(
            [*plan.audio_inputs, "-/filter_complex", str(graph), "-map", "[aout]",
             "-c:a", "aac", "-b:a", settings.audio_bitrate, "-ar", str(AUDIO_RATE), "-ac", "2",
             "-t", f"{plan.duration_s:.6f}", str(audio)],
            cancel,
        )  # fmt: skip
        edges: dict[int, Path] = {}
        for n, piece in enumerate(plan.pieces):
            progress("render", n, len(plan.pieces))
            if not piece.copy:
                edges[n] = _encode_edge(plan, piece, work / f"edge{n}.mp4", cancel)
        _write_video(plan, edges, video)
        tmp = work / "out.mp4"
        _ffmpeg(
            ["-i", str(video), "-i", str(audio), "-map", "0:v:0", "-map", "1:a:0", "-c", "copy",
             "-movflags", "+faststart", "-f", "mp4", str(tmp)],
            cancel,
        )  # fmt: skip
        tmp.replace(plan.output)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    progress("render", len(plan.pieces), len(plan.pieces))
    return RenderResult(plan.output, plan.duration_s, time.monotonic() - started, method="smart")


def _ffmpeg(args: list[str], cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise CancelledError("render cancelled")
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error", *args]
    done = subprocess.run(
        cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL, preexec_fn=die_with_parent
    )
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-6:]
        raise RenderError("FFmpeg failed: " + (" | ".join(tail) or f"exit {done.returncode}"))


def _encode_edge(plan: SmartPlan, piece: Piece, out: Path, cancel: threading.Event | None) -> Path:
    """Frames ``piece.first`` .. of the source, re-encoded to match it (an accurate input seek
    to half a frame before the first one keeps exactly those frames)."""
    ix = plan.indexes[piece.source]
    at = (Fraction(piece.first) - Fraction(1, 2)) / plan.fps
    # a clip that ends with its footage may be a frame or two longer (its length is rounded to
    # the reel's frames): the last frame is held, as the full encode's tpad does
    hold = (
        ["-vf", "tpad=stop_mode=clone:stop=-1"]
        if piece.first + piece.frames > ix.frame_count
        else []
    )
    _ffmpeg(
        ["-ss", f"{max(float(at), 0.0):.6f}", "-i", str(piece.source), "-an", "-sn", "-dn",
         *hold, "-frames:v", str(piece.frames), *plan.encoder,
         "-video_track_timescale", str(int(1 / ix.time_base)), "-f", "mp4", str(out)],
        cancel,
    )  # fmt: skip
    return out


def _write_video(plan: SmartPlan, edges: dict[int, Path], out: Path) -> None:
    """Every piece's packets into one stream on the source's clock (see the module docstring)."""
    ix0 = next(iter(plan.indexes.values()))
    delay, step = ix0.delay, ix0.frame_ticks
    opened: dict[Path, av.container.InputContainer] = {}
    last_dts: int | None = None
    try:
        with av.open(str(out), "w", format="mp4") as box:
            src0 = opened.setdefault(ix0.path, av.open(str(ix0.path)))
            ostream = box.add_stream_from_template(src0.streams.video[0])
            ostream.time_base = ix0.time_base
            offset = 0  # the piece's first frame on the reel, in ticks
            for n, piece in enumerate(plan.pieces):
                if piece.copy:
                    ix = plan.indexes[piece.source]
                    src = opened.get(piece.source) or opened.setdefault(
                        piece.source, av.open(str(piece.source))
                    )
                    pkts = _copied(src, ix, piece)
                    sets = _parameter_sets(ix.extradata)
                    base, shift = ix.first_pts + piece.first * ix.frame_ticks, 0
                else:
                    edge = opened.setdefault(edges[n], av.open(str(edges[n])))
                    es = edge.streams.video[0]
                    if Fraction(es.time_base or 0) != ix0.time_base:
                        raise NotSmart("the edge encoder used another time base")
                    pkts = [p for p in edge.demux(es) if p.size and p.pts is not None]
                    if len(pkts) != piece.frames:
                        raise NotSmart(f"an edge came out {len(pkts)} frames, not {piece.frames}")
                    sets = _parameter_sets(bytes(es.codec_context.extradata or b""))
                    base, shift = min(p.pts or 0 for p in pkts), delay
                for m, pkt in enumerate(pkts):
                    assert pkt.pts is not None and pkt.dts is not None
                    pts = pkt.pts - base + offset
                    dts = pkt.dts - base + offset - shift
                    if last_dts is not None and dts <= last_dts:
                        raise NotSmart("the pieces' decode times would not rise")
                    new = av.Packet((sets if m == 0 else b"") + bytes(pkt))
                    new.pts, new.dts, new.duration = pts, dts, step
                    new.time_base = ix0.time_base
                    new.is_keyframe = m == 0 or pkt.is_keyframe
                    new.stream = ostream
                    box.mux(new)
                    last_dts = dts
                offset += piece.frames * step
    finally:
        for c in opened.values():
            c.close()


def _copied(src: av.container.InputContainer, ix: StreamIndex, piece: Piece) -> list[av.Packet]:
    """The packets of the closed GOPs that show frames ``piece.first`` .. , in decode order."""
    vs = src.streams.video[0]
    start = ix.first_pts + piece.first * ix.frame_ticks
    src.seek(start, stream=vs, backward=True, any_frame=False)
    out: list[av.Packet] = []
    for pkt in src.demux(vs):
        if pkt.size == 0 or pkt.pts is None:
            continue
        if not out and pkt.pts != start:
            if pkt.pts > start:
                raise NotSmart("seeking did not land on the keyframe")
            continue
        out.append(pkt)
        if len(out) == piece.frames:
            break
    end = start + piece.frames * ix.frame_ticks
    if len(out) != piece.frames or any(not start <= (p.pts or -1) < end for p in out):
        raise NotSmart("the copied packets are not exactly the piece's frames")
    return out


__all__ = ["NotSmart", "Piece", "SmartPlan", "StreamIndex", "index_stream", "plan_smart",
           "run_smart"]  # fmt: skip
