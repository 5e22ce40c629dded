"""The script of a cross-check clip: events, what is heard when, and what the camera shows.

A genre planner (:mod:`~crosscheck.sports`, :mod:`~crosscheck.talk`,
:mod:`~crosscheck.gaming`) turns a seed into a :class:`Script`; the mixer and the painter
only read it. Levels are in dB relative to the genre's reference (its calm speech level), so a
planner says "a goal roar is 12 dB over the murmur" and never thinks about dBFS.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from reelcut.footage.truth import TruthEvent

#: ``length_of(text, voice)``: seconds a phrase lasts once rendered.
PhraseLength = Callable[[str, str], float]
OFF_DB = -120.0


@dataclass(frozen=True, slots=True)
class Cue:
    """One sound placed on the timeline.

    ``sound`` names a generator (``speech``, ``public_address``, ``whistle``, ``applause``,
    ``laughter``, ``explosion``, ``gunfire``, ``advert``, ``menu_music``, ``chant``);
    ``level_db`` is the RMS of its loudest 0.4 s (active-speech RMS for speech). ``speaker``
    is whose mouth moves on screen while it plays (-1: nobody visible).
    """

    start_s: float
    sound: str
    level_db: float
    duration_s: float = 0.0
    text: str = ""
    voice: str = ""
    pan: float = 0.0
    speaker: int = -1

    @property
    def end_s(self) -> float:
        return self.start_s + self.duration_s

    @property
    def is_speech(self) -> bool:
        return self.sound in ("speech", "public_address")


@dataclass(frozen=True, slots=True)
class Bed:
    """A continuous band of noise (crowd murmur, roar, room tone, wind).

    Its gain follows ``points``, (seconds, dB) pairs joined by straight lines. With ``lift``
    the points instead say how far this bed lifts a bed of the same level (a roar over the
    murmur: +12 dB means it adds 10^1.2 - 1 times the murmur's power), so a swell ramps evenly.
    ``babble`` adds the slow flutter of many voices.
    """

    lo_hz: float
    hi_hz: float
    level_db: float
    points: tuple[tuple[float, float], ...]
    babble: bool = False
    lift: bool = False


@dataclass(frozen=True, slots=True)
class Shot:
    """A stretch of picture: which scene, and how the camera moves through it.

    ``speed`` is the pan in base pixels per second (sign = direction), ``shake`` the amplitude
    of hand-held jitter, ``bounce_hz`` a rhythmic vertical bob (a chanting stand, a laugh).
    """

    start_s: float
    end_s: float
    scene: str
    speed: float = 0.0
    shake: float = 0.0
    bounce_hz: float = 0.0
    variant: int = 0


@dataclass(frozen=True, slots=True)
class Script:
    genre: str
    duration_s: float
    events: tuple[TruthEvent, ...]
    cues: tuple[Cue, ...]
    beds: tuple[Bed, ...]
    shots: tuple[Shot, ...]
    flashes: tuple[float, ...] = ()

    @property
    def utterances(self) -> tuple[tuple[float, float], ...]:
        return tuple(sorted((c.start_s, c.end_s) for c in self.cues if c.is_speech))


def in_order(
    genre: str,
    duration_s: float,
    events: Sequence[TruthEvent],
    cues: Sequence[Cue],
    beds: Sequence[Bed],
    shots: Sequence[Shot],
    flashes: Sequence[float] = (),
) -> Script:
    """A script whose events, cues, shots and flashes are sorted by time."""
    return Script(
        genre,
        duration_s,
        tuple(sorted(events, key=lambda e: e.start_s)),
        tuple(sorted(cues, key=lambda c: c.start_s)),
        tuple(beds),
        tuple(sorted(shots, key=lambda s: s.start_s)),
        tuple(sorted(flashes)),
    )


def pack(
    rng: np.random.Generator,
    items: Sequence[tuple[str, tuple[float, ...]]],
    total_s: float,
    edge_s: float = 3.0,
    gap_s: float = 3.0,
) -> list[tuple[str, float, tuple[float, ...]]]:
    """Place ``items`` (kind, part lengths) in random order with random gaps, never overlapping.

    Items are listed most important first; the least important are dropped until the rest fit
    with ``gap_s`` between them and ``edge_s`` at both ends. Returns (kind, start, parts) sorted
    by start.
    """
    kept = list(items)

    def need(xs: list[tuple[str, tuple[float, ...]]]) -> float:
        return sum(sum(p) for _, p in xs) + gap_s * max(len(xs) - 1, 0) + 2 * edge_s

    while kept and need(kept) > total_s:
        kept.pop()
    if not kept:
        return []
    order = rng.permutation(len(kept))
    slack = rng.dirichlet(np.ones(len(kept) + 1)) * (total_s - need(kept))
    at = edge_s + slack[0]
    placed = []
    for k, i in enumerate(order):
        kind, parts = kept[i]
        placed.append((kind, float(at), parts))
        at += sum(parts) + gap_s + slack[k + 1]
    return placed


#: How many part lengths each single kind takes (composite kinds are "a+b", parts back to back).
PARTS = {"goal": 3, "near_miss": 3, "laughter": 2, "applause": 1, "action": 2}


def expand(
    placed: Sequence[tuple[str, float, tuple[float, ...]]],
) -> list[tuple[str, float, tuple[float, ...]]]:
    """Close events: a composite item ``"a+b"`` becomes its events back to back, no gap.

    ``pack`` keeps a composite in one piece, so its events stay seconds apart; each then gets
    its own truth entry, the first one ending where the next one's build-up starts.
    """
    out = []
    for kind, at, parts in placed:
        if "+" not in kind:
            out.append((kind, at, parts))
            continue
        for single in kind.split("+"):
            n = PARTS[single]
            mine, parts = parts[:n], parts[n:]
            out.append((single, at, mine))
            at += sum(mine)
    return out


def free_spans(
    total_s: float, blocked: Sequence[tuple[float, float]], pad_s: float = 0.5
) -> list[tuple[float, float]]:
    """The stretches of [0, total_s] outside every blocked interval (padded by ``pad_s``)."""
    spans, at = [], 0.0
    for a, b in sorted(blocked):
        if a - pad_s > at:
            spans.append((at, a - pad_s))
        at = max(at, b + pad_s)
    if at < total_s:
        spans.append((at, total_s))
    return spans


def fill_speech(
    rng: np.random.Generator,
    spans: Sequence[tuple[float, float]],
    lines: Sequence[str],
    voices: Sequence[str],
    length_of: PhraseLength,
    level_db: float = 0.0,
    pause_s: tuple[float, float] = (0.5, 2.0),
    speakers: Sequence[int] = (),
    turn_lines: tuple[int, int] = (1, 3),
) -> list[Cue]:
    """Fill each span with phrases, taking turns between ``voices`` every few lines."""
    cues: list[Cue] = []
    who = int(rng.integers(len(voices)))
    for a, b in spans:
        at = a + rng.uniform(0.2, 1.0)
        left_in_turn = int(rng.integers(turn_lines[0], turn_lines[1] + 1))
        while True:
            text = lines[int(rng.integers(len(lines)))]
            voice = voices[who]
            dur = length_of(text, voice)
            if at + dur > b - 0.2:
                break
            speaker = speakers[who] if speakers else -1
            cues.append(Cue(at, "speech", level_db, dur, text, voice, 0.0, speaker))
            at += dur + rng.uniform(*pause_s)
            left_in_turn -= 1
            if left_in_turn == 0 and len(voices) > 1:
                who = (who + 1) % len(voices)
                left_in_turn = int(rng.integers(turn_lines[0], turn_lines[1] + 1))
    return cues


def base_shots(
    rng: np.random.Generator,
    spans: Sequence[tuple[float, float]],
    scenes: Sequence[tuple[str, float, tuple[float, float]]],
    length_s: tuple[float, float] = (5.0, 20.0),
) -> list[Shot]:
    """Cover each span with shots of 5-20 s; ``scenes`` holds (scene, weight, speed range)."""
    weights = np.array([w for _, w, _ in scenes], dtype=float)
    weights /= weights.sum()
    shots = []
    for a, b in spans:
        at = a
        while at < b - 1e-6:
            end = at + rng.uniform(*length_s)
            if b - end < length_s[0] / 2:
                end = b
            scene, _, speeds = scenes[int(rng.choice(len(scenes), p=weights))]
            speed = rng.uniform(*speeds) * rng.choice([-1.0, 1.0])
            shots.append(Shot(at, end, scene, speed, 0.0, 0.0, int(rng.integers(1 << 16))))
            at = end
    return shots


def event(kind: str, start: float, end: float, core: tuple[float, float], grade: int) -> TruthEvent:
    """A truth event with times rounded to the millisecond."""
    return TruthEvent(
        kind,
        round(start, 3),
        round(end, 3),
        round(core[0], 3),
        round(core[1], 3),
        grade,
    )
