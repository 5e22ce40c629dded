"""Did a code change move the clips the quality run scored? Dump them, then compare two dumps.

    python bench/quality_clips.py dump old.json --seed-base B --seeds 20 [--shard 0/3]
    python bench/quality_clips.py compare old.json new.json [more.json ...]

``dump`` analyses every cached evaluation footage of seeds B..B+N-1 (``bench/out/footage``, as
``bench/quality.py`` made it) and writes reelcut's clips, picked exactly as ``bench/quality.py``
picks them. Run it once with each version of the code (``PYTHONPATH`` at that version's ``src``;
``REELCUT_CACHE_DIR`` at an empty folder so the analysis is recomputed, not read from a cache
filled by the other version). ``compare`` says how many footages got other clips: the quality
scores are a function of the clips and the truth, so none means the published tables hold for
both versions.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generators import CACHE  # noqa: E402
from bench.quality import SECONDS_PER_HIGHLIGHT  # noqa: E402
from reelcut.analysis import analyze  # noqa: E402
from reelcut.footage import Truth, truth_path  # noqa: E402
from reelcut.media.probe import probe  # noqa: E402
from reelcut.selection import SelectionParams, select_clips  # noqa: E402


def dump(out: Path, base: int, seeds: int, shard: int, shards: int) -> None:
    clips: dict[str, list[tuple[int, int]]] = {}
    for i, path in enumerate(sorted(CACHE.glob("*-s*.mp4"))):
        seed = int(re.search(r"-s(\d+)-", path.name).group(1))  # type: ignore[union-attr]
        if i % shards != shard or not base <= seed < base + seeds:
            continue
        truth = Truth.from_json(truth_path(path))
        target = SECONDS_PER_HIGHLIGHT[truth.genre] * max(len(truth.highlights(2)), 1)
        picked = select_clips([analyze(probe(path))], SelectionParams(target_s=target))
        clips[path.name] = [(c.source_in_ms, c.source_out_ms) for c in picked]
    out.write_text(json.dumps(clips, indent=0))
    print(f"{len(clips)} footages -> {out}")


def compare(old: Path, new: list[Path]) -> int:
    a = json.loads(old.read_text())
    b: dict = {}
    for p in new:
        b.update(json.loads(p.read_text()))
    moved = sorted(k for k in a.keys() & b.keys() if a[k] != b[k])
    print(f"{len(a.keys() & b.keys())} footages in both, {len(moved)} with other clips")
    for k in moved:
        print(f"  {k}: {a[k]} -> {b[k]}")
    return 1 if moved or a.keys() != b.keys() else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("--seed-base", type=int, required=True)
    d.add_argument("--seeds", type=int, default=20)
    d.add_argument("--shard", default="0/1", help="K/N: every Nth footage from the Kth")
    c = sub.add_parser("compare")
    c.add_argument("old", type=Path)
    c.add_argument("new", type=Path, nargs="+")
    args = ap.parse_args(argv)
    if args.cmd == "dump":
        k, n = (int(x) for x in args.shard.split("/"))
        dump(args.out, args.seed_base, args.seeds, k, n)
        return 0
    return compare(args.old, args.new)


if __name__ == "__main__":
    raise SystemExit(main())
