"""Do the reels show the right moments? Scored on generated footage whose truth is known.

    python bench/quality.py [--quick]

For each footage in the suite, reelcut's reel is rendered next to two naive baselines cut to the
same length with the same number of clips and the same renderer: evenly spaced clips, and clips
around the loudest moments (short-term loudness peaks). Every reel is scored as a black box from
its own frames (the burned-in counter), see ``reelcut.footage.score``. The footage comes from
the demo generator; ``bench/independent.py`` checks the same pipeline on the cross-check one.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import numpy as np

from reelcut.analysis import Signals, analyze
from reelcut.editor.make import reel_gain_db
from reelcut.editor.quick import plan_render
from reelcut.footage import Truth, make_footage
from reelcut.footage.score import score_reel
from reelcut.media.probe import probe
from reelcut.render import RenderSettings, run_plan
from reelcut.selection import Clip, SelectionParams, select_clips

OUT = Path(__file__).resolve().parent / "out" / "quality"
SECONDS_PER_HIGHLIGHT = {"sports": 15.0, "talk": 10.0, "gaming": 15.0}
SUITE = [
    ("sports", 1, 6),
    ("sports", 2, 6),
    ("sports", 3, 6),
    ("talk", 1, 4),
    ("talk", 2, 4),
    ("gaming", 1, 4),
]
QUICK = [("sports", 1, 4), ("talk", 1, 3)]


def footage(genre: str, seed: int, minutes: float) -> tuple[Path, Truth]:
    path = OUT / f"{genre}-{seed}-{minutes:g}m.mp4"
    if path.exists() and path.with_suffix(".truth.json").exists():
        return path, Truth.from_json(path.with_suffix(".truth.json"))
    OUT.mkdir(parents=True, exist_ok=True)
    return path, make_footage(path, genre=genre, minutes=minutes, height=360, seed=seed)


def even_clips(s: Signals, target: float, n: int) -> list[Clip]:
    length = target / n
    centres = (np.arange(n) + 0.5) * s.duration_s / n
    return [
        Clip(
            0, int((c - length / 2) * 1000), int((c + length / 2) * 1000), int(c * 1000), 0, "even"
        )
        for c in centres
    ]


def loudest_clips(s: Signals, target: float, n: int) -> list[Clip]:
    length = target / n
    loud = s.loudness_short_lufs.copy()
    picks: list[float] = []
    for _ in range(n):
        i = int(np.argmax(loud))
        t = (i + 0.5) * s.step_s
        picks.append(t)
        lo, hi = int((t - length) / s.step_s), int((t + length) / s.step_s) + 1
        loud[max(lo, 0) : hi] = -np.inf
    out = []
    for t in sorted(picks):
        a = float(np.clip(t - length / 2, 0, s.duration_s - length))
        out.append(Clip(0, int(a * 1000), int((a + length) * 1000), int(t * 1000), 0, "loud"))
    return out


def run(suite: list[tuple[str, int, float]]) -> dict[str, dict[str, dict[str, float]]]:
    rows: dict[str, dict[str, list[dict]]] = {}
    settings = RenderSettings(height=360, preset="ultrafast")
    for genre, seed, minutes in suite:
        path, truth = footage(genre, seed, minutes)
        info = probe(path)
        s = analyze(info)
        target = SECONDS_PER_HIGHLIGHT[genre] * max(len(truth.highlights(2)), 1)
        ours = select_clips([s], SelectionParams(target_s=target))
        n = max(len(ours), 1)
        for method, clips in (
            ("reelcut", ours),
            ("even spacing", even_clips(s, target, n)),
            ("loudest moments", loudest_clips(s, target, n)),
        ):
            out = OUT / f"{path.stem}-{method.split()[0]}.mp4"
            plan = plan_render(
                [info], clips, out, replace(settings, gain_db=reel_gain_db([s], clips))
            )
            run_plan(plan)
            score = score_reel(out, truth).row()
            rows.setdefault(genre, {}).setdefault(method, []).append(score)
            print(f"{genre:7s} seed {seed} {method:16s} {score}", file=sys.stderr)
    summary: dict[str, dict[str, dict[str, float]]] = {}
    for genre, methods in rows.items():
        for method, scores in methods.items():
            summary.setdefault(genre, {})[method] = {
                "recall": statistics.mean(r["recall"] for r in scores),
                "recall_g1": _mean_of_known(r["recall_g1"] for r in scores),
                "precision": statistics.mean(r["precision"] for r in scores),
                "distractors": statistics.mean(r["distractors"] for r in scores),
                "cuts_in_speech": sum(r["cuts_in_speech"] for r in scores),
                "cuts": sum(r["cuts"] for r in scores),
                "in_order": all(r["in_order"] for r in scores),
                "runs": len(scores),
            }
    return summary


def _mean_of_known(values: Iterable[float | None]) -> float | None:
    """Mean over the footage that has such events; None where none has."""
    known = [v for v in values if v is not None]
    return statistics.mean(known) if known else None


def table(summary: dict[str, dict[str, dict[str, float]]]) -> str:
    lines = [
        "| footage | method | highlight recall | near-miss/argument recall | precision | "
        "time on ads/announcements/whistles | cut points inside a spoken phrase |",
        "|---|---|---|---|---|---|---|",
    ]
    for genre, methods in summary.items():
        for method, m in methods.items():
            lines.append(
                f"| {genre} (x{m['runs']}) | {method} | {100 * m['recall']:.0f}% | "
                f"{_percent(m['recall_g1'])} | {100 * m['precision']:.0f}% | "
                f"{100 * m['distractors']:.1f}% | {m['cuts_in_speech']} of {2 * m['cuts']} |"
            )
    return "\n".join(lines)


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.0f}%"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    summary = run(QUICK if args.quick else SUITE)
    (OUT / "quality.json").write_text(json.dumps(summary, indent=2))
    print(table(summary))


if __name__ == "__main__":
    main()
