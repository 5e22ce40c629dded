"""Selection that cuts between sentences: the transcript of the places a cut might go, handed
to selection as data.

Selection never transcribes (it stays free of speech). Here the clips are picked once, the
speech around each cut point is transcribed (only there, and cached), and the clips are picked
again with the sentences known; selection then cuts only in breaks between sentences, dropping a
weaker clip or moving an edge further to keep the reel's length (``selection.pick``). When that
pick puts a cut point where nothing was read yet (a clip dropped, the others grown), the speech
there is read too and the clips are picked again, a few rounds at most. Without speech near the
cuts, or without the ``asr`` extra, the first pick stands (cuts still go to pauses and gaps
between words).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from reelcut.analysis import Signals
from reelcut.progress import ProgressFn, no_progress
from reelcut.selection import Clip, Selection, SelectionParams, select
from reelcut.selection.sentences import BREAK_REACH_S, SentenceSpans
from reelcut.selection.snap import voice_gaps
from reelcut.speech.words import Word

_VOICED = 0.15  # share of voiced frames around the cuts that makes it worth transcribing
_ROUNDS = 3  # read, pick again; read where the new cuts went, pick again; ...


def reach_s(params: SelectionParams) -> float:
    """How far around a cut point of a pick speech is read: the next pick may move it up to
    ``selection.fit.snap``'s pause reach from where the pick starts, and a sentence break is
    searched as far again beyond that."""
    return max(3.0 * params.snap_window_s, 3.0) + BREAK_REACH_S + 0.5


def _voiced_share(sig: Signals, ranges_ms: Sequence[tuple[int, int]]) -> float:
    act = sig.voice_activity
    if not sig.has_audio or not len(act):
        return 0.0
    frames = [act[max(a // 50, 0) : b // 50] for a, b in ranges_ms]
    voiced = np.concatenate(frames) if frames else np.zeros(0)
    return float(np.mean(voiced >= 0.5)) if voiced.size else 0.0


def _merge(ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        elif b > a:
            out.append((a, b))
    return out


def spans_of(
    words: Sequence[Word], read_ms: Sequence[tuple[int, int]], sig: Signals
) -> SentenceSpans:
    """Sentences of ``words`` (breaks confirmed by the voice track) over the ranges read."""
    from reelcut.speech.sentences import spoken_sentences

    pauses = [(float(a), float(b)) for a, b in voice_gaps(sig).pauses]
    read = _merge(read_ms)
    spans: list[tuple[int, int]] = []
    for a, b in read:  # each range on its own: nothing is known between two of them
        mine = [w for w in words if a <= (w.start_ms + w.end_ms) / 2 < b]
        near = [(p0, p1) for p0, p1 in pauses if p1 > a / 1000 and p0 < b / 1000]
        spans += spoken_sentences(mine, near)
    return SentenceSpans.of(
        [(a / 1000, b / 1000) for a, b in spans],
        [(a / 1000, b / 1000) for a, b in read],
        sig.duration_s,
    )


class _Reader:
    """What has been read of each source so far, and its words; reads more on request."""

    def __init__(
        self,
        paths: Sequence[Path | None],
        signals: Sequence[Signals],
        *,
        use_cache: bool,
        language: str | None,
        progress: ProgressFn,
        cancel: threading.Event | None,
    ) -> None:
        self.paths, self.signals = paths, signals
        self.read: list[list[tuple[int, int]]] = [[] for _ in signals]
        self.words: list[list[Word]] = [[] for _ in signals]
        self.use_cache, self.language = use_cache, language
        self.progress, self.cancel = progress, cancel
        self.engine: object | None = None
        self.unavailable = False

    def covered(self, src: int, t_ms: int, margin_ms: int) -> bool:
        dur = int(self.signals[src].duration_s * 1000)
        lo, hi = max(t_ms - margin_ms, 0), min(t_ms + margin_ms, dur)
        return any(a <= lo and hi <= b for a, b in _merge(self.read[src]))

    def read_around(self, src: int, points_ms: Sequence[int], reach_ms: int) -> bool:
        """Transcribe ``reach_ms`` around each point (cached); False when there was nothing to
        read (no file, too little voice there, or no engine)."""
        from reelcut.speech import SpeechEngineUnavailableError, get_transcriber, get_transcript

        path, sig = self.paths[src], self.signals[src]
        dur = int(sig.duration_s * 1000)
        ranges = _merge([(max(t - reach_ms, 0), min(t + reach_ms, dur)) for t in points_ms])
        ranges = [(a, b) for a, b in ranges if b > a]
        if path is None or self.unavailable or not ranges or _voiced_share(sig, ranges) < _VOICED:
            return False
        try:
            self.engine = self.engine or get_transcriber()
        except SpeechEngineUnavailableError:
            self.unavailable = True
            return False
        said = get_transcript(
            path, ranges, transcriber=self.engine, language=self.language,  # type: ignore[arg-type]
            use_cache=self.use_cache, progress=self.progress, cancel=self.cancel,
        )  # fmt: skip
        old = _merge(self.read[src])
        fresh = [
            w for w in said.words()
            if not any(a <= (w.start_ms + w.end_ms) / 2 < b for a, b in old)
        ]  # fmt: skip
        self.words[src] += fresh
        self.read[src] += ranges
        return True

    def spans(self) -> list[SentenceSpans | None]:
        return [
            spans_of(self.words[i], self.read[i], sig) if self.read[i] else None
            for i, sig in enumerate(self.signals)
        ]


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
    reader = _Reader(
        paths, signals, use_cache=use_cache, language=language, progress=progress, cancel=cancel
    )
    for src, ranges in enumerate(ranges_ms):
        for a, b in _merge(ranges):
            reader.read_around(src, [(a + b) // 2], (b - a + 1) // 2)
    return reader.spans()


def select_speech_aware(
    paths: Sequence[Path | None],
    signals: Sequence[Signals],
    params: SelectionParams,
    *,
    use_cache: bool = True,
    language: str | None = None,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> Selection:
    """:func:`~reelcut.selection.select`, with cut points between sentences wherever speech is
    heard (the speech read only around the cut points, see the module's docstring)."""
    chosen = select(list(signals), params)
    reader = _Reader(
        paths, signals, use_cache=use_cache, language=language, progress=progress, cancel=cancel
    )
    reach_ms = int(reach_s(params) * 1000)
    margin_ms = int(max(3.0 * params.snap_window_s, 3.0) * 1000)
    for _ in range(_ROUNDS):
        read_any = False
        for src in range(len(signals)):
            points = [
                at
                for c in chosen.clips
                if c.source_index == src
                for at in (c.source_in_ms, c.source_out_ms)
                if not reader.covered(src, at, margin_ms)
            ]
            if points and reader.read_around(src, points, reach_ms):
                read_any = True
        if not read_any:
            break
        chosen = select(list(signals), params, reader.spans())
    return chosen


def select_between_sentences(
    paths: Sequence[Path | None],
    signals: Sequence[Signals],
    params: SelectionParams,
    *,
    use_cache: bool = True,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> list[Clip]:
    """The clips of :func:`select_speech_aware`."""
    return list(
        select_speech_aware(
            paths, signals, params, use_cache=use_cache, progress=progress, cancel=cancel
        ).clips
    )
