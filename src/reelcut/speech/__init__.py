"""Speech to captions: words with times from a local engine, grouped into SRT/WebVTT cues.

Flow: :func:`get_transcript` (cached; source time, optionally only some ranges) →
:func:`retime` per source (reel time; :func:`reel_words` does both for a reel's pieces) →
:func:`caption_cues` (confidence floor, ``classic`` or ``highlight`` style) →
:func:`to_srt` / :func:`to_vtt`, or :func:`highlight_layers` for word-by-word burn-in.
"""

from reelcut.speech.captions import (
    CAPTION_STYLES,
    DEFAULT_MIN_CONFIDENCE,
    Caption,
    Layer,
    caption_cues,
    group_captions,
    highlight_layers,
    publishable,
    to_srt,
    to_vtt,
)
from reelcut.speech.errors import SpeechEngineUnavailableError
from reelcut.speech.reel import reel_words
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
    "CAPTION_STYLES",
    "DEFAULT_ENGINE",
    "DEFAULT_MIN_CONFIDENCE",
    "Caption",
    "Layer",
    "Piece",
    "Segment",
    "SpeechEngineUnavailableError",
    "Transcriber",
    "Transcript",
    "Word",
    "caption_cues",
    "engine_names",
    "get_transcriber",
    "get_transcript",
    "group_captions",
    "highlight_layers",
    "join_words",
    "publishable",
    "reel_words",
    "register_engine",
    "retime",
    "to_srt",
    "to_vtt",
]
