"""A frame counter burned into generated video that survives scaling and re-encoding.

24 blocks across the middle 60 % of the frame, near the top: a white guard, 21 bits of the frame
index (most significant first), an even-parity bit, a black guard. Blocks are 1/40 of the frame
wide, big enough for any H.264 quality and for 360p <-> 1080p scaling; the strip stays inside a
9:16 centre crop of a 16:9 frame.
"""

from __future__ import annotations

import numpy as np

BITS = 21
BLOCKS = BITS + 3
X0, X1 = 0.2, 0.8  # share of the frame width
Y0, Y1 = 0.02, 0.08  # share of the frame height


def bits_of(index: int) -> list[int]:
    data = [(index >> (BITS - 1 - i)) & 1 for i in range(BITS)]
    return [1, *data, sum(data) % 2, 0]


def draw(frame: np.ndarray, index: int) -> None:
    """Paint the counter into an RGB uint8 frame (in place)."""
    h, w = frame.shape[:2]
    y0, y1 = int(Y0 * h), max(int(Y1 * h), int(Y0 * h) + 2)
    xs = np.linspace(X0 * w, X1 * w, BLOCKS + 1).round().astype(int)
    frame[max(y0 - 2, 0) : y1 + 2, xs[0] - 2 : xs[-1] + 2] = 128
    for bit, a, b in zip(bits_of(index), xs[:-1], xs[1:], strict=True):
        frame[y0:y1, a:b] = 255 if bit else 0


def read(luma: np.ndarray) -> int | None:
    """The frame index from a greyscale frame, or None when guards or parity do not check out."""
    h, w = luma.shape
    y = int((Y0 + Y1) / 2 * h)
    xs = np.linspace(X0 * w, X1 * w, BLOCKS + 1)
    centres = ((xs[:-1] + xs[1:]) / 2).round().astype(int)
    band = luma[max(y - 1, 0) : y + 2].astype(float).mean(axis=0)
    values = np.array([band[max(c - 1, 0) : c + 2].mean() for c in centres])
    bits = (values > 128).astype(int)
    if bits[0] != 1 or bits[-1] != 0 or bits[1:-2].sum() % 2 != bits[-2]:
        return None
    index = 0
    for b in bits[1 : 1 + BITS]:
        index = index * 2 + int(b)
    return index
