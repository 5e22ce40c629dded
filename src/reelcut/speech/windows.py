"""Turn "transcribe these source ranges" into a few padded decode windows and back.

Engines recognise whole windows; this module decides the windows (ranges merged, padded so a
word cut by a range edge is still heard whole) and keeps only the words that belong to a range.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from reelcut.errors import InvalidArgumentError
from reelcut.progress import ProgressFn, check_cancel
from reelcut.speech import pcm
from reelcut.speech.words import Segment, Word

PAD_MS = 500  # heard either side of a range, so edge words are recognised from whole sound

#: Seconds into the current window the engine has got to (drives the progress callback).
Advance = Callable[[float], None]
#: Recognise one window of 16 kHz mono int16: its segments (times relative to the window's first
#: sample) and the language heard (None when nothing was).
Recognise = Callable[
    [np.ndarray, Advance, threading.Event | None], tuple[list[Segment], str | None]
]


def normalise_ranges(ranges_ms: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, overlapping ones merged; a range that ends before it starts is a caller error."""
    out: list[tuple[int, int]] = []
    for start, end in sorted((int(a), int(b)) for a, b in ranges_ms):
        if end <= start or end <= 0:
            raise InvalidArgumentError(f"speech range {start}..{end} ms is empty or negative")
        start = max(start, 0)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def plan_windows(ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Padded decode windows covering normalised ``ranges``; windows that touch become one."""
    out: list[tuple[int, int]] = []
    for start, end in ranges:
        lo, hi = max(0, start - PAD_MS), end + PAD_MS
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def keep_in_ranges(words: Sequence[Word], ranges: Sequence[tuple[int, int]]) -> list[Word]:
    """Words whose middle lies in a range, clipped to it; each kept once."""
    kept: list[Word] = []
    for w in words:
        mid = (w.start_ms + w.end_ms) / 2
        for start, end in ranges:
            if start <= mid < end:
                lo, hi = max(w.start_ms, start), min(w.end_ms, end)
                kept.append(Word(w.text, lo, max(lo, hi), w.confidence))
                break
    return kept


def keep_segments_in_ranges(
    segments: Sequence[Segment], ranges: Sequence[tuple[int, int]]
) -> list[Segment]:
    """Each segment with only its words that :func:`keep_in_ranges` keeps; emptied ones dropped."""
    out: list[Segment] = []
    for seg in segments:
        words = keep_in_ranges(seg.words, ranges)
        if words:
            out.append(Segment(tuple(words)))
    return out


def transcribe_windows(
    source: Path,
    ranges_ms: Sequence[tuple[int, int]] | None,
    recognise: Recognise,
    progress: ProgressFn,
    cancel: threading.Event | None,
) -> tuple[list[Segment], str | None]:
    """Decode the windows ``ranges_ms`` needs (the whole audio when None) and recognise each.

    Gives the segments in source time and the language of the longest window that heard any.
    """
    ranges = None if ranges_ms is None else normalise_ranges(ranges_ms)
    if ranges == []:
        return [], None
    spans: list[tuple[int, int | None]] = (
        [(0, None)] if ranges is None else list(plan_windows(ranges))
    )
    total_s = sum((end or 0) - start for start, end in spans) / 1000
    done_s = 0.0
    segments: list[Segment] = []
    language: str | None = None
    language_s = 0.0
    for start_ms, samples in pcm.read_spans(source, spans):
        check_cancel(cancel)
        window_s = samples.size / pcm.RATE
        total_s = max(total_s, done_s + window_s)  # the whole file's length is known only now

        def advance(
            at_s: float, base: float = done_s, size: float = window_s, total: float = total_s
        ) -> None:
            progress("speech", base + min(max(at_s, 0.0), size), total)

        found, heard = recognise(samples, advance, cancel)
        for seg in found:
            shifted = tuple(
                Word(w.text, w.start_ms + start_ms, w.end_ms + start_ms, w.confidence)
                for w in seg.words
            )
            if shifted:
                segments.append(Segment(shifted))
        if heard is not None and found and window_s > language_s:
            language, language_s = heard, window_s
        done_s += window_s
        progress("speech", done_s, total_s)
    segments.sort(key=lambda s: (s.start_ms, s.end_ms))
    if ranges is not None:
        segments = keep_segments_in_ranges(segments, ranges)
    return segments, language
