"""Smart render: a reel that only cuts copies the source's whole GOPs and re-encodes the edges.

A cut-only reel (one source, or sources with the same H.264 stream parameters; the source's own
picture size; no text, crop, overlay, speed change or transition) is mostly the source's own
coded pictures. :func:`plan_smart` splits every clip into at most three pieces: a *head* from
the clip's first frame to the next IDR keyframe, a *middle* copied packet for packet (whole
closed GOPs, then the clip's last GOP up to the end of its last mini-GOP inside the clip: with
B-frames, all but a few frames of it), and a *tail* of the frames after that. Heads and tails
are re-encoded (:mod:`reelcut.render.smart_write`); the plan is a value to print and assert on.

Only the stretch of each source around each clip is read (a seek to the keyframe before the
clip, then one GOP past its end), never the whole file: planning a 2-minute reel of a 90-minute
match demuxes about 2 minutes of packets. A clip's frames are the source's frames in display
order from the first one at or after its in-point (the one the full encode's ``trim`` keeps),
taken by their timestamps, so what real files carry does not send the reel to the full encode:

- timestamps that are not whole ticks of the frame rate (a millisecond clock at 29.97 fps, a
  muxer's rounding) or a few milliseconds' gap where two recordings were joined: each frame
  may sit up to half a frame off the nominal grid, and a clip's frames may drift at most half a
  frame in all from it (the reel stamps them back on the grid, the sound is cut by samples from
  the in-point, so sync stays within the frame the full encode also rounds to);
- audio a little longer or shorter than the video: the sound is rendered on its own, cut at the
  samples the full encode cuts at, so a file's stream lengths play no part; where they pull the
  file's average frame rate (the reel's) a little off the coded one, a clip is still smart as
  long as its frames, shown at the reel's rate, drift at most half a frame from their timing.

Declined (:class:`NotSmart`, the caller encodes fully): another codec, a rotated picture, a
frame rate other than the reel's, frames missing or doubled (variable frame rate), open GOPs
(a keyframe that is not an IDR, or whose GOP shows pictures before it, is never a copy point;
the reel declines when no clip holds a whole closed GOP), sources whose streams differ.
Nothing here imports analysis, selection or the editor.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av

from reelcut.media.probe import probe
from reelcut.render.fit import clip_kind
from reelcut.render.graph import Graph
from reelcut.render.inputs import READ_EXTRA_S, Read, S, concat_list, seconds
from reelcut.render.mix import add_sound
from reelcut.render.timing import plan_timing
from reelcut.render.types import AUDIO_RATE, RenderAssets, RenderSettings
from reelcut.timeline.model import Draft

_STEREO = "aformat=sample_fmts=fltp:channel_layouts=stereo"
# the source's colour tags, carried into the edges' SPS so a player never switches at a join
COLOUR = ("colorspace", "color_range", "color_primaries", "color_trc")
_PROFILES = {"Constrained Baseline": "baseline", "Baseline": "baseline", "Main": "main",
             "High": "high"}  # fmt: skip
_HOLD_MAX = 2  # frames a clip may run past its footage's last one (held, as the full encode does)


class NotSmart(Exception):
    """The draft cannot be smart-rendered; ``str(exc)`` says why (the caller encodes fully)."""


@dataclass(frozen=True, slots=True)
class Source:
    """One source's video stream: what its packets need to mix with others' and the edges'."""

    path: Path
    time_base: Fraction
    rate: Fraction
    params: tuple[object, ...]  # what must match between sources for their packets to mix
    extradata: bytes  # the avcC record: its SPS/PPS go in-band before every copied piece

    @property
    def frame_ticks(self) -> Fraction:
        """One frame's nominal duration on the stream's clock (need not be whole ticks)."""
        return 1 / (self.rate * self.time_base)


@dataclass(frozen=True, slots=True)
class Span:
    """One clip's frames in a source, found by demuxing around it (never decoded).

    ``pts`` holds the clip's frames in display order, plus the frame after its last one when
    the footage has it; ``copy_at`` the positions in ``pts`` where a closed-GOP IDR starts;
    ``copy_ends`` the positions where a copy begun at one of them may stop (see
    :func:`_copy_ends`). ``reorder`` is how many frames decoding runs ahead of display in those
    GOPs (B-frames)."""

    pts: tuple[int, ...]
    copy_at: tuple[int, ...]
    reorder: int
    hold: int  # frames past the footage's last one (its last frame is held)
    copy_ends: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Piece:
    """``frames`` frames of one source from the one stamped ``start_pts``: copied or encoded
    (an encoded piece's last ``hold`` frames repeat the footage's last frame)."""

    source: Path
    start_pts: int
    frames: int
    copy: bool
    hold: int = 0


