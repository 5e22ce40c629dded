"""The frame counter burned into every generated frame, readable from any reel cut from it.

One code says which frame of which clip a reel frame shows: 30 black/white cells

* cell 0 is a white guard and cell 29 a black guard (they set the threshold, so fades and
  re-encoding that shift the levels still read);
* the other 28 cells carry the Gray-coded frame index (20 bits, up to 9.7 h at 30 fps), the
  3-bit file tag that tells the clips of a combined reel apart, and a CRC-5 over both.

The cells form a 5 x 6 grid, and the grid is repeated side by side along a grey band across
the top of the picture, one copy centred. Every size is a fraction of the source *width*:
cells are 1/40 wide (the smallest a 360p downscale at any crf keeps clean) and 1/80 high, and
two neighbouring copies together are 27.5 % wide, so any crop that keeps 31.6 % of the width
(9:16 from 16:9, wherever a reframe puts it) holds a whole copy. Gray code flips one cell per
frame, so the counter adds almost no bitrate or motion.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

COLS, ROWS = 5, 6
CELL_W = 1 / 40
CELL_H = 1 / 80
TOP = 1 / 80
QUIET = 1 / 160  # grey margin around each copy
PERIOD = COLS * CELL_W + 2 * QUIET  # from one copy to the next
COPIES = 7  # centred on the middle one; together 96 % of the width
INDEX_BITS, TAG_BITS, CRC_BITS = 20, 3, 5
MAX_INDEX = (1 << INDEX_BITS) - 1
WHITE, BLACK, PLATE = 235, 16, 128  # luma, limited range
RGB_WHITE, RGB_BLACK, RGB_PLATE = 255, 0, 130  # the same greys in full-range RGB
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


def copy_lefts() -> np.ndarray:
    """Left edge of each copy's first cell, as a share of the source width."""
    k = np.arange(COPIES) - COPIES // 2
    return 0.5 + k * PERIOD - COLS * CELL_W / 2


def _edges(origin: float, step: float, count: int, scale: float) -> np.ndarray:
    return np.round((origin + step * np.arange(count + 1)) * scale).astype(int)


def _paint(plane: np.ndarray, index: int, tag: int, white: int, black: int, plate: int) -> None:
    width = plane.shape[1]
    ys = _edges(TOP, CELL_H, ROWS, width)
    q = round(QUIET * width)
    plane[ys[0] - q : ys[-1] + q] = plate
    cells = cells_of(index, tag).reshape(ROWS, COLS)
    for left in copy_lefts():
        xs = _edges(left, CELL_W, COLS, width)
        for r in range(ROWS):
            for c in range(COLS):
                plane[ys[r] : ys[r + 1], xs[c] : xs[c + 1]] = white if cells[r, c] else black


def band_rows(height: int, width: int) -> tuple[int, int]:
    """The rows [first, last) of a ``width`` wide source frame that the counter covers."""
    ys = _edges(TOP, CELL_H, ROWS, width)
    q = round(QUIET * width)
    return int(ys[0] - q), min(int(ys[-1] + q), height)


