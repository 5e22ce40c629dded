"""Procedural images for the painter: a pitch, stands, close-ups, studio sets, a game level.

Everything is drawn once per clip (in RGB, then stored as full-resolution Y, U, V planes) and
the painter only crops, pans and pastes small sprites per frame, which keeps a 90-minute clip
cheap. Images are deliberately textured (mowing stripes, crowds of dots, tiles, grain) so that
camera motion shows up as real motion to an encoder and to a motion detector.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

BASE_W, BASE_H = 640, 360


@dataclass(frozen=True, slots=True)
class Planes:
    """An image as full-resolution BT.601 limited-range Y, U, V planes (uint8)."""

    y: np.ndarray
    u: np.ndarray
    v: np.ndarray

    @property
    def width(self) -> int:
        return self.y.shape[1]

    @property
    def height(self) -> int:
        return self.y.shape[0]


@dataclass(frozen=True, slots=True)
class Sprite:
    """A small image with a mask, pasted onto frames."""

    planes: Planes
    mask: np.ndarray


def to_planes(rgb: np.ndarray) -> Planes:
    r, g, b = (rgb[..., i].astype(np.float32) for i in range(3))
    y = 16 + 0.257 * r + 0.504 * g + 0.098 * b
    u = 128 - 0.148 * r - 0.291 * g + 0.439 * b
    v = 128 + 0.439 * r - 0.368 * g - 0.071 * b
    return Planes(*(np.clip(np.rint(c), 0, 255).astype(np.uint8) for c in (y, u, v)))


def to_sprite(rgb: np.ndarray, mask: np.ndarray) -> Sprite:
    return Sprite(to_planes(rgb), mask.astype(bool))


def _rect(img: np.ndarray, x0: float, y0: float, x1: float, y1: float, color) -> None:
    h, w = img.shape[:2]
    a, b = int(np.clip(y0, 0, h)), int(np.clip(y1, 0, h))
    c, d = int(np.clip(x0, 0, w)), int(np.clip(x1, 0, w))
    img[a:b, c:d] = color


def _ellipse_mask(h: int, w: int, cx: float, cy: float, rx: float, ry: float) -> np.ndarray:
    yy, xx = np.ogrid[:h, :w]
    return ((xx - cx) / rx) ** 2 + ((yy - cy) / ry) ** 2 <= 1


def _ring_mask(h: int, w: int, cx: float, cy: float, r: float, width: float) -> np.ndarray:
    yy, xx = np.ogrid[:h, :w]
    d = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2)
    return np.abs(d - r) <= width / 2


def _grain(rng: np.random.Generator, h: int, w: int, sigma: float, size: int = 3) -> np.ndarray:
    noise = rng.normal(0, sigma, (h, w)).astype(np.float32)
    return ndimage.uniform_filter(noise, size)[..., None]


def _crowd(rng: np.random.Generator, h: int, w: int, dot: int) -> np.ndarray:
    """Rows of spectators: a shirt-coloured block under a face-coloured one, many colours."""
    img = np.zeros((h, w, 3), np.float32) + (40, 40, 48)
    cols, rows = w // dot, h // (2 * dot)
    shirts = rng.uniform(30, 230, (rows, cols, 3))
    team = rng.random((rows, cols)) < 0.45
    shirts[team] = (200, 30, 40)
    faces = np.array([225, 180, 150]) * rng.uniform(0.45, 1.0, (rows, cols, 1))
    cell = np.zeros((rows, 2 * dot, cols, dot, 3), np.float32)
    cell[:, : dot - 1, :, 1:-1] = faces[:, None, :, None]
    cell[:, dot:, :, :] = shirts[:, None, :, None]
    img[: rows * 2 * dot, : cols * dot] = cell.reshape(rows * 2 * dot, cols * dot, 3)
    return img


def pitch(rng: np.random.Generator, scale: float) -> Planes:
    """The wide (scale 1) or medium (scale 1.6) view of a stadium: stands, boards, grass, lines."""
    w, h = int(2560 * scale), int(480 * scale)
    s = scale
    img = np.zeros((h, w, 3), np.float32)
    img[: int(110 * s)] = _crowd(rng, int(110 * s), w, max(int(5 * s), 3))
    boards = int(110 * s), int(130 * s)
    for i, x in enumerate(range(0, w, int(160 * s))):
        color = ((20, 60, 200), (240, 240, 240), (230, 180, 20), (200, 20, 30))[i % 4]
        _rect(img, x, boards[0], x + 160 * s, boards[1], color)
        _rect(
            img,
            x + 20 * s,
            boards[0] + 6 * s,
            x + 120 * s,
            boards[1] - 6 * s,
            (30, 30, 30),
        )
    stripes = (np.arange(w) // int(80 * s)) % 2
    grass = np.where(stripes[None, :, None] == 0, [[[58, 128, 52]]], [[[72, 150, 64]]])
    img[boards[1] :] = grass
    white = (235, 235, 235)
    lw = max(2 * s, 2)
    _rect(img, 0, 135 * s, w, 135 * s + lw, white)
    _rect(img, w / 2 - lw / 2, 135 * s, w / 2 + lw / 2, h, white)
    img[_ring_mask(h, w, w / 2, 320 * s, 70 * s, lw)] = white
    for x0 in (20 * s, w - 220 * s):
        _rect(img, x0, 200 * s, x0 + lw, 440 * s, white)
        _rect(img, x0, 200 * s, x0 + 200 * s, 200 * s + lw, white)
        _rect(img, x0, 440 * s, x0 + 200 * s, 440 * s + lw, white)
    _rect(img, 0, 270 * s, 24 * s, 370 * s, white)
    _rect(img, w - 24 * s, 270 * s, w, 370 * s, white)
    img += _grain(rng, h, w, 10)
    return to_planes(np.clip(img, 0, 255))


def stands(rng: np.random.Generator) -> Planes:
    """A closer view of the crowd under a roof, for announcements, chants and celebrations."""
    w, h = 2560, 480
    img = _crowd(rng, h, w, 8)
    img[:60] = (70, 70, 80)
    for x in range(0, w, 200):
        _rect(img, x, 0, x + 12, h, (110, 110, 120))
    img[h - 40 :] = (150, 40, 40)
    img += _grain(rng, h, w, 6)
    return to_planes(np.clip(img, 0, 255))


def close_up(rng: np.random.Generator, keeper: bool) -> Planes:
    """A tight shot: blurred crowd behind, a player (or the keeper before the net) in front."""
    w, h = 1280, 720
    img = ndimage.uniform_filter(_crowd(rng, h, w, 24), size=(15, 15, 1))
    shirt = (30, 200, 60) if keeper else (200, 30, 40)
    for k, cx in enumerate((400, 900) if not keeper else (640,)):
        _rect(img, cx - 130, 330, cx + 130, h, shirt)
        _rect(img, cx - 40, 380, cx + 40, 470, (240, 240, 240) if k == 0 else (20, 20, 20))
        img[_ellipse_mask(h, w, cx, 240, 80, 100)] = (220, 170, 140)
        img[_ellipse_mask(h, w, cx, 175, 85, 50)] = (50, 35, 25)
    if keeper:
        net = (np.arange(w)[None, :] % 32 < 3) | (np.arange(h)[:, None] % 32 < 3)
        img[net] = img[net] * 0.3 + 170
    img += _grain(rng, h, w, 8)
    return to_planes(np.clip(img, 0, 255))


def advert_card(rng: np.random.Generator) -> Planes:
    """A bright advert card: a saturated background, big shapes and a slogan bar."""
    w, h = 800, 450
    hues = np.array(
        [
            [255, 40, 120],
            [255, 200, 0],
            [0, 200, 255],
            [120, 255, 60],
            [255, 90, 0],
            [160, 60, 255],
        ]
    )
    bg, fg, accent = hues[rng.choice(len(hues), 3, replace=False)]
    img = np.zeros((h, w, 3), np.float32) + bg
    for _ in range(4):
        cx, cy, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(60, 200)
        img[_ellipse_mask(h, w, cx, cy, r, r)] = fg
    _rect(img, 60, 300, 740, 370, (255, 255, 255))
    for x in range(80, 700, 70):
        _rect(img, x, 318, x + rng.uniform(30, 60), 352, accent * 0.5)
    _rect(img, 560, 60, 740, 200, accent)
    return to_planes(np.clip(img, 0, 255))


def studio(rng: np.random.Generator, wide: bool) -> Planes:
    """A vlog/podcast set: painted wall, shelves of books, a lamp and a plant."""
    w, h = (960, 540) if wide else (800, 450)
    wall = rng.uniform(80, 200, 3)
    ramp = np.linspace(1.1, 0.7, h)[:, None, None]
    img = np.zeros((h, w, 3), np.float32) + wall * ramp
    for shelf_y in (120, 220):
        _rect(img, 40, shelf_y, 360, shelf_y + 8, (90, 60, 40))
        x = 50.0
        while x < 340:
            bw = rng.uniform(10, 24)
            _rect(
                img,
                x,
                shelf_y - rng.uniform(40, 70),
                x + bw,
                shelf_y,
                rng.uniform(30, 230, 3),
            )
            x += bw + 2
    img[_ellipse_mask(h, w, w - 120, h - 170, 70, 90)] = (40, 110, 50)
    _rect(img, w - 140, h - 90, w - 100, h, (120, 80, 50))
    img[_ellipse_mask(h, w, w - 260, 90, 40, 30)] = (250, 230, 170)
    _rect(img, 0, h - 70, w, h, (70, 50, 40))
    img += _grain(rng, h, w, 5)
    return to_planes(np.clip(img, 0, 255))


def person(rng: np.random.Generator, scale: float) -> tuple[Sprite, tuple[int, int, int, int]]:
    """A seated person from the chest up, and where their mouth is (x0, y0, x1, y1)."""
    w, h = int(220 * scale), int(300 * scale)
    img = np.zeros((h, w, 3), np.float32)
    mask = np.zeros((h, w), bool)
    shirt = rng.uniform(20, 220, 3)
    skin = np.array([230, 185, 150]) * rng.uniform(0.5, 1.0)
    body = _ellipse_mask(h, w, w / 2, h, w / 2, h * 0.42)
    img[body], mask[body] = shirt, True
    neck = np.zeros((h, w), bool)
    neck[int(0.5 * h) : int(0.62 * h), int(0.42 * w) : int(0.58 * w)] = True
    img[neck], mask[neck] = skin * 0.9, True
    head = _ellipse_mask(h, w, w / 2, h * 0.33, w * 0.22, h * 0.2)
    img[head], mask[head] = skin, True
    hair = _ellipse_mask(h, w, w / 2, h * 0.2, w * 0.23, h * 0.1) & ~_ellipse_mask(
        h, w, w / 2, h * 0.36, w * 0.2, h * 0.15
    )
    img[hair], mask[hair] = rng.uniform(10, 120, 3), True
    for ex in (0.42, 0.58):
        img[_ellipse_mask(h, w, w * ex, h * 0.31, w * 0.025, h * 0.015)] = (30, 30, 30)
    mouth = (int(0.44 * w), int(0.41 * h), int(0.56 * w), int(0.47 * h))
    return to_sprite(img, mask), mouth


def audience(rng: np.random.Generator) -> Planes:
    """A studio audience in raked rows, lit from the front."""
    w, h = 800, 450
    img = np.zeros((h, w, 3), np.float32) + (25, 20, 30)
    for row, y in enumerate(range(60, h + 60, 70)):
        for x in range(-20 + 35 * (row % 2), w + 40, 70):
            skin = np.array([230, 185, 150]) * rng.uniform(0.45, 1.0)
            img[_ellipse_mask(h, w, x, y + 40, 32, 30)] = rng.uniform(20, 200, 3)
            img[_ellipse_mask(h, w, x, y, 18, 22)] = skin
    img *= np.linspace(0.6, 1.1, h)[:, None, None]
    return to_planes(np.clip(img, 0, 255))


def level(rng: np.random.Generator) -> Planes:
    """A side-scrolling game level: sky, hills, a brick floor, floating blocks and coins."""
    w, h = 3840, 360
    img = np.zeros((h, w, 3), np.float32)
    img[:] = np.linspace([90, 150, 240], [190, 220, 255], h)[:, None, :]
    xs = np.arange(w)
    hills = (
        200 + 40 * np.sin(xs / 170 + rng.uniform(0, 6)) + 25 * np.sin(xs / 53 + rng.uniform(0, 6))
    )
    img[np.arange(h)[:, None] > hills[None, :]] = (60, 150, 70)
    floor = 290
    img[floor:] = (170, 90, 50)
    bricks = ((np.arange(h)[:, None] - floor) % 18 < 2) | (
        (xs[None, :] + 18 * (((np.arange(h)[:, None] - floor) // 18) % 2)) % 36 < 2
    )
    img[floor:][bricks[floor:]] = (90, 40, 20)
    for x in rng.uniform(100, w - 200, 40):
        y = rng.uniform(150, 240)
        _rect(img, x, y, x + 96, y + 24, (200, 120, 40))
        _rect(img, x + 2, y + 2, x + 94, y + 4, (240, 200, 120))
    for x, y in zip(rng.uniform(50, w - 50, 90), rng.uniform(100, 270, 90), strict=True):
        img[_ellipse_mask(h, w, x, y, 6, 8)] = (255, 215, 0)
    img += _grain(rng, h, w, 4)
    return to_planes(np.clip(img, 0, 255))


def menu_screen(
    rng: np.random.Generator,
) -> tuple[Planes, list[tuple[int, int, int, int]]]:
    """A game's main menu and the boxes of its items (for the moving highlight)."""
    w, h = BASE_W, BASE_H
    img = np.zeros((h, w, 3), np.float32) + np.linspace([20, 20, 60], [60, 20, 90], h)[:, None, :]
    _rect(img, 170, 40, 470, 90, (230, 200, 60))
    boxes = []
    for i in range(5):
        box = (220, 120 + 42 * i, 420, 152 + 42 * i)
        _rect(img, *box, (70, 70, 120))
        _rect(
            img,
            box[0] + 20,
            box[1] + 10,
            box[0] + rng.uniform(80, 170),
            box[3] - 10,
            (210, 210, 230),
        )
        boxes.append(box)
    return to_planes(img), boxes


def flat_sprite(w: int, h: int, rgb: tuple[float, float, float], ellipse: bool = False) -> Sprite:
    img = np.zeros((h, w, 3), np.float32) + rgb
    mask = (
        _ellipse_mask(h, w, w / 2 - 0.5, h / 2 - 0.5, w / 2, h / 2)
        if ellipse
        else np.ones((h, w), bool)
    )
    return to_sprite(img, mask)
