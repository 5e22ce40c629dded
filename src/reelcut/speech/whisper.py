"""A stronger optional engine: faster-whisper with a model already on disk.

Nothing is downloaded: ``REELCUT_ASR_MODEL`` must name a local CTranslate2 model directory
(e.g. a converted ``small.en``). ``REELCUT_ASR_LANGUAGE`` fixes the language (default: detect).
Words keep Whisper's punctuation, which :func:`~reelcut.speech.captions.group_captions` uses.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from reelcut.progress import ProgressFn, check_cancel, no_progress
from reelcut.speech.errors import SpeechEngineUnavailableError
from reelcut.speech.transcribe import Word
from reelcut.speech.windows import Advance, transcribe_windows


class WhisperTranscriber:
    """Loads the model once; reuse the instance, one thread at a time."""

    name = "whisper"

    def __init__(self, model_path: str | None = None) -> None:
        model_path = model_path or os.environ.get("REELCUT_ASR_MODEL")
        if not model_path or not Path(model_path).is_dir():
            raise SpeechEngineUnavailableError(
                "the whisper engine needs a local model: set REELCUT_ASR_MODEL to a "
                f"faster-whisper model directory (now {model_path!r}), or use REELCUT_ASR=pocketsphinx"
            )
        try:
            from faster_whisper import WhisperModel
        except ImportError as exc:
            raise SpeechEngineUnavailableError(
                "the whisper engine needs faster-whisper: pip install faster-whisper"
            ) from exc
        self._model: Any = WhisperModel(model_path, device="auto", compute_type="default")
        self._language = os.environ.get("REELCUT_ASR_LANGUAGE") or None

    def transcribe(
        self,
        source: Path,
        ranges_ms: Sequence[tuple[int, int]] | None = None,
        *,
        progress: ProgressFn = no_progress,
        cancel: threading.Event | None = None,
    ) -> list[Word]:
        """See :class:`~reelcut.speech.transcribe.Transcriber`."""
        return transcribe_windows(Path(source), ranges_ms, self._recognise, progress, cancel)

    def _recognise(
        self, samples: np.ndarray, advance: Advance, cancel: threading.Event | None
    ) -> list[Word]:
        audio = samples.astype(np.float32) / 32768.0
        segments, _info = self._model.transcribe(
            audio, language=self._language, word_timestamps=True
        )
        words: list[Word] = []
        for segment in segments:  # a generator: decoding happens while we iterate
            check_cancel(cancel)
            advance(float(segment.end))
            for w in segment.words or []:
                text = w.word.strip()
                if text:
                    words.append(
                        Word(text, round(w.start * 1000), round(w.end * 1000), float(w.probability))
                    )
        return words
