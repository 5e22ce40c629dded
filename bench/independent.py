"""Cross-check on footage from a second generator, written without sight of the detector.

    python bench/independent.py

The demo generator of ``reelcut.footage`` (used by the tests, the quality suite and
``reelcut sample``) and the detector were written side by side, so good scores there could be
tuning. The cross-check generator (``bench/crosscheck``) was written independently from the same
brief; reels are scored by the same black-box scorer as the suite's.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import crosscheck  # noqa: E402
from reelcut.editor.make import make_reels  # noqa: E402
from reelcut.footage import make_footage  # noqa: E402
from reelcut.footage.score import score_reel  # noqa: E402
from reelcut.render import RenderSettings  # noqa: E402
from reelcut.selection import SelectionParams  # noqa: E402

OUT = Path(__file__).resolve().parent / "out" / "independent"
SUITE = [("sports", 21, 6, 15), ("sports", 22, 6, 15), ("talk", 23, 4, 10), ("gaming", 24, 4, 15)]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    print("| footage | highlights | recall | grade-1 recall | precision | time on distractors |")
    print("|---|---|---|---|---|---|")
    for genre, seed, minutes, per in SUITE:
        src = OUT / f"{genre}{seed}.mp4"
        truth = make_footage(
            src, genre=genre, minutes=minutes, height=360, seed=seed, studio=crosscheck.produce
        )
        n = len(truth.highlights())
        out = OUT / f"{genre}{seed}-reel.mp4"
        make_reels(
            [src],
            [out],
            SelectionParams(target_s=per * n),
            RenderSettings(height=360, preset="ultrafast"),
        )
        s = score_reel(out, truth)
        g1 = "-" if s.recall_grade1 is None else f"{100 * s.recall_grade1:.0f}%"
        print(
            f"| {genre} seed {seed} ({minutes} min) | {n} | {100 * s.recall:.0f}% | {g1} | "
            f"{100 * s.precision:.0f}% | {100 * s.distractor_share:.1f}% |",
            flush=True,
        )


if __name__ == "__main__":
    main()
