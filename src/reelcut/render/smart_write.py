"""Run a :class:`~reelcut.render.smart.SmartPlan`: one pass writes the whole reel.

Where a smart render's time went before (one FFmpeg per edge, each starting, seeking and
decoding from the keyframe before it and starting a fresh encoder; the pieces stream-copied
into a video file, then video and sound copied again into the reel), this writes the reel's
file once, in reel order, from this process:

- edges: each source is decoded here (PyAV, frame threads) from the keyframe before an edge,
  and one libx264 encoder, with its own threads on every core, takes every edge in reel order,
  each starting at a forced IDR, at the source's size, pixel format, profile, level and colour
  tags, without B-frames. The encoder's output lags its input by a few frames; pieces are
  written strictly in order, so a copied middle waits (unread) until the edge before it is out;
- middles: the source's packets, read GOP by GOP (never a whole clip in memory), the last GOP
  up to the end of its last mini-GOP inside the clip;
- parameter sets: every piece starts with an IDR carrying its SPS/PPS in-band (the source's from
  its ``avcC``; x264 repeats its own at every IDR), so the decoder switches at every join;
- timestamps: frame ``n`` of the reel is shown at ``n / fps`` exactly, whatever ticks the
  source's frames carried; decoding runs ``plan.reorder`` frames ahead of display, so copied
  GOPs keep their B-frame order and every decode time rises;
- sound: one FFmpeg process renders it (the normal sound chain) while the first edge encodes;
  its packets are interleaved with the video's as the reel is written.

The reel appears whole (written beside the output, then renamed). Anything that comes out other
than planned raises :class:`~reelcut.render.smart.NotSmart`; the caller then encodes fully.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
from av.video.frame import PictureType

from reelcut.errors import CancelledError, RenderError
from reelcut.media.ffmpeg import die_with_parent, ffmpeg_exe
from reelcut.progress import ProgressFn, no_progress
from reelcut.render.run import RenderResult, check_writable, release_memory
from reelcut.render.smart import COLOUR, NotSmart, Piece, SmartPlan, _is_idr
from reelcut.render.types import AUDIO_RATE, RenderSettings

_EARLY_PACKETS = 150  # edge packets held while the sound renders (5 s of 1080p edges: ~30 MB)


def run_smart(
    plan: SmartPlan,
    settings: RenderSettings = RenderSettings(),
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> RenderResult:
    """Render the sound, encode the edges, copy the middles, all into one file."""
    check_writable(plan.output)
    started = time.monotonic()
    release_memory()
    work = plan.work_dir
    work.mkdir(parents=True, exist_ok=True)
    try:
        for name, text in plan.audio_files:
            (work / name).write_text(text, encoding="utf-8")
        sound = _Sound(plan, settings, work)
        try:
            out = work / "reel.mp4"
            _Writer(plan, settings, sound, out, progress, cancel).run()
            out.replace(plan.output)
        finally:
            sound.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    progress("render", len(plan.pieces), len(plan.pieces))
    return RenderResult(plan.output, plan.duration_s, time.monotonic() - started, method="smart")


class _Sound:
    """The reel's sound, rendered by FFmpeg in the background into ``work/sound.m4a``."""

    def __init__(self, plan: SmartPlan, settings: RenderSettings, work: Path) -> None:
        self.path = work / "sound.m4a"
        graph = work / "sound.txt"
        graph.write_text(plan.audio_graph, encoding="utf-8")
        self._err = tempfile.TemporaryFile()
        cmd = [
            ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-copyts",
            *plan.audio_inputs, "-/filter_complex", str(graph), "-map", "[aout]",
            "-c:a", "aac", "-b:a", settings.audio_bitrate, "-ar", str(AUDIO_RATE), "-ac", "2",
            "-t", f"{plan.duration_s:.6f}", str(self.path),
        ]  # fmt: skip
        self._proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._err,
            preexec_fn=die_with_parent,
        )  # fmt: skip

    def done(self) -> bool:
        return self._proc.poll() is not None

    def wait(self) -> Path:
        if self._proc.wait() != 0:
            self._err.seek(0)
            tail = self._err.read().decode("utf-8", "replace").strip().splitlines()[-6:]
            raise RenderError("FFmpeg failed on the sound: " + (" | ".join(tail) or "no message"))
        return self.path

    def stop(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._err.close()


def reel_clock(fps: Fraction) -> tuple[Fraction, int]:
    """A time base for the reel's video and one frame's ticks on it (a whole number)."""
    if (90_000 * fps.denominator) % fps.numerator == 0:
        return Fraction(1, 90_000), 90_000 * fps.denominator // fps.numerator
    scale = -(-10_000 // fps.numerator)
    return Fraction(1, fps.numerator * scale), fps.denominator * scale


def length_prefixed(annexb: bytes) -> bytes:
    """An Annex B access unit (start codes) as 4-byte length-prefixed NAL units (MP4's form)."""
    out = bytearray()
    for nal in annexb.split(b"\x00\x00\x01"):
        nal = nal.rstrip(b"\x00")  # a 4-byte start code's leading zero, trailing_zero_8bits
        if nal:
            out += len(nal).to_bytes(4, "big") + nal
    return bytes(out)


def parameter_sets(extradata: bytes) -> bytes:
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


class _Writer:
    """Writes the pieces in reel order; see the module docstring."""

    def __init__(
        self,
        plan: SmartPlan,
        settings: RenderSettings,
        sound: _Sound,
        out: Path,
        progress: ProgressFn,
        cancel: threading.Event | None,
    ) -> None:
        self.plan, self.settings, self.sound, self.out = plan, settings, sound, out
        self.progress, self.cancel = progress, cancel
        self.tb, self.step = reel_clock(plan.fps)
        self.box: av.container.OutputContainer | None = None
        self.opened: dict[Path, av.container.InputContainer] = {}  # decoded and demuxed
        self.encoder: av.VideoCodecContext | None = None
        self.queue: deque[Piece] = deque()  # pieces planned, not yet written, in reel order
        self.encoded: deque[av.Packet] = deque()  # edge packets out of the encoder, unwritten
        self.head_done = 0  # packets of queue[0] written (when it is an edge)
        self.written = 0  # frames of the reel written
        self.fed = 0  # frames given to the encoder
        self.last_dts: int | None = None
        self._sound_box: av.container.InputContainer | None = None
        self._sound_packets: Iterator[av.Packet] = iter(())
        self._next_sound: av.Packet | None = None
        self._sound_tb = Fraction(1, AUDIO_RATE)

    def run(self) -> None:
        try:
            for piece in self.plan.pieces:
                self.queue.append(piece)
                if not piece.copy:
                    for m, frame in enumerate(self._edge_frames(piece)):
                        self._encode(frame, first=m == 0)
                self._drain()  # between edges only: a copy seeks the file the edges decode
            if self.encoder is not None:
                self.encoded.extend(self.encoder.encode(None))
            self._drain(final=True)
            if self.queue or self.encoded or self.box is None:
                raise NotSmart("the edge encoder's output did not match the plan")
            self._sound_until(None)
            self.box.close()
        finally:
            for box in self.opened.values():
                box.close()
            if self._sound_box is not None:
                self._sound_box.close()
            if self.box is not None:
                self.box.close()

    # -- edges -----------------------------------------------------------------------------

    def _edge_frames(self, piece: Piece) -> Iterator[av.VideoFrame]:
        """The piece's frames decoded from the keyframe before it, the last one held."""
        box = self._open(piece.source)
        vs = box.streams.video[0]
        box.seek(piece.start_pts, stream=vs, backward=True, any_frame=False)
        want, got, last = piece.frames - piece.hold, 0, None
        for frame in box.decode(vs):
            if frame.pts is None or frame.pts < piece.start_pts:
                continue
            if got == 0 and frame.pts != piece.start_pts:
                raise NotSmart("decoding did not reach an edge's first frame")
            self._check_cancel()
            yield frame
            last, got = frame, got + 1
            if got == want:
                break
        if got < want or last is None:
            raise NotSmart(f"an edge decoded {got} frames, not {want}")
        for _ in range(piece.hold):
            yield last

    def _encode(self, frame: av.VideoFrame, first: bool) -> None:
        if self.encoder is None:
            self.encoder = self._open_encoder()
        frame.pts, frame.time_base = self.fed, self.encoder.time_base
        frame.pict_type = PictureType.I if first else PictureType.NONE
        self.encoded.extend(self.encoder.encode(frame))
        self.fed += 1

    def _open(self, path: Path) -> av.container.InputContainer:
        """One open file per source, for both the edges' decoding and the middles' packets."""
        box = self.opened.get(path)
        if box is None:
            box = self.opened[path] = av.open(str(path))
            box.streams.video[0].thread_type = "AUTO"
            box.streams.video[0].codec_context.thread_count = self.settings.decode_threads
        return box

    def _open_encoder(self) -> av.VideoCodecContext:
        width, height, pix_fmt, *_ = next(iter(self.plan.sources.values())).params
        enc = av.CodecContext.create(self.plan.codec, "w")
        assert isinstance(enc, av.VideoCodecContext)
        enc.width, enc.height, enc.pix_fmt = int(str(width)), int(str(height)), str(pix_fmt)
        enc.time_base, enc.framerate = 1 / self.plan.fps, self.plan.fps
        enc.thread_count = self.settings.threads
        for name, value in zip(COLOUR, self.plan.colour, strict=True):
            setattr(enc, name, value)
        enc.options = dict(self.plan.encoder)
        enc.open()
        return enc

    # -- writing ---------------------------------------------------------------------------

    def _drain(self, final: bool = False) -> None:
        """Write every piece whose packets are ready, in reel order. Until the sound is rendered
        (the reel's header needs both streams) the edges go on encoding and their packets wait,
        up to ``_EARLY_PACKETS`` of them."""
        if self.box is None and not (final or self.sound.done()):
            if len(self.encoded) < _EARLY_PACKETS:
                return
        while self.queue:
            head = self.queue[0]
            if head.copy:
                self._write_copy(head)
            else:
                while self.encoded and self.head_done < head.frames:
                    pkt = self.encoded.popleft()
                    data = length_prefixed(bytes(pkt))
                    if self.head_done == 0 and not _is_idr(data):
                        raise NotSmart("an edge did not start with an IDR")
                    n = self.written + self.head_done
                    self._mux(data, n, n - self.plan.reorder, self.head_done == 0)
                    self.head_done += 1
                if self.head_done < head.frames:
                    return
                self.head_done = 0
            self.written += head.frames
            self.queue.popleft()
            self.progress("render", len(self.plan.pieces) - len(self.queue), len(self.plan.pieces))

    def _write_copy(self, piece: Piece) -> None:
        """The piece's packets from its closed IDR, GOP by GOP (the last one cut short)."""
        box = self._open(piece.source)
        vs = box.streams.video[0]
        sets = parameter_sets(self.plan.sources[piece.source].extradata)
        box.seek(piece.start_pts, stream=vs, backward=True, any_frame=False)
        gop: list[av.Packet] = []
        done = 0
        for pkt in box.demux(vs):
            if pkt.size == 0 or pkt.pts is None:  # (dts: unused, and unset after a seek in MKV)
                continue
            if not gop and done == 0 and pkt.pts != piece.start_pts:
                if pkt.is_keyframe and pkt.pts > piece.start_pts:
                    raise NotSmart("seeking went past a copied piece's IDR")
                continue  # a container's seek may land a keyframe early (Matroska's cues)
            if pkt.is_keyframe and gop:
                done += self._write_gop(gop, done, piece, sets)
                gop = []
                if done == piece.frames:
                    return
            gop.append(pkt)
        done += self._write_gop(gop, done, piece, sets) if gop else 0
        if done != piece.frames:
            raise NotSmart("the copied packets are not exactly the piece's frames")

    def _write_gop(self, gop: list[av.Packet], done: int, piece: Piece, sets: bytes) -> int:
        """Write one GOP's packets; the piece's last GOP only as far as the piece goes, which
        must be a run of packets (decode order) holding exactly its first frames (display
        order): the plan's ``_copy_ends``."""
        if done + len(gop) > piece.frames:
            shown = sorted(pkt.pts or 0 for pkt in gop)
            gop = gop[: piece.frames - done]
            if max(pkt.pts or 0 for pkt in gop) != shown[len(gop) - 1]:
                raise NotSmart("a copied piece does not end where its frames are whole")
        self._check_cancel()
        rank = {p: r for r, p in enumerate(sorted(pkt.pts or 0 for pkt in gop))}
        base = self.written + done
        for j, pkt in enumerate(gop):
            first = done == 0 and j == 0
            data = sets + bytes(pkt) if first else pkt
            key = first or bool(pkt.is_keyframe)
            self._mux(data, base + rank[pkt.pts or 0], base + j - self.plan.reorder, key)
        return len(gop)

    def _mux(self, data: bytes | av.Packet, frame: int, decode_frame: int, key: bool) -> None:
        """One video packet (bytes, or a demuxed packet to restamp) at reel frame ``frame``."""
        box = self.box or self._start()
        pts, dts = frame * self.step, decode_frame * self.step
        if self.last_dts is not None and dts <= self.last_dts or dts > pts:
            raise NotSmart("the pieces' decode times would not rise")
        self._sound_until(dts)
        pkt = data if isinstance(data, av.Packet) else av.Packet(data)
        pkt.pts, pkt.dts, pkt.duration, pkt.time_base = pts, dts, self.step, self.tb
        pkt.is_keyframe = key
        pkt.stream = box.streams.video[0]
        box.mux(pkt)
        self.last_dts = dts

    def _start(self) -> av.container.OutputContainer:
        """Open the reel once the sound is ready (both streams go in before the header)."""
        sound = av.open(str(self.sound.wait()))
        box = av.open(str(self.out), "w", format="mp4", options={"movflags": "+faststart"})
        src = next(iter(self.plan.sources.values()))
        video = box.add_stream_from_template(self._open(src.path).streams.video[0])
        video.time_base = self.tb
        box.add_stream_from_template(sound.streams.audio[0])
        self._sound_box = sound
        self._sound_tb = Fraction(sound.streams.audio[0].time_base or Fraction(1, AUDIO_RATE))
        self._sound_packets = (p for p in sound.demux(sound.streams.audio[0]) if p.size)
        self._next_sound = next(self._sound_packets, None)
        self.box = box
        return box

    def _sound_until(self, dts: int | None) -> None:
        """Mux the sound's packets that decode before the video's ``dts`` (all for None)."""
        assert self.box is not None
        # compared in whole numbers: sound ticks x video ticks' denominators
        left = None if dts is None else dts * self.tb.numerator * self._sound_tb.denominator
        while (pkt := self._next_sound) is not None:
            if (
                left is not None
                and (pkt.dts or 0) * self._sound_tb.numerator * self.tb.denominator > left
            ):
                return
            pkt.stream = self.box.streams.audio[0]
            self.box.mux(pkt)
            self._next_sound = next(self._sound_packets, None)

    def _check_cancel(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise CancelledError("render cancelled")


__all__ = ["length_prefixed", "parameter_sets", "reel_clock", "run_smart"]
