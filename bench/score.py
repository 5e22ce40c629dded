"""Score a reel cut from generated footage against the footage's truth, as a black box.

    python bench/score.py reel.mp4 game.truth.json [other.truth.json ...]

prints a JSON object: the whole :class:`reelcut.footage.score.ReelScore` (what each number means
is documented there), with ``--brief`` leaving out the segments and events. A combined reel is
scored against the truths of all its clips (their seeds must differ mod 8).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from reelcut.footage.score import score_reel


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("reel", type=Path)
    parser.add_argument("truth", type=Path, nargs="+", help="truth.json of each source clip")
    parser.add_argument("--brief", action="store_true", help="leave out segments and events")
    args = parser.parse_args(argv)
    result = score_reel(args.reel, args.truth).to_dict()
    if args.brief:
        result.pop("segments")
        result.pop("events")
    json.dump(result, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
