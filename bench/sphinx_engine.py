"""The engine reelcut used before faster-whisper: CMU PocketSphinx with its US English model.

Kept only here, for the before/after word error rate in bench/speech.py (``pip install
pocketsphinx``). :func:`register` makes it available to ``get_transcriber("pocketsphinx")``.
Each window is split into utterances by PocketSphinx's own voice activity detector.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from reelcut.progress import ProgressFn, check_cancel, no_progress
from reelcut.speech import pcm
from reelcut.speech.errors import SpeechEngineUnavailableError
from reelcut.speech.transcribe import register_engine
from reelcut.speech.windows import Advance, transcribe_windows
from reelcut.speech.words import Segment, Transcript, Word, segment_words

_ALT_PRONUNCIATION = re.compile(r"\(\d+\)$")
_VAD_WINDOW_S = 0.3  # speech/non-speech decision window of the endpointer


def _is_filler(token: str) -> bool:
    """Sentence marks, silence and noise tokens: <s>, </s>, <sil>, [NOISE], ++BREATH++."""
    return not token or token[0] in "<[+"


class PocketsphinxTranscriber:
    """Holds one loaded decoder (about 0.3 s to load); reuse the instance, one thread at a time."""

    name = "pocketsphinx"
    model = "pocketsphinx en-us"

    def __init__(self) -> None:
        try:
            import pocketsphinx
        except ImportError as exc:
            raise SpeechEngineUnavailableError(
                "the old engine needs PocketSphinx: pip install 'reelcut[bench]'"
            ) from exc
        self._ps: Any = pocketsphinx
        # No second (flat) search pass: about twice as fast, and no worse on our speech samples.
        self._decoder: Any = pocketsphinx.Decoder(loglevel="FATAL", fwdflat=False)
        self._frame_ms = 1000.0 / float(self._decoder.config["frate"])

    def transcript(
        self,
        source: Path,
        ranges_ms: Sequence[tuple[int, int]] | None = None,
        *,
        language: str | None = None,
        progress: ProgressFn = no_progress,
        cancel: threading.Event | None = None,
    ) -> Transcript:
        """See :class:`~reelcut.speech.transcribe.Transcriber` (English only)."""
        segments, _ = transcribe_windows(Path(source), ranges_ms, self._recognise, progress, cancel)
        return Transcript("en", tuple(segments), self.model)

    def transcribe(
        self,
        source: Path,
        ranges_ms: Sequence[tuple[int, int]] | None = None,
        *,
        progress: ProgressFn = no_progress,
        cancel: threading.Event | None = None,
    ) -> list[Word]:
        """See :class:`~reelcut.speech.transcribe.Transcriber`."""
        return self.transcript(source, ranges_ms, progress=progress, cancel=cancel).words()

    def _recognise(
        self, samples: np.ndarray, advance: Advance, cancel: threading.Event | None
    ) -> tuple[list[Segment], str | None]:
        segmenter = self._ps.Segmenter(window=_VAD_WINDOW_S, sample_rate=pcm.RATE)
        words: list[Word] = []
        for utterance in segmenter.segment(io.BytesIO(samples.tobytes())):
            check_cancel(cancel)
            words += self._decode_utterance(utterance.pcm, round(utterance.start_time * 1000))
            advance(utterance.end_time)
        return list(segment_words(words)), "en"

    def _decode_utterance(self, raw: bytes, offset_ms: int) -> list[Word]:
        decoder = self._decoder
        decoder.start_utt()
        decoder.process_raw(raw, full_utt=True)
        decoder.end_utt()
        words: list[Word] = []
        for seg in decoder.seg():
            if _is_filler(seg.word):
                continue
            words.append(
                Word(
                    text=_ALT_PRONUNCIATION.sub("", seg.word),
                    start_ms=offset_ms + round(seg.start_frame * self._frame_ms),
                    end_ms=offset_ms + round((seg.end_frame + 1) * self._frame_ms),
                    confidence=min(1.0, max(0.0, float(seg.prob))),
                )
            )
        return words


def register() -> None:
    """Make the old engine available as ``get_transcriber("pocketsphinx")`` (bench only)."""
    register_engine("pocketsphinx", lambda _model: PocketsphinxTranscriber())
