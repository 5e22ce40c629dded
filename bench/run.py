"""Run the benchmarks and rewrite the sections of bench/RESULTS.md that they own.

    python bench/run.py                     # every section: quality, speed, peers, edits
    python bench/run.py --quick             # small versions of each, for a smoke run
    python bench/run.py --only quality      # one section (others keep their last run)
    python bench/run.py --only quality -- --seed-base 117575293 --jobs 2   # args for it

Each owned section sits between ``<!-- bench/run.py: NAME -->`` and ``<!-- /bench/run.py: NAME -->``
in RESULTS.md and is replaced whole: the machine, the date, the exact command, then the table
its script printed. Text outside the markers is written by people and left alone, so every
number inside a section comes from the run that section names.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import shlex
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
SECTIONS = {  # name: (script, args for a full run, args for --quick)
    "quality": ("quality.py", [], ["--quick"]),
    "speed": ("speed.py", [], ["--quick"]),
    # the `make` rows alone (10- and 90-minute match, full decode alongside): issue 20's targets
    "speed-make": ("speed.py", ["--make-only"], ["--make-only", "--quick"]),
    "peers": ("peers.py", ["3"], ["1"]),
    "edits": ("edits.py", ["3"], ["1"]),
}


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
    sys.path.insert(0, str(HERE.parent / "src"))
    from reelcut.media.ffmpeg import ffmpeg_exe

    ff = subprocess.run([ffmpeg_exe(), "-version"], capture_output=True, text=True).stdout
    commit = subprocess.run(
        ["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem_gb:.0f} GiB RAM, Python {platform.python_version()}, "
        f"{ff.split(chr(10))[0].split(' Copyright')[0]}, commit {commit or 'unknown'}"
    )


def run_section(name: str, args: list[str]) -> str:
    """Run one section's script; the header is taken before it starts (the commit measured)."""
    script = SECTIONS[name][0]
    where = machine()
    started = datetime.datetime.now(datetime.UTC)
    load_before = os.getloadavg()[0]
    cmd = [sys.executable, str(HERE / script), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    minutes = (datetime.datetime.now(datetime.UTC) - started).total_seconds() / 60
    shown = f"python bench/{script} {shlex.join(args)}".strip()
    head = (
        f"Machine: {where}. Started {started:%Y-%m-%d %H:%M} UTC: `{shown}`; took "
        f"{minutes:.0f} min, load average {load_before:.1f} at the start and "
        f"{os.getloadavg()[0]:.1f} at the end."
    )
    if proc.returncode != 0:
        return f"{head}\n\nfailed:\n```\n{proc.stderr[-2000:]}\n```"
    return f"{head}\n\n{proc.stdout.strip()}"


def replace_section(text: str, name: str, body: str) -> str:
    begin, end = f"<!-- bench/run.py: {name} -->", f"<!-- /bench/run.py: {name} -->"
    block = f"{begin}\n{body}\n{end}"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        return pattern.sub(lambda _: block, text)
    return f"{text.rstrip()}\n\n## {name}\n\n{block}\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", default=",".join(SECTIONS), help="sections to run, comma-separated")
    ap.add_argument("extra", nargs="*", help="after --: arguments for the one section run")
    args = ap.parse_args()
    names = args.only.split(",")
    if args.extra and len(names) != 1:
        ap.error("extra arguments need exactly one section in --only")
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    for name in names:
        _, full, quick = SECTIONS[name]
        body = run_section(name, (quick if args.quick else full) + args.extra)
        text = replace_section(text, name, body)
        RESULTS.write_text(text)
        print(body, flush=True)


if __name__ == "__main__":
    main()
