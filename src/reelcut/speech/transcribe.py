"""Words with times out of speech, from whichever local engine is configured.

Every engine answers the same small :class:`Transcriber` protocol, so captions, search and the
selection never know which one ran. Engines are registered by name and imported only when asked
for; the one that ships is ``whisper`` (faster-whisper on CTranslate2, ``pip install
'reelcut[asr]'``). ``REELCUT_ASR`` picks the engine, ``REELCUT_ASR_MODEL`` its model.

:func:`get_transcript` is what callers want most of the time: a cached transcript of a file, or
of only the source ranges a reel uses.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from reelcut.errors import InvalidArgumentError
from reelcut.progress import ProgressFn, no_progress
from reelcut.speech.errors import SpeechEngineUnavailableError
from reelcut.speech.words import Transcript, Word

DEFAULT_ENGINE = "whisper"


class Transcriber(Protocol):
    """A speech engine. Instances hold a loaded model: keep one and reuse it; not thread-safe."""

    name: str
    model: str  # what produced the words, stable across runs: part of every cache key

    def transcript(
        self,
        source: Path,
        ranges_ms: Sequence[tuple[int, int]] | None = None,
        *,
        language: str | None = None,
        progress: ProgressFn = no_progress,
        cancel: threading.Event | None = None,
    ) -> Transcript:
        """What is said in the first audio stream of ``source``, segment by segment.

        ``ranges_ms`` limits the work (and the answer) to those source spans: a word is kept when
        its middle lies in a range, with its times clipped to that range. ``language`` (ISO 639-1)
        skips detection. A source without audio gives no segments. Silence, music and crowd noise
        give no words (the engine gates on voice activity).
        """
        ...

    def transcribe(
        self,
        source: Path,
        ranges_ms: Sequence[tuple[int, int]] | None = None,
        *,
        progress: ProgressFn = no_progress,
        cancel: threading.Event | None = None,
    ) -> list[Word]:
        """The words of :meth:`transcript`, in time order."""
        ...


EngineFactory = Callable[[str | None], Transcriber]


def _whisper(model: str | None) -> Transcriber:
    from reelcut.speech.whisper import shared_transcriber

    return shared_transcriber(model)  # loaded once per process and model


_ENGINES: dict[str, EngineFactory] = {"whisper": _whisper}


def register_engine(name: str, factory: EngineFactory) -> None:
    """Make ``factory`` (called with the model name or None) available as ``name``."""
    _ENGINES[name.strip().lower()] = factory


def engine_names() -> list[str]:
    """Names ``get_transcriber`` accepts."""
    return sorted(_ENGINES)


def get_transcriber(
    name: str | None = None, *, model: str | None = None, language: str | None = None
) -> Transcriber:
    """A ready engine: ``name``, else ``REELCUT_ASR``, else whisper; ``model`` as that engine
    reads it (for whisper: a local model folder or a model name; default ``REELCUT_ASR_MODEL``,
    else the model the ``asr`` extra ships, or for a ``language`` other than English the
    multilingual one ``asr-multilingual`` ships).

    Raises :class:`~reelcut.speech.errors.SpeechEngineUnavailableError` when the engine's package
    or model is missing, and :class:`~reelcut.errors.InvalidArgumentError` for an unknown name.
    """
    chosen = (name or os.environ.get("REELCUT_ASR") or DEFAULT_ENGINE).strip().lower()
    factory = _ENGINES.get(chosen)
    if factory is None:
        raise InvalidArgumentError(
            f"unknown speech engine {chosen!r}: choose one of {', '.join(engine_names())}"
        )
    lang = (language or "").strip().lower()
    if model is None and not os.environ.get("REELCUT_ASR_MODEL") and lang not in ("", "en"):
        if chosen == "whisper":
            from reelcut.speech.whisper import MULTILINGUAL_MODEL, multilingual_model_dir

            if multilingual_model_dir() is None:
                raise SpeechEngineUnavailableError(
                    f"speech in {lang!r} needs the multilingual model: pip install "
                    "'reelcut[asr-multilingual]' (or name one with --model / REELCUT_ASR_MODEL)"
                )
            model = MULTILINGUAL_MODEL
    return factory(model)


def get_transcript(
    source: Path,
    ranges_ms: Sequence[tuple[int, int]] | None = None,
    *,
    transcriber: Transcriber | None = None,
    language: str | None = None,
    use_cache: bool = True,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> Transcript:
    """The transcript of ``source`` (only ``ranges_ms`` of it when given), from the cache when the
    same content was transcribed before with the same model and language.

    A cached whole-file transcript answers any ranges of that file without running the engine,
    and so does a cached read of ranges that hold all the ones asked for.
    """
    from reelcut.speech import cache
    from reelcut.speech.windows import keep_segments_in_ranges, normalise_ranges

    source = Path(source)
    engine = transcriber or get_transcriber()
    ranges = None if ranges_ms is None else normalise_ranges(ranges_ms)
    key = cache.content_key(source) if use_cache else ""
    if use_cache:
        whole = cache.load(key, engine.model, language, None)
        if whole is not None:
            if ranges is None:
                return whole
            kept = keep_segments_in_ranges(whole.segments, ranges)
            return Transcript(whole.language, tuple(kept), whole.model)
        if ranges is not None:
            found = cache.load(key, engine.model, language, ranges) or cache.load_covering(
                key, engine.model, language, ranges
            )
            if found is not None:
                return found
    result = engine.transcript(source, ranges, language=language, progress=progress, cancel=cancel)
    if use_cache:
        cache.store(key, engine.model, language, ranges, result)
    return result
