"""Speed and memory of the core engine, next to a full-decode baseline measured in the same run.

    python bench/speed.py            # 10-min 1080p30 file, plus 60- and 90-min for memory/make
    python bench/speed.py --quick    # 2-min file only (a smoke run)

The long inputs are stream copies of one generated 2-minute 1080p30 H.264 piece (concat demuxer,
no re-encode), so making them costs seconds; analysis reads them packet by packet all the same.
Every figure is the median of ``--runs`` runs, each a fresh process with the cache off.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from memwatch import measure  # noqa: E402

from reelcut.media.ffmpeg import ffmpeg_exe  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
REELCUT = [sys.executable, "-m", "reelcut"]


def piece(seconds: int = 120) -> Path:
    """A 1080p30 H.264 + AAC piece with moving pictures, cuts and a loud moment."""
    path = OUT / f"piece{seconds}.mp4"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        from reelcut.footage import make_footage

        make_footage(path, genre="sports", minutes=seconds / 60, height=1080, seed=7, speech=False)
    except ImportError:
        measure(
            [
                ffmpeg_exe(),
                "-y",
                "-loglevel",
                "error",
                "-f",
                "lavfi",
                "-i",
                f"testsrc2=size=1920x1080:rate=30:duration={seconds}",
                "-f",
                "lavfi",
                "-i",
                f"anoisesrc=d={seconds}:c=pink:a=0.1:r=48000",
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-b:v",
                "8M",
                "-maxrate",
                "8M",
                "-bufsize",
                "16M",
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac",
                "-ac",
                "2",
                str(path),
            ]
        )
    return path


def repeated(src: Path, times: int) -> Path:
    path = OUT / f"{src.stem}x{times}.mp4"
    if path.exists():
        return path
    listing = OUT / f"{path.stem}.txt"
    listing.write_text("".join(f"file '{src.name}'\n" for _ in range(times)))
    m = measure(
        [
            ffmpeg_exe(),
            "-y",
            "-loglevel",
            "error",
            "-f",
            "concat",
            "-safe",
            "0",
            "-i",
            str(listing),
            "-c",
            "copy",
            "-movflags",
            "+faststart",
            str(path),
        ]
    )
    assert m.returncode == 0, m.stderr
    return path


def median_run(cmd: list[str], runs: int) -> tuple[float, float]:
    walls, peaks = [], []
    for _ in range(runs):
        m = measure(cmd)
        if m.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed: {m.stderr[-600:]}")
        walls.append(m.wall_s)
        peaks.append(m.peak_rss_mb)
    return statistics.median(walls), max(peaks)


def duration_s(path: Path) -> float:
    from reelcut.media.probe import probe

    return probe(path, max_mb=1e9).duration_s


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    base = piece()
    rows: list[tuple[str, str, str]] = []
    results: dict[str, float] = {}
    ten = base if args.quick else repeated(base, 5)
    minutes = duration_s(ten) / 60
    analyze = [*REELCUT, "analyze", str(ten), "--json", "--no-cache", "--max-size", "1e9"]
    a_wall, a_peak = median_run(analyze, args.runs)
    full = [
        ffmpeg_exe(),
        "-hide_banner",
        "-loglevel",
        "error",
        "-i",
        str(ten),
        "-map",
        "0:v",
        "-f",
        "null",
        "-",
    ]
    f_wall, _ = median_run(full, 1 if not args.quick else args.runs)
    speed = minutes * 60 / a_wall
    results.update(
        analysis_x_realtime=speed,
        full_decode_x_realtime=minutes * 60 / f_wall,
        analysis_vs_full_decode=f_wall / a_wall,
    )
    rows += [
        (
            f"analysis, {minutes:.0f}-min 1080p30 (wall, incl. start-up)",
            f"{a_wall:.1f} s",
            f"{speed:.0f}x realtime (target >= 100x)",
        ),
        (
            "baseline: FFmpeg decoding every frame",
            f"{f_wall:.1f} s",
            f"{minutes * 60 / f_wall:.1f}x realtime; reelcut is {f_wall / a_wall:.1f}x faster (target >= 10x)",
        ),
        (f"analysis peak memory, {minutes:.0f}-min input", f"{a_peak:.0f} MB", "target <= 600 MB"),
    ]
    reel = OUT / "reel2m.mp4"
    make = [*REELCUT, "make", str(ten), "-l", "2m", "-o", str(reel), "--json", "--max-size", "1e9"]
    render_walls = []
    for _ in range(args.runs):
        m = measure(make)  # analysis cached after the first run: render_s is the render alone
        if m.returncode != 0:
            raise SystemExit(m.stderr[-600:])
        render_walls.append(json.loads(m.stdout)["render_s"])
    r = statistics.median(render_walls)
    results["render_2min_1080p_s"] = r
    rows.append(("render of a 2-min 1080p reel (one FFmpeg pass)", f"{r:.1f} s", "target <= 60 s"))
    if not args.quick:
        sixty = repeated(base, 30)
        _, p60 = median_run(
            [*REELCUT, "analyze", str(sixty), "--json", "--no-cache", "--max-size", "1e9"], 1
        )
        rows.append(
            (
                "analysis peak memory, 60-min input",
                f"{p60:.0f} MB",
                f"vs {a_peak:.0f} MB at 10 min: flat (target <= 600 MB)",
            )
        )
        results["peak_mb_60min"] = p60
        ninety = repeated(base, 45)
        m = measure(
            [
                *REELCUT,
                "make",
                str(ninety),
                "-l",
                "2m",
                "-o",
                str(OUT / "reel90.mp4"),
                "--json",
                "--no-cache",
                "--max-size",
                "1e9",
            ]
        )
        if m.returncode != 0:
            raise SystemExit(m.stderr[-600:])
        doc = json.loads(m.stdout)
        rows.append(
            (
                "whole `make` of a 90-min 1080p30 input -> 2-min reel",
                f"{m.wall_s:.1f} s",
                f"analysis {doc['analysis_s']:.1f} s + render {doc['render_s']:.1f} s; "
                f"peak {m.peak_rss_mb:.0f} MB, FFmpeg's own {m.peak_by_name.get('ffmpeg', 0):.0f} MB "
                "(target < 120 s, <= 600 MB)",
            )
        )
        results.update(
            make_90min_s=m.wall_s,
            make_90min_peak_mb=m.peak_rss_mb,
            make_90min_ffmpeg_peak_mb=m.peak_by_name.get("ffmpeg", 0.0),
        )
    print("| measure | value | note |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    (OUT / "speed.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
