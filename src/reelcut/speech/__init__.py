"""Speech to captions: words with times from a local engine, grouped into SRT/WebVTT cues.

Flow: :func:`get_transcript` (cached; source time, optionally only some ranges) →
:func:`retime` per source (reel time) → :func:`group_captions` → :func:`to_srt` / :func:`to_vtt`.
"""

from reelcut.speech.captions import Caption, group_captions, to_srt, to_vtt
from reelcut.speech.errors import SpeechEngineUnavailableError
from reelcut.speech.retime import Piece, retime
from reelcut.speech.transcribe import (
    DEFAULT_ENGINE,
    Transcriber,
    engine_names,
    get_transcriber,
    get_transcript,
    register_engine,
)
from reelcut.speech.words import Segment, Transcript, Word, join_words

__all__ = [
    "DEFAULT_ENGINE",
    "Caption",
    "Piece",
    "Segment",
    "SpeechEngineUnavailableError",
    "Transcriber",
    "Transcript",
    "Word",
    "engine_names",
    "get_transcriber",
    "get_transcript",
    "group_captions",
    "join_words",
    "register_engine",
    "retime",
    "to_srt",
    "to_vtt",
]
