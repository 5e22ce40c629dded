"""Each mood's arrangement as data: tempo, key, progressions, and the parts with their patterns.

Patterns are step strings, 16 steps a bar (longer strings span several bars and cycle):
``x`` a hit or note, ``X`` accented, ``g`` ghost, ``5`` / ``o`` the fifth / octave (bass), ``-``
holds the previous note, ``.`` rests. Reading a groove off a string is how drummers write it, and
keeps the composer generic: a new mood is a new table, not new code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Part:
    """One instrument's line: what it plays (role, pattern), and how it sits in the mix.

    ``role`` is "hit" (drums at a fixed ``register`` pitch), "bass" (chord root at or above
    ``register``), "chord" (voiced around ``register``), "arp" (chord tones one at a time, in
    ``order``), or "melody" (the composed tune, around ``register``).
    """

    layer: str
    voice: str
    role: str
    pattern: str
    register: int
    level: float
    pan: float = 0.0
    spread: float = 0.0
    fill: str = ""
    order: str = "up"
    lowpass_hz: float = 0.0
    reverb: float = 0.1
    duck: float = 0.0
    wow: bool = False


@dataclass(frozen=True, slots=True)
class Style:
    """A mood's arrangement (tempo and key come from its MoodInfo); ``sections`` says which layers play in intro, a, b, break, outro."""

    mood: str
    progressions: tuple[str, ...]
    home: str
    parts: tuple[Part, ...]
    sections: Mapping[str, frozenset[str]]
    melody_scale: str
    melody_rhythms: tuple[str, ...]
    swing: float = 0.5
    swing_steps: int = 2
    jitter_s: float = 0.004
    reverb_s: float = 1.5
    crackle: bool = False


def _sections(**layers: str) -> Mapping[str, frozenset[str]]:
    return {name: frozenset(words.split()) for name, words in layers.items()}


_LOFI = Style(
    "lofi",
    progressions=(
        "2:min7 7:dom9 0:maj7 9:min7",
        "5:maj7 4:min7 2:min9 0:maj7",
        "0:maj7 9:min9 2:min7 7:dom7",
    ),
    home="0:maj7",
    parts=(
        Part("drums", "kick_soft", "hit", "x.........x.....x......x..x.....", 36, 1.1),
        Part(
            "drums",
            "snare_dusty",
            "hit",
            "....x.......x.......x.......x..g",
            38,
            0.55,
            fill="....x.......x.gx",
            reverb=0.15,
        ),
        Part("hats", "hat_closed", "hit", "X.x.X.x.X.x.X.xg", 42, 0.3, pan=0.3),
        Part(
            "chords",
            "ep_keys",
            "chord",
            "x-----x---------",
            62,
            0.32,
            spread=0.5,
            lowpass_hz=2200,
            reverb=0.25,
            wow=True,
        ),
        Part("bass", "bass_round", "bass", "x-------..x-5-..", 33, 0.45),
        Part(
            "melody",
            "ep_keys",
            "melody",
            "",
            77,
            0.3,
            pan=-0.15,
            lowpass_hz=3000,
            reverb=0.35,
            wow=True,
        ),
    ),
    sections=_sections(
        intro="chords",
        a="drums hats chords bass",
        b="drums hats chords bass melody",
        brk="hats chords melody",
        outro="chords",
    ),
    melody_scale="major_penta",
    melody_rhythms=(
        "x---x-x-----....x---x-x---x-----",
        "..x-x---x-------..x-x---x---x---",
        "x-----x---x---..x-----x-----....",
    ),
    swing=0.62,
    jitter_s=0.008,
    reverb_s=1.2,
    crackle=True,
)

