"""Every benchmark in one go, written to bench/RESULTS.md with the machine it ran on.

python bench/run.py            # quality suite, speed (10/60/90 min), peers, edits
python bench/run.py --quick    # small versions of each, for a smoke run
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    from reelcut.media.ffmpeg import ffmpeg_exe

    ff = subprocess.run([ffmpeg_exe(), "-version"], capture_output=True, text=True).stdout.split(
        "\n"
    )[0]
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem_gb:.0f} GiB RAM, Python {platform.python_version()}, "
        f"{ff.split(' Copyright')[0]}, {datetime.date.today().isoformat()}"
    )


def section(title: str, script: str, *args: str) -> str:
    proc = subprocess.run(
        [sys.executable, str(HERE / script), *args], capture_output=True, text=True
    )
    if proc.returncode != 0:
        return f"## {title}\n\nfailed:\n```\n{proc.stderr[-2000:]}\n```\n"
    return f"## {title}\n\n{proc.stdout.strip()}\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    extra = ["--quick"] if args.quick else []
    parts = [
        "# Benchmark results\n",
        f"Machine: {machine()}.\nReproduce: `python bench/run.py` (peers need `pip install -e '.[bench]'`).\n",
        section(
            "Highlight quality on generated footage (black-box scored reels)", "quality.py", *extra
        ),
        section("Speed and memory (core engine)", "speed.py", *extra),
        section("Peers on the same files", "peers.py", "1" if args.quick else "3"),
        section("What edits cost at render time", "edits.py", "1" if args.quick else "3"),
    ]
    (HERE / "RESULTS.md").write_text("\n".join(parts))
    print("\n".join(parts))


if __name__ == "__main__":
    main()
