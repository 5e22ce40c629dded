"""The words of a reel, in reel time: each source transcribed only where the reel uses it.

A reel of five 10 s clips from a two-hour match costs five short transcriptions, not one of two
hours, and a second captioning of the same reel (or of a re-cut that reuses the clips) comes from
the transcript cache.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from reelcut.progress import ProgressFn, no_progress
from reelcut.speech.retime import Piece, retime
from reelcut.speech.transcribe import Transcriber, get_transcriber, get_transcript
from reelcut.speech.words import Word


def reel_words(
    sources: Sequence[tuple[Path, Sequence[Piece]]],
    *,
    transcriber: Transcriber | None = None,
    language: str | None = None,
    use_cache: bool = True,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> list[Word]:
    """Words said in the ``(source file, pieces of it the reel plays)`` given, in reel time.

    A word straddling a cut is kept where most of it plays (see :func:`retime`); sources with
    no pieces are not opened.
    """
    engine: Transcriber | None = transcriber
    words: list[Word] = []
    for path, pieces in sources:
        if not pieces:
            continue
        engine = engine or get_transcriber()
        found = get_transcript(
            Path(path),
            sorted((a, b) for a, b, _, _ in pieces),
            transcriber=engine,
            language=language,
            use_cache=use_cache,
            progress=progress,
            cancel=cancel,
        )
        words += retime(found.words(), pieces)
    words.sort(key=lambda w: (w.start_ms, w.end_ms))
    return words