_UPBEAT = Style(
    "upbeat",
    progressions=("0:maj 7:maj 9:min 5:maj", "9:min 5:maj 0:maj 7:maj", "5:maj 7:maj 9:min 0:maj"),
    home="0:maj",
    parts=(
        Part("drums", "kick_punch", "hit", "x...x...x...x...", 36, 0.95),
        Part(
            "drums",
            "clap",
            "hit",
            "....x.......x...",
            39,
            0.85,
            fill="....x.......x.xx",
            reverb=0.2,
        ),
        Part("hats", "hat_closed", "hit", "xxXxxxXxxxXxxxXx", 42, 0.22, pan=0.25),
        Part("drums", "hat_open", "hit", "..x...x...x...x.", 46, 0.22, pan=-0.2),
        Part("bass", "bass_synth", "bass", "..x-..x-..x-..x-", 36, 0.7, duck=0.5),
        Part("pad", "pad", "chord", "x---------------", 64, 0.3, spread=0.7, reverb=0.3, duck=0.7),
        Part(
            "arp",
            "pluck",
            "arp",
            "x.x.x.x.x.x.x.x.",
            72,
            0.18,
            spread=0.45,
            order="updown",
            reverb=0.2,
            duck=0.3,
        ),
        Part("melody", "pluck", "melody", "", 79, 0.3, pan=0.1, reverb=0.25),
    ),
    sections=_sections(
        intro="pad hats arp",
        a="drums hats bass pad arp",
        b="drums hats bass pad arp melody",
        brk="pad arp melody",
        outro="pad arp",
    ),
    melody_scale="major",
    melody_rhythms=(
        "x-x-x---x-x-x---x-x-x---x---x---",
        "x--x--x-x--x--x-x--x--x-x-------",
        "..x-x-x-..x-x-x-..x-x-x-x-x-x---",
    ),
    reverb_s=1.4,
)

_EPIC = Style(
    "epic",
    progressions=(
        "0:min 8:maj 3:maj 10:maj",
        "8:maj 10:maj 0:min 0:min",
        "5:min 8:maj 10:maj 0:min",
    ),
    home="0:min",
    parts=(
        Part("drums", "kick_boom", "hit", "x.......x.x.....", 36, 0.9),
        Part(
            "drums",
            "snare_big",
            "hit",
            "........x.......",
            38,
            0.6,
            fill="........x.x.xxxx",
            reverb=0.4,
        ),
        Part(
            "perc",
            "tom",
            "hit",
            "x..x..x.x..x.x..",
            45,
            0.55,
            pan=-0.3,
            reverb=0.3,
            fill="x.x.x.x.xxxxxxxx",
        ),
        Part("perc", "tom", "hit", "......x.......x.", 52, 0.4, pan=0.35, reverb=0.3),
        Part("pad", "strings", "chord", "x---------------", 55, 0.6, spread=0.7, reverb=0.35),
        Part("bass", "bass_sub", "bass", "x---------------", 31, 0.45),
        Part(
            "arp",
            "staccato",
            "arp",
            "x.x.x.x.x.x.x.x.",
            50,
            1.2,
            spread=0.4,
            order="root5",
            reverb=0.2,
        ),
        Part("melody", "horn", "melody", "", 64, 0.65, pan=0.1, reverb=0.4),
    ),
    sections=_sections(
        intro="pad bass",
        a="pad bass perc arp",
        b="drums perc pad bass arp melody",
        brk="pad melody",
        outro="pad bass",
    ),
    melody_scale="minor",
    melody_rhythms=(
        "x-------x---x---x---------------",
        "x-----x-x-------x-------x-------",
        "x-----------x---x---x---x-------",
    ),
    reverb_s=2.6,
)

