""" "The part where they talk about X": the run of whole sentences the transcript says is about
a topic, as a clip (``make --about``, the ``focus`` edit with kind ``topic``, the chat's "找到讲X的
那段", the MCP tools).

The footage is transcribed whole (once: the transcript is cached per content), its sentences
are the ones the voice track confirms (:mod:`reelcut.editor.thoughts`), and
:func:`reelcut.speech.search.find_topic` reads the topic against them by its words and, with the
``meaning`` extra, by a multilingual sentence embedding (a Chinese topic finds English talk).
The clip starts where its first sentence starts and ends where its last one ends, cut inside
the pauses around them. A topic nobody talks about is :class:`TopicNotFoundError`, never a
random clip.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reelcut.analysis import Signals
from reelcut.editor.thoughts import cut_at, full_stops, split_at_stops, stops
from reelcut.errors import EditError, TopicNotFoundError
from reelcut.progress import ProgressFn, no_progress
from reelcut.timeline.model import Draft, VideoSegment
from reelcut.timeline.ops import SetClips

MAX_S = 120.0  # a part longer than this keeps its most relevant sentences


@dataclass(frozen=True, slots=True)
class TopicPart:
    """Where ``topic`` is talked about: source ``source_index``, ``start_ms``-``end_ms``."""

    topic: str
    source_index: int
    start_ms: int
    end_ms: int
    score: float
    text: str
    words: tuple[str, ...]  # the topic's words heard in it (none: found by meaning)

    def to_json(self) -> dict[str, object]:
        return {
            "topic": self.topic,
            "source_index": self.source_index,
            "start_s": self.start_ms / 1000,
            "end_s": self.end_ms / 1000,
            "length_s": (self.end_ms - self.start_ms) / 1000,
            "score": self.score,
            "text": self.text,
            "words": list(self.words),
        }


def find_part(
    paths: Sequence[Path],
    signals: Sequence[Signals],
    topic: str,
    *,
    max_s: float = MAX_S,
    language: str | None = None,
    use_cache: bool = True,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> TopicPart:
    """The best part about ``topic`` among the sources (whole sentences, at most ``max_s``).

    Raises :class:`TopicNotFoundError` when no sentence of any source is about it, and
    :class:`~reelcut.speech.SpeechEngineUnavailableError` without the ``asr`` extra.
    """
    from reelcut.instructions.meaning import encoder
    from reelcut.speech import get_transcriber, get_transcript
    from reelcut.speech.search import find_topic
    from reelcut.speech.sentences import sentences

    topic = topic.strip().strip("\"'“”「」")
    if not topic:
        raise EditError("say what the part should be about")
    encode = encoder()
    engine = None
    best: TopicPart | None = None
    for k, (path, sig) in enumerate(zip(paths, signals, strict=True)):
        if not sig.has_audio:
            continue
        engine = engine or get_transcriber()
        said = get_transcript(
            Path(path), transcriber=engine, language=language, use_cache=use_cache,
            progress=progress, cancel=cancel,
        )  # fmt: skip
        sents = split_at_stops(full_stops(sentences(said.words()), sig), sig)
        run = find_topic([s.text for s in sents], topic, encode)
        if run is None or (best is not None and run.score <= best.score):
            continue
        first, last = run.first, run.last
        while sents[last].end_ms - sents[first].start_ms > max_s * 1000 and last > first:
            if run.relevance[first] < run.relevance[last]:
                first += 1
            else:
                last -= 1
        pauses = stops(sig)
        dur = sig.duration_s
        start = max(cut_at(pauses, sents[first].start_ms / 1000, before=True), 0.0)
        end = min(cut_at(pauses, sents[last].end_ms / 1000, before=False), dur)
        text = " ".join(s.text for s in sents[first : last + 1])
        best = TopicPart(
            topic, k, int(start * 1000), int(end * 1000), run.score, text, run.words
        )  # fmt: skip
    if best is None:
        names = ", ".join(Path(p).name for p in paths)
        how = (
            ""
            if encode is not None
            else " (by its words: pip install 'reelcut[meaning]' also reads meaning)"
        )
        raise TopicNotFoundError(f'nothing said in {names} is about "{topic}"{how}')
    return best


def topic_op(
    draft: Draft, topic: str, *, use_cache: bool = True, language: str | None = None
) -> SetClips:
    """The reel becomes the part of its footage that talks about ``topic`` (one clip)."""
    from reelcut.editor.footage import draft_signals

    sources = [s for s in draft.sources if s.kind == "video"]
    if not sources:
        raise EditError("the reel has no footage to search")
    part = find_part(
        [Path(s.path) for s in sources], draft_signals(draft, use_cache), topic,
        language=language, use_cache=use_cache,
    )  # fmt: skip
    seg = VideoSegment(
        sources[part.source_index].id,
        part.start_ms,
        part.end_ms,
        score=part.score,
        reason=f'talks about "{part.topic}"',
        peak_ms=part.start_ms,
    )
    return SetClips((seg,), target_ms=part.end_ms - part.start_ms, about=part.topic)


def find_in_recording(
    path: str | Path,
    topic: str,
    *,
    max_mb: float | None = None,
    use_cache: bool = True,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> TopicPart:
    """Analyse ``path`` (cached) and find the part about ``topic`` in it (MCP, library users).
    ``topic`` may be a whole phrasing ("the part where they talk about pricing", "讲定价的那段"):
    the topic is read out of it as the chat reads it."""
    from reelcut.editor.footage import analyze_media
    from reelcut.instructions import parse

    asked = parse(topic).requests
    if len(asked) == 1 and asked[0].get("kind") == "topic":
        topic = str(asked[0]["keyword"])

    signals = analyze_media(
        path, max_mb=max_mb, use_cache=use_cache, progress=progress, cancel=cancel
    )
    return find_part(
        [Path(path)], [signals], topic, use_cache=use_cache, progress=progress, cancel=cancel
    )
