"""CPU of the speech pass on sound without speech, this tree against a before tree, one run
(issue 20: windows of crowd noise and game sound that Whisper decoded in loops and sampled).

    python bench/speech_noise.py --before /tmp/whisper-before/src [--ranges ENTRY.json SOURCE]
                                 [--repeat 2]

Inputs: the 3-minute gaming sound of tests/e2e/test_speech_noise_decode.py (made here, the
whole file transcribed), and, with ``--ranges``, the source ranges a ``reelcut make`` asked the
speech pass for: the ``read.ranges`` of the speech cache entry it wrote
(``$REELCUT_CACHE_DIR/speech/<key>-<digest>.json``). Each side runs in its own child process
(``PYTHONPATH`` = that tree's ``src``), loads the model untimed, then times
``WhisperTranscriber.transcript`` (reading the sound and recognising it) with the process's CPU
clock; sides alternate, ``--repeat`` times. Words found are printed beside the times, so a
change that saved CPU by losing words shows.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def _child(source: str, ranges_json: str) -> None:
    from reelcut.speech.whisper import WhisperTranscriber

    ranges = json.loads(ranges_json)
    engine = WhisperTranscriber()
    c0, t0 = time.process_time(), time.perf_counter()
    found = engine.transcript(Path(source), [tuple(r) for r in ranges] if ranges else None)
    cpu, wall = time.process_time() - c0, time.perf_counter() - t0
    words = found.words()
    print(json.dumps({"cpu_s": cpu, "wall_s": wall, "words": [w.text for w in words]}))


def _game_sound(folder: Path) -> Path:
    import numpy as np

    from reelcut.footage import demo
    from tests import speechmedia

    made = demo.produce("gaming", 180.0, 4, 30, 4, False, False)
    mono = np.concatenate(list(made.sound())).mean(axis=1).astype(np.float32)
    return speechmedia.clip(folder / "game.mp4", mono)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--before", help="the before tree's src folder (required)")
    ap.add_argument("--ranges", nargs=2, metavar=("ENTRY", "SOURCE"))
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(*args.child)
        return
    if not args.before:
        ap.error("--before names the before tree's src folder")
    sides = {"before": str(Path(args.before).resolve()), "after": str(HERE.parent / "src")}
    with tempfile.TemporaryDirectory() as tmp:
        cases: list[tuple[str, Path, list[list[int]] | None]] = [
            ("gaming sound, 3 min, whole file", _game_sound(Path(tmp)), None)
        ]
        if args.ranges:
            entry, source = args.ranges
            ranges = json.loads(Path(entry).read_text("utf-8"))["read"]["ranges"]
            total = sum(b - a for a, b in ranges) / 1000
            cases.append(
                (f"{Path(source).name}: {len(ranges)} ranges, {total:.0f} s", Path(source), ranges)
            )
        print("| input | side | CPU s (each run) | median | wall s (median) | words |")
        print("|---|---|---|---|---|---|")
        for label, path, ranges in cases:
            runs: dict[str, list[dict]] = {s: [] for s in sides}
            for _ in range(args.repeat):
                for side, src in sides.items():
                    env = {**os.environ, "PYTHONPATH": src}
                    env["REELCUT_CACHE_DIR"] = str(Path(tmp) / f"cache-{side}")
                    out = subprocess.run(
                        [sys.executable, __file__, "--child", str(path), json.dumps(ranges)],
                        capture_output=True, text=True, check=True, env=env,
                    )  # fmt: skip
                    runs[side].append(json.loads(out.stdout.strip().splitlines()[-1]))
            for side, got in runs.items():
                cpus = [r["cpu_s"] for r in got]
                words = " ".join(got[0]["words"])
                print(
                    f"| {label} | {side} | {', '.join(f'{c:.2f}' for c in cpus)} | "
                    f"{statistics.median(cpus):.2f} | "
                    f"{statistics.median(r['wall_s'] for r in got):.2f} | "
                    f"{len(got[0]['words'])} {words[:60]!r} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
