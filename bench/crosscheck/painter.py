"""Paint a script's shots frame by frame at 640x360, with the frame counter burned in.

Scenes are cropped out of images drawn once (:mod:`crosscheck.pictures`): a camera pans
across them (bouncing off the edges), shakes when the shot says so, and small sprites (players,
mouths, explosions, hands) are pasted per frame. Frames come out as yuv420p bytes for FFmpeg,
which scales them to the requested height.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

import numpy as np

from reelcut.footage import counter

from . import pictures as pic
from .pictures import BASE_H, BASE_W, Planes, Sprite
from .script import Script, Shot

Frame = tuple[np.ndarray, np.ndarray, np.ndarray]


class _Scenes(Protocol):
    """One genre's scenes: paint the frame at ``t`` seconds (frame ``i``) of ``shot``."""

    def __init__(self, rng: np.random.Generator, painter: Painter) -> None: ...

    def paint(self, shot: Shot, t: float, i: int) -> Frame: ...


def _yuv(rgb: tuple[float, float, float]) -> tuple[int, int, int]:
    p = pic.to_planes(np.array([[rgb]], np.float32))
    return int(p.y[0, 0]), int(p.u[0, 0]), int(p.v[0, 0])


def _crop(img: Planes, x: float, y: float) -> Frame:
    xi = int(np.clip(round(x), 0, img.width - BASE_W))
    yi = int(np.clip(round(y), 0, img.height - BASE_H))
    return tuple(p[yi : yi + BASE_H, xi : xi + BASE_W].copy() for p in (img.y, img.u, img.v))  # type: ignore[return-value]


def _paste(frame: Frame, sprite: Sprite, x: float, y: float) -> None:
    h, w = sprite.mask.shape
    x0, y0 = int(round(x)), int(round(y))
    a, b = max(y0, 0), min(y0 + h, BASE_H)
    c, d = max(x0, 0), min(x0 + w, BASE_W)
    if a >= b or c >= d:
        return
    mask = sprite.mask[a - y0 : b - y0, c - x0 : d - x0]
    for dst, src in zip(frame, (sprite.planes.y, sprite.planes.u, sprite.planes.v), strict=True):
        np.copyto(dst[a:b, c:d], src[a - y0 : b - y0, c - x0 : d - x0], where=mask)


def _fill(
    frame: Frame, x0: float, y0: float, x1: float, y1: float, yuv: tuple[int, int, int]
) -> None:
    a, b = int(max(y0, 0)), int(min(y1, BASE_H))
    c, d = int(max(x0, 0)), int(min(x1, BASE_W))
    if a < b and c < d:
        for plane, value in zip(frame, yuv, strict=True):
            plane[a:b, c:d] = value


def _reflect(pos: float, span: float) -> float:
    """Bounce a camera position between 0 and ``span``."""
    if span <= 0:
        return 0.0
    p = pos % (2 * span)
    return p if p <= span else 2 * span - p


def _shake(t: float, seed: int) -> tuple[float, float]:
    """Smooth hand-held jitter in [-1, 1] for both axes."""
    ph = (seed % 97) / 97 * 2 * np.pi
    x = 0.5 * np.sin(2 * np.pi * 2.3 * t + ph) + 0.3 * np.sin(2 * np.pi * 5.7 * t + 2 * ph)
    y = 0.5 * np.sin(2 * np.pi * 1.9 * t + 3 * ph) + 0.3 * np.sin(2 * np.pi * 6.1 * t + ph)
    return x + 0.2 * np.sin(2 * np.pi * 11.3 * t), y + 0.2 * np.sin(2 * np.pi * 9.7 * t)


def _camera(img: Planes, shot: Shot, t: float) -> tuple[float, float]:
    span_x, span_y = img.width - BASE_W, img.height - BASE_H
    start = (shot.variant * 0.6180339887) % 1.0 * span_x
    x = _reflect(start + shot.speed * (t - shot.start_s), span_x)
    y = span_y / 2
    if shot.shake:
        sx, sy = _shake(t, shot.variant)
        x, y = x + shot.shake * sx, y + shot.shake * sy
    if shot.bounce_hz:
        y += 4 * np.sin(2 * np.pi * shot.bounce_hz * t)
    return x, y


