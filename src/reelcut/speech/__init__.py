"""Speech to captions: words with times from a local engine, grouped into SRT/WebVTT cues.

Flow: :func:`get_transcriber` → ``transcribe(source, ranges_ms)`` (source time) →
:func:`retime` per source (reel time) → :func:`group_captions` → :func:`to_srt` / :func:`to_vtt`.
"""

from reelcut.speech.captions import Caption, group_captions, to_srt, to_vtt
from reelcut.speech.errors import SpeechEngineUnavailableError
from reelcut.speech.retime import Piece, retime
from reelcut.speech.transcribe import (
    DEFAULT_ENGINE,
    Transcriber,
    Word,
    engine_names,
    get_transcriber,
    register_engine,
)

__all__ = [
    "DEFAULT_ENGINE",
    "Caption",
    "Piece",
    "SpeechEngineUnavailableError",
    "Transcriber",
    "Word",
    "engine_names",
    "get_transcriber",
    "group_captions",
    "register_engine",
    "retime",
    "to_srt",
    "to_vtt",
]
