"""Word error rate: how far a transcript is from what was said, the number ASR is judged by.

Both texts are normalised the same way first (case, punctuation, digits left as they are), so a
transcript is not charged for "Game." against "game". Used by the tests and bench/speech.py, and
by anyone comparing models on their own recordings.
"""

from __future__ import annotations

import re
import unicodedata

_TOKEN = re.compile(r"[\w']+")


def normalise(text: str) -> list[str]:
    """Lower-case word tokens; CJK characters count one token each (there are no spaces)."""
    out: list[str] = []
    for token in _TOKEN.findall(unicodedata.normalize("NFKC", text).lower()):
        run = ""
        for ch in token:
            if unicodedata.east_asian_width(ch) in ("W", "F"):
                if run:
                    out.append(run)
                    run = ""
                out.append(ch)
            else:
                run += ch
        if run:
            out.append(run.strip("'"))
    return [t for t in out if t]


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / words in ``reference``; 0.0 for two empties.

    Can exceed 1.0 when the hypothesis invents more words than the reference has.
    """
    ref, hyp = normalise(reference), normalise(hypothesis)
    if not ref:
        return 0.0 if not hyp else float(len(hyp))
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, start=1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1] / len(ref)
