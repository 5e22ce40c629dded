"""Getting files in: multipart uploads streamed to disk, URLs fetched with SSRF checks, and the
content check that decides what a file is.

Uploads are parsed with python-multipart's streaming parser straight into scratch files, 64 KiB
at a time: a file is never whole in memory, and one over the limit is cut off and deleted the
moment it passes it (4002). URLs must be http(s); the host is resolved once, every address is
checked (only globally routable addresses unless ``allow_private_urls``), and the connection goes to that checked address (no DNS rebinding);
redirects are followed by hand, each hop checked again.

What a file is comes from its bytes, never its name: magic numbers for pictures and sound, then
PyAV (:func:`reelcut.media.probe.probe`) for video. Accepted: mp4 mov avi webm mkv, jpg png gif
webp, mp3 wav m4a aac.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote

import httpx
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from reelcut.errors import (
    InputError,
    InputTooLargeError,
    InvalidArgumentError,
    NoVideoStreamError,
    UnsupportedMediaError,
)
from reelcut.media.growing import GrowingFile
from reelcut.service.early import EarlyAnalysis
from reelcut.service.errors import bad_request, too_many
from reelcut.service.pictures import declared_size
from reelcut.service.settings import Settings
from reelcut.service.storage import Storage

ACCEPTED = "mp4, mov, avi, webm, mkv, jpg, png, gif, webp, mp3, wav, m4a or aac"
FILE_FIELDS = {"files", "file"}
_MAX_FIELD_BYTES = 64 * 1024
_MAX_REDIRECTS = 3
_WRITE_BYTES = 1 << 20


@dataclass(frozen=True, slots=True)
class Received:
    path: Path  # a scratch file
    original_name: str  # only ever data
    size_bytes: int
    sha256: str = ""  # of the content: the same file sent twice is one upload
    early: EarlyAnalysis | None = None  # its analysis, started while the bytes arrived


@dataclass(frozen=True, slots=True)
class Identified:
    kind: str  # video | image | audio
    format: str  # mp4 mov avi webm mkv jpg png gif webp mp3 wav m4a aac
    duration_s: float = 0.0
    width: int = 0
    height: int = 0
    fps: float = 0.0
    has_audio: bool = False


def _too_large(name: str, limit: int) -> InputTooLargeError:
    return InputTooLargeError(
        f"{name or 'the file'} is over the {limit / 2**20:.0f} MB upload limit"
    )


def clean_name(name: str) -> str:
    """A file name as data: the last path part, printable, at most 200 characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in name if c.isprintable())[:200] or "upload"


# -- multipart ---------------------------------------------------------------------------------


#: Makes the early analysis of one file part (its growing file, its name), or None for none.
EarlyStarter = Callable[[GrowingFile, str], EarlyAnalysis | None]


