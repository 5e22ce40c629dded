"""Keyframe thumbnails and how much each differs from the one before: the shot-cut evidence.

Decoding keyframes was ~70% of analysis CPU on grainy 1080p (27 ms for a 255 KB keyframe), so
an H.264 keyframe is decoded only at its top as the file is read (:mod:`reelcut.analysis.keytop`:
40% of its bytes, about 40% of the picture and of the time), and the top rows of two thumbnails
are compared. Those rows are the whole decode's, bit for bit. Where the tops cannot settle the
shot-cut rule, the two keyframes are decoded again whole at the end (a seek to each: no second
pass over the file):

* off the encoder's keyframe grid (x264's scene-cut keyframes) a cut needs a whole-picture
  difference over 0.03; the rows below the top can only add to it, so a top whose share of the
  rows already adds up to more proves it; any other pair is compared whole (exact);
* on the grid a cut needs a whole-picture difference over 0.3, and the top of such a change
  differed by 0.20-0.28 (the two grid cuts in the tuning footage of seeds 1-3, the three in the
  evaluation footage of seeds 352722464-68), so a grid pair whose top differs by ``_CLEAR`` or
  more is compared whole, and one under it is taken for no cut (the one guess: a grid cut that
  leaves the top of the picture alone is missed);
* a pair whose shared top is under ``_MIN_ROWS`` thumbnail rows is compared whole.
"""

from __future__ import annotations

import av
import numpy as np
from av.video.reformatter import VideoReformatter

from reelcut.analysis.keytop import KeyframeTop, clear_luma, decoded_height
from reelcut.media.growing import GrowingReader

THUMB_W, THUMB_H = 64, 36
# Of a keyframe's slice bytes decoded as the file is read. Only speed depends on it: at 0.33 the
# grainy 1080p bench input's scene-cut pairs fell just short of proving their cut (11 thumbnail
# rows: 0.0299 of the 0.03 needed) and 120 of 360 keyframes were decoded again; at 0.4, none.
_TOP_FRACTION = 0.4
_CLEAR = 0.15  # top difference under which a pair on the grid is no cut without a whole look
_MIN_ROWS = 6  # thumbnail rows two tops must share to be compared (of 36)
# Thumbnail rows scaled past those a top holds: scaled from a picture cut short, the bottom two
# rows of a thumbnail differ from the whole picture's (the filter is clamped at the cut), the
# rows above are the same bit for bit (1,311 keyframe tops of 52 files, 144p to 1080p).
_CROP_MARGIN = 2


