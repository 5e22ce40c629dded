"""Turn a mood's :class:`~reelcut.music.styles.Style` into notes: form, harmony, grooves, a tune.

The form is bar-aligned sections (intro, A, B, breakdown, ..., outro) so a long track develops
instead of repeating one loop, and every section change falls on a downbeat. The tune is a
two-bar call and a two-bar answer over the chords, repeated with a cadence on the home chord,
which is the shape listeners recognise as a melody rather than random notes in a scale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from reelcut.music.moods import mood_info
from reelcut.music.styles import Part, Style
from reelcut.music.theory import (
    Chord,
    bass_pitch,
    chord_tones,
    key_tonic,
    progression,
    scale_pitches,
    voicing,
)

STEPS = 16
_VELOCITY = {"X": 1.0, "x": 0.8, "g": 0.4, "5": 0.8, "o": 0.8}
_BODY = (("a", 8), ("b", 8), ("brk", 4))


@dataclass(frozen=True, slots=True)
class Note:
    """One note, chord or hit of part ``part`` (an index into the style's parts).

    A chord is one note with several pitches: its tones start together and the mixer spreads
    them across the stereo field by the part's ``spread``.
    """

    part: int
    start_s: float
    length_s: float
    pitches: tuple[float, ...]
    velocity: float
    pan: float


@dataclass(frozen=True, slots=True)
class Bar:
    """Where a bar sits in the form: its section, which repeat of it, and its bar within it."""

    section: str
    variant: int
    index: int


def plan_form(n_bars: int) -> tuple[Bar, ...]:
    """Sections for ``n_bars`` bars; short tracks skip the intro and outro and start full."""
    intro = 0 if n_bars < 8 else (2 if n_bars < 16 else 4)
    outro = 0 if n_bars < 12 else 2
    bars = [Bar("intro", 0, i) for i in range(intro)]
    seen: dict[str, int] = {}
    k = 0
    while len(bars) < n_bars - outro:
        name, length = _BODY[k % len(_BODY)]
        k += 1
        variant = seen.get(name, 0)
        seen[name] = variant + 1
        take = min(length, n_bars - outro - len(bars))
        bars += [Bar(name, variant, i) for i in range(take)]
    return tuple(bars + [Bar("outro", 0, i) for i in range(n_bars - len(bars))])


def onsets(pattern: str, bar: int) -> list[tuple[int, int, str]]:
    """(step, length in steps, symbol) of every note ``pattern`` plays in its ``bar``-th bar."""
    span = pattern[(bar * STEPS) % len(pattern) :][:STEPS]
    out = []
    for step, symbol in enumerate(span):
        if symbol in _VELOCITY:
            length = 1
            while step + length < len(span) and span[step + length] == "-":
                length += 1
            out.append((step, length, symbol))
    return out


class _Composer:
    """Holds the timing grid and the random stream while notes are written bar by bar."""

    def __init__(self, style: Style, rng: np.random.Generator) -> None:
        info = mood_info(style.mood)
        self.style = style
        self.rng = rng
        self.tonic = 60 + key_tonic(info.key)
        self.bar_s = 240.0 / info.bpm
        self.step_s = self.bar_s / STEPS
        order = rng.permutation(len(style.progressions))
        self.prog_a = progression(style.progressions[order[0]])
        self.prog_b = progression(style.progressions[order[1 % len(order)]])
        self.home = progression(style.home)[0]
        self.notes: list[Note] = []
        self.melodies: dict[tuple[str, int], list[tuple[int, int, int, int]]] = {}

    def chord(self, bar: Bar) -> Chord:
        if bar.section == "outro":
            return self.home
        prog = self.prog_b if bar.section == "b" else self.prog_a
        return prog[bar.index % len(prog)]

    def time(self, bar_no: int, step: int) -> float:
        unit = self.style.swing_steps
        t = bar_no * self.bar_s + step * self.step_s
        if step % (2 * unit) == unit:
            t += (2 * self.style.swing - 1) * unit * self.step_s
        return max(t + float(self.rng.normal(0.0, self.style.jitter_s)), 0.0)

    def add(
        self,
        part_no: int,
        bar_no: int,
        step: int,
        steps: float,
        pitches: tuple[float, ...],
        velocity: float,
        pan: float,
    ) -> None:
        human = float(self.rng.uniform(0.88, 1.0))
        self.notes.append(
            Note(
                part_no,
                self.time(bar_no, step),
                steps * self.step_s,
                pitches,
                velocity * human,
                float(np.clip(pan, -1.0, 1.0)),
            )
        )

    def play(self, part_no: int, part: Part, bar_no: int, bar: Bar) -> None:
        chord = self.chord(bar)
        if part.role == "melody":
            self.melody(part_no, part, bar_no, bar)
            return
        pattern = part.fill if part.fill and bar.index % 4 == 3 else part.pattern
        for i, (step, length, symbol) in enumerate(onsets(pattern, bar_no)):
            velocity = _VELOCITY[symbol]
            if part.role == "hit":
                self.add(part_no, bar_no, step, length, (part.register,), velocity, part.pan)
            elif part.role == "bass":
                root = bass_pitch(chord, self.tonic, part.register)
                pitch = root + {"5": 7, "o": 12}.get(symbol, 0)
                self.add(part_no, bar_no, step, length, (pitch,), velocity, part.pan)
            elif part.role == "chord":
                tones = tuple(float(p) for p in voicing(chord, self.tonic, part.register))
                self.add(part_no, bar_no, step, length, tones, velocity, part.pan)
            else:
                seq = arpeggio(chord, self.tonic, part.register, part.order)
                pan = part.pan + part.spread * (1 if i % 2 else -1)
                self.add(part_no, bar_no, step, length, (seq[i % len(seq)],), velocity, pan)

    def melody(self, part_no: int, part: Part, bar_no: int, bar: Bar) -> None:
        """A section's tune; it alternates between two, so a long track's themes come back."""
        key = (bar.section, bar.variant % 2)
        if key not in self.melodies:
            chords = [self.chord(Bar(bar.section, bar.variant, i)) for i in range(8)]
            self.melodies[key] = tune(self.style, chords, self.tonic, part.register, self.rng)
        for at_bar, step, length, pitch in self.melodies[key]:
            if at_bar == bar.index % 8:
                self.add(part_no, bar_no, step, length * 0.92, (pitch,), 0.8, part.pan)


def arpeggio(chord: Chord, tonic: int, centre: int, order: str) -> list[int]:
    """The pitches an arpeggio cycles through: up, up-and-down, or root-fifth-octave-fifth."""
    if order == "root5":
        root = bass_pitch(chord, tonic, centre - 6)
        return [root, root + 7, root + 12, root + 7]
    up = list(voicing(chord, tonic, centre))
    up += [p + 12 for p in up]
    return up + up[-2:0:-1] if order == "updown" else up


def tune(
    style: Style, chords: list[Chord], tonic: int, centre: int, rng: np.random.Generator
) -> list[tuple[int, int, int, int]]:
    """Eight bars of melody as (bar, step, length in steps, pitch).

    Bars 1-2 are a call, 3-4 an answer, 5-8 repeat them with the last note resolved to the root
    of its chord. Strong beats land on chord tones; between them the line moves mostly by step.
    """
    pitches = scale_pitches(tonic, style.melody_scale, centre - 8, centre + 9)
    rhythm = style.melody_rhythms[int(rng.integers(len(style.melody_rhythms)))]
    moves = rng.choice(np.array([-2, -1, -1, 0, 1, 1, 2, 3, -3]), size=2 * 2 * STEPS)
    at = min(range(len(pitches)), key=lambda i: abs(pitches[i] - centre))
    notes: list[tuple[int, int, int, int]] = []
    for bar in range(8):
        for step, length, _ in onsets(rhythm, bar % 2):
            k = (bar // 2 % 2) * 2 * STEPS + (bar % 2) * STEPS + step
            at = int(np.clip(at + moves[k], 0, len(pitches) - 1))
            pitch = pitches[at]
            if step % 8 == 0:
                tones = chord_tones(chords[bar], tonic, pitches[0], pitches[-1]) or (pitch,)
                pitch = min(tones, key=lambda p: (abs(p - pitch), p))
            notes.append((bar, step, length, pitch))
            at = min(range(len(pitches)), key=lambda i: abs(pitches[i] - pitch))
    if notes:
        bar, step, length, pitch = notes[-1]
        root = (tonic + chords[bar].root) % 12
        roots = [p for p in range(pitches[0], pitches[-1] + 1) if p % 12 == root] or [pitch]
        notes[-1] = (bar, step, length, min(roots, key=lambda p: abs(p - pitch)))
    return notes


def compose(style: Style, duration_s: float, rng: np.random.Generator) -> tuple[Note, ...]:
    """Every note of a ``duration_s`` track in ``style``, in bar order."""
    composer = _Composer(style, rng)
    n_bars = max(math.ceil(duration_s / composer.bar_s), 1)
    for bar_no, bar in enumerate(plan_form(n_bars)):
        layers = style.sections[bar.section]
        for part_no, part in enumerate(style.parts):
            if part.layer in layers:
                composer.play(part_no, part, bar_no, bar)
    return tuple(composer.notes)