class Painter:
    """Frames of one script. ``activity[speaker, frame]`` in 0..1 drives visible mouths."""

    def __init__(self, script: Script, seed: int, fps: int, tag: int, activity: np.ndarray) -> None:
        self.script = script
        self.fps = fps
        self.tag = tag
        self.activity = activity
        self.n_frames = int(round(script.duration_s * fps))
        rng = np.random.default_rng([seed, 7])
        genres: dict[str, type[_Scenes]] = {"sports": _Sports, "talk": _Talk, "gaming": _Gaming}
        self.scenes = genres[script.genre](rng, self)

    def frames(self) -> Iterator[bytes]:
        shots = self.script.shots
        k = 0
        for i in range(self.n_frames):
            t = i / self.fps
            while k + 1 < len(shots) and shots[k + 1].start_s <= t:
                k += 1
            y, u, v = self.scenes.paint(shots[k], t, i)
            u, v = u[::2, ::2], v[::2, ::2]
            counter.draw_yuv(y, u, v, i, self.tag)
            yield y.tobytes() + u.tobytes() + v.tobytes()


class _Sports:
    def __init__(self, rng: np.random.Generator, painter: Painter) -> None:
        self.images = {
            "wide": pic.pitch(rng, 1.0),
            "medium": pic.pitch(rng, 1.6),
            "stands": pic.stands(rng),
        }
        self.close = [pic.close_up(rng, keeper=False), pic.close_up(rng, keeper=True)]
        self.cards = [pic.advert_card(rng) for _ in range(10)]
        self.players = {
            scale: [
                pic.flat_sprite(int(9 * scale), int(20 * scale), color)
                for color in ((200, 30, 40), (240, 240, 240))
            ]
            for scale in (1.0, 1.6)
        }
        self.ball = pic.flat_sprite(6, 6, (250, 250, 250), ellipse=True)
        self.phase = rng.uniform(0, 2 * np.pi, (12, 3))

    def paint(self, shot: Shot, t: float, i: int) -> Frame:
        if shot.scene == "card":
            img = self.cards[shot.variant % len(self.cards)]
        elif shot.scene == "close":
            img = self.close[shot.variant % 2]
        else:
            img = self.images[shot.scene]
        x, y = _camera(img, shot, t)
        frame = _crop(img, x, y)
        if shot.scene in ("wide", "medium"):
            self._players(frame, 1.0 if shot.scene == "wide" else 1.6, y, t)
        return frame

    def _players(self, frame: Frame, scale: float, cam_y: float, t: float) -> None:
        top = max(140 * scale - cam_y, 0) + 10
        for k, (a, b, c) in enumerate(self.phase):
            sx = BASE_W / 2 + 260 * np.sin(0.25 * t + a) + 40 * np.sin(1.3 * t + b)
            sy = top + (BASE_H - top - 30 * scale) * (0.5 + 0.45 * np.sin(0.2 * t + c))
            _paste(frame, self.players[scale][k % 2], sx, sy)
            if k == 0:
                _paste(frame, self.ball, sx + 12 * scale, sy + 18 * scale)


class _Talk:
    def __init__(self, rng: np.random.Generator, painter: Painter) -> None:
        self.painter = painter
        self.sets = [
            pic.studio(rng, wide=False),
            pic.studio(rng, wide=False),
            pic.studio(rng, wide=True),
        ]
        self.hosts = [pic.person(rng, 1.0) for _ in range(2)]
        self.small = [
            pic.person(np.random.default_rng(rng.integers(1 << 30)), 0.75) for _ in range(2)
        ]
        self.crowd = pic.audience(rng)
        self.mouth = _yuv((90, 25, 30))
        self.skin = _yuv((225, 180, 150))

    def paint(self, shot: Shot, t: float, i: int) -> Frame:
        bob = 5 * abs(np.sin(np.pi * shot.bounce_hz * t)) if shot.bounce_hz else 0.0
        if shot.scene in ("host_a", "host_b"):
            who = 0 if shot.scene == "host_a" else 1
            img = self.sets[who]
            dx = 3 * np.sin(0.2 * t + who) + (shot.shake * _shake(t, shot.variant)[0])
            frame = _crop(img, (img.width - BASE_W) / 2 + dx, (img.height - BASE_H) / 2)
            self._host(frame, self.hosts[who], 210 + 20 * who, 70 - bob, who, i)
        elif shot.scene == "two_shot":
            img = self.sets[2]
            frame = _crop(
                img,
                (img.width - BASE_W) / 2 + 2 * np.sin(0.15 * t),
                (img.height - BASE_H) / 2,
            )
            for who in (0, 1):
                self._host(frame, self.small[who], 110 + 260 * who, 140 - bob, who, i)
        else:
            x, y = _camera(self.crowd, shot, t)
            frame = _crop(self.crowd, x, y)
            if shot.bounce_hz:
                self._hands(frame, i)
        return frame

    def _host(
        self,
        frame: Frame,
        host: tuple[Sprite, tuple[int, int, int, int]],
        x: float,
        y: float,
        who: int,
        i: int,
    ) -> None:
        sprite, (mx0, my0, mx1, my1) = host
        _paste(frame, sprite, x, y)
        opening = float(self.painter.activity[who, i]) if who < len(self.painter.activity) else 0.0
        h = (my1 - my0) * (0.25 + 0.75 * opening)
        _fill(frame, x + mx0, y + my0, x + mx1, y + my0 + h, self.mouth)

    def _hands(self, frame: Frame, i: int) -> None:
        rng = np.random.default_rng(i)
        for hx, hy in zip(rng.uniform(0, BASE_W, 40), rng.uniform(40, BASE_H, 40), strict=True):
            _fill(frame, hx, hy, hx + 10, hy + 12, self.skin)


