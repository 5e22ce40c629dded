"""Titles and captions kept off the subject's face.

The follow crop already knows where the face is in the reel's picture (``CropPath.face_bands``);
a text whose band covers that face while both are on screen moves to the top or the bottom band,
whichever covers the face least, when that covers it less than half as much, and when no other
text is drawn there at the same time (two texts in one band would overlap). Nothing moves when
no face was seen.
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
    texts = draft.texts
    for n, seg in enumerate(texts):
        during = [(top, bottom) for t, top, bottom in seen if seg.start_ms <= t <= seg.end_ms]
        if not during:
            continue
        face = (min(t for t, _ in during) - _MARGIN, max(b for _, b in during) + _MARGIN)
        here = _covered(seg, seg.position, face, size)
        if here <= 0:
            continue
        taken = {
            moved.get(k, other.position)
            for k, other in enumerate(texts)
            if k != n and other.start_ms < seg.end_ms and seg.start_ms < other.end_ms
        }
        choices = [p for p in ("top", "bottom") if p != seg.position and p not in taken]
        if not choices:
            continue
        best = min(choices, key=lambda p: _covered(seg, p, face, size))
        if _covered(seg, best, face, size) < here / 2:
            moved[n] = best
    return moved


def _covered(
    seg: TextSegment, position: str, face: tuple[float, float], size: tuple[int, int]
) -> float:
    """How much of the height the text at ``position`` and the face share (0: none)."""
    top, bottom = text_band(replace(seg, position=position), *size)
    return max(0.0, min(bottom, face[1]) - max(top, face[0]))
