"""The README's first command, scored: which demo footage and reel length show what reelcut does.

    python bench/demo_reel.py                       # seeds 1-3, 45/60/75 s reels of 3 minutes
    python bench/demo_reel.py --seeds 1 --lengths 60 --render

For each seed it generates the footage exactly as ``reelcut sample demo.mp4 --minutes M --seed S``
does (720p, espeak-ng speech when installed), analyses it, and scores three cuts of each length
from their clip times with the same scorer as a rendered reel: reelcut's, evenly spaced clips and
clips around the loudest moments (the baselines of ``bench/quality.py``, same clip count).
``--render`` then runs ``reelcut make`` for real and scores the reel black-box with
``reelcut score``, as a new user would. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.quality import clip_frames, even_clips, loudest_clips  # noqa: E402
from reelcut.analysis import analyze  # noqa: E402
from reelcut.footage import make_footage  # noqa: E402
from reelcut.footage.score import score_frames  # noqa: E402
from reelcut.media.probe import probe  # noqa: E402
from reelcut.selection import SelectionParams, select_clips  # noqa: E402

OUT = Path(__file__).resolve().parent / "out" / "demo"


def _pc(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.0f}%"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--lengths", type=float, nargs="+", default=[45.0, 60.0, 75.0])
    parser.add_argument("--render", action="store_true", help="also make and score real reels")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    speech = shutil.which("espeak-ng") is not None
    print(f"footage: {args.minutes:g} min sports, 720p, espeak-ng speech: {speech}\n")
    print("| seed | reel | method | recall | precision | distractors | worst distractor |")
    print("|---|---|---|---|---|---|---|")
    for seed in args.seeds:
        demo = OUT / f"demo-{seed}.mp4"
        if not demo.exists():
            make_footage(demo, "sports", args.minutes, height=720, seed=seed, speech=speech)
        from reelcut.footage import Truth, truth_path

        truth = Truth.from_json(truth_path(demo))
        s = analyze(probe(demo))
        for length in args.lengths:
            ours = select_clips([s], SelectionParams(target_s=length))
            n = max(len(ours), 1)
            cuts = {
                "reelcut": ours,
                "even spacing": even_clips(s, length, n),
                "loudest moments": loudest_clips(s, length, n),
            }
            for method, clips in cuts.items():
                r = score_frames(clip_frames(clips, truth), truth)
                kinds = r.distractor_share_by_kind
                worst = max(kinds.items(), key=lambda kv: kv[1], default=("", 0.0))
                row = r.row()
                print(
                    f"| {seed} | {length:g}s | {method} | {_pc(row['recall'])} | "
                    f"{_pc(row['precision'])} | {_pc(row['distractors'])} | "
                    f"{worst[0]} {_pc(worst[1]) if worst[0] else ''} |"
                )
            if args.render:
                reel = OUT / f"reel-{seed}-{length:g}.mp4"
                t0 = time.monotonic()
                cmd = [sys.executable, "-m", "reelcut"]
                subprocess.run(
                    [*cmd, "make", str(demo), "-l", f"{length:g}s", "-o", str(reel), "-q",
                     "--no-project"],
                    check=True,
                )  # fmt: skip
                made_s = time.monotonic() - t0
                scored = json.loads(
                    subprocess.run(
                        [*cmd, "score", str(reel), "--source", str(demo)],
                        check=True, capture_output=True, text=True,
                    ).stdout
                )  # fmt: skip
                worst = max(scored["by_kind"].items(), key=lambda kv: kv[1], default=("", 0.0))
                print(
                    f"| {seed} | {length:g}s | reelcut make + score (rendered, {made_s:.0f} s) | "
                    f"{_pc(scored['recall'])} | {_pc(scored['precision'])} | "
                    f"{_pc(scored['distractors'])} | {worst[0]} {_pc(worst[1])} |"
                )


if __name__ == "__main__":
    main()
