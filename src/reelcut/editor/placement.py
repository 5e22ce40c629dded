"""Titles and captions kept off the subject's face.

The follow crop already knows where the face is in the reel's picture (``CropPath.face_bands``);
a text whose band would cover that face while both are on screen is drawn at the top or the
bottom instead, whichever clears the face (the side away from the face first). Nothing moves
when no face was seen, or when neither band is clear.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from reelcut.render.text import text_band
from reelcut.timeline.model import Draft, TextSegment

FaceBand = tuple[float, float, float]  # (t_s from the clip start, top, bottom) of the picture
_MARGIN = 0.02  # of the height: a text this close to a face covers it


def texts_off_faces(
    draft: Draft, faces: Mapping[int, Sequence[FaceBand]], size: tuple[int, int]
) -> dict[int, str]:
    """Index in ``draft.texts`` -> the position to draw it at instead, for a ``size`` reel.

    ``faces`` holds, per clip index, the face bands of that clip's crop (clip time at speed 1).
    """
    starts = draft.clip_starts_ms()
    seen: list[tuple[float, float, float]] = []  # (reel ms, top, bottom)
    for i, bands in faces.items():
        clip = draft.clips[i]
        seen += [(starts[i] + t * 1000 / clip.speed, top, bottom) for t, top, bottom in bands]
    moved: dict[int, str] = {}
    if not seen:
        return moved
    for n, seg in enumerate(draft.texts):
        during = [(top, bottom) for t, top, bottom in seen if seg.start_ms <= t <= seg.end_ms]
        if not during:
            continue
        face = (min(t for t, _ in during) - _MARGIN, max(b for _, b in during) + _MARGIN)
        if _clear(seg, seg.position, face, size):
            continue
        upper_face = sum(face) / 2 < 0.5
        for position in ("bottom", "top") if upper_face else ("top", "bottom"):
            if position != seg.position and _clear(seg, position, face, size):
                moved[n] = position
                break
    return moved


def _clear(
    seg: TextSegment, position: str, face: tuple[float, float], size: tuple[int, int]
) -> bool:
    top, bottom = text_band(replace(seg, position=position), *size)
    return bottom <= face[0] or top >= face[1]