@dataclass(frozen=True, slots=True)
class SmartPlan:
    """The reel as pieces, plus what the edge encoder must match; print it, assert on it."""

    output: Path
    pieces: tuple[Piece, ...]
    sources: dict[Path, Source]
    fps: Fraction
    duration_s: float
    reorder: int  # frames the reel's decode clock runs ahead of display (the copied B-frames)
    audio_graph: str  # the sound: the normal chain over clips cut at the full encode's samples
    audio_inputs: tuple[str, ...]
    audio_files: tuple[tuple[str, str], ...]  # (name in work_dir, text): the concat lists
    work_dir: Path  # the runner creates it, writes ``audio_files`` into it, removes it after
    codec: str  # the edges' encoder: libx264 even where a GPU encodes full renders (NVENC
    # cannot be told to match every one of the source's stream parameters; edges are short)
    encoder: dict[str, str]  # its options
    colour: tuple[int, ...]  # the source's COLOUR tags, for the edges

    @property
    def copied_frames(self) -> int:
        return sum(p.frames for p in self.pieces if p.copy)

    @property
    def encoded_frames(self) -> int:
        return sum(p.frames for p in self.pieces if not p.copy)


def open_source(path: Path) -> tuple[Source, av.container.InputContainer]:
    """The stream's parameters and the open file (to seek around clips); :class:`NotSmart` when
    it is not H.264 in an avcC, has no usable rate, or is turned by its display matrix (copied
    packets would keep the turn, the edges would not)."""
    if probe(path, max_mb=1e9).video.rotation:
        raise NotSmart(f"{path.name} is shown rotated")
    box = av.open(str(path))
    try:
        if not box.streams.video:
            raise NotSmart(f"{path.name} has no video")
        vs = box.streams.video[0]
        cc = vs.codec_context
        if cc.name != "h264" or vs.time_base is None:
            raise NotSmart(f"{path.name} is {cc.name}, not H.264")
        extradata = bytes(cc.extradata or b"")
        if len(extradata) < 7 or extradata[0] != 1 or extradata[4] & 3 != 3:
            raise NotSmart(f"{path.name} has no avcC with 4-byte NAL lengths")
        # the rate the stream is coded at (r_frame_rate), not the average over its duration,
        # which a joined file's gaps or a long audio track pull off the true rate
        rate = vs.guessed_rate or vs.average_rate
        if not rate:
            raise NotSmart(f"{path.name} has no frame rate")
        tb = Fraction(vs.time_base)
        colour = tuple(int(getattr(cc, a, 0) or 0) for a in COLOUR)
        params = (cc.width, cc.height, cc.pix_fmt, cc.profile, extradata[3], Fraction(rate), colour)
    except BaseException:
        box.close()
        raise
    return Source(path, tb, Fraction(rate), params, extradata), box


def index_span(
    box: av.container.InputContainer, source: Source, in_s: Fraction, frames: int
) -> Span:
    """The ``frames`` frames from the first at or after ``in_s`` (file time), demuxed from the
    keyframe before it to one GOP past them; :class:`NotSmart` where they are not evenly spaced
    at the source's rate or run out more than a frame or two before the clip does."""
    vs = box.streams.video[0]
    first = math.ceil(in_s / source.time_base)  # the first pts the clip keeps
    box.seek(first, stream=vs, backward=True, any_frame=False)
    rows: list[tuple[int, bool, bool]] = []  # (pts, keyframe, IDR) in decode order
    counted, enough, eof = 0, False, True
    for pkt in box.demux(vs):
        if pkt.size == 0 or pkt.pts is None:
            continue
        key = bool(pkt.is_keyframe)
        if key and rows:
            if enough:  # one whole GOP past the clip: its leading pictures and closedness known
                eof = False
                break
            enough = counted > frames
        if not rows and not key:
            raise NotSmart(f"{source.path.name}: seeking did not land on a keyframe")
        rows.append((pkt.pts, key, _is_idr(bytes(pkt)) if key else False))
        counted += pkt.pts >= first
    ordered = sorted(r[0] for r in rows)
    at = bisect_left(ordered, first)
    pts = tuple(ordered[at : at + frames + 1])
    hold = max(frames - len(pts), 0)
    if hold and (not eof or hold > _HOLD_MAX):
        raise NotSmart("a clip runs past the end of its footage")
    _check_even(source, pts)
    closed, reorder = _closed_idrs(rows)
    where = {p: k for k, p in enumerate(pts)}
    copy_at = tuple(sorted(where[p] for p in closed if p in where))
    inside = [k for k in copy_at if k < frames]
    ends = _copy_ends(rows, ordered[at:], inside[-1], frames) if inside else ()
    return Span(pts, copy_at, reorder, hold, ends)


