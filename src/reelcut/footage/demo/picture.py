"""Studio A's pictures: panning textures per look, cut by shots, with the counter.

Frames are drawn small (320x180) in NumPy and scaled up by FFmpeg, which keeps generation fast at
any output size while leaving real motion, real cuts and a readable counter in the picture.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from reelcut.footage import counter
from reelcut.footage.demo.schedule import Plan

W, H = 320, 180
_TEX_W = W * 6


def _smooth_noise(rng: np.random.Generator, sigma: float) -> np.ndarray:
    x = ndimage.gaussian_filter(rng.random((H, _TEX_W)), sigma, mode="wrap")
    return (x - x.min()) / (np.ptp(x) + 1e-9)


def _texture(rng: np.random.Generator, look: str) -> np.ndarray:
    tex = np.zeros((H, _TEX_W, 3), np.float32)
    if look in ("wide", "close"):
        n = _smooth_noise(rng, 3 if look == "wide" else 12)
        tex[..., 1] = 90 + 80 * n
        tex[..., 0] = 30 + 40 * n
        tex[..., 2] = 30 + 30 * n
        if look == "wide":
            tex[:, ::80] = 230
            blobs = _smooth_noise(rng, 2) > 0.8
            tex[blobs] = (200, 30, 30)
        else:
            blobs = _smooth_noise(rng, 10)
            tex[blobs > 0.65] = (40, 40, 200)
            tex[blobs < 0.3] = (220, 180, 150)
    elif look == "ad":
        hue = rng.random(3)
        n = _smooth_noise(rng, 25)
        tex[:] = (255 * hue)[None, None, :] * (0.6 + 0.4 * n[..., None])
    elif look in ("studio", "studio2"):
        base = (70, 80, 110) if look == "studio" else (110, 90, 70)
        tex[:] = base
        yy, xx = np.mgrid[0:H, 0:_TEX_W]
        for cx in range(W // 2, _TEX_W, W):
            tex[((xx - cx) / 45) ** 2 + ((yy - 110) / 60) ** 2 < 1] = (220, 180, 150)
    elif look == "audience":
        n = rng.random((H // 6, _TEX_W // 6, 3))
        tex[:] = np.kron(n, np.ones((6, 6, 1)))[:H, :_TEX_W] * 255
    elif look == "menu":
        tex[:] = (20, 30, 70)
        for k in range(5):
            tex[30 + 26 * k : 48 + 26 * k, :] = (180, 180, 220)
    else:  # game
        n = _smooth_noise(rng, 6)
        tex[..., 0] = 255 * n
        tex[..., 1] = 255 * (1 - n)
        tex[..., 2] = 120 + 100 * np.sin(8 * n)
    return np.clip(tex, 0, 255).astype(np.uint8)


class Pictures:
    """Yields RGB frames (H x W x 3, uint8) for every frame index of the plan."""

    def __init__(self, plan: Plan, fps: float, seed: int, tag: int) -> None:
        self.plan, self.fps, self.tag = plan, fps, tag
        rng = np.random.default_rng(seed + 1)
        looks = sorted({s.look for s in plan.shots})
        self.textures = {look: [_texture(rng, look) for _ in range(2)] for look in looks}
        self.starts = np.array([s.start_s for s in plan.shots])
        self.offsets = rng.integers(0, _TEX_W - W, len(plan.shots))

    def frame(self, index: int) -> np.ndarray:
        t = index / self.fps
        k = max(int(np.searchsorted(self.starts, t, side="right")) - 1, 0)
        shot = self.plan.shots[k]
        tex = self.textures[shot.look][k % 2]
        x = int(self.offsets[k] + shot.speed * W * (t - shot.start_s)) % (_TEX_W - W)
        frame = tex[:, x : x + W].copy()
        if shot.look in ("wide", "game"):  # a few players or objects crossing the picture
            for j in range(4):
                px = int((t * (30 + 17 * j) * (1 + shot.speed * 4) + 80 * j) % W)
                py = 40 + 30 * j
                frame[py : py + 10, px : px + 6] = (250, 250, 250) if j % 2 else (20, 20, 20)
        counter.draw_rgb(frame, index, self.tag)
        return frame
