"""The draft (an editable reel as pure data), its edits, its JSON forms and its summary; what
edits change and what a draft holds are values (:class:`Change`, :class:`TrackLine`), put in
words by :mod:`reelcut.instructions.reply`.

Nothing here touches media or FFmpeg: render and export read drafts, ops make new ones.
"""

from reelcut.timeline.changes import Change
from reelcut.timeline.model import (
    SCHEMA,
    AudioSegment,
    Draft,
    OverlaySegment,
    Source,
    TextSegment,
    Track,
    TrackType,
    VideoSegment,
    empty_draft,
)
from reelcut.timeline.ops import OPS, Op
from reelcut.timeline.serialize import (
    draft_from_compact,
    draft_from_json,
    draft_to_compact,
    draft_to_json,
)
from reelcut.timeline.summary import TrackLine, tracks
from reelcut.timeline.validate import validate

__all__ = [
    "OPS",
    "SCHEMA",
    "AudioSegment",
    "Change",
    "Draft",
    "Op",
    "OverlaySegment",
    "Source",
    "TextSegment",
    "Track",
    "TrackLine",
    "TrackType",
    "VideoSegment",
    "draft_from_compact",
    "draft_from_json",
    "draft_to_compact",
    "draft_to_json",
    "empty_draft",
    "tracks",
    "validate",
]
