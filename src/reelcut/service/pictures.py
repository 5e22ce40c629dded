"""The size a picture file declares in its header, read without decoding it.

Decoders are asked for a picture's size only after this check: a 20000x20000 PNG is a few
kilobytes on disk and gigabytes once decoded (and some decoders give up and report 0x0), so
the declared size is what an upload is judged by.
"""

from __future__ import annotations

import struct
from pathlib import Path

_JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg(path: Path) -> tuple[int, int] | None:
    with path.open("rb") as fh:
        if fh.read(2) != b"\xff\xd8":
            return None
        for _ in range(10_000):  # markers before the frame header; bounded on junk
            byte = fh.read(1)
            while byte and byte != b"\xff":
                byte = fh.read(1)
            while byte == b"\xff":
                byte = fh.read(1)
            if not byte:
                return None
            marker = byte[0]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                continue
            raw = fh.read(2)
            if len(raw) < 2:
                return None
            length = struct.unpack(">H", raw)[0]
            if marker in _JPEG_SOF:
                frame = fh.read(5)
                if len(frame) < 5:
                    return None
                height, width = struct.unpack(">HH", frame[1:5])
                return width, height
            fh.seek(length - 2, 1)
    return None


def declared_size(path: Path, fmt: str) -> tuple[int, int] | None:
    """(width, height) from the header of a jpg, png, gif or webp; None when unreadable."""
    if fmt == "jpg":
        return _jpeg(path)
    with path.open("rb") as fh:
        head = fh.read(32)
    if fmt == "png" and len(head) >= 24 and head[12:16] == b"IHDR":
        width, height = struct.unpack(">II", head[16:24])
        return int(width), int(height)
    if fmt == "gif" and len(head) >= 10:
        width, height = struct.unpack("<HH", head[6:10])
        return int(width), int(height)
    if fmt == "webp" and len(head) >= 30:
        chunk = head[12:16]
        if chunk == b"VP8 ":
            width, height = struct.unpack("<HH", head[26:30])
            return width & 0x3FFF, height & 0x3FFF
        if chunk == b"VP8L":
            bits = int.from_bytes(head[21:25], "little")
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        if chunk == b"VP8X":
            return int.from_bytes(head[24:27], "little") + 1, int.from_bytes(
                head[27:30], "little"
            ) + 1
    return None
