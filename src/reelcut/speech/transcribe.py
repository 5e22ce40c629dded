"""Words with times out of speech, from whichever local engine is configured.

Every engine answers the same small :class:`Transcriber` protocol, so captions, search and the
selection never know which one ran. Engines are registered by name and imported only when asked
for: ``pocketsphinx`` (the default, ``pip install 'reelcut[asr]'``) and ``whisper`` (faster-whisper
with a local model named by ``REELCUT_ASR_MODEL``). ``REELCUT_ASR`` picks the engine.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from reelcut.errors import InvalidArgumentError
from reelcut.progress import ProgressFn, no_progress

DEFAULT_ENGINE = "pocketsphinx"


@dataclass(frozen=True, slots=True)
class Word:
    """One recognised word; times in milliseconds of the source (or the reel, after retime)."""

    text: str
    start_ms: int
    end_ms: int
    confidence: float  # 0..1, as the engine reports it; not comparable across engines


class Transcriber(Protocol):
    """A speech engine. Instances hold a loaded model: keep one and reuse it; not thread-safe."""

    name: str

    def transcribe(
        self,
        source: Path,
        ranges_ms: Sequence[tuple[int, int]] | None = None,
        *,
        progress: ProgressFn = no_progress,
        cancel: threading.Event | None = None,
    ) -> list[Word]:
        """Words of the first audio stream of ``source``, in time order.

        ``ranges_ms`` limits the work (and the answer) to those source spans: a word is kept when
        its middle lies in a range, with its times clipped to that range. A source without audio
        gives no words.
        """
        ...


EngineFactory = Callable[[], Transcriber]


def _pocketsphinx() -> Transcriber:
    from reelcut.speech.sphinx import PocketsphinxTranscriber

    return PocketsphinxTranscriber()


def _whisper() -> Transcriber:
    from reelcut.speech.whisper import WhisperTranscriber

    return WhisperTranscriber()


_ENGINES: dict[str, EngineFactory] = {"pocketsphinx": _pocketsphinx, "whisper": _whisper}


def register_engine(name: str, factory: EngineFactory) -> None:
    """Make ``factory`` available as ``name`` (replacing an engine of that name)."""
    _ENGINES[name.strip().lower()] = factory


def engine_names() -> list[str]:
    """Names ``get_transcriber`` accepts."""
    return sorted(_ENGINES)


def get_transcriber(name: str | None = None) -> Transcriber:
    """A ready engine: ``name``, else ``REELCUT_ASR``, else pocketsphinx.

    Raises :class:`~reelcut.speech.errors.SpeechEngineUnavailableError` when the engine's package
    or model is missing, and :class:`~reelcut.errors.InvalidArgumentError` for an unknown name.
    """
    chosen = (name or os.environ.get("REELCUT_ASR") or DEFAULT_ENGINE).strip().lower()
    factory = _ENGINES.get(chosen)
    if factory is None:
        raise InvalidArgumentError(
            f"unknown speech engine {chosen!r}: choose one of {', '.join(engine_names())}"
        )
    return factory()
