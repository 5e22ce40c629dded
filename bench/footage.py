"""Generate footage with a known answer key.

    python bench/footage.py --genre sports --minutes 10 --height 1080 --seed 1 -o out.mp4

writes ``out.mp4`` and ``out.truth.json`` (see :mod:`reelcut.footage`; ``--studio crosscheck``,
the generator written without sight of the detector, unless told otherwise) and prints what it
made.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generators import GENERATORS  # noqa: E402
from reelcut.footage import GENRES, make_footage  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate footage with known highlights.")
    parser.add_argument("--genre", choices=GENRES, default="sports")
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--height", type=int, default=360)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fps", type=int, default=30)
    parser.add_argument("--studio", choices=sorted(GENERATORS), default="crosscheck")
    parser.add_argument("--no-speech", action="store_true", help="stand-in speech, no espeak-ng")
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    truth = make_footage(
        args.output,
        args.genre,
        args.minutes,
        args.height,
        args.seed,
        args.fps,
        not args.no_speech,
        GENERATORS[args.studio].produce,
    )
    summary = {
        "output": str(args.output),
        "studio": args.studio,
        "seconds_taken": round(time.perf_counter() - started, 1),
        "duration_s": truth.duration_s,
        "size": f"{truth.width}x{truth.height}@{truth.fps}",
        "tag": truth.tag,
        "events": dict(Counter(e.kind for e in truth.events)),
        "utterances": len(truth.utterances),
    }
    json.dump(summary, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
