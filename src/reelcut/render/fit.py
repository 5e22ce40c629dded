"""Fitting one clip's upright picture to the reel's frame: scale, letterbox, blurred background,
the subject-following crop (given by the application layer) or a centre crop.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from reelcut.geometry import centre_crop, even
from reelcut.render.types import RenderAssets
from reelcut.timeline.model import Draft, VideoSegment

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp")


def is_image(path: Path) -> bool:
    return path.suffix.lower() in IMAGE_SUFFIXES


def clip_kind(clip: VideoSegment, assets: RenderAssets) -> str:
    """How the clip's picture is made: "colour" (a card), "image" or "video"."""
    if clip.source_id is None:
        return "colour"
    return "image" if is_image(assets.files[clip.source_id]) else "video"


def picture_fit(
    index: int,
    disp: tuple[int, int],
    out: tuple[int, int],
    draft: Draft,
    assets: RenderAssets,
    clip: VideoSegment,
) -> str:
    """Filters that turn one clip's upright picture into exactly ``out`` pixels."""
    (sw, sh), (w, h) = disp, out
    scale = f"scale={w}:{h}:flags=bicubic,setsar=1"
    if abs(sw / sh - w / h) < 0.01 * (w / h):
        return scale
    letterbox = (
        f"scale={w}:{h}:force_original_aspect_ratio=decrease:flags=bicubic,"
        f"pad={w}:{h}:(ow-iw)/2:(oh-ih)/2:color={clip.colour.replace('#', '0x')},setsar=1"
    )
    if draft.aspect == "source" or clip.role == "card":
        return letterbox
    if draft.reframe == "blur":
        bw, bh = even(w / 8), even(h / 8)
        return (
            f"split=2[fg{index}][bg{index}];"
            f"[bg{index}]scale={bw}:{bh}:force_original_aspect_ratio=increase,crop={bw}:{bh},"
            f"boxblur=luma_radius=6:luma_power=2:chroma_radius=6:chroma_power=2,"
            f"scale={w}:{h},setsar=1[bb{index}];"
            f"[fg{index}]scale={w}:{h}:force_original_aspect_ratio=decrease:flags=bicubic,setsar=1[ff{index}];"
            f"[bb{index}][ff{index}]overlay=(main_w-overlay_w)/2:(main_h-overlay_h)/2"
        )
    crop = assets.crop_filters.get(index)
    if crop is None:  # centre crop: the largest window of the output aspect
        cw, ch = centre_crop(sw, sh, Fraction(w, h))
        crop = f"crop={cw}:{ch}:(iw-{cw})/2:(ih-{ch})/2"
    return f"{crop},{scale}"


def shared_fit(draft: Draft, assets: RenderAssets, out: tuple[int, int], xfade: bool) -> str | None:
    """One picture fit for the joined reel instead of one per clip, where that changes no pixel
    (cuts only, every clip from one video source, one fit): a finished clip's filters keep their
    frame buffers until FFmpeg ends, so every per-clip scaler would add its own pool to the peak.
    """
    clips = draft.clips
    if xfade or any(clip_kind(c, assets) != "video" for c in clips):
        return None
    if len({c.source_id for c in clips}) != 1:
        return None
    fits = {
        picture_fit(i, assets.display[c.source_id], out, draft, assets, c)
        for i, c in enumerate(clips)
        if c.source_id is not None
    }
    fit = fits.pop() if len(fits) == 1 else None
    if fit is None or "[" in fit:  # a fit with its own labels (blurred background) stays per clip
        return None
    return fit