def draw_yuv(
    y_plane: np.ndarray, u_plane: np.ndarray, v_plane: np.ndarray, index: int, tag: int
) -> None:
    """Paint the counter in place into a yuv420p frame whose width is the source width."""
    _paint(y_plane, index, tag, WHITE, BLACK, PLATE)
    y0, y1 = band_rows(*y_plane.shape)
    u_plane[y0 // 2 : (y1 + 1) // 2] = 128
    v_plane[y0 // 2 : (y1 + 1) // 2] = 128


def draw_rgb(frame: np.ndarray, index: int, tag: int) -> None:
    """Paint the counter in place into an RGB uint8 frame (H x W x 3) of the source's width."""
    _paint(frame, index, tag, RGB_WHITE, RGB_BLACK, RGB_PLATE)


class Reader:
    """Reads counters from greyscale (luma) frames of one size.

    A reel may keep the source's full height (a 16:9 reel, or a crop of any narrower aspect,
    centred or following the action) or its full width (letterboxed or padded); both layouts
    are tried, full height first. ``pixel_aspect`` is the reel's sample aspect ratio (1 for
    square pixels). Where the source sits across the reel is not assumed: every horizontal
    position of a whole copy is read, and a code counts when more positions agree on it than
    on any other. Only the middle half of each cell is sampled, so scaling blur at the cell
    edges does not matter.
    """

    def __init__(self, width: int, height: int, pixel_aspect: float = 1.0) -> None:
        self.width = width
        src_w = height * 16 / 9  # full height: the source width in display pixels
        layouts: list[tuple[float, float, float]] = [(src_w / pixel_aspect, src_w, 0.0)]
        if abs(width * pixel_aspect / height - 16 / 9) > 0.02:
            full_w = width * pixel_aspect
            layouts.append((float(width), full_w, (height - full_w * 9 / 16) / 2))
        self._layouts = [
            sampler
            for scale_x, scale_y, top in layouts
            if (sampler := self._sampler(scale_x, scale_y, top, height)) is not None
        ]

    def _sampler(
        self, scale_x: float, scale_y: float, top: float, height: int
    ) -> tuple[list[tuple[int, int]], np.ndarray, np.ndarray, np.ndarray] | None:
        """Rows to average per cell row, and each cell's sampled columns from a copy's left."""
        rows = []
        for r in range(ROWS):
            cy = top + (TOP + CELL_H * (r + 0.5)) * scale_y
            half = CELL_H * scale_y / 4
            first = int(round(cy - half))
            rows.append((first, max(int(round(cy + half)), first + 1)))
        if rows[0][0] < 0 or rows[-1][1] > height:
            return None
        cell = CELL_W * scale_x
        starts = np.round((np.arange(COLS) + 0.25) * cell).astype(int)
        ends = np.maximum(np.round((np.arange(COLS) + 0.75) * cell).astype(int), starts + 1)
        lefts = np.arange(0, self.width - int(np.ceil(COLS * cell)) + 1)
        if not len(lefts):
            return None
        return rows, starts, ends, lefts

    def read(self, gray: np.ndarray) -> Code | None:
        """The code in one greyscale frame, or None when no layout reads cleanly."""
        for rows, starts, ends, lefts in self._layouts:
            code = self._read(gray, rows, starts, ends, lefts)
            if code is not None:
                return code
        return None

    @staticmethod
    def _read(
        gray: np.ndarray,
        rows: list[tuple[int, int]],
        starts: np.ndarray,
        ends: np.ndarray,
        lefts: np.ndarray,
    ) -> Code | None:
        profiles = np.stack([gray[a:b].mean(axis=0) for a, b in rows])  # (ROWS, width)
        csum = np.concatenate([np.zeros((ROWS, 1)), np.cumsum(profiles, axis=1)], axis=1)
        a = lefts[:, None] + starts[None, :]  # (positions, COLS)
        b = lefts[:, None] + ends[None, :]
        means = (csum[:, b] - csum[:, a]) / (b - a)  # (ROWS, positions, COLS)
        means = means.transpose(1, 0, 2).reshape(len(lefts), ROWS * COLS)
        white, black = means[:, 0], means[:, -1]
        contrast = white - black
        threshold = (white + black) / 2
        clean = (contrast >= 60) & np.all(
            np.abs(means - threshold[:, None]) >= 0.3 * contrast[:, None], axis=1
        )
        patterns, counts = np.unique(
            (means[clean] > threshold[clean, None]).astype(np.uint8), axis=0, return_counts=True
        )
        votes: dict[Code, int] = {}
        for cells, count in zip(patterns, counts, strict=True):
            code = decode_cells(cells)
            if code is not None:
                votes[code] = votes.get(code, 0) + int(count)
        if not votes:
            return None
        ranked = sorted(votes.values(), reverse=True)
        if len(ranked) > 1 and ranked[1] >= ranked[0]:
            return None
        return max(votes, key=lambda c: votes[c])
