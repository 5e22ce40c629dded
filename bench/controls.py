"""Negative controls: reels cut by FFmpeg straight from footage, each wrong in one known way.

A scorer that always said "perfect" would pass every success test; these reels must score what
they are. Used by ``bench/quality.py`` (its controls table) on evaluation footage of every
generator; ``tests/unit/test_score_controls.py`` holds the same controls as tests.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from reelcut.footage import Truth
from reelcut.footage.score import ReelScore, score_reel
from reelcut.media.ffmpeg import ffmpeg_exe

MARGIN_S = 1.5


def cut(src: Path, spans: list[tuple[float, float]], out: Path, reverse: bool = False) -> Path:
    """A reel of ``spans`` of ``src`` in the given order (each played backwards if ``reverse``)."""
    parts = [
        f"[0:v]trim=start={a:.3f}:end={b:.3f},setpts=PTS-STARTPTS{',reverse' if reverse else ''}[v{i}]"
        for i, (a, b) in enumerate(spans)
    ]
    joined = "".join(f"[v{i}]" for i in range(len(spans)))
    graph = ";".join([*parts, f"{joined}concat=n={len(spans)}:v=1:a=0[out]"])
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-i", str(src)]
    cmd += ["-filter_complex", graph, "-map", "[out]", "-c:v", "libx264", "-preset", "ultrafast"]
    subprocess.run([*cmd, "-crf", "18", "-pix_fmt", "yuv420p", str(out)], check=True)
    return out


def black(out: Path, seconds: float = 5.0) -> Path:
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i"]
    cmd += [f"color=black:size=320x180:rate=30:duration={seconds}", "-c:v", "libx264"]
    subprocess.run([*cmd, "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(out)], check=True)
    return out


def free_spans(truth: Truth, length_s: float) -> list[tuple[float, float]]:
    """Stretches of ``length_s`` that touch no event at all."""
    busy = sorted((e.start_s - MARGIN_S, e.end_s + MARGIN_S) for e in truth.events)
    spans, t = [], MARGIN_S
    for a, b in [*busy, (truth.duration_s - MARGIN_S, truth.duration_s)]:
        while t + length_s <= a:
            spans.append((t, t + length_s))
            t += length_s + MARGIN_S
        t = max(t, b)
    return spans


def run_controls(src: Path, truth: Truth, work: Path) -> dict[str, ReelScore]:
    """Every control that this footage allows (one with no distractor skips that control)."""
    work.mkdir(parents=True, exist_ok=True)
    cores = [(e.core_start_s, e.core_end_s) for e in truth.highlights(2)]
    reels: dict[str, Path] = {
        "perfect (positive control)": cut(src, cores, work / "cores.mp4"),
        "empty (black)": black(work / "black.mp4"),
    }
    distractors = [(e.start_s, e.end_s) for e in truth.distractors() if e.kind != "calm_speech"]
    if distractors:
        reels["distractors only"] = cut(src, distractors, work / "distractors.mp4")
    off = free_spans(truth, min(8.0, min(b - a for a, b in cores)))[: len(cores) + 1]
    if off:
        reels["shifted off every event"] = cut(src, off, work / "shifted.mp4")
    a, b = cores[0]
    mid = (a + b) / 2
    reels["clips out of order"] = cut(src, [(mid, b), (a, mid)], work / "swapped.mp4")
    reels["frames backwards"] = cut(src, [(a, b)], work / "backwards.mp4", reverse=True)
    return {name: score_reel(reel, truth) for name, reel in reels.items()}
