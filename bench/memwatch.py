"""Run a command and report its wall time and the peak memory of its whole process tree.

``ru_maxrss`` only knows the largest single process; reelcut analyses audio in a child process
and renders in an FFmpeg child, so this samples the summed RSS of the command and all its
descendants every 20 ms. ``peak_by_name`` keeps each program's own peak (``ffmpeg...``,
``python...``) and ``timeline`` the samples, to see *when* memory grows, not only how far.

    python bench/memwatch.py CMD ARGS...   # prints wall, peaks and a coarse RSS timeline
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Measured:
    wall_s: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str
    peak_by_name: dict[str, float] = field(default_factory=dict)  # program name -> its own peak MB
    at_peak: dict[str, float] = field(default_factory=dict)  # program name -> MB at the tree's peak
    timeline: tuple[tuple[float, float], ...] = ()  # (seconds since start, summed RSS MB)


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            tasks = list(Path(f"/proc/{p}/task").iterdir())
        except OSError:  # the process ended while we looked
            continue
        for task in tasks:
            try:
                todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
    return out


def _rss_kb(pid: int) -> tuple[str, int]:
    """(program name, resident kB); ``ffmpeg-linux-x86_64-v9.0.2`` is named ``ffmpeg``."""
    name, rss = "", 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key == "Name":
                name = value.strip().split("-")[0]
            elif key == "VmRSS":
                rss = int(value.split()[0])
    except (OSError, ValueError, IndexError):
        return "", 0
    return name, rss


def measure(cmd: list[str], env: dict[str, str] | None = None) -> Measured:
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    peak = 0
    by_name: dict[str, int] = {}
    at_peak: dict[str, int] = {}
    timeline: list[tuple[float, float]] = []
    done = threading.Event()
    t0 = time.monotonic()

    def sample() -> None:
        nonlocal peak, at_peak
        while not done.is_set():
            total, now = 0, {}
            for p in _tree(proc.pid):
                name, kb = _rss_kb(p)
                total += kb
                now[name] = now.get(name, 0) + kb
                if name:
                    by_name[name] = max(by_name.get(name, 0), kb)
            if total > peak:
                peak, at_peak = total, now
            timeline.append((time.monotonic() - t0, total / 1024))
            time.sleep(0.02)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    stdout, stderr = proc.communicate()
    wall = time.monotonic() - t0
    done.set()
    watcher.join()
    return Measured(
        wall,
        peak / 1024,
        proc.returncode,
        stdout,
        stderr,
        {k: v / 1024 for k, v in by_name.items()},
        {k: v / 1024 for k, v in at_peak.items() if k},
        tuple(timeline),
    )


def main() -> None:
    m = measure(sys.argv[1:])
    sys.stderr.write(m.stderr[-2000:])
    print(f"wall {m.wall_s:.1f} s, peak {m.peak_rss_mb:.0f} MB, rc {m.returncode}")
    print("own peaks: " + ", ".join(f"{k} {v:.0f} MB" for k, v in sorted(m.peak_by_name.items())))
    print("at the peak: " + ", ".join(f"{k} {v:.0f} MB" for k, v in sorted(m.at_peak.items())))
    step = max(1, len(m.timeline) // 40)
    print("timeline (s MB): " + " ".join(f"{t:.0f}:{mb:.0f}" for t, mb in m.timeline[::step]))


if __name__ == "__main__":
    main()
