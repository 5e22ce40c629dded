"""The draft (an editable reel as pure data), its edits, its JSON forms and its summary.

Nothing here touches media or FFmpeg: render and export read drafts, ops make new ones.
"""

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
from reelcut.timeline.summary import summarize, track_lines
from reelcut.timeline.validate import validate

__all__ = [
    "OPS",
    "SCHEMA",
    "AudioSegment",
    "Draft",
    "Op",
    "OverlaySegment",
    "Source",
    "TextSegment",
    "Track",
    "TrackType",
    "VideoSegment",
    "draft_from_compact",
    "draft_from_json",
    "draft_to_compact",
    "draft_to_json",
    "empty_draft",
    "summarize",
    "track_lines",
    "validate",
]
