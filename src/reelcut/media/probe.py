"""Probe a media file: what is in it, and is it something reelcut can cut.

``probe()`` checks by content, not by extension, and turns every way a file can be unusable into
one typed error with a stable code (see :mod:`reelcut.errors`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av

from reelcut.errors import (
    CorruptMediaError,
    EmptyMediaError,
    InputNotFoundError,
    InputNotReadableError,
    InputTooLargeError,
    InvalidArgumentError,
    NoVideoStreamError,
    UnsupportedMediaError,
)
from reelcut.media import growing

#: Demuxer names (as FFmpeg reports them) of the containers we accept: mp4/mov, avi, mkv/webm.
ACCEPTED_FORMATS = {"mov,mp4,m4a,3gp,3g2,mj2": "mp4/mov", "avi": "avi", "matroska,webm": "mkv/webm"}
#: Containers whose sound alone ``reelcut transcript`` reads (podcasts): the video ones, and
#: wav, mp3, m4a, aac, flac, ogg.
SOUND_FORMATS = {
    **ACCEPTED_FORMATS,
    "wav": "wav", "mp3": "mp3", "aac": "aac", "flac": "flac", "ogg": "ogg",
}  # fmt: skip


def _audio_only(path: Path) -> str:
    return (
        f"{path.name} is sound only: reelcut cuts video, so make and shorts need a picture with it "
        f"(for one: ffmpeg -loop 1 -i cover.png -i {path.name} -shortest -c:v libx264 -tune "
        "stillimage -c:a aac -pix_fmt yuv420p talk.mp4); reelcut transcript reads it as it is"
    )


def probe_sound(path: str | os.PathLike[str], max_mb: float | None = None) -> float:
    """Seconds of sound in ``path``, a video or a sound-only file (wav, mp3, m4a, aac, flac,
    ogg), or the typed input error that says why it cannot be read; what ``transcript`` checks.
    """
    try:
        return probe(path, max_mb=max_mb).duration_s
    except NoVideoStreamError:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.audio or container.format.name not in SOUND_FORMATS:
                raise
            a = container.streams.audio[0]
            if container.duration:
                return float(container.duration / av.time_base)
            if a.duration and a.time_base:
                return float(a.duration * a.time_base)
            return 0.0


@dataclass(frozen=True, slots=True)
class VideoInfo:
    codec: str
    width: int
    height: int
    rotation: int  # degrees clockwise the player turns the picture (0, 90, 180, 270)
    fps: Fraction  # average frame rate
    variable_frame_rate: bool
    pixel_format: str | None

    @property
    def display_size(self) -> tuple[int, int]:
        """(width, height) as shown, after the rotation flag is applied."""
        if self.rotation % 180 == 90:
            return self.height, self.width
        return self.width, self.height


@dataclass(frozen=True, slots=True)
class AudioInfo:
    codec: str
    sample_rate: int
    channels: int
    layout: str


@dataclass(frozen=True, slots=True)
class MediaInfo:
    path: Path
    size_bytes: int
    container: str
    duration_s: float
    video: VideoInfo
    audio: AudioInfo | None
    start_s: float = 0.0  # the container's first timestamp: clip times are counted from here

    @property
    def has_audio(self) -> bool:
        return self.audio is not None


def open_input(path: Path) -> av.container.InputContainer:
    """Open an already probed input for reading; a failure now means it was damaged since.

    An upload still streaming in is opened through a reader that waits for its bytes
    (:mod:`reelcut.media.growing`), so analysers always open their input here."""
    try:
        reader = growing.reader_for(path)
        if reader is not None:
            return av.open(reader, "r", metadata_errors="ignore")
        return av.open(str(path), metadata_errors="ignore")
    except av.FFmpegError as exc:
        raise CorruptMediaError(f"{path.name}: cannot be read ({exc})") from exc


def max_input_bytes(max_mb: float | None = None) -> int | None:
    """The size limit in bytes: the argument, else ``REELCUT_MAX_INPUT_MB``, else none.

    Local files have no limit by default: a 90-minute match is several GB and analysis streams
    it in bounded memory. The limit is opt-in (``--max-size``); the service passes its upload
    limit explicitly.
    """
    if max_mb is None:
        named = os.environ.get("REELCUT_MAX_INPUT_MB", "").strip()
        if not named:
            return None
        try:
            max_mb = float(named)
        except ValueError:
            raise InvalidArgumentError(
                f"REELCUT_MAX_INPUT_MB={named!r} is not a number of megabytes"
            ) from None
    return int(max_mb * 1024 * 1024)


def _looks_like_video_container(head: bytes) -> bool:
    """True when the first bytes claim mp4/mov, avi or Matroska: then a failure to open is damage."""
    return (
        head[4:8] in (b"ftyp", b"moov", b"mdat", b"free", b"wide")
        or (head[:4] == b"RIFF" and head[8:12] == b"AVI ")
        or head[:4] == b"\x1a\x45\xdf\xa3"
    )


def probe(path: str | os.PathLike[str], max_mb: float | None = None) -> MediaInfo:
    """Describe ``path`` or raise the :class:`~reelcut.errors.InputError` that says why it is unusable."""
    path = Path(path)
    if not path.is_file():
        raise InputNotFoundError(f"{path}: no such file")
    size = path.stat().st_size
    if size == 0:
        raise EmptyMediaError(f"{path.name} is empty (0 bytes)")
    limit = max_input_bytes(max_mb)
    if limit is not None and size > limit:
        raise InputTooLargeError(
            f"{path.name} is {size / 2**20:.1f} MB, over the {limit / 2**20:.1f} MB limit "
            "(raise it with --max-size or REELCUT_MAX_INPUT_MB)"
        )
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except PermissionError as exc:
        raise InputNotReadableError(f"{path.name} is not readable (check its permissions)") from exc
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except (av.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        if _looks_like_video_container(head):
            raise CorruptMediaError(f"{path.name} is damaged or truncated: {exc}") from exc
        raise UnsupportedMediaError(
            f"{path.name} is not a video file reelcut can read (mp4, mov, avi, webm, mkv)"
        ) from exc
    with container:
        return _describe(container, path, size)


def probe_growing(file: growing.Growing) -> MediaInfo:
    """Describe an upload from its first bytes, read as they arrive (waits for them).

    The description carries the growing file's virtual path, which the analysers open through
    :func:`open_input`; its size is unknown (0) until the last byte."""
    path = file.virtual_path
    try:
        container = av.open(file.reader(), "r", metadata_errors="ignore")
    except (av.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise UnsupportedMediaError(f"{path.name} cannot be read as it streams in ({exc})") from exc
    with container:
        return _describe(container, path, 0)


def _describe(container: av.container.InputContainer, path: Path, size: int) -> MediaInfo:
    """What an open container holds; ``size`` 0 skips the truncation check (not known yet)."""
    fmt = container.format.name
    vstreams = [s for s in container.streams.video if not _is_cover_art(s)]
    if not vstreams and container.streams.audio and fmt in SOUND_FORMATS:
        raise NoVideoStreamError(_audio_only(path))
    if fmt not in ACCEPTED_FORMATS:
        raise UnsupportedMediaError(
            f"{path.name} is {container.format.long_name or fmt}, not a video reelcut accepts "
            "(mp4, mov, avi, webm, mkv)"
        )
    if not vstreams:
        raise NoVideoStreamError(f"{path.name} has no video stream")
    vs = vstreams[0]
    duration_s = _duration_s(container, vs)
    start_s = container.start_time / av.time_base if container.start_time else 0.0
    if duration_s <= 0:
        raise EmptyMediaError(f"{path.name} has no playable duration")
    if size:
        _check_not_truncated(path, size, vs)
    rotation = _first_frame_rotation(container, vs, path)
    video = VideoInfo(
        codec=vs.codec_context.name,
        width=vs.codec_context.width,
        height=vs.codec_context.height,
        rotation=rotation,
        fps=_fps(vs),
        variable_frame_rate=_is_vfr(vs),
        pixel_format=vs.codec_context.format.name if vs.codec_context.format else None,
    )
    audio = None
    if container.streams.audio:
        a = container.streams.audio[0]
        audio = AudioInfo(
            codec=a.codec_context.name,
            sample_rate=a.rate or 0,
            channels=a.channels,
            layout=a.layout.name,
        )
    if video.width <= 0 or video.height <= 0:
        raise CorruptMediaError(f"{path.name}: video stream has no picture size")
    return MediaInfo(path, size, ACCEPTED_FORMATS[fmt], duration_s, video, audio, start_s)


def _is_cover_art(stream: av.video.stream.VideoStream) -> bool:
    return bool(stream.disposition & av.stream.Disposition.attached_pic)


def _duration_s(container: av.container.InputContainer, vs: av.video.stream.VideoStream) -> float:
    if vs.duration is not None and vs.time_base is not None:
        return float(vs.duration * vs.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return 0.0


def _fps(vs: av.video.stream.VideoStream) -> Fraction:
    rate = vs.average_rate or vs.guessed_rate or vs.base_rate
    if not rate or rate <= 0:
        return Fraction(30)
    return Fraction(rate)


def _is_vfr(vs: av.video.stream.VideoStream) -> bool:
    avg, base = vs.average_rate, vs.base_rate
    if not avg or not base:
        return False
    return abs(float(avg) - float(base)) / float(base) > 0.01


def _check_not_truncated(path: Path, size: int, vs: av.video.stream.VideoStream) -> None:
    """An index that points past the end of the file means the download or copy was cut short."""
    entries = vs.index_entries
    if entries is None or len(entries) == 0:
        return
    last = entries[len(entries) - 1]
    if last.pos + last.size > size + 1024:
        share = 100.0 * size / (last.pos + last.size)
        raise CorruptMediaError(
            f"{path.name} is truncated: only about {share:.0f}% of its media data is present"
        )


def _first_frame_rotation(
    container: av.container.InputContainer, vs: av.video.stream.VideoStream, path: Path
) -> int:
    """Decode the first picture: proves the stream is decodable and reads the display rotation."""
    try:
        for frame in container.decode(vs):
            return int(round(getattr(frame, "rotation", 0) or 0)) % 360
    except av.FFmpegError as exc:
        raise CorruptMediaError(f"{path.name}: the video cannot be decoded ({exc})") from exc
    raise CorruptMediaError(f"{path.name}: the video stream holds no decodable picture")
