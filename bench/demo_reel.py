"""The README's first command, scored: which demo footage and reel length show what reelcut does.

    python bench/demo_reel.py                       # seeds 1-3, 45/60/75 s reels of 3 minutes
    python bench/demo_reel.py --seeds 1 --lengths 60 --render

For each seed it generates the footage exactly as ``reelcut sample demo.mp4 --minutes M --seed S``
does (720p, espeak-ng speech when installed; cached by generator version and parameters through
``bench.generators.cached_footage``, never by file name), analyses it, and scores three cuts of
each length from their clip times with the same scorer as a rendered reel: reelcut's, evenly spaced clips and
clips around the loudest moments (the baselines of ``bench/quality.py``, same clip count).
``--render`` then runs ``reelcut make`` for real and scores the reel black-box with
``reelcut score``, as a new user would. Prints a Markdown table under a line naming the run
(command, commit, date, load average). Seeds 1-3 are the demo generator's tuning seeds: the
README's first command uses seed 1, and this script shows what that user sees, not an evaluation
(``bench/quality.py`` is the evaluation).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generators import cached_footage, version  # noqa: E402
from bench.quality import clip_frames, even_clips, loudest_clips  # noqa: E402
from reelcut.analysis import analyze  # noqa: E402
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
    commit = subprocess.run(
        ["git", "-C", str(OUT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    command = shlex.join(["python", "bench/demo_reel.py", *(argv or sys.argv[1:])])
    print(
        f"Run of {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC: `{command}` at commit "
        f"{commit}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start; "
        f"footage: {args.minutes:g} min sports, 720p, demo generator {version('demo')} "
        f"(the tuning one), espeak-ng speech: {speech}\n"
    )
    print("| seed | reel | method | recall | precision | distractors | worst distractor |")
    print("|---|---|---|---|---|---|---|")
    for seed in args.seeds:
        demo, truth = cached_footage("demo", "sports", seed, args.minutes, 720, speech=speech)
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
