"""Just enough music theory to write in a key: pitches, scales, chords and voicings.

Pitches are MIDI note numbers (60 = middle C) so arithmetic is in semitones; only the voices turn
them into hertz.
"""

from __future__ import annotations

from dataclasses import dataclass

_QUALITIES: dict[str, tuple[int, ...]] = {
    "maj": (0, 4, 7),
    "min": (0, 3, 7),
    "maj7": (0, 4, 7, 11),
    "min7": (0, 3, 7, 10),
    "dom7": (0, 4, 7, 10),
    "min9": (0, 3, 7, 10, 14),
    "maj9": (0, 4, 7, 11, 14),
    "dom9": (0, 4, 7, 10, 14),
    "sus2": (0, 2, 7),
    "sus4": (0, 5, 7),
    "add9": (0, 4, 7, 14),
}

SCALES: dict[str, tuple[int, ...]] = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "major_penta": (0, 2, 4, 7, 9),
    "minor_penta": (0, 3, 5, 7, 10),
}

_NOTE_NAMES = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}


def midi_hz(pitch: float) -> float:
    return 440.0 * 2.0 ** ((pitch - 69.0) / 12.0)


def key_tonic(key: str) -> int:
    """MIDI pitch class (0-11) of a key written like "Eb major" or "F# minor"."""
    note = key.split()[0]
    pc = _NOTE_NAMES[note[0].upper()]
    pc += note[1:].count("#") - note[1:].count("b")
    return pc % 12


@dataclass(frozen=True, slots=True)
class Chord:
    """A chord as its root (semitones above the key's tonic) and its quality's name."""

    root: int
    quality: str

    @property
    def intervals(self) -> tuple[int, ...]:
        return _QUALITIES[self.quality]

    @property
    def is_minor(self) -> bool:
        return 3 in self.intervals


def progression(text: str) -> tuple[Chord, ...]:
    """Chords from "2:min7 7:dom9 0:maj7": root semitone, colon, quality; one per bar."""
    chords = []
    for token in text.split():
        root, quality = token.split(":")
        if quality not in _QUALITIES:
            raise ValueError(f"unknown chord quality {quality!r}")
        chords.append(Chord(int(root), quality))
    return tuple(chords)


def voicing(chord: Chord, tonic: int, centre: int) -> tuple[int, ...]:
    """Chord tones folded into the octave around ``centre``: smooth voice leading for free.

    Every chord lands in the same register, so successive chords share or move by step rather
    than leap, which is what makes a progression sound played rather than computed.
    """
    notes = set()
    for interval in chord.intervals:
        pitch = tonic + chord.root + interval
        pitch += 12 * round((centre - pitch) / 12)
        notes.add(pitch)
    return tuple(sorted(notes))


def bass_pitch(chord: Chord, tonic: int, low: int) -> int:
    """The chord's root in the octave starting at ``low``."""
    return low + (tonic + chord.root - low) % 12


def scale_pitches(tonic: int, scale: str, low: int, high: int) -> tuple[int, ...]:
    """Every pitch of the scale between ``low`` and ``high`` inclusive."""
    steps = SCALES[scale]
    return tuple(p for p in range(low, high + 1) if (p - tonic) % 12 in steps)


def chord_tones(chord: Chord, tonic: int, low: int, high: int) -> tuple[int, ...]:
    classes = {(tonic + chord.root + i) % 12 for i in chord.intervals}
    return tuple(p for p in range(low, high + 1) if p % 12 in classes)
