"""Move words from source time to reel time through the pieces of one source a reel uses.

A piece is ``(source_in_ms, source_out_ms, reel_start_ms, speed)``: the source span plays from
``reel_start_ms`` at ``speed`` (0.5 is slow motion, so the span lasts twice as long in the reel).
"""

from __future__ import annotations

from collections.abc import Sequence

from reelcut.errors import InvalidArgumentError
from reelcut.speech.words import Word

Piece = tuple[int, int, int, float]


def retime(words: Sequence[Word], pieces: Sequence[Piece]) -> list[Word]:
    """Words in reel time, sorted; outside every piece dropped, straddling a cut clipped.

    A word belongs to a piece when more than half of it is inside (exactly half: when it starts
    inside), so a word at the seam of two back-to-back pieces is kept once. A source span used
    twice (a replay) gives the word twice, once per place in the reel.
    """
    for source_in, source_out, reel_start, speed in pieces:
        if source_out <= source_in or speed <= 0 or reel_start < 0:
            raise InvalidArgumentError(
                f"piece {source_in}..{source_out} ms at {reel_start} ms, speed {speed}, makes no sense"
            )
    out: list[Word] = []
    for w in words:
        length = w.end_ms - w.start_ms
        for source_in, source_out, reel_start, speed in pieces:
            lo, hi = max(w.start_ms, source_in), min(w.end_ms, source_out)
            inside = hi - lo
            starts_inside = source_in <= w.start_ms < source_out
            if inside * 2 > length or (inside * 2 == length and starts_inside):
                out.append(
                    Word(
                        w.text,
                        reel_start + round((lo - source_in) / speed),
                        reel_start + round((hi - source_in) / speed),
                        w.confidence,
                    )
                )
    out.sort(key=lambda w: (w.start_ms, w.end_ms))
    return out