class _Gaming:
    def __init__(self, rng: np.random.Generator, painter: Painter) -> None:
        self.painter = painter
        self.world = pic.level(rng)
        self.menu, self.boxes = pic.menu_screen(rng)
        self.hero = pic.flat_sprite(24, 40, (40, 80, 230))
        self.enemy = pic.flat_sprite(26, 30, (210, 40, 40))
        self.enemies = np.sort(rng.uniform(300, self.world.width - 300, 30))
        self.blasts = [
            pic.flat_sprite(2 * r, 2 * r, (255, 170, 40), ellipse=True) for r in range(10, 130, 8)
        ]
        self.cam = pic.person(rng, 0.4)
        self.cam_bg = _yuv((45, 40, 55))
        self.mouth = _yuv((90, 25, 30))
        self.hud = (
            _yuv((220, 40, 40)),
            _yuv((60, 210, 80)),
            _yuv((20, 20, 20)),
            _yuv((250, 220, 60)),
        )
        self.flashes = np.array(painter.script.flashes or [-1e9])
        self.flash_xy = np.random.default_rng(1).uniform(
            [150, 120], [500, 260], (len(self.flashes), 2)
        )

    def paint(self, shot: Shot, t: float, i: int) -> Frame:
        if shot.scene == "menu":
            frame = _crop(self.menu, 0, 0)
            k = int((t - shot.start_s) / 3 + shot.variant) % len(self.boxes)
            x0, y0, x1, y1 = self.boxes[k]
            for box in (
                (x0 - 4, y0 - 4, x1 + 4, y0),
                (x0 - 4, y1, x1 + 4, y1 + 4),
                (x0 - 4, y0, x0, y1),
                (x1, y0, x1 + 4, y1),
            ):
                _fill(frame, *box, self.hud[3])
        else:
            x, _ = _camera(self.world, shot, t)
            frame = _crop(self.world, x, 0)
            for ex in self.enemies[(self.enemies > x - 40) & (self.enemies < x + BASE_W + 40)]:
                _paste(frame, self.enemy, ex - x + 30 * np.sin(t + ex), 260)
            _paste(frame, self.hero, 200, 250 - 3 * abs(np.sin(6 * t)))
            self._blasts(frame, t)
            health = 0.4 + 0.6 * (0.5 + 0.5 * np.cos(t / 20))
            _fill(frame, 20, 20, 160, 34, self.hud[2])
            _fill(
                frame,
                22,
                22,
                22 + 136 * health,
                32,
                self.hud[1] if health > 0.5 else self.hud[0],
            )
        self._webcam(frame, i)
        return frame

    def _blasts(self, frame: Frame, t: float) -> None:
        k = int(np.searchsorted(self.flashes, t)) - 1
        if k < 0 or not 0 <= t - self.flashes[k] < 0.7:
            return
        age = (t - self.flashes[k]) / 0.7
        sprite = self.blasts[min(int(age * len(self.blasts)), len(self.blasts) - 1)]
        r = sprite.mask.shape[0] / 2
        cx, cy = self.flash_xy[k]
        _paste(frame, sprite, cx - r, cy - r)
        lift = int(70 * (1 - age))
        np.minimum(frame[0].astype(np.int16) + lift, 235, out=frame[0], casting="unsafe")

    def _webcam(self, frame: Frame, i: int) -> None:
        _fill(frame, 476, 236, 636, 356, self.cam_bg)
        sprite, (mx0, my0, mx1, my1) = self.cam
        _paste(frame, sprite, 512, 236)
        opening = float(self.painter.activity[0, i])
        _fill(
            frame,
            512 + mx0,
            236 + my0,
            512 + mx1,
            236 + my0 + (my1 - my0) * (0.25 + 0.75 * opening),
            self.mouth,
        )
