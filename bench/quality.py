"""Do the reels show the right moments? Scored on generated footage whose truth is known.

    python bench/quality.py                 # 20 fresh evaluation seeds per genre and generator
    python bench/quality.py --quick         # 3 seeds each, a smoke run
    python bench/quality.py --seed-base B   # the seeds of an earlier run (B .. B+N-1)
    python bench/quality.py --seed-base B --footage-only --jobs 2   # fill the footage cache first

Seeds. Tuning seeds are the ones used while developing (all below 1,000: the old suite's 1-3,
the cross-check's 21-24, every seed pinned in tests). Evaluation seeds are drawn fresh per run
(``random.SystemRandom``) from [1,000,000, 2,000,000,000), a range never used for tuning, and
the run prints them. Every generator x genre gets the same seeds.

Methods. For each footage, reelcut's clips and two naive baselines cut to the same length with
the same number of clips: evenly spaced clips, and clips around the loudest moments (short-term
loudness peaks). All three run once per seed, on the same seeds. Each is scored from its clip
times by the same scorer as a rendered reel (``reelcut.footage.score.score_frames``, fed the
source frames the clips cover); ``--check-renders`` renders the reels of the first seeds and
scores them black-box from their own frames, and the table reports how far the two agree.

Generators (see ``bench/generators.py`` for what each may claim): ``demo`` tuned the detector,
``crosscheck`` informed its laugh handling, ``blind`` has never been looked at by the detector.
Means are over seeds with 95% bootstrap intervals (``bench/stats.py``); paired differences
(reelcut minus a baseline on the same seed) say whether reelcut beats a baseline.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import shlex
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.controls import run_controls  # noqa: E402
from bench.generators import GENERATORS, cached_footage, version  # noqa: E402
from bench.stats import mean_ci, paired, percent, points  # noqa: E402
from reelcut.analysis import Signals, analyze  # noqa: E402
from reelcut.editor.make import reel_gain_db  # noqa: E402
from reelcut.editor.quick import plan_render  # noqa: E402
from reelcut.footage import Truth  # noqa: E402
from reelcut.footage.score import ReelFrame, score_frames, score_reel  # noqa: E402
from reelcut.media.probe import probe  # noqa: E402
from reelcut.render import RenderSettings, run_plan  # noqa: E402
from reelcut.selection import Clip, SelectionParams, select_clips  # noqa: E402

OUT = Path(__file__).resolve().parent / "out" / "quality"
SECONDS_PER_HIGHLIGHT = {"sports": 15.0, "talk": 10.0, "gaming": 15.0}
GENRES = ("sports", "talk", "gaming")
METHODS = ("reelcut", "even spacing", "loudest moments")
EVAL_RANGE = (1_000_000, 2_000_000_000)


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


def clip_frames(clips: list[Clip], truth: Truth) -> list[ReelFrame]:
    """The reel frames these clips make, as the renderer cuts them (source frames at its rate)."""
    frames, reel_s, step = [], 0.0, 1 / truth.fps
    last = round(truth.duration_s * truth.fps) - 1
    for c in clips:
        first = round(c.source_in_ms / 1000 * truth.fps)
        end = round(c.source_out_ms / 1000 * truth.fps)
        for index in range(max(first, 0), min(end, last + 1)):
            frames.append(ReelFrame(reel_s, step, truth.tag, index))
            reel_s += step
    return frames


def make_only(job: dict) -> str:
    """Generate (or find cached) one job's footage; the scoring run then reads it from cache."""
    path, _ = cached_footage(
        job["generator"], job["genre"], job["seed"], job["minutes"], job["height"],
        close_events=job["close_events"],
    )  # fmt: skip
    return path.name


