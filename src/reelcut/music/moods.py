"""The moods the built-in library offers, what each sounds like, and the words people use for them.

A request says "add lo-fi music" or "something relaxing"; :func:`resolve_mood` turns such words
into one canonical name so the cache key, the arrangement and the UI all agree on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reelcut.errors import InvalidArgumentError

MOODS: tuple[str, ...] = ("lofi", "upbeat", "epic", "calm", "happy", "dramatic")


@dataclass(frozen=True, slots=True)
class MoodInfo:
    """What a mood's track is: shown to users, and the tempo the renderer may cut on."""

    name: str
    title: str
    bpm: int
    key: str
    description: str


_INFO = {
    "lofi": MoodInfo(
        "lofi",
        "Lo-fi",
        80,
        "F major",
        "Swung boom-bap drums, soft low-passed electric piano with jazzy sevenths, "
        "round bass and vinyl crackle.",
    ),
    "upbeat": MoodInfo(
        "upbeat",
        "Upbeat",
        124,
        "C major",
        "Four-on-the-floor kick, claps, open hats, pumping pads, offbeat bass and bright plucks.",
    ),
    "epic": MoodInfo(
        "epic",
        "Epic",
        90,
        "D minor",
        "Big taiko drums, low detuned-saw string pads, a driving ostinato and a horn-like theme.",
    ),
    "calm": MoodInfo(
        "calm",
        "Calm",
        66,
        "Eb major",
        "Slow warm pads, sparse piano arpeggios and a soft bell melody; no drums.",
    ),
    "happy": MoodInfo(
        "happy",
        "Happy",
        116,
        "G major",
        "Bouncy marimba chords, shaker and claps, root-fifth bass and a whistled tune.",
    ),
    "dramatic": MoodInfo(
        "dramatic",
        "Dramatic",
        100,
        "C minor",
        "Tense staccato string ostinato, dark pads, tom hits and a slow minor theme.",
    ),
}

_SYNONYMS = {
    "lofi": (
        "lofihiphop chillhop chill chilled hiphop jazzhop study studying beats boombap jazzy "
        "lofibeats mellow"
    ),
    "upbeat": (
        "energetic energy dance edm electronic house pop party workout fast hype exciting "
        "uptempo driving sport sports"
    ),
    "epic": (
        "cinematic trailer heroic orchestral powerful triumphant grand big action adventure "
        "inspiring motivational"
    ),
    "calm": (
        "relaxing relaxed ambient peaceful soft quiet gentle serene meditation meditative "
        "tranquil soothing sleep slow piano background"
    ),
    "happy": (
        "cheerful fun funny playful joyful joy bright sunny positive feelgood bouncy cute "
        "uplifting summer"
    ),
    "dramatic": (
        "drama tense tension suspense suspenseful dark thriller mysterious intense serious "
        "sad emotional ominous"
    ),
}

_ALIASES = {word: mood for mood, words in _SYNONYMS.items() for word in words.split()} | {
    mood: mood for mood in MOODS
}


_FILLER = re.compile(r"(music|beats?|vibes?|style|mood|songs?|tracks?|tunes?)$")


def _fold(name: str) -> str:
    """Lower case, letters only: "Lo-Fi", "lo fi" and "LoFi" all fold to "lofi"."""
    return re.sub(r"[^a-z]", "", name.lower())


def resolve_mood(name: str) -> str:
    """The canonical mood for ``name``, a canonical name or a common English word for one.

    Raises :class:`~reelcut.errors.InvalidArgumentError` naming the moods on offer when the word
    means nothing we know, so the user can pick one.
    """
    word = _fold(name)
    mood = _ALIASES.get(word) or _ALIASES.get(_FILLER.sub("", word))
    if mood is None:
        raise InvalidArgumentError(
            f"unknown music mood {name!r}; available moods: {', '.join(MOODS)}"
        )
    return mood


def mood_info(name: str) -> MoodInfo:
    """Title, tempo, key and description of a mood (any name :func:`resolve_mood` accepts)."""
    return _INFO[resolve_mood(name)]
