"""A frame counter burned into every generated frame, readable from any reel cut from it.

The counter is a 10 x 3 grid of black/white cells on a grey plate at the top centre:

* cell 0 is a white guard and cell 29 a black guard (they set the threshold, so fades and
  re-encoding that shift the levels still read);
* the other 28 cells carry the Gray-coded frame index (20 bits, up to 9.7 h at 30 fps), the
  3-bit file tag that tells the clips of a combined reel apart, and a CRC-5 over both.

Every size is a fraction of the source *width*: cells are 1/40 wide (the smallest a 360p
downscale at any crf keeps clean) and the grid spans the middle 25 %, inside the 31.6 % that a
9:16 centre crop of a 16:9 frame keeps. Gray code flips one cell per frame, so the counter adds
almost no bitrate or motion.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

COLS, ROWS = 10, 3
CELL_W = 1 / 40
CELL_H = 1 / 64
LEFT = 0.5 - COLS * CELL_W / 2
TOP = 1 / 80
QUIET = 1 / 160
INDEX_BITS, TAG_BITS, CRC_BITS = 20, 3, 5
MAX_INDEX = (1 << INDEX_BITS) - 1
WHITE, BLACK, PLATE = 235, 16, 128
_CRC5_POLY = 0b00101  # x^5 + x^2 + 1 (USB)


@dataclass(frozen=True, slots=True)
class Code:
    """What one frame's counter says."""

    index: int
    tag: int


def crc5(bits: list[int]) -> list[int]:
    """CRC-5 of a bit list, most significant first."""
    reg = 0b11111
    for bit in bits:
        top = ((reg >> 4) & 1) ^ bit
        reg = (reg << 1) & 0b11111
        if top:
            reg ^= _CRC5_POLY
    return [(reg >> (CRC_BITS - 1 - i)) & 1 for i in range(CRC_BITS)]


def _bits(value: int, width: int) -> list[int]:
    return [(value >> (width - 1 - i)) & 1 for i in range(width)]


def cells_of(index: int, tag: int) -> np.ndarray:
    """The 30 cell values (1 = white) for frame ``index`` of a file tagged ``tag``."""
    if not 0 <= index <= MAX_INDEX:
        raise ValueError(f"frame index {index} does not fit in {INDEX_BITS} bits")
    payload = _bits(index ^ (index >> 1), INDEX_BITS) + _bits(tag & 7, TAG_BITS)
    return np.array([1, *payload, *crc5(payload), 0], dtype=np.uint8)


def decode_cells(cells: np.ndarray) -> Code | None:
    """Invert :func:`cells_of`; None when the guards or the CRC do not check out."""
    bits = [int(b) for b in cells]
    if len(bits) != COLS * ROWS or bits[0] != 1 or bits[-1] != 0:
        return None
    payload, check = (
        bits[1 : 1 + INDEX_BITS + TAG_BITS],
        bits[1 + INDEX_BITS + TAG_BITS : -1],
    )
    if crc5(payload) != check:
        return None
    gray = 0
    for b in payload[:INDEX_BITS]:
        gray = (gray << 1) | b
    index, shift = gray, gray >> 1
    while shift:
        index ^= shift
        shift >>= 1
    tag = (payload[INDEX_BITS] << 2) | (payload[INDEX_BITS + 1] << 1) | payload[INDEX_BITS + 2]
    return Code(index, tag)


def _edges(origin: float, step: float, count: int, scale: float) -> np.ndarray:
    return np.round((origin + step * np.arange(count + 1)) * scale).astype(int)


def draw(
    y_plane: np.ndarray, u_plane: np.ndarray, v_plane: np.ndarray, index: int, tag: int
) -> None:
    """Paint the counter in place into a yuv420p frame whose width is the source width."""
    width = y_plane.shape[1]
    xs = _edges(LEFT, CELL_W, COLS, width)
    ys = _edges(TOP, CELL_H, ROWS, width)
    q = round(QUIET * width)
    x0, x1, y0, y1 = xs[0] - q, xs[-1] + q, ys[0] - q, ys[-1] + q
    y_plane[y0:y1, x0:x1] = PLATE
    u_plane[y0 // 2 : (y1 + 1) // 2, x0 // 2 : (x1 + 1) // 2] = 128
    v_plane[y0 // 2 : (y1 + 1) // 2, x0 // 2 : (x1 + 1) // 2] = 128
    cells = cells_of(index, tag).reshape(ROWS, COLS)
    for r in range(ROWS):
        for c in range(COLS):
            y_plane[ys[r] : ys[r + 1], xs[c] : xs[c + 1]] = WHITE if cells[r, c] else BLACK


class Reader:
    """Reads counters from greyscale (luma) frames of one size.

    A reel may keep the source's full height (a 16:9 reel, or a 9:16 centre crop) or its full
    width (letterboxed or padded); both layouts are tried, full height first. ``pixel_aspect``
    is the reel's sample aspect ratio (1 for square pixels). Only the middle half of each cell
    is sampled, so scaling blur at the cell edges does not matter.
    """

    def __init__(self, width: int, height: int, pixel_aspect: float = 1.0) -> None:
        rows_per_src_w = height * 16 / 9  # full height: the source width in display pixels
        layouts: list[tuple[float, float, float | None]] = [
            (rows_per_src_w / pixel_aspect, rows_per_src_w, 0.0)
        ]
        if abs(width * pixel_aspect / height - 16 / 9) > 0.02:
            layouts.append((float(width), width * pixel_aspect, None))
        self._samplers = []
        for scale_x, scale_y, off_y in layouts:
            off_x = (width - scale_x) / 2
            top = (height - scale_y * 9 / 16) / 2 if off_y is None else off_y
            sampler = self._sampler(scale_x, scale_y, off_x, top, width, height)
            if sampler is not None:
                self._samplers.append(sampler)

    @staticmethod
    def _sampler(
        scale_x: float, scale_y: float, off_x: float, off_y: float, width: int, height: int
    ) -> tuple[np.ndarray, np.ndarray] | None:
        cx = off_x + (LEFT + CELL_W * (np.arange(COLS) + 0.5)) * scale_x
        cy = off_y + (TOP + CELL_H * (np.arange(ROWS) + 0.5)) * scale_y
        half_w, half_h = int(CELL_W * scale_x / 4), int(CELL_H * scale_y / 4)
        dx, dy = np.arange(-half_w, half_w + 1), np.arange(-half_h, half_h + 1)
        ys = np.round(cy)[:, None, None, None].astype(int) + dy[None, None, :, None]
        xs = np.round(cx)[None, :, None, None].astype(int) + dx[None, None, None, :]
        ys, xs = np.broadcast_arrays(ys, xs)
        if xs.min() < 0 or xs.max() >= width or ys.min() < 0 or ys.max() >= height:
            return None
        n = ROWS * COLS
        return ys.reshape(n, -1), xs.reshape(n, -1)

    def read(self, gray: np.ndarray) -> Code | None:
        """The code in one greyscale frame, or None when no layout reads cleanly."""
        for ys, xs in self._samplers:
            means = gray[ys, xs].mean(axis=1)
            white, black = means[0], means[-1]
            contrast = white - black
            if contrast < 60:
                continue
            threshold = (white + black) / 2
            if np.any(np.abs(means - threshold) < 0.25 * contrast):
                continue
            code = decode_cells((means > threshold).astype(np.uint8))
            if code is not None:
                return code
        return None
