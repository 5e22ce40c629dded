"""Reframe a landscape clip to a narrower aspect (9:16, 1:1, 4:5) with a crop that follows the subject.

``crop_path`` decodes a clip a few times a second at ~224 px, finds the subject (faces, with the
BlazeFace model shipped in ``models/``, then motion and contrast), finds the shot cuts, and plans an
L1-smooth camera path per shot; ``crop_filter`` turns that path into one FFmpeg ``crop`` filter for
the renderer. ``center_path`` is the static fallback. Nothing here renders.
"""

from reelcut.reframe.faces import faces_available
from reelcut.reframe.filter import crop_filter, crop_size_px
from reelcut.reframe.geometry import CropPath, center_path, crop_size
from reelcut.reframe.path import crop_path

__all__ = [
    "CropPath",
    "center_path",
    "crop_filter",
    "crop_path",
    "crop_size",
    "crop_size_px",
    "faces_available",
]
