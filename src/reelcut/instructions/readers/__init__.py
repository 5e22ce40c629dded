"""One reader per edit family, in the order they read a clause.

The order matters where families share words: a title's "3 seconds" is taken before the length
reader looks, a trim's clip reference before the clip reader, music's "louder" before the
original sound's. To add a family, write a module with a ``READER`` and put it in the list.
"""

from __future__ import annotations

from reelcut.instructions.readers import (
    captions,
    cards,
    clips,
    focus,
    format,
    length,
    music,
    replay,
    sound,
    title,
    transition,
    trim,
)
from reelcut.instructions.readers.base import Reader

READERS: tuple[Reader, ...] = (
    title.READER,
    cards.READER,
    transition.READER,
    replay.READER,
    trim.READER,
    music.READER,
    sound.READER,
    format.READER,
    captions.READER,
    clips.READER,
    focus.READER,
    length.READER,
)

__all__ = ["READERS", "Reader"]
