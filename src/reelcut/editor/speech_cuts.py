"""Selection that cuts between sentences: the transcript of the places a cut might go, handed
to selection as data.

Selection never transcribes (it stays free of speech). Here the clips are picked once, the
speech around each cut point is transcribed (only there, and cached), and the clips are picked
again with the sentences known, so that every cut lands in a break between two sentences when
one is within reach. Without speech near the cuts, or without the ``asr`` extra, the first pick
stands (cuts still go to pauses and gaps between words).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from reelcut.analysis import Signals
from reelcut.progress import ProgressFn, no_progress
from reelcut.selection import Clip, SelectionParams, select_clips
from reelcut.selection.sentences import SentenceSpans

_VOICED = 0.15  # share of voiced frames around the cuts that makes it worth transcribing


def reach_s(params: SelectionParams) -> float:
    """How far around a cut point of the first pick speech is read: the first pick moved it up
    to ``selection.pick``'s reach from where the second pick starts, which reaches as far again."""
    return 2 * max(3.0 * params.snap_window_s, 3.0) + 0.5


def _voiced_share(sig: Signals, ranges_ms: Sequence[tuple[int, int]]) -> float:
    act = sig.voice_activity
    if not sig.has_audio or not len(act):
        return 0.0
    frames = [act[max(a // 50, 0) : b // 50] for a, b in ranges_ms]
    voiced = np.concatenate(frames) if frames else np.zeros(0)
    return float(np.mean(voiced >= 0.5)) if voiced.size else 0.0


def sentence_spans(
    paths: Sequence[Path | None],
    signals: Sequence[Signals],
    ranges_ms: Sequence[Sequence[tuple[int, int]]],
    *,
    use_cache: bool = True,
    language: str | None = None,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> list[SentenceSpans | None]:
    """The sentences said in ``ranges_ms`` of each source (None where there is no speech to
    read, no file, or no engine installed)."""
    from reelcut.speech import SpeechEngineUnavailableError, get_transcriber, get_transcript
    from reelcut.speech.sentences import sentence_spans_ms
    from reelcut.speech.windows import normalise_ranges

    out: list[SentenceSpans | None] = []
    engine = None
    for path, sig, ranges in zip(paths, signals, ranges_ms, strict=True):
        if path is None or not ranges or _voiced_share(sig, ranges) < _VOICED:
            out.append(None)
            continue
        try:
            engine = engine or get_transcriber()
        except SpeechEngineUnavailableError:
            return [None] * len(paths)
        known = normalise_ranges(ranges)
        said = get_transcript(
            path, known, transcriber=engine, language=language, use_cache=use_cache,
            progress=progress, cancel=cancel,
        )  # fmt: skip
        spans = sentence_spans_ms(said.words())
        out.append(
            SentenceSpans.of(
                [(a / 1000, b / 1000) for a, b in spans], [(a / 1000, b / 1000) for a, b in known]
            )
        )
    return out


def select_between_sentences(
    paths: Sequence[Path | None],
    signals: Sequence[Signals],
    params: SelectionParams,
    *,
    use_cache: bool = True,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> list[Clip]:
    """:func:`select_clips`, with cut points between sentences wherever speech is heard."""
    clips = select_clips(list(signals), params)
    reach_ms = int(reach_s(params) * 1000)
    ranges: list[list[tuple[int, int]]] = [[] for _ in signals]
    for c in clips:
        dur = int(signals[c.source_index].duration_s * 1000)
        for at in (c.source_in_ms, c.source_out_ms):
            lo, hi = max(at - reach_ms, 0), min(at + reach_ms, dur)
            if hi > lo:
                ranges[c.source_index].append((lo, hi))
    said = sentence_spans(
        paths, signals, ranges, use_cache=use_cache, progress=progress, cancel=cancel
    )
    if all(s is None for s in said):
        return clips
    return select_clips(list(signals), params, said)
