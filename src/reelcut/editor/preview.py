"""One still of a reel, as it will render: for agents and pages that want to *see* an edit.

The still is rendered by the same planner as the reel (so the crop to the reel's aspect, the
subject-following reframe, titles and captions are what the render will show): the clip under
the playhead is cut down to a few frames at that moment, with the texts shown then, rendered
small, and its first frame is read back as PNG. No whole-reel render is needed.
"""

from __future__ import annotations

import subprocess
import tempfile
import threading
from dataclasses import replace
from pathlib import Path

from reelcut.editor.assets import render_draft
from reelcut.errors import EditError, RenderError
from reelcut.media.ffmpeg import ffmpeg_exe
from reelcut.render import RenderSettings
from reelcut.timeline.model import Draft, TextSegment, Track, TrackType

PREVIEW_HEIGHT = 360  # lines of the shorter side: enough to judge framing, small to send
_SPAN_MS = 200  # a few frames: the encoder needs some


def still_draft(draft: Draft, at_s: float, height: int = PREVIEW_HEIGHT) -> Draft:
    """The draft reduced to the moment ``at_s`` of the reel: one short clip, its texts."""
    total = draft.duration_ms
    if not draft.clips:
        raise EditError("the reel has no clips to show")
    at_ms = int(round(at_s * 1000))
    if not 0 <= at_ms < total:
        raise EditError(f"at_s {at_s:g} is outside the reel (0 to {total / 1000:.2f} s)")
    starts = draft.clip_starts_ms()
    k = max(i for i, s in enumerate(starts) if s <= at_ms)
    clip = draft.clips[k]
    into = (at_ms - starts[k]) * clip.speed
    src_in = clip.source_in_ms + int(into)
    span = max(int(_SPAN_MS * clip.speed), 1)
    src_in = min(src_in, max(clip.source_out_ms - span, clip.source_in_ms))
    one = replace(clip, source_in_ms=src_in, source_out_ms=min(src_in + span, clip.source_out_ms))
    shown = tuple(
        replace(t, start_ms=0, duration_ms=_SPAN_MS, fade_ms=0)
        for t in draft.texts
        if isinstance(t, TextSegment) and t.start_ms <= at_ms < t.end_ms
    )
    tracks = [Track(TrackType.VIDEO, "Video", (one,))]
    if shown:
        tracks.append(Track(TrackType.TEXT, "Text", shown))
    used = {one.source_id}
    return replace(
        draft,
        sources=tuple(s for s in draft.sources if s.id in used),
        tracks=tuple(tracks),
        height=min(height, draft.height) if draft.height else height,  # 0: the footage's
        transition="cut",
        original_volume=0,
    )


def preview_png(
    draft: Draft,
    at_s: float,
    *,
    height: int = PREVIEW_HEIGHT,
    cancel: threading.Event | None = None,
) -> bytes:
    """The reel's picture at ``at_s`` seconds as PNG bytes (``height`` lines, shorter side)."""
    still = still_draft(draft, at_s, height)
    with tempfile.TemporaryDirectory(prefix="reelcut-still-") as tmp:
        clip = Path(tmp) / "still.mp4"
        render_draft(still, clip, RenderSettings(preset="ultrafast"), cancel=cancel)
        done = subprocess.run(
            [ffmpeg_exe(), "-v", "error", "-i", str(clip), "-frames:v", "1", "-f", "image2",
             "-c:v", "png", "pipe:1"],
            capture_output=True, timeout=60, check=False,
        )  # fmt: skip
    if done.returncode != 0 or not done.stdout.startswith(b"\x89PNG"):
        raise RenderError(f"could not read the still back: {done.stderr.decode()[-300:]}")
    return done.stdout