class KeyframeThumbs:
    """Fed the keyframe packets chosen for thumbnails, in order; :meth:`differences` gives the
    mean absolute difference (0..1) of each thumbnail from the one before."""

    def __init__(self, stream: av.video.stream.VideoStream) -> None:
        ctx = stream.codec_context
        ctx.skip_frame = "NONKEY"
        ctx.thread_type = "AUTO"
        # No deblocking: a 64x36 thumbnail cannot tell (one grey level at most, its difference
        # to the next within 1e-4), and a grainy 1080p keyframe decodes in 13 % less time.
        # No error concealment: the part of a cut-short keyframe left undecoded stays blank.
        ctx.options = {"skip_loop_filter": "all", "ec": "0"}
        self._ctx = ctx
        self._stream = stream
        self._top = KeyframeTop.for_stream(stream, _TOP_FRACTION)
        self.times: list[float] = []
        self._pts: dict[float, int] = {}
        self._thumbs: list[np.ndarray] = []
        self._rows: list[int] = []  # thumbnail rows, from the top, that come from decoded picture
        self._pending: list[float] = []  # keyframe times sent to the threaded decoder
        self._scaler = VideoReformatter()  # its scaling context is made once, not per frame
        self._top_scaler = VideoReformatter()  # for tops (another size: its own context)

    def add(self, packet: av.Packet, t: float) -> None:
        self._pending.append(t)
        if packet.pts is not None:
            self._pts[t] = packet.pts
        if self._top is not None:
            packet = av.Packet(self._top.cut(bytes(packet)))
        for frame in self._ctx.decode(packet):
            self._take(frame)

    def finish(self) -> None:
        for frame in self._ctx.decode(None):
            self._take(frame)

    def differences(self, on_grid: np.ndarray, off_grid_cut: float) -> np.ndarray:
        """Per thumbnail after the first: its difference from the one before (``on_grid``: that
        one's keyframe sits on the encoder's grid). Over the rows both tops hold, or over whole
        pictures where the tops cannot settle it (module docstring); NaN where neither can be
        had (a keyframe that would not decode again)."""
        n = len(self._thumbs)
        if n < 2:
            return np.zeros(0)
        rows = np.minimum(self._rows[:-1], self._rows[1:])
        top = np.array([self._top_difference(i, int(rows[i - 1])) for i in range(1, n)])
        # Off the grid a cut needs a whole difference over ``off_grid_cut``; the top's rows are
        # the whole thumbnail's rows (bit-exact), and the other rows add nothing negative, so
        # the top's share alone can prove it.
        proven = rows / THUMB_H * top > off_grid_cut + 1e-6
        need = (
            (rows < _MIN_ROWS)
            | np.isnan(top)
            | np.where(on_grid[: n - 1], ~(top < _CLEAR), ~proven)
        )
        if self._top is None or not need.any():
            return top
        wanted = sorted({self.times[i] for k in np.flatnonzero(need) for i in (k, k + 1)})
        whole = self._decode_whole(wanted)
        out = top.copy()
        for k in np.flatnonzero(need):
            a, b = self.times[k], self.times[k + 1]
            if a in whole and b in whole:
                out[k] = float(np.abs(whole[b] - whole[a]).mean())
        return out

    def _top_difference(self, i: int, rows: int) -> float:
        if rows <= 0:
            return float("nan")
        return float(np.abs(self._thumbs[i][:rows] - self._thumbs[i - 1][:rows]).mean())

    def _take(self, frame: av.VideoFrame) -> None:
        """Keyframes leave the decoder in the order they went in: pair each with its time."""
        if not self._pending:
            return
        self.times.append(self._pending.pop(0))
        if self._top is None:
            self._thumbs.append(_thumb(frame, self._scaler))
            self._rows.append(THUMB_H)
            return
        height = decoded_height(frame)
        # A thumbnail row draws on source rows a little past its own: one row of margin.
        rows = THUMB_H if height >= frame.height else int(height * THUMB_H / frame.height - 1)
        rows = max(rows, 0)
        # Only a top's own rows are ever compared: scale only the rows of the picture they need.
        top = _top_thumb(frame, rows, self._top_scaler) if rows < THUMB_H else None
        self._thumbs.append(top if top is not None else _thumb(frame, self._scaler))
        clear_luma(frame)
        self._rows.append(rows)

    def _decode_whole(self, times: list[float]) -> dict[float, np.ndarray]:
        """Whole thumbnails of the keyframes at ``times``, each found by a seek (the file has
        been read to its end; the index makes a seek to a keyframe cheap)."""
        container = self._stream.container
        assert isinstance(container, av.container.InputContainer)
        source = getattr(getattr(container, "file", None), "file", None)  # PyAV's PyIOFile
        if isinstance(source, GrowingReader):
            # An upload analysed as it arrived: its reader cannot seek (the demuxer must read
            # front to back), and every seek below would fail, leaving these pairs judged by
            # their tops, unlike the same file analysed from disk. Read to its end, the file is
            # complete on disk: seek in a container of its own.
            try:
                whole = av.open(str(source.path), metadata_errors="ignore")
            except (av.FFmpegError, OSError):  # an aborted upload: its result is thrown away
                return {}
            with whole:
                return self._decode_whole_in(whole, whole.streams.video[0], times)
        return self._decode_whole_in(container, self._stream, times)

    def _decode_whole_in(
        self,
        container: av.container.InputContainer,
        stream: av.video.stream.VideoStream,
        times: list[float],
    ) -> dict[float, np.ndarray]:
        ctx = av.CodecContext.create(self._stream.codec_context.name, "r")
        assert isinstance(ctx, av.VideoCodecContext)
        ctx.extradata = self._stream.codec_context.extradata
        ctx.options = {"skip_loop_filter": "all"}
        out: dict[float, np.ndarray] = {}
        for t in times:
            pts = self._pts.get(t)
            if pts is None:
                continue
            try:
                container.seek(pts, stream=stream, backward=True, any_frame=False)
                for packet in container.demux(stream):
                    if packet.pts is None or packet.pts < pts:
                        continue
                    if packet.pts == pts:
                        frames = [*ctx.decode(packet), *ctx.decode(None)]
                        ctx.flush_buffers()
                        if frames:
                            out[t] = _thumb(frames[-1], self._scaler)
                    break
            except (av.FFmpegError, OSError, ValueError):
                continue  # judged by its top, as far as it holds one
        return out


def _thumb(frame: av.VideoFrame, scaler: VideoReformatter) -> np.ndarray:
    """The frame as a THUMB_W x THUMB_H grey thumbnail (0..1).

    Through one ``scaler`` per stream, on one thread: ``frame.reformat`` makes a new scaling
    context for every frame, and with it (FFmpeg picks the thread count) a pool of scaling
    threads, the most of the main thread's time per keyframe; the pixels are the same.
    """
    return _scaled(frame, THUMB_H, scaler)


def _top_thumb(frame: av.VideoFrame, rows: int, scaler: VideoReformatter) -> np.ndarray | None:
    """The top ``rows`` (and ``_CROP_MARGIN`` more) rows of the frame's thumbnail, scaled from
    those rows of the picture alone: the same pixels as :func:`_thumb`'s rows, in about half its
    time on a 1080p top (the scaler reads every source row, decoded or blank). None where the
    picture does not split into whole thumbnail rows (height not a multiple of THUMB_H: the
    scale factor would change) or is not yuv420p (the one layout measured)."""
    per, k = frame.height // THUMB_H, rows + _CROP_MARGIN
    if frame.format.name != "yuv420p" or per * THUMB_H != frame.height or k >= THUMB_H:
        return None
    top = av.VideoFrame(frame.width, k * per, "yuv420p")
    for src, dst in zip(frame.planes, top.planes, strict=True):
        a = np.frombuffer(memoryview(src), np.uint8).reshape(src.height, src.line_size)
        b = np.frombuffer(memoryview(dst), np.uint8).reshape(dst.height, dst.line_size)
        b[:, : dst.width] = a[: dst.height, : dst.width]
    top.colorspace, top.color_range = frame.colorspace, frame.color_range
    return _scaled(top, k, scaler)


def _scaled(frame: av.VideoFrame, height: int, scaler: VideoReformatter) -> np.ndarray:
    small = scaler.reformat(frame, width=THUMB_W, height=height, format="gray", threads=1)
    return small.to_ndarray()[:, :THUMB_W].astype(np.float32) / 255.0
