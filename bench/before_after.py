"""The same job on two commits of reelcut, interleaved in one run: did a change cost anything?

Used for the application-layer move (issue 11): ``reelcut make`` (analysis + selection +
render, analysis cache off so both sides do the whole job) of one generated match, run
alternately on the commit before and the commit after, N times each, reporting the median wall
time, the ratio after/before and the peak memory of the whole process tree (bench/memwatch.py).
Each commit is checked out into a temporary worktree and imported from there
(``PYTHONPATH=<worktree>/src``) with this repository's virtual environment.

    python bench/before_after.py f612251 HEAD [--runs 3] [--minutes 3] [--resolution 720p]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.memwatch import measure  # noqa: E402
from reelcut.footage import make_footage  # noqa: E402


def _worktree(rev: str, where: Path) -> Path:
    path = where / rev.replace("/", "_")
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(path), rev], check=True
    )
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--minutes", type=float, default=3.0)
    ap.add_argument("--length", default="45s")
    ap.add_argument(
        "--resolution", default="720p", help="asked of both sides (defaults differ across commits)"
    )
    args = ap.parse_args()
    cache = Path(tempfile.gettempdir()) / "reelcut-bench"
    cache.mkdir(exist_ok=True)
    source = cache / f"ab-sports-{args.minutes:g}min-720p-seed7.mp4"
    if not source.exists():  # the same generator on both sides: made once, by this checkout
        make_footage(source, genre="sports", minutes=args.minutes, height=720, seed=7)
    python = sys.executable
    walls: dict[str, list[float]] = {args.before: [], args.after: []}
    peaks: dict[str, list[float]] = {args.before: [], args.after: []}
    picks: dict[str, set[str]] = {args.before: set(), args.after: set()}
    cpus: dict[str, list[float]] = {args.before: [], args.after: []}
    with tempfile.TemporaryDirectory(prefix="reelcut-ab-") as tmp:
        tmpdir = Path(tmp)
        trees = {rev: _worktree(rev, tmpdir) for rev in (args.before, args.after)}
        try:
            for run in range(args.runs):
                order = (args.before, args.after) if run % 2 == 0 else (args.after, args.before)
                for rev in order:
                    out = tmpdir / f"reel-{run}-{rev}.mp4"
                    env = dict(os.environ, PYTHONPATH=str(trees[rev] / "src"))
                    cmd = [python, "-m", "reelcut", "make", str(source), "-l", args.length]
                    cmd += ["-o", str(out), "--no-cache", "--no-project", "--json"]
                    cmd += ["--resolution", args.resolution]
                    used = resource.getrusage(resource.RUSAGE_CHILDREN)
                    m = measure(cmd, env=env)
                    now = resource.getrusage(resource.RUSAGE_CHILDREN)
                    cpus[rev].append(now.ru_utime + now.ru_stime - used.ru_utime - used.ru_stime)
                    if m.returncode != 0:
                        sys.exit(f"{rev} failed: {m.stderr[-2000:]}")
                    walls[rev].append(m.wall_s)
                    clips = json.loads(m.stdout)["clips"]
                    picks[rev].add(
                        ";".join(f"{c['source_in_s']:.3f}-{c['source_out_s']:.3f}" for c in clips)
                    )
                    peaks[rev].append(m.peak_rss_mb)
        finally:
            for tree in trees.values():
                subprocess.run(
                    ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                    check=False,
                )
    b, a = args.before, args.after
    print(f"input: {source.name} ({args.minutes:g} min 720p sports, seed 7), reel {args.length},")
    print(
        f"`reelcut make --no-cache --resolution {args.resolution}`, {args.runs} runs each, interleaved\n"
    )
    print("| commit | median CPU s (user+sys, whole tree) | median wall s | walls (s) | peak MB |")
    print("|---|---|---|---|---|")
    for rev in (b, a):
        runs = ", ".join(f"{w:.1f}" for w in walls[rev])
        cpu = statistics.median(cpus[rev])
        wall = statistics.median(walls[rev])
        print(f"| {rev} | {cpu:.1f} | {wall:.1f} | {runs} | {max(peaks[rev]):.0f} |")
    ratio = statistics.median(cpus[a]) / statistics.median(cpus[b])
    print(f"\nafter/before CPU time: {ratio:.2f}x (wall is at the mercy of the machine's load);")
    print(f"peak memory {max(peaks[a]) - max(peaks[b]):+.0f} MB")
    same = picks[a] == picks[b] and len(picks[a]) == 1
    print(f"same clips (source in/out) on both sides in every run: {'yes' if same else 'NO'}")
    for rev in (b, a):
        print(f"  {rev}: {sorted(picks[rev])}")


if __name__ == "__main__":
    main()
