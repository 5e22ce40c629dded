"""One frame of a recording as a small JPEG: the thumbnails of candidate moments and clips.

A person judges a moment by its picture; FFmpeg seeks to the time (keyframe seek, then exact)
and scales the frame down, so a thumbnail costs one short decode whatever the recording's
length. The still is the recording's own framing, not the reel's crop.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from reelcut.errors import InvalidArgumentError, RenderError
from reelcut.media.ffmpeg import die_with_parent, ffmpeg_exe

THUMB_HEIGHT = 144  # lines: enough to recognise a moment, a few kilobytes to send


def source_still(path: Path, at_s: float, height: int = THUMB_HEIGHT) -> bytes:
    """The frame of ``path`` at ``at_s`` seconds, ``height`` lines high, as JPEG bytes."""
    if not 0 <= at_s < 24 * 3600:
        raise InvalidArgumentError(f"a still's time must be within the recording, not {at_s:g} s")
    if not 16 <= height <= 1080:
        raise InvalidArgumentError(f"a still is 16 to 1080 lines high, not {height}")
    command = [
        ffmpeg_exe(), "-v", "error", "-nostdin", "-ss", f"{at_s:.3f}", "-i", str(path),
        "-frames:v", "1", "-vf", f"scale=-2:{height}", "-q:v", "5", "-f", "image2",
        "-c:v", "mjpeg", "pipe:1",
    ]  # fmt: skip
    done = subprocess.run(
        command, capture_output=True, timeout=30, check=False, preexec_fn=die_with_parent
    )
    if done.returncode != 0 or not done.stdout.startswith(b"\xff\xd8"):
        if at_s > 0:  # past the last frame: the last frame there is
            return source_still(path, max(0.0, at_s - 0.5), height)
        raise RenderError(f"no frame could be read: {done.stderr.decode(errors='replace')[-300:]}")
    return done.stdout
