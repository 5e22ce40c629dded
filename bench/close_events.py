"""Are strong moments seconds apart all shown? Selection before and after, in one run.

    python bench/close_events.py [--quick] [--before f612251]

Footage from the demo generator with ``close_events=True`` (goal after goal 9-13 s apart, a near
miss 5-8 s before a goal; a punchline, its laugh and applause 1-3 s later, two laughs in a row;
one fight straight after another). For each footage, reels of 15 s and of 10 s per strong
(grade 2) event are cut twice from the same analysis: by ``reelcut.selection`` as it was at
commit BEFORE (read from git into a private package in this process) and by the current one.
All reels go through the same renderer (at 180p, which keeps a 2-core machine's run short; the
frame counter reads at any size) and are scored as a black box from their frames
(``reelcut.footage.score``). The table reports strong events shown, reels that show every
strong event, near-miss/argument recall, precision, time on distractors and cut points inside
a spoken phrase.

The same is done on plain footage of seeds from ``bench/quality.py``'s suite (no close events, its
length per genre: 15 s a goal or fight, 10 s a laugh or applause), so that a gain on close
events is not paid for on the footage the quality table is measured on.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generators import cached_footage  # noqa: E402
from bench.selection_at import selection_at  # noqa: E402
from reelcut.analysis import Signals, analyze  # noqa: E402
from reelcut.editor.make import reel_gain_db  # noqa: E402
from reelcut.editor.quick import plan_render  # noqa: E402
from reelcut.footage.score import score_reel  # noqa: E402
from reelcut.media.probe import probe  # noqa: E402
from reelcut.render import RenderSettings, run_plan  # noqa: E402
from reelcut.selection import Clip, SelectionParams, select_clips  # noqa: E402

HERE = Path(__file__).resolve().parent
OUT = HERE / "out" / "close_events"
CLOSE = [
    ("sports", 1, 10),
    ("sports", 2, 10),
    ("sports", 3, 10),
    ("sports", 4, 10),
    ("sports", 5, 10),
    ("talk", 1, 4),
    ("talk", 2, 4),
    ("gaming", 1, 4),
]
PLAIN = [  # seeds of bench/quality.py's suite, one per genre (a 2-core machine)
    ("sports", 1, 6),
    ("talk", 1, 4),
    ("gaming", 1, 4),
]
QUICK_CLOSE = [("sports", 5, 10)]  # the reproducer: goals 12 s apart, one left out at 15 s a goal
QUICK_PLAIN = [("talk", 1, 4)]
CLOSE_PER_EVENT_S = (15.0, 10.0)
PLAIN_PER_EVENT_S = {"sports": 15.0, "talk": 10.0, "gaming": 15.0}  # as bench/quality.py

Selector = Callable[[Sequence[Signals], SelectionParams], list[Clip]]


@dataclass(frozen=True, slots=True)
class Row:
    footage: str  # "sports, close events" or "sports"
    seed: int
    per_event_s: float
    method: str
    strong: int
    shown: int
    recall_g1: float | None
    precision: float | None
    distractors: float | None
    cuts: int
    cuts_in_speech: int
    length_s: float


def reel(
    path: Path,
    signals: Signals,
    clips: list[Clip],
    out: Path,
) -> None:
    settings = RenderSettings(height=180, preset="ultrafast")  # the counter reads at 180p
    info = probe(path)
    plan = plan_render(
        [info], clips, out, replace(settings, gain_db=reel_gain_db([signals], clips))
    )
    run_plan(plan)


def run(
    close: list[tuple[str, int, float]], plain: list[tuple[str, int, float]], before: str
) -> list[Row]:
    old = selection_at(before)
    methods: list[tuple[str, Selector]] = [
        (f"before ({before})", lambda s, p: list(old.select_clips(list(s), p))),
        ("after", select_clips),
    ]
    rows: list[Row] = []
    OUT.mkdir(parents=True, exist_ok=True)
    suite = [(g, s, m, True) for g, s, m in close] + [(g, s, m, False) for g, s, m in plain]
    for genre, seed, minutes, is_close in suite:
        path, truth = cached_footage("demo", genre, seed, minutes, close_events=is_close)
        label = f"{genre}, close events" if is_close else genre
        signals = analyze(probe(path))
        strong = len(truth.highlights(2))
        for per in CLOSE_PER_EVENT_S if is_close else (PLAIN_PER_EVENT_S[genre],):
            params = SelectionParams(target_s=per * strong)
            for method, pick in methods:
                clips = pick([signals], params)
                tag = "close" if is_close else "plain"
                out = OUT / f"{genre}-{seed}-{tag}-{per:g}s-{method.split()[0]}.mp4"
                reel(path, signals, clips, out)
                score = score_reel(out, truth)
                shown = sum(e.shown for e in score.events if e.grade == 2)
                rows.append(
                    Row(
                        label,
                        seed,
                        per,
                        method,
                        strong,
                        shown,
                        score.recall_grade1,
                        score.precision,
                        score.distractor_share,
                        score.cuts,
                        score.cuts_inside_speech,
                        score.reel_duration_s,
                    )
                )
                print(f"{label} seed {seed} {per:g}s/event {method}: {rows[-1]}", file=sys.stderr)
    return rows


def table(rows: list[Row]) -> str:
    lines = [
        "| footage | length | selection | strong events shown | reels showing every strong "
        "event | near-miss/argument recall | precision | time on distractors | cut points "
        "inside a spoken phrase | worst length error |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    keys = list(dict.fromkeys((r.footage, r.per_event_s, r.method) for r in rows))
    for footage, per, method in keys:
        mine = [r for r in rows if (r.footage, r.per_event_s, r.method) == (footage, per, method)]
        g1 = [r.recall_g1 for r in mine if r.recall_g1 is not None]
        prec = [r.precision or 0.0 for r in mine]
        dist = [r.distractors or 0.0 for r in mine]
        worst = max(abs(r.length_s - r.per_event_s * r.strong) for r in mine)
        lines.append(
            f"| {footage} (x{len(mine)}) | {per:g} s per event | {method} | "
            f"{sum(r.shown for r in mine)} of {sum(r.strong for r in mine)} | "
            f"{sum(r.shown == r.strong for r in mine)} of {len(mine)} | "
            f"{_percent(sum(g1) / len(g1) if g1 else None)} | "
            f"{_percent(sum(prec) / len(prec))} | {100 * sum(dist) / len(dist):.1f}% | "
            f"{sum(r.cuts_in_speech for r in mine)} of {2 * sum(r.cuts for r in mine)} | "
            f"{worst:.2f} s |"
        )
    return "\n".join(lines)


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.0f}%"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--before", default="f612251", help="commit whose selection is 'before'")
    args = ap.parse_args()
    if args.quick:
        rows = run(QUICK_CLOSE, QUICK_PLAIN, args.before)
    else:
        rows = run(CLOSE, PLAIN, args.before)
    print(table(rows))


if __name__ == "__main__":
    main()
