"""Speed and memory of the core engine on two kinds of input, each next to a full-decode baseline.

    python bench/speed.py            # 10-min inputs (3 runs each), 60-min memory, 90-min make
    python bench/speed.py --quick    # 2-min inputs, a smoke run

Two kinds of 1080p30 H.264 + AAC input, because analysis speed depends on what the pictures
cost to decode:

* ``pattern``: FFmpeg's testsrc2 (x264 veryfast, 8 Mb/s) with pink noise: cheap to make, a
  synthetic picture;
* ``broadcast``: the demo generator's sports footage at 1080p with film grain added
  (``noise=alls=10:allf=t``, x264 veryfast, 8 Mb/s): busier, broadcast-like pictures.

A 2-minute piece of each is repeated by stream copy (concat demuxer, no re-encode) to 10, 60 and
90 minutes. Pieces are cached under ``bench/out/speed`` by a hash of what makes them (the FFmpeg
arguments and version; for ``broadcast`` the footage's own cache key), never by file name alone.
reelcut's analysis and the baseline (FFmpeg decoding every video frame) run the same number of
times (``--runs``), each a fresh process with the cache off; the table gives medians and prints
exactly what ``RESULTS.md`` quotes.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import shlex
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from memwatch import measure  # noqa: E402

from bench.generators import cached_footage  # noqa: E402
from reelcut.media.ffmpeg import ffmpeg_exe  # noqa: E402

OUT = Path(__file__).resolve().parent / "out" / "speed"
REELCUT = [sys.executable, "-m", "reelcut"]
X264 = ["-c:v", "libx264", "-preset", "veryfast", "-b:v", "8M", "-maxrate", "8M"]
X264 += ["-bufsize", "16M", "-pix_fmt", "yuv420p"]
GRAIN = "noise=alls=10:allf=t"


def _ffmpeg_version() -> str:
    out = subprocess.run([ffmpeg_exe(), "-version"], capture_output=True, text=True).stdout
    return out.split("\n")[0]


def _keyed(kind: str, recipe: list[str]) -> Path:
    key = hashlib.sha256(json.dumps([_ffmpeg_version(), *recipe]).encode()).hexdigest()[:12]
    return OUT / f"{kind}-{key}.mp4"


def _make(path: Path, args: list[str]) -> Path:
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}")
    m = measure([ffmpeg_exe(), "-y", "-loglevel", "error", *args, str(part)])
    if m.returncode != 0:
        raise SystemExit(f"making {path.name} failed: {m.stderr[-600:]}")
    part.rename(path)
    return path


def pattern_piece(seconds: int = 120) -> Path:
    """testsrc2 at 1080p30 with pink noise."""
    args = ["-f", "lavfi", "-i", f"testsrc2=size=1920x1080:rate=30:duration={seconds}"]
    args += ["-f", "lavfi", "-i", f"anoisesrc=d={seconds}:c=pink:a=0.1:r=48000"]
    args += [*X264, "-c:a", "aac", "-ac", "2"]
    return _make(_keyed("pattern", args), args)


def broadcast_piece(seconds: int = 120) -> Path:
    """The demo generator's sports footage at 1080p, with grain, re-encoded at 8 Mb/s."""
    src, _ = cached_footage("demo", "sports", 7, seconds / 60, 1080, speech=False)
    args = ["-i", str(src), "-vf", GRAIN, *X264, "-c:a", "copy"]
    return _make(_keyed("broadcast", [src.name, *args[2:]]), args)


def repeated(src: Path, times: int) -> Path:
    """``src`` ``times`` over by stream copy (its name carries ``src``'s key)."""
    if times == 1:
        return src
    listing = OUT / f"{src.stem}x{times}.txt"
    listing.write_text("".join(f"file '{src.name}'\n" for _ in range(times)))
    args = ["-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy"]
    return _make(OUT / f"{src.stem}x{times}.mp4", [*args, "-movflags", "+faststart"])


def median_run(cmd: list[str], runs: int) -> tuple[float, float, list[float]]:
    walls, peaks = [], []
    for _ in range(runs):
        m = measure(cmd)
        if m.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed: {m.stderr[-600:]}")
        walls.append(m.wall_s)
        peaks.append(m.peak_rss_mb)
    return statistics.median(walls), max(peaks), walls


def duration_s(path: Path) -> float:
    from reelcut.media.probe import probe

    return probe(path, max_mb=1e9).duration_s


