"""reelcut next to its peers on the same files, in the same run.

    python bench/peers.py        (needs: pip install 'reelcut[bench]')

* Shot detection: PySceneDetect's default ContentDetector (decodes every frame) against
  reelcut's compressed-domain cuts on generated sports footage: speed in footage-seconds per
  wall-second, and how well the two cut lists agree (matches within 0.5 s).
* Render: MoviePy compiling the very same clip list to 1080p H.264 + AAC (same x264 preset)
  against reelcut's single FFmpeg pass.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generators import cached_footage  # noqa: E402
from reelcut.analysis import analyze  # noqa: E402
from reelcut.editor.make import reel_gain_db  # noqa: E402
from reelcut.editor.quick import plan_render  # noqa: E402
from reelcut.media.probe import probe  # noqa: E402
from reelcut.render import RenderSettings, run_plan  # noqa: E402
from reelcut.selection import SelectionParams, select_clips  # noqa: E402

OUT = Path(__file__).resolve().parent / "out" / "peers"


def agreement(ours: np.ndarray, theirs: np.ndarray, tol: float = 0.5) -> tuple[float, float]:
    """(share of their cuts we found, share of our cuts they confirm)."""
    if not len(theirs) or not len(ours):
        return 0.0, 0.0
    found = np.mean([np.min(np.abs(ours - t)) <= tol for t in theirs])
    confirmed = np.mean([np.min(np.abs(theirs - t)) <= tol for t in ours])
    return float(found), float(confirmed)


def main(runs: int = 3) -> None:
    from moviepy import VideoFileClip, concatenate_videoclips
    from scenedetect import ContentDetector, detect

    OUT.mkdir(parents=True, exist_ok=True)
    src, _ = cached_footage("demo", "sports", 11, 4.0, 720)
    info = probe(src)
    rows = []
    ours_t, theirs_t = [], []
    for _ in range(runs):
        t0 = time.monotonic()
        signals = analyze(info, use_cache=False)
        ours_t.append(time.monotonic() - t0)
        t0 = time.monotonic()
        scenes = detect(str(src), ContentDetector())
        theirs_t.append(time.monotonic() - t0)
    theirs = np.array([s[0].seconds for s in scenes[1:]])
    found, confirmed = agreement(signals.shot_cuts_s, theirs)
    a, b = statistics.median(ours_t), statistics.median(theirs_t)
    rows.append(
        (
            "shot cuts: reelcut analyze (audio + video, all signals)",
            f"{info.duration_s / a:.0f}x realtime",
            f"{len(signals.shot_cuts_s)} cuts",
        )
    )
    rows.append(
        (
            "shot cuts: PySceneDetect ContentDetector (video only)",
            f"{info.duration_s / b:.0f}x realtime",
            f"{len(theirs)} cuts; reelcut {b / a:.1f}x faster; finds {100 * found:.0f}% of its cuts, "
            f"{100 * confirmed:.0f}% of ours confirmed",
        )
    )
    clips = select_clips([signals], SelectionParams(target_s=60))
    settings = RenderSettings(height=1080, gain_db=reel_gain_db([signals], clips))
    r_ours, r_theirs = [], []
    for _ in range(runs):
        t0 = time.monotonic()
        run_plan(plan_render([info], clips, OUT / "reel-reelcut.mp4", settings))
        r_ours.append(time.monotonic() - t0)
        t0 = time.monotonic()
        with VideoFileClip(str(src)) as v:
            parts = [v.subclipped(c.source_in_ms / 1000, c.source_out_ms / 1000) for c in clips]
            reel = concatenate_videoclips(parts).resized(height=1080)
            reel.write_videofile(
                str(OUT / "reel-moviepy.mp4"),
                codec="libx264",
                audio_codec="aac",
                preset=settings.preset,
                fps=30,
                logger=None,
            )
        r_theirs.append(time.monotonic() - t0)
    a, b = statistics.median(r_ours), statistics.median(r_theirs)
    rows.append(
        (
            "render 60 s reel at 1080p: reelcut (one FFmpeg pass)",
            f"{a:.1f} s",
            f"{len(clips)} clips",
        )
    )
    rows.append(
        (
            "render the same clips: MoviePy concatenate + write_videofile",
            f"{b:.1f} s",
            f"reelcut {b / a:.1f}x faster",
        )
    )
    print("| measure | value | note |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    (OUT / "peers.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
