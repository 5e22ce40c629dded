"""Royalty-free background music made on the spot, and checks for music the user brings.

Nothing may be downloaded, so reelcut ships a procedural library: each mood is an arrangement
(tempo, key, chord progressions, drums, bass, chords, a tune) synthesised with NumPy into a
48 kHz stereo WAV at -16 LUFS, deterministic from (mood, seed, length) and cached on disk.
"""

from typing import Any

from reelcut.music.moods import MOODS, MoodInfo, mood_info, resolve_mood
from reelcut.music.userfile import check_music_file

_LAZY = {"GENERATOR_VERSION", "music_cache_dir", "music_track", "synthesize"}


def __getattr__(name: str) -> Any:
    """The synthesiser (SciPy and friends) loads only when music is made, not for mood look-ups."""
    if name in _LAZY:
        from reelcut.music import track

        return getattr(track, name)
    raise AttributeError(name)

__all__ = [
    "GENERATOR_VERSION",
    "MOODS",
    "MoodInfo",
    "check_music_file",
    "mood_info",
    "music_cache_dir",
    "music_track",
    "resolve_mood",
    "synthesize",
]