def evaluate(job: dict) -> dict:
    """One footage: every method's clips, scored; rendered and scored black-box if asked."""
    path, truth = cached_footage(
        job["generator"], job["genre"], job["seed"], job["minutes"], job["height"],
        close_events=job["close_events"],
    )  # fmt: skip
    info = probe(path)
    s = analyze(info)
    target = SECONDS_PER_HIGHLIGHT[job["genre"]] * max(len(truth.highlights(2)), 1)
    ours = select_clips([s], SelectionParams(target_s=target))
    n = max(len(ours), 1)
    picks = {
        "reelcut": ours,
        "even spacing": even_clips(s, target, n),
        "loudest moments": loudest_clips(s, target, n),
    }
    row: dict = {**job, "highlights": len(truth.highlights(2)), "scores": {}, "rendered": {}}
    for method, clips in picks.items():
        row["scores"][method] = score_frames(clip_frames(clips, truth), truth).row()
        if job["render"]:
            out = OUT / "reels" / f"{path.stem}-{method.split()[0]}.mp4"
            out.parent.mkdir(parents=True, exist_ok=True)
            settings = RenderSettings(height=job["height"], preset="ultrafast")
            plan = plan_render(
                [info], clips, out, replace(settings, gain_db=reel_gain_db([s], clips))
            )
            run_plan(plan)
            row["rendered"][method] = score_reel(out, truth).row()
    if job["controls"]:
        work = OUT / "controls" / path.stem
        row["controls"] = {k: v.row() for k, v in run_controls(path, truth, work).items()}
    return row