class _MultipartSink:
    """python-multipart callbacks writing each file part into its own scratch file, hashed as
    it is written and (with ``early``) analysed as it arrives."""

    def __init__(
        self, storage: Storage, limit: int, max_files: int, early: EarlyStarter | None = None
    ) -> None:
        self.storage = storage
        self.limit = limit
        self.max_files = max_files
        self.files: list[Received] = []
        self._header_field = b""
        self._header_value = b""
        self._headers: dict[bytes, bytes] = {}
        self._starter = early
        self._early: EarlyAnalysis | None = None
        self._out: GrowingFile | None = None
        self._path: Path | None = None
        self._name = ""
        self._size = 0
        self._field_bytes = 0
        self._pending = bytearray()
        self._hash = hashlib.sha256()

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": self._header_field_cb,
            "on_header_value": self._header_value_cb,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }

    def _part_begin(self) -> None:
        self._headers = {}
        self._header_field = self._header_value = b""

    def _header_field_cb(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def _header_value_cb(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._header_field.lower()] = self._header_value
        self._header_field = self._header_value = b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        field_name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        if field_name in FILE_FIELDS and filename is not None:
            if len(self.files) >= self.max_files:
                raise too_many(
                    f"at most {self.max_files} more file(s) in this upload (limits per request "
                    "and per session)"
                )
            self._name = clean_name(unquote(filename.decode("utf-8", "replace")))
            self._path = self.storage.temp_path()
            self._out = GrowingFile(self._path)
            self._early = None if self._starter is None else self._starter(self._out, self._name)
            self._size = 0
            self._hash = hashlib.sha256()

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        n = end - start
        if self._out is None:
            self._field_bytes += n
            if self._field_bytes > _MAX_FIELD_BYTES:
                raise bad_request("form fields other than files are limited to 64 KB")
            return
        self._size += n
        if self._size > self.limit:
            raise _too_large(self._name, self.limit)
        self._pending += data[start:end]
        if len(self._pending) >= _WRITE_BYTES:
            self._flush()

    def _flush(self) -> None:
        """Write and hash what came since the last flush. In 1 MiB pieces, not the parser's
        64 KiB: each write and hash lets go of the GIL, and with an early analysis running in
        this process every hand-back costs the event loop up to a switch interval."""
        if self._out is None or not self._pending:
            return
        chunk = bytes(self._pending)
        self._pending.clear()
        self._out.write(chunk)
        self._hash.update(chunk)
        if self._early is not None:
            self._early.feed()

    def _part_end(self) -> None:
        if self._out is not None and self._path is not None:
            self._flush()
            self._out.finish()
            if self._early is not None:
                self._early.feed()  # its child learns that the last byte is there
            digest = self._hash.hexdigest()
            self.files.append(Received(self._path, self._name, self._size, digest, self._early))
        self._out = None
        self._path = None
        self._early = None

    def abort(self) -> None:
        """The upload failed: every early analysis stops, every scratch file goes."""
        if self._early is not None:
            self._early.cancel()
        elif self._out is not None:
            self._out.abort()
        if self._path is not None:
            self._path.unlink(missing_ok=True)
        for f in self.files:
            if f.early is not None:
                f.early.cancel()
            f.path.unlink(missing_ok=True)
        self.files = []


async def receive_multipart(
    request: Request,
    storage: Storage,
    settings: Settings,
    max_files: int,
    early: EarlyStarter | None = None,
) -> list[Received]:
    """Stream the ``files`` parts of a multipart body to scratch files (``early`` starts each
    one's analysis while it arrives; the caller waits for those before using the files)."""
    _, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if not boundary or len(boundary) > 200:
        raise bad_request("a multipart upload needs a boundary in its Content-Type")
    sink = _MultipartSink(storage, settings.max_upload_bytes, max_files, early)
    parser = MultipartParser(boundary, sink.callbacks())  # type: ignore[arg-type]
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except FormParserError as exc:
        sink.abort()
        raise bad_request(f"the multipart body is malformed: {str(exc)[:200]}") from None
    except ClientDisconnect:
        sink.abort()
        raise bad_request("the upload ended before the body was complete") from None
    except BaseException:
        sink.abort()
        raise
    if sink._out is not None:
        sink.abort()
        raise bad_request("the upload ended in the middle of a file")
    if not sink.files:
        sink.abort()
        raise bad_request('no file in the upload: send them in the multipart field "files"')
    return sink.files


# -- URLs --------------------------------------------------------------------------------------


_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")


def _refused(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True unless ``ip`` is globally routable. An allow rule, not a deny list: shared address
    space (100.64.0.0/10, where cloud metadata services live), 6to4 and Teredo tunnels (which
    wrap an IPv4 address of any kind) and whatever range is named next are all refused."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return _refused(ip.ipv4_mapped)
        if ip in _SIX_TO_FOUR or ip.teredo is not None:
            return True
    return not ip.is_global or ip.is_multicast


async def _resolve(host: str, port: int, allow_private: bool) -> str:
    """The address to connect to for ``host``, every resolved address checked."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        raise InvalidArgumentError(f"cannot resolve the host {host!r}") from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses:
        raise InvalidArgumentError(f"cannot resolve the host {host!r}")
    if not allow_private and any(_refused(a) for a in addresses):
        raise InvalidArgumentError(
            f"{host} resolves to an address that is not globally routable (private, loopback, "
            "shared, reserved or a tunnel); the server does not fetch those "
            "(allow_private_urls is off)"
        )
    return str(addresses[0])


async def _fetch_one(
    client: httpx.AsyncClient, url: str, out: BinaryIO, settings: Settings
) -> tuple[str | None, int, str]:
    """GET ``url`` into ``out``: ``(redirect_location, 0)`` or ``(None, bytes_written)``."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError):
        raise InvalidArgumentError(f"{url[:100]!r} is not a valid URL") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise InvalidArgumentError(f"only http and https URLs are fetched, not {url[:100]!r}")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    ip = await _resolve(parsed.host, port, settings.allow_private_urls)
    host_header = parsed.host if parsed.port is None else f"{parsed.host}:{parsed.port}"
    if ":" in host_header and parsed.host.count(":") > 1:
        host_header = f"[{parsed.host}]" + ("" if parsed.port is None else f":{parsed.port}")
    pinned = parsed.copy_with(host=ip)
    extensions = {"sni_hostname": parsed.host} if parsed.scheme == "https" else {}
    async with client.stream(
        "GET", pinned, headers={"Host": host_header}, extensions=extensions
    ) as response:
        if response.is_redirect:
            location = response.headers.get("location", "")
            return str(parsed.join(location)), 0, ""
        if response.status_code != 200:
            raise InvalidArgumentError(f"{url[:200]} answered HTTP {response.status_code}")
        declared = response.headers.get("content-length", "")
        limit = settings.max_upload_bytes
        if declared.isdigit() and int(declared) > limit:
            raise _too_large(url[:200], limit)
        size = 0
        digest = hashlib.sha256()
        async for chunk in response.aiter_bytes(65536):
            size += len(chunk)
            if size > limit:
                raise _too_large(url[:200], limit)
            out.write(chunk)
            digest.update(chunk)
        return None, size, digest.hexdigest()


async def fetch_url(url: str, storage: Storage, settings: Settings) -> Received:
    """Download ``url`` to a scratch file, within the size and time limits."""
    try:
        name = clean_name(unquote(httpx.URL(url).path)) if url.startswith("http") else "upload"
    except (httpx.InvalidURL, ValueError, TypeError):
        raise InvalidArgumentError(f"{url[:100]!r} is not a valid URL") from None
    path = storage.temp_path()
    try:
        async with httpx.AsyncClient(follow_redirects=False, timeout=30, trust_env=False) as client:
            with path.open("wb") as out:
                async with asyncio.timeout(settings.url_timeout_s):
                    current = url
                    for _ in range(_MAX_REDIRECTS + 1):
                        out.seek(0)
                        out.truncate()
                        location, size, sha = await _fetch_one(client, current, out, settings)
                        if location is None:
                            return Received(path, name, size, sha)
                        current = location
                    raise InvalidArgumentError(
                        f"{url[:200]} redirects more than {_MAX_REDIRECTS} times"
                    )
    except TimeoutError:
        path.unlink(missing_ok=True)
        raise InvalidArgumentError(
            f"fetching {url[:200]} took longer than {settings.url_timeout_s:.0f} s"
        ) from None
    except httpx.HTTPError as exc:
        path.unlink(missing_ok=True)
        raise InvalidArgumentError(f"cannot fetch {url[:200]}: {exc}") from None
    except BaseException:
        path.unlink(missing_ok=True)
        raise


# -- what is it --------------------------------------------------------------------------------


def _sniff(head: bytes) -> tuple[str, str] | None:
    """(kind, format) from the first bytes, for pictures and plain sound files."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image", "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image", "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image", "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image", "webp"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio", "wav"
    if head[:3] == b"ID3":
        return "audio", "mp3"
    if len(head) > 1 and head[0] == 0xFF:
        if head[1] & 0xF6 == 0xF0:
            return "audio", "aac"  # ADTS
        if head[1] & 0xE0 == 0xE0 and head[1] & 0x06:
            return "audio", "mp3"  # an MPEG audio frame (layer bits not 00)
    return None


def _video_format(container: str, head: bytes) -> str:
    if container.startswith("mp4"):
        return "mov" if head[8:12] == b"qt  " else "mp4"
    if container == "avi":
        return "avi"
    return "webm" if b"webm" in head[:64] else "mkv"


def identify(
    path: Path, max_mb: float, name: str = "", max_pixels: int = 4096 * 4096
) -> Identified:
    """What ``path`` holds, by content; an :class:`~reelcut.errors.InputError` if unusable.

    Messages name the file as ``name`` (the client's name), not the scratch path.
    """
    try:
        return _identify(path, max_mb, max_pixels)
    except InputError as exc:
        exc.message = exc.message.replace(str(path), name or "the file").replace(
            path.name, name or "the file"
        )
        exc.args = (exc.message,)
        raise


def _identify(path: Path, max_mb: float, max_pixels: int) -> Identified:
    from reelcut.media.images import image_size
    from reelcut.media.probe import probe
    from reelcut.music.userfile import check_music_file

    with path.open("rb") as fh:
        head = fh.read(64)
    sniffed = _sniff(head)
    if sniffed is not None and sniffed[0] == "image":
        declared = declared_size(path, sniffed[1])
        if declared is None or min(declared) <= 0:
            raise UnsupportedMediaError(
                f"the file looks like a {sniffed[1]} picture but its size cannot be read"
            )
        if declared[0] * declared[1] > max_pixels:
            raise InputTooLargeError(
                f"the picture is {declared[0]}x{declared[1]}; pictures may have at most "
                f"{max_pixels / 1e6:.1f} million pixels (e.g. 4096x4096)"
            )
        try:
            width, height = image_size(path)
        except UnsupportedMediaError:
            raise UnsupportedMediaError(
                f"the file looks like a {sniffed[1]} picture but cannot be read"
            ) from None
        if width <= 0 or height <= 0:
            raise UnsupportedMediaError(f"the {sniffed[1]} picture decodes to no pixels")
        return Identified("image", sniffed[1], width=width, height=height)
    if sniffed is not None:
        duration = check_music_file(path)
        return Identified("audio", sniffed[1], duration_s=duration, has_audio=True)
    try:
        info = probe(path, max_mb=max_mb)
    except NoVideoStreamError:
        if head[4:8] == b"ftyp":  # an mp4 family file with sound only: m4a
            duration = check_music_file(path)
            return Identified("audio", "m4a", duration_s=duration, has_audio=True)
        raise
    except UnsupportedMediaError:
        raise UnsupportedMediaError(
            f"unsupported file: send {ACCEPTED} (judged by content)"
        ) from None
    width, height = info.video.display_size
    return Identified(
        "video",
        _video_format(info.container, head),
        duration_s=info.duration_s,
        width=width,
        height=height,
        fps=float(info.video.fps),
        has_audio=info.has_audio,
    )
