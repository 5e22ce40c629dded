"""Whole thoughts out of a transcript: the sentences the voice track confirms, and where to cut
around them.

A small model punctuates by ear: it puts a full stop at a breath inside a sentence as readily as
a comma at its end. Shorts and "the part where they talk about X" both need spans that start
where a sentence starts and end where one ends, so both take the transcript's sentences through
:func:`full_stops` (a break stands only where the voice pauses long enough) and cut with
:func:`cut_at` (inside that pause, not on a loose word time).
"""

from __future__ import annotations

import numpy as np

from reelcut.analysis import Signals
from reelcut.speech.sentences import Sentence
from reelcut.speech.words import Word

STOP_S = 0.8  # people stop longer between sentences than at a comma


def stops(signals: Signals) -> np.ndarray:
    """The voice track's pauses of :data:`STOP_S` or more, (start_s, end_s) rows."""
    from reelcut.selection.snap import voice_gaps

    gaps = voice_gaps(signals)
    return gaps.pauses[gaps.pauses[:, 1] - gaps.pauses[:, 0] >= STOP_S]


def full_stops(sents: list[Sentence], signals: Signals) -> list[Sentence]:
    """``sents`` with the breaks the voice track does not confirm taken out: a break stands where
    the voice pauses for :data:`STOP_S` or more within it."""
    long = stops(signals)
    if not len(long) or not sents:
        return sents
    out: list[list[Word]] = [list(sents[0].words)]
    for nxt in sents[1:]:
        a, b = out[-1][-1].end_ms / 1000 - 0.3, nxt.start_ms / 1000 + 0.3
        if not np.any((long[:, 0] < b) & (long[:, 1] > a)):
            out[-1] += nxt.words
        else:
            out.append(list(nxt.words))
    return [Sentence(tuple(w)) for w in out]


def cut_at(pauses: np.ndarray, t: float, before: bool) -> float:
    """Where to cut for a sentence starting (``before``) or ending at ``t`` (a loose word time):
    inside the long pause next to it, 0.1 s from the voice; ``t`` itself when there is none."""
    if before:
        near = pauses[(pauses[:, 1] >= t - 0.6) & (pauses[:, 1] <= t + 0.4)]
        return float(near[-1, 1] - 0.1) if len(near) else t
    near = pauses[(pauses[:, 0] >= t - 0.4) & (pauses[:, 0] <= t + 0.6)]
    return float(near[0, 0] + 0.1) if len(near) else t


def split_at_stops(sents: list[Sentence], signals: Signals) -> list[Sentence]:
    """``sents`` also broken where the voice stops for :data:`STOP_S` or more between two of
    their words: a transcript window the model left unpunctuated still falls into sentences.
    Topic search wants this (a run of sentences must be able to end where the topic does);
    shorts keep the model's sentences and only drop unconfirmed breaks."""
    long = stops(signals)
    if not len(long):
        return sents
    out: list[Sentence] = []
    for sent in sents:
        run: list[Word] = [sent.words[0]]
        for w in sent.words[1:]:
            a, b = run[-1].end_ms / 1000 - 0.3, w.start_ms / 1000 + 0.3
            if np.any((long[:, 0] >= a) & (long[:, 1] <= b)):
                out.append(Sentence(tuple(run)))
                run = []
            run.append(w)
        out.append(Sentence(tuple(run)))
    return out