def _copy_ends(
    rows: list[tuple[int, bool, bool]], shown: list[int], k: int, frames: int
) -> tuple[int, ...]:
    """Where a copy from the clip's last closed IDR (its position ``k`` in ``shown``, the clip's
    frames and those after them in display order) may stop inside the clip: after every run of
    packets, in decode order from the IDR, that holds exactly the frames from the IDR up to one
    in display order. A picture references only pictures decoded before it, so such a run
    decodes to those frames alone, bit for bit; with B-frames one comes every few frames (each
    mini-GOP's end). So a clip's last GOP is copied up to its last mini-GOP inside the clip and
    only the few frames after that are encoded, not the whole stretch from the GOP's IDR to the
    cut."""
    ends: list[int] = []
    row = next(n for n, r in enumerate(rows) if r[0] == shown[k])
    top = shown[k]
    for count, (pts, *_) in enumerate(rows[row:], start=1):
        if k + count > frames or k + count > len(shown) or pts < shown[k]:
            break  # (a picture shown before the IDR: a damaged or open stream, stop here)
        top = max(top, pts)
        if top == shown[k + count - 1]:  # the run holds exactly the next `count` frames
            ends.append(k + count)
    return tuple(ends)


def _check_even(source: Source, pts: tuple[int, ...]) -> None:
    """Every step between the clip's frames within half a frame of the nominal one, and the
    clip's last frame within half a frame of where the grid puts it (no drift to speak of)."""
    step = source.frame_ticks  # compared in whole numbers: ticks x 2 x the step's denominator
    num, den = step.numerator, step.denominator
    for a, b in zip(pts, pts[1:], strict=False):
        if not num <= 2 * (b - a) * den <= 3 * num:
            raise NotSmart(f"{source.path.name} is not constant frame rate")
    if len(pts) > 1 and abs(2 * (pts[-1] - pts[0]) * den - 2 * (len(pts) - 1) * num) > num:
        raise NotSmart(f"{source.path.name}: the frames drift off the {source.rate} grid")


def _closed_idrs(rows: list[tuple[int, bool, bool]]) -> tuple[list[int], int]:
    """The pts of the IDRs that start a closed GOP (no picture decoded after them is shown
    before them), and the most frames decoding runs ahead of display in those GOPs."""
    keys = [n for n, r in enumerate(rows) if r[1]] + [len(rows)]
    closed, reorder = [], 0
    for n, nxt in zip(keys, keys[1:], strict=False):
        pts, _, idr = rows[n]
        if not idr or any(rows[m][0] <= pts for m in range(n + 1, nxt)):
            continue
        closed.append(pts)
        rank = {p: r for r, p in enumerate(sorted(rows[m][0] for m in range(n, nxt)))}
        reorder = max(reorder, *(j - rank[rows[n + j][0]] for j in range(nxt - n)))
    return closed, reorder


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
    sources: dict[Path, Source] = {}
    opened: dict[Path, av.container.InputContainer] = {}
    pieces: list[Piece] = []
    reorder = 0
    try:
        for clip, seg in zip(draft.clips, timing.segments, strict=True):
            assert clip.source_id is not None
            path = Path(assets.files[clip.source_id])
            if path not in sources:
                sources[path], opened[path] = open_source(path)
            src = sources[path]
            # the reel's rate is the probe's average one, which a recording's gaps or a long
            # sound track can pull a little off the coded rate: the clip's frames, shown at the
            # reel's rate, may drift from their own timing by at most half a frame
            if seg.frames * abs(1 / src.rate - 1 / timing.fps) > 1 / (2 * timing.fps):
                raise NotSmart(f"{path.name} runs at {src.rate} fps, the reel at {timing.fps}")
            in_s = Fraction(clip.source_in_ms, 1000) + Fraction(
                assets.start_s.get(clip.source_id, 0)
            )
            span = index_span(opened[path], src, in_s, seg.frames)
            pieces += _split(path, span, seg.frames)
            reorder = max(reorder, span.reorder)
    finally:
        for box in opened.values():
            box.close()
    if not any(p.copy for p in pieces):
        raise NotSmart("no clip holds a whole closed GOP to copy")
    if len({s.params for s in sources.values()}) > 1:
        raise NotSmart("the sources' streams differ")
    sound = _audio_graph(draft, assets, settings, work_dir_for(output))
    width, height, pix_fmt, profile, level, _rate, colour = next(iter(sources.values())).params
    assert isinstance(colour, tuple) and isinstance(level, int)
    # x264 ultrafast at crf - 6: on grainy 1080p footage the same fidelity to the source as
    # superfast at crf - 4 (46 dB PSNR at worst) for 45% of the CPU and ~20% more bits, which
    # matters little when the edges are a few percent of the reel's frames
    encoder = {
        "preset": "ultrafast", "crf": str(max(settings.crf - 6, 0)),
        "profile": _PROFILES.get(str(profile), "high"), "level": f"{level / 10:g}",
        "bf": "0", "g": "100000", "forced-idr": "1", "x264-params": "scenecut=0",
    }  # fmt: skip
    return SmartPlan(
        output, tuple(pieces), sources, timing.fps, timing.duration_s, reorder,
        sound.filter_graph, tuple(sound.input_args), tuple(sound.files), sound.work_dir,
        "libx264", encoder, colour,
    )  # fmt: skip