_CALM = Style(
    "calm",
    progressions=(
        "0:maj7 5:maj7 9:min7 5:maj7",
        "0:add9 7:sus4 9:min7 5:maj9",
        "5:maj7 0:maj7 2:min7 7:sus4",
    ),
    home="0:maj7",
    parts=(
        Part("pad", "pad", "chord", "x---------------", 58, 0.4, spread=0.8, reverb=0.45),
        Part(
            "arp",
            "piano",
            "arp",
            "x.x.x.x.x.x.x...",
            67,
            0.3,
            spread=0.5,
            order="updown",
            reverb=0.4,
        ),
        Part("bass", "bass_sub", "bass", "x---------------", 36, 0.2),
        Part("melody", "bell", "melody", "", 79, 0.28, pan=-0.1, reverb=0.5),
    ),
    sections=_sections(
        intro="pad",
        a="pad arp bass",
        b="pad arp bass melody",
        brk="pad melody",
        outro="pad",
    ),
    melody_scale="major_penta",
    melody_rhythms=(
        "x-------x-------x---------------",
        "x-------....x---x-------........",
        "....x-------x-------x-----------",
    ),
    jitter_s=0.01,
    reverb_s=3.2,
)

_HAPPY = Style(
    "happy",
    progressions=("0:maj 5:maj 9:min 7:maj", "0:maj 9:min 5:maj 7:maj", "5:maj 7:maj 4:min 9:min"),
    home="0:maj",
    parts=(
        Part("drums", "kick_soft", "hit", "x.......x.......", 36, 0.75),
        Part(
            "drums",
            "clap",
            "hit",
            "....x.......x...",
            39,
            0.7,
            fill="....x.......x.x.",
            reverb=0.2,
        ),
        Part("hats", "shaker", "hit", "gxgXgxgXgxgXgxgX", 70, 0.2, pan=-0.35),
        Part("chords", "marimba", "chord", "x..x..x...x.x...", 67, 0.36, spread=0.5, reverb=0.2),
        Part("bass", "bass_round", "bass", "x-..5-..x-..5-o.", 36, 0.4),
        Part("melody", "whistle", "melody", "", 79, 0.35, pan=0.15, reverb=0.3),
    ),
    sections=_sections(
        intro="chords hats",
        a="drums hats chords bass",
        b="drums hats chords bass melody",
        brk="chords hats melody",
        outro="chords",
    ),
    melody_scale="major",
    melody_rhythms=(
        "x-x-x---x-x-x---x-x-x-x-x-------",
        "x--x--x-x---x---x--x--x-x-------",
        "..x-x-x-x---x-x-..x-x-x-x-------",
    ),
    swing=0.55,
    reverb_s=1.3,
)

_DRAMATIC = Style(
    "dramatic",
    progressions=("0:min 8:maj 5:min 7:maj", "0:min 5:min 8:maj 7:dom7", "8:maj 5:min 0:min 7:maj"),
    home="0:min",
    parts=(
        Part(
            "arp",
            "staccato",
            "arp",
            "Xxx.Xxx.Xxx.Xx.x",
            48,
            0.9,
            spread=0.35,
            order="root5",
            reverb=0.2,
        ),
        Part("pad", "strings", "chord", "x---------------", 55, 0.38, spread=0.7, reverb=0.4),
        Part("bass", "bass_sub", "bass", "x-------x-------", 31, 0.3),
        Part(
            "perc",
            "tom",
            "hit",
            "x.....x...x.....",
            41,
            0.6,
            fill="x.....x.x.x.xxxx",
            reverb=0.35,
            pan=-0.15,
        ),
        Part("drums", "kick_boom", "hit", "x.......x.......", 36, 0.55),
        Part("drums", "hat_closed", "hit", "..x...x...x...x.", 42, 0.2, pan=0.3),
        Part("melody", "horn", "melody", "", 67, 0.45, pan=0.1, reverb=0.4),
    ),
    sections=_sections(
        intro="pad arp",
        a="arp pad bass perc",
        b="arp pad bass perc drums melody",
        brk="pad melody",
        outro="pad bass",
    ),
    melody_scale="minor",
    melody_rhythms=(
        "x-------x---x---x-------x-------",
        "x-----x-x-------x-----------x---",
        "x---x---x-------x---x---x-------",
    ),
    reverb_s=2.4,
)

STYLES: Mapping[str, Style] = {s.mood: s for s in (_LOFI, _UPBEAT, _EPIC, _CALM, _HAPPY, _DRAMATIC)}
