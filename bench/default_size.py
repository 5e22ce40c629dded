"""What the default output size costs: ``reelcut make`` of 720p footage at the default (the
footage's own size, at most 1080p) next to ``--resolution 1080p`` (the old default: upscaling),
same input, same run.

    python bench/default_size.py [MINUTES] [LENGTH_S]     # defaults: 3 minutes -> 45 s reel

The README's first command's footage (the demo generator's sports footage, 720p) is generated
once and cached (bench/generators.py). Analysis is warmed first, so both makes read the same
cached signals and differ only in what they render; each is a fresh ``reelcut`` process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generators import cached_footage  # noqa: E402

OUT = Path(__file__).resolve().parent / "out" / "default_size"
REELCUT = Path(sys.executable).with_name("reelcut")


def make(src: Path, out: Path, length_s: float, *extra: str) -> tuple[float, dict]:
    t0 = time.monotonic()
    proc = subprocess.run(
        [str(REELCUT), "make", str(src), "-o", str(out), "-l", f"{length_s:g}s", "-q",
         "--no-project", "--json", *extra],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return time.monotonic() - t0, json.loads(proc.stdout)


def size_of(path: Path) -> str:
    import av

    with av.open(str(path)) as c:
        s = c.streams.video[0]
        return f"{s.codec_context.width}x{s.codec_context.height}"


def main() -> None:
    minutes = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    length_s = float(sys.argv[2]) if len(sys.argv) > 2 else 45.0
    src, _ = cached_footage("demo", "sports", 1, minutes, 720)
    OUT.mkdir(parents=True, exist_ok=True)
    make(src, OUT / "warm.mp4", length_s)  # analysis cached for both runs below
    rows = []
    for name, extra in (
        ("default (footage's own size)", ()),
        ("--resolution 1080p", ("--resolution", "1080p")),
    ):
        wall, _info = make(src, OUT / "reel.mp4", length_s, *extra)
        rows.append((name, size_of(OUT / "reel.mp4"), wall))
    print(
        f"{minutes:g}-min 720p demo footage -> {length_s:g} s reel, analysis cached, one run each"
    )
    print("| make | output | wall s |")
    print("|---|---|---|")
    for name, size, wall in rows:
        print(f"| {name} | {size} | {wall:.1f} |")


if __name__ == "__main__":
    main()