def _split(path: Path, span: Span, frames: int) -> list[Piece]:
    """Head (encoded), middle (copied: whole GOPs, then the last GOP up to its last mini-GOP
    inside the clip), tail (encoded) of one clip."""
    at = [k for k in span.copy_at if k <= frames]  # k == frames: an IDR just after the clip
    if not at:
        return [Piece(path, span.pts[0], frames, False, span.hold)]
    k1 = at[0]
    # a tail that holds the footage's last frame keeps at least one frame of its own to hold
    last = frames - span.hold - (1 if span.hold else 0)
    k2 = max([k for k in (*at, *span.copy_ends) if k1 < k <= last], default=k1)
    if k2 == k1:
        return [Piece(path, span.pts[0], frames, False, span.hold)]
    out = []
    if k1 > 0:
        out.append(Piece(path, span.pts[0], k1, False))
    out.append(Piece(path, span.pts[k1], k2 - k1, True))
    if frames > k2:
        out.append(Piece(path, span.pts[k2], frames - k2, False, span.hold))
    return out


def _audio_graph(draft: Draft, assets: RenderAssets, settings: RenderSettings, work: Path) -> Graph:
    """The reel's sound alone, cut exactly as the full encode cuts it: one concat-demuxer input
    per source (:mod:`reelcut.render.inputs`: each clip a whole-second slot from a little before
    its in-point), each clip trimmed by timestamp at its in-point (``atrim``: the sample the full
    encode keeps), the same crossfades, then the normal sound chain. One input per source, not
    per clip: a 90-minute MP4's sample index is loaded once, not once per clip."""
    timing = plan_timing(draft, assets, settings)
    graph = Graph(work)
    reads: dict[str, list[Read]] = {}
    for i, clip in enumerate(draft.clips):
        assert clip.source_id is not None
        if not assets.has_audio.get(clip.source_id):
            continue
        read_us = round((timing.video_frames(i) / timing.fps + READ_EXTRA_S) * S)
        start_us = round(assets.start_s.get(clip.source_id, 0.0) * S)
        slots = reads.setdefault(clip.source_id, [])
        in_us = clip.source_in_ms * 1000 + start_us
        slots.append(Read.after(slots[-1] if slots else None, i, in_us, read_us, start_us))
    read_of: dict[int, str] = {}
    for n, (source_id, slots) in enumerate(reads.items()):
        listed = graph.add_file(f"sound{n}.txt", concat_list(assets.files[source_id], slots))
        k = graph.add_input("-vn", "-f", "concat", "-safe", "0", "-i", str(listed))
        if len(slots) > 1:
            graph.add(f"[{k}:a:0]asplit={len(slots)}" + "".join(f"[s{k}a{r.clip}]" for r in slots))
        read_of |= {r.clip: f"[s{k}a{r.clip}]" if len(slots) > 1 else f"[{k}:a:0]" for r in slots}
    cuts = {r.clip: r for slots in reads.values() for r in slots}
    for i in range(len(draft.clips)):
        if i in cuts:
            r = cuts[i]
            cut = f"start={seconds(r.clip_start_us)}:end={seconds(r.clip_start_us + r.read_us)}"
            src = f"{read_of[i]}atrim={cut},aresample={AUDIO_RATE},{_STEREO},asetpts=PTS-STARTPTS,apad"
        else:
            src = f"anullsrc=r={AUDIO_RATE}:cl=stereo"
        graph.add(f"{src},atrim=end_sample={timing.audio_samples(i)},asetpts=PTS-STARTPTS[a{i}]")
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
    return graph


def work_dir_for(output: Path) -> Path:
    """The hidden folder beside ``output`` that holds the sound's files while the reel renders."""
    return output.parent / f".{output.name}.smart-work"


__all__ = ["NotSmart", "Piece", "SmartPlan", "Source", "Span", "index_span", "open_source",
           "plan_smart"]  # fmt: skip