def tables(rows: list[dict], generators: list[str], genres: list[str]) -> str:
    out = []
    for gen in generators:
        out += [
            f"**{gen}** ({GENERATORS[gen].role}; version {version(gen)})",
            "",
            "| footage | method | highlight recall | near-miss/argument recall | precision | "
            "time on distractors | cuts inside speech |",
            "|---|---|---|---|---|---|---|",
        ]
        for genre in genres:
            mine = [r for r in rows if r["generator"] == gen and r["genre"] == genre]
            if not mine:
                continue
            label = f"{genre} ({len(mine)} seeds, {sum(r['highlights'] for r in mine)} highlights)"
            for method in METHODS:
                sc = [r["scores"][method] for r in mine]
                out.append(
                    f"| {label} | {method} | {percent(mean_ci([x['recall'] for x in sc]))} | "
                    f"{percent(mean_ci([x['recall_g1'] for x in sc]))} | "
                    f"{percent(mean_ci([x['precision'] for x in sc]))} | "
                    f"{percent(mean_ci([x['distractors'] for x in sc]), 1)} | "
                    f"{sum(x['cuts_in_speech'] for x in sc)} of {2 * sum(x['cuts'] for x in sc)} |"
                )
        out.append("")
    out += [
        "Paired differences, reelcut minus each baseline on the same seeds (percentage points, "
        "95% interval; an interval above 0 means reelcut is better on these seeds):",
        "",
        "| generator | footage | recall vs loudest | recall vs even | precision vs loudest | "
        "precision vs even |",
        "|---|---|---|---|---|---|",
    ]
    for gen in generators:
        for genre in genres:
            mine = [r["scores"] for r in rows if r["generator"] == gen and r["genre"] == genre]
            if not mine:
                continue

            def diff(key: str, base: str) -> str:
                a = [x["reelcut"][key] for x in mine]  # noqa: B023
                return points(paired(a, [x[base][key] for x in mine]))  # noqa: B023

            out.append(
                f"| {gen} | {genre} | {diff('recall', 'loudest moments')} | "
                f"{diff('recall', 'even spacing')} | {diff('precision', 'loudest moments')} | "
                f"{diff('precision', 'even spacing')} |"
            )
    rendered = [r for r in rows if r["rendered"]]
    if rendered:
        gaps = [
            max(abs((r["rendered"][m][k] or 0) - (r["scores"][m][k] or 0)) for m in METHODS)
            for r in rendered
            for k in ("recall", "precision", "distractors")
        ]
        out += [
            "",
            f"Black-box check: the reels of {len(rendered)} footage x 3 methods were rendered "
            f"(180p) and scored from their own frames; largest difference from the clip-time "
            f"score over recall, precision and distractor time: {100 * max(gaps):.1f} points.",
        ]
    controls = [r for r in rows if r.get("controls")]
    if controls:
        out += [
            "",
            "Negative controls (reels cut by FFmpeg from the first evaluation seed's footage, "
            "scored black-box; each must score what it is):",
            "",
            "| control | footage | recall | precision | time on distractors | in order | unreadable |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in controls:
            for name, sc in r["controls"].items():
                out.append(
                    f"| {name} | {r['generator']} {r['genre']} | {_pc(sc['recall'])} | "
                    f"{_pc(sc['precision'])} | {_pc(sc['distractors'])} | "
                    f"{'yes' if sc['in_order'] else 'no'} | {_pc(sc['unreadable'])} |"
                )
    return "\n".join(out)


def _pc(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.0f}%"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="3 seeds per genre and generator")
    ap.add_argument("--seeds", type=int, help="evaluation seeds per genre and generator (20)")
    ap.add_argument("--seed-base", type=int, help="reuse seeds B..B+N-1 (default: draw fresh)")
    ap.add_argument("--generators", default=",".join(GENERATORS))
    ap.add_argument("--genres", default=",".join(GENRES))
    ap.add_argument("--minutes", type=float, default=2.0)
    ap.add_argument("--height", type=int, default=180)
    ap.add_argument("--close-events", action="store_true", help="footage with close events")
    ap.add_argument("--check-renders", type=int, default=1, help="seeds rendered black-box")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument(
        "--footage-only", action="store_true", help="only fill the footage cache; no scores"
    )
    args = ap.parse_args(argv)
    n = args.seeds or (3 if args.quick else 20)
    base = args.seed_base or random.SystemRandom().randrange(EVAL_RANGE[0], EVAL_RANGE[1] - n)
    if base < 1000:
        ap.error("evaluation seeds must not be tuning seeds (below 1,000)")
    generators, genres = args.generators.split(","), args.genres.split(",")
    jobs = [
        {
            "generator": gen,
            "genre": genre,
            "seed": base + k,
            "minutes": args.minutes,
            "height": args.height,
            "close_events": args.close_events,
            "render": k < args.check_renders,
            "controls": k == 0 and (not args.quick or genre == "sports"),
        }
        for k in range(n)
        for gen in generators
        for genre in genres
    ]
    if args.footage_only:
        with ProcessPoolExecutor(args.jobs) as pool:
            for name in pool.map(make_only, jobs):
                print(name, file=sys.stderr, flush=True)
        return
    started = datetime.datetime.now(datetime.UTC)
    with ProcessPoolExecutor(args.jobs) as pool:
        rows = []
        for row in pool.map(evaluate, jobs):
            rows.append(row)
            brief = {m: (s["recall"], s["precision"]) for m, s in row["scores"].items()}
            print(row["generator"], row["genre"], row["seed"], brief, file=sys.stderr, flush=True)
    command = "python bench/quality.py " + shlex.join(
        (argv if argv is not None else sys.argv[1:])
        + ([] if args.seed_base else ["--seed-base", str(base)])
    )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"run-{base}.json").write_text(json.dumps(rows, indent=1))
    print(
        f"Run of {started:%Y-%m-%d %H:%M} UTC: `{command.strip()}`; evaluation seeds "
        f"{base}..{base + n - 1} ({n} per genre and generator, drawn fresh for this run, never "
        f"used for tuning); footage {args.minutes:g} min at {args.height}p, 30 fps, espeak-ng speech"
        f"{', close events' if args.close_events else ''}; reel length "
        f"{', '.join(f'{g} {SECONDS_PER_HIGHLIGHT[g]:g} s' for g in genres)} per highlight; "
        "means over seeds with 95% bootstrap intervals.\n"
    )
    print(tables(rows, generators, genres))


if __name__ == "__main__":
    main()
