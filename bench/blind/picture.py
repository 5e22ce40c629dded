"""The blind generator's pictures: 320x180 yuv420p, a panning texture per look, the counter.

Each look is a wide strip of smooth noise with its own brightness, contrast and colour; a shot
pans across it at its own speed. Ads cut every 2-2.5 s and pan fast, so motion and cuts alone
do not point at the highlights.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from scipy import ndimage

from reelcut.footage import counter

from .plan import Plan

W, H, STRIP = 320, 180, 1280
LOOKS = 6


def _texture(rng: np.random.Generator, look: int) -> tuple[np.ndarray, int, int]:
    base = ndimage.gaussian_filter(rng.standard_normal((H, STRIP)), (4 + look, 6 + 2 * look))
    base = (base - base.mean()) / (base.std() + 1e-9)
    y = np.clip(60 + 25 * look + (20 + 8 * look) * base, 16, 235).astype(np.uint8)
    u, v = 128 + int(rng.integers(-40, 40)), 128 + int(rng.integers(-40, 40))
    return y, u, v


def frames(plan: Plan, fps: int, seed: int, tag: int) -> tuple[int, Iterator[bytes]]:
    """How many frames, and the frames (raw yuv420p, the counter burned in)."""
    rng = np.random.default_rng([seed, 77])
    looks = [_texture(rng, k) for k in range(LOOKS)]
    n = int(round(plan.duration_s * fps))
    shots = sorted(plan.shots, key=lambda s: s.start_s)
    starts = np.array([s.start_s for s in shots] or [0.0])
    offsets = rng.uniform(0, STRIP - W, len(shots) or 1)

    def gen() -> Iterator[bytes]:
        for i in range(n):
            t = i / fps
            k = max(int(np.searchsorted(starts, t, side="right")) - 1, 0)
            shot = shots[k] if shots else None
            look, speed = (shot.look, shot.speed) if shot else (0, 10.0)
            x = int(offsets[k] + speed * (t - starts[k])) % (2 * (STRIP - W))
            x = x if x < STRIP - W else 2 * (STRIP - W) - x  # back and forth along the strip
            y_tex, u_val, v_val = looks[look % LOOKS]
            y = np.ascontiguousarray(y_tex[:, x : x + W])
            u = np.full((H // 2, W // 2), u_val, np.uint8)
            v = np.full((H // 2, W // 2), v_val, np.uint8)
            counter.draw_yuv(y, u, v, i, tag)
            yield y.tobytes() + u.tobytes() + v.tobytes()

    return n, gen()