def analysis_rows(kind: str, path: Path, runs: int, results: dict) -> list[tuple[str, str, str]]:
    """reelcut's analysis and the full decode, ``runs`` times each, on one input."""
    seconds = duration_s(path)
    label = f"{seconds / 60:.0f}-min {kind}"
    analyze = [*REELCUT, "analyze", str(path), "--json", "--no-cache", "--max-size", "1e9"]
    decode = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-i", str(path)]
    decode += ["-map", "0:v", "-f", "null", "-"]
    a_wall, a_peak, a_all = median_run(analyze, runs)
    f_wall, _, f_all = median_run(decode, runs)
    results[kind] = {
        "seconds": seconds,
        "analysis_walls_s": a_all,
        "full_decode_walls_s": f_all,
        "analysis_peak_mb": a_peak,
    }
    return [
        (
            f"analysis, {label} (wall incl. start-up, median of {runs})",
            f"{a_wall:.1f} s",
            f"{seconds / a_wall:.0f}x realtime (target >= 100x); runs "
            + ", ".join(f"{w:.1f}" for w in a_all),
        ),
        (
            f"baseline: FFmpeg decoding every frame, {label} (median of {runs})",
            f"{f_wall:.1f} s",
            f"{seconds / f_wall:.1f}x realtime; reelcut {f_wall / a_wall:.1f}x faster "
            "(target >= 10x); runs " + ", ".join(f"{w:.1f}" for w in f_all),
        ),
        (f"analysis peak memory, {label}", f"{a_peak:.0f} MB", "target <= 600 MB"),
    ]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="2-min inputs only")
    ap.add_argument("--runs", type=int, default=3, help="runs of the subject and of the baseline")
    args = ap.parse_args(argv)
    started = datetime.datetime.now(datetime.UTC)
    times = 1 if args.quick else 5
    inputs = {"pattern": pattern_piece(), "broadcast": broadcast_piece()}
    rows: list[tuple[str, str, str]] = []
    results: dict = {}
    for kind, piece in inputs.items():
        rows += analysis_rows(kind, repeated(piece, times), args.runs, results)
    ten = repeated(inputs["broadcast"], times)
    reel = OUT / "reel2m.mp4"
    make = [*REELCUT, "make", str(ten), "-l", "2m", "-o", str(reel), "--json", "--max-size", "1e9"]
    render_walls = []
    for _ in range(args.runs):
        m = measure(make)  # analysis cached after the first run: render_s is the render alone
        if m.returncode != 0:
            raise SystemExit(m.stderr[-600:])
        render_walls.append(json.loads(m.stdout)["render_s"])
    r = statistics.median(render_walls)
    results["render_2min_1080p_s"] = render_walls
    rows.append(
        (
            f"render of a 2-min 1080p reel from the {duration_s(ten) / 60:.0f}-min broadcast input "
            f"(median of {args.runs})",
            f"{r:.1f} s",
            "target <= 60 s",
        )
    )
    if not args.quick:
        sixty = repeated(inputs["broadcast"], 30)
        _, p60, _ = median_run(
            [*REELCUT, "analyze", str(sixty), "--json", "--no-cache", "--max-size", "1e9"], 1
        )
        rows.append(("analysis peak memory, 60-min broadcast", f"{p60:.0f} MB", "target <= 600 MB"))
        results["peak_mb_60min"] = p60
        ninety = repeated(inputs["broadcast"], 45)
        cmd = [*REELCUT, "make", str(ninety), "-l", "2m", "-o", str(OUT / "reel90.mp4"), "--json"]
        m = measure([*cmd, "--no-cache", "--max-size", "1e9"])
        if m.returncode != 0:
            raise SystemExit(m.stderr[-600:])
        doc = json.loads(m.stdout)
        rows.append(
            (
                "whole `make` of the 90-min broadcast input -> 2-min reel (one run)",
                f"{m.wall_s:.1f} s",
                f"analysis {doc['analysis_s']:.1f} s + render {doc['render_s']:.1f} s; "
                f"peak {m.peak_rss_mb:.0f} MB, FFmpeg's own {m.peak_by_name.get('ffmpeg', 0):.0f} MB "
                "(target < 120 s, <= 600 MB)",
            )
        )
        results.update(make_90min_s=m.wall_s, make_90min_peak_mb=m.peak_rss_mb)
    command = "python bench/speed.py " + shlex.join(argv if argv is not None else sys.argv[1:])
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(
        f"Run of {started:%Y-%m-%d %H:%M} UTC: `{command.strip()}`; inputs "
        + ", ".join(f"`{p.name}`" for p in inputs.values())
        + f"; load average at the end {' / '.join(load)} (1/5/15 min).\n"
    )
    print("| measure | value | note |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "speed.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
