"""Edits as typed values: each op is a pure function old draft -> new draft, validated.

An op that cannot apply (clip 9 of 6, a negative time, an unknown font) raises
:class:`~reelcut.errors.EditError` and the old draft is untouched (drafts are immutable). Clip
numbers in ops are 1-based, as people count them ("remove the second clip").

Ops that change the reel's clips keep text anchored to the picture: a caption follows the words
it belongs to (and goes when its clip goes), a title moves with the moment it was placed on.
Ops that need analysis or media (re-selecting for a new length, the next-best clip, captions from
speech) are computed by :mod:`reelcut.editor.edits` and arrive here as plain values.
"""

from __future__ import annotations

from reelcut.timeline.ops.base import (
    CAPTION_TRACK,
    MUSIC_TRACK,
    OVERLAY_TRACK,
    TITLE_TRACK,
    Batch,
    Op,
)
from reelcut.timeline.ops.clips import (
    InsertClip,
    MoveClip,
    RemoveClip,
    ReplaceClip,
    SetClips,
    SetFormat,
    SetTransition,
    TrimClip,
)
from reelcut.timeline.ops.sound import EditMusic, RemoveMusic, SetMusic, SetOriginalVolume
from reelcut.timeline.ops.text import (
    AddCard,
    AddOverlay,
    AddText,
    EditCaption,
    EditText,
    RemoveOverlay,
    RemoveText,
    SetCaptions,
)

OPS: dict[str, type[Op]] = {
    cls.name: cls
    for cls in (
        RemoveClip,
        MoveClip,
        TrimClip,
        ReplaceClip,
        InsertClip,
        SetClips,
        SetFormat,
        SetTransition,
        AddText,
        EditText,
        RemoveText,
        SetCaptions,
        EditCaption,
        AddCard,
        AddOverlay,
        RemoveOverlay,
        SetMusic,
        EditMusic,
        RemoveMusic,
        SetOriginalVolume,
        Batch,
    )
}

__all__ = [
    "CAPTION_TRACK",
    "MUSIC_TRACK",
    "OPS",
    "OVERLAY_TRACK",
    "TITLE_TRACK",
    "AddCard",
    "AddOverlay",
    "AddText",
    "Batch",
    "EditMusic",
    "EditCaption",
    "EditText",
    "InsertClip",
    "MoveClip",
    "Op",
    "RemoveClip",
    "RemoveMusic",
    "RemoveOverlay",
    "RemoveText",
    "ReplaceClip",
    "SetCaptions",
    "SetClips",
    "SetFormat",
    "SetMusic",
    "SetOriginalVolume",
    "SetTransition",
    "TrimClip",
]
