"""Wall time of ``reelcut shorts`` on a long generated talk, stage by stage.

    python bench/shorts_speed.py [--minutes 10] [--count 5] [--height 720]

The talk is tests/speechmedia.py's lecture said over and over to the length asked (a black
160x90 picture), cut into ``--count`` shorts of 20-60 s, 9:16 with captions, on a fresh cache.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests import speechmedia  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--count", type=int, default=5)
    ap.add_argument("--height", type=int, default=720)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["REELCUT_CACHE_DIR"] = str(Path(tmp) / "cache")
        from reelcut.analysis import analyze
        from reelcut.editor.shorts import make_shorts

        one = speechmedia.lecture()
        talk = speechmedia.lecture(repeat=math.ceil(args.minutes * 60 / one.duration_s))
        src = speechmedia.clip(
            Path(tmp) / "talk.mp4", talk.samples, picture="color=c=black:size=160x90:rate=25"
        )
        t0 = time.monotonic()
        analyze(src)
        t1 = time.monotonic()
        made = make_shorts(src, Path(tmp) / "out", args.count, 20, 60, height=args.height)
        t2 = time.monotonic()
        print(f"talk {talk.duration_s / 60:.1f} min -> {len(made)} shorts "
              f"({sum(s.end_ms - s.start_ms for s in made) / 1000:.0f} s) at {args.height}p 9:16")  # fmt: skip
        print(f"analysis {t1 - t0:.0f} s; transcribe + plan + render {t2 - t1:.0f} s; "
              f"total {t2 - t0:.0f} s ({(t2 - t0) / 60:.1f} min)")  # fmt: skip


if __name__ == "__main__":
    main()
