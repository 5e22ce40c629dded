"""Speed and memory of analysis and of a whole `make`, next to their baselines, before and after.

    python bench/speed.py                          # 10-min inputs, 3 runs each, 90-min make
    python bench/speed.py --runs 2 --before /tmp/speed-old/src   # also an older tree's reelcut
    python bench/speed.py --quick                  # 2-min inputs, one run, no 90-min make
    python bench/speed.py --make-only --runs 3 --runs-90 2   # only `make`, full decode alongside

Two kinds of 1080p30 H.264 + AAC input, because analysis speed depends on what the pictures
cost to decode:

* ``pattern``: FFmpeg's testsrc2 (x264 veryfast, 8 Mb/s) with pink noise: cheap to make, a
  synthetic picture;
* ``broadcast``: the demo generator's sports footage at 1080p with film grain added
  (``noise=alls=10:allf=t``, x264 veryfast, 8 Mb/s): busier, broadcast-like pictures.

A 10-second piece of each is repeated by stream copy (concat demuxer, no re-encode) to 10 and 90
minutes, with one sound track as long encoded in one pass (:func:`repeated`: sound and pictures
unbroken and ending together, as in a broadcast recording). Pieces are cached under ``bench/out/speed`` by a hash of what makes them (the FFmpeg
arguments and version; for ``broadcast`` the generated footage's name, which carries the
generator's version and every parameter), never by file name alone.

Each measure runs ``--runs`` times, every one a fresh process, interleaved (run 1 of every
measure, then run 2, ...), so the machine's load falls alike on subject and baselines:

* full decode: FFmpeg decoding every video frame (``-map 0:v -f null -``, its default threads);
* floor: PyAV demuxing every packet and decoding the audio only, the least analysis can do;
* analysis: ``reelcut.analysis.analyze`` without the cache, in the same kind of child process
  (the floor and analysis time their work, not the interpreter's start-up and imports);
* ``make``: ``reelcut make FILE -l 2m --no-cache`` end to end (start-up, analysis, selection,
  render), with a fresh ``REELCUT_CACHE_DIR``, on the 10-minute broadcast input.

``--before SRC`` adds the same analysis and ``make`` measures with another reelcut tree's
``src`` on ``PYTHONPATH`` (e.g. a ``git worktree`` of an older commit), interleaved with the
current one. Peak memory is the whole process tree's (``memwatch``). The script prints exactly
what ``RESULTS.md`` quotes: medians, every run, and the load average before and after.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from memwatch import Measured, measure  # noqa: E402

from bench.generators import cached_footage  # noqa: E402
from reelcut.media.ffmpeg import ffmpeg_exe  # noqa: E402

OUT = Path(__file__).resolve().parent / "out" / "speed"
SRC = Path(__file__).resolve().parents[1] / "src"
# 2 s closed GOPs, as broadcast and streaming encoders keep them (x264's own default, 10 s, is
# a file setting): what smart render can copy depends on it.
X264 = ["-c:v", "libx264", "-preset", "veryfast", "-b:v", "8M", "-maxrate", "8M"]
X264 += ["-bufsize", "16M", "-g", "60", "-pix_fmt", "yuv420p"]
GRAIN = "noise=alls=10:allf=t"

# Child processes: each prints the wall and CPU seconds its work took (imports excluded; CPU
# of all its threads). Under a shared machine's load, CPU seconds are the steadier measure.
FLOOR = """
import sys, time, av
t, c0 = time.perf_counter(), time.process_time()
with av.open(sys.argv[1]) as c:
    for p in c.demux():
        if p.stream.type == "audio":
            p.decode()
print(time.perf_counter() - t, time.process_time() - c0)
"""
ANALYZE = """
import sys, time
from reelcut.analysis import analyze
from reelcut.media.probe import probe
info = probe(sys.argv[1], max_mb=1e9)
t, c0 = time.perf_counter(), time.process_time()
analyze(info, use_cache=False)
print(time.perf_counter() - t, time.process_time() - c0)
"""


def _ffmpeg_version() -> str:
    out = subprocess.run([ffmpeg_exe(), "-version"], capture_output=True, text=True).stdout
    return out.split("\n")[0]


def _keyed(kind: str, recipe: list[str]) -> Path:
    key = hashlib.sha256(json.dumps([_ffmpeg_version(), *recipe]).encode()).hexdigest()[:12]
    return OUT / f"{kind}-{key}.mp4"


def _make(path: Path, args: list[str]) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}")
    for _ in range(720):  # another process is making it (its part file is written to): wait
        if path.exists() or not part.exists():
            break
        if time.time() - part.stat().st_mtime > 60:
            break  # untouched for a minute: a leftover of a killed run, made again below
        time.sleep(5)
    if path.exists():
        return path
    proc = subprocess.run(
        ["nice", "-n", "15", ffmpeg_exe(), "-y", "-loglevel", "error", *args, str(part)],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise SystemExit(f"making {path.name} failed: {proc.stderr[-600:]}")
    part.rename(path)
    return path


PIECE_S = 10  # x264 at 1080p with grain costs minutes per second here; repeats make the length


def pattern_piece(seconds: int = PIECE_S) -> Path:
    """testsrc2 at 1080p30 with pink noise."""
    args = ["-f", "lavfi", "-i", f"testsrc2=size=1920x1080:rate=30:duration={seconds}"]
    args += ["-f", "lavfi", "-i", f"anoisesrc=d={seconds}:c=pink:a=0.1:r=48000"]
    args += [*X264, "-c:a", "aac", "-ac", "2"]
    return _make(_keyed("pattern", args), args)


def broadcast_piece(seconds: int = PIECE_S) -> Path:
    """The demo generator's sports footage at 1080p (its first ``seconds`` of a 2-minute
    match), with grain, re-encoded at 8 Mb/s."""
    src, _ = cached_footage("demo", "sports", 7, 2.0, 1080, speech=False)
    args = ["-i", str(src), "-t", str(seconds), "-vf", GRAIN, *X264, "-c:a", "copy"]
    return _make(_keyed("broadcast", [src.name, *args[2:]]), args)


def repeated(src: Path, times: int) -> Path:
    """``src``'s pictures ``times`` over by stream copy, with one sound track as long, encoded in
    one pass (its name carries ``src``'s key).

    A broadcast recording's sound and pictures run unbroken side by side. Joining whole pieces
    by stream copy would not give that: each piece's AAC runs ~5 ms past its pictures (whole
    1024-sample frames), so the concat demuxer leaves a 5 ms gap in the video at every join,
    which no recording has. So the pictures are joined from a video-only copy of the piece (10.000
    s each: closed GOPs, a fresh IDR at every join), and the sound is the piece's first 10.000 s
    looped to the same length and encoded once (AAC, 192 kb/s).
    """
    if times == 1:
        return src
    seconds, rate = times * PIECE_S, 48_000
    video = _make(OUT / f"{src.stem}-video.mp4", ["-i", str(src), "-map", "0:v", "-c", "copy"])
    listing = OUT / f"{src.stem}-video-x{times}.txt"
    listing.write_text("".join(f"file '{video.name}'\n" for _ in range(times)))
    loop = (
        f"[1:a]aresample={rate},atrim=end_sample={PIECE_S * rate},"
        f"aloop=loop=-1:size={PIECE_S * rate},atrim=end_sample={seconds * rate}[a]"
    )
    args = ["-f", "concat", "-safe", "0", "-i", str(listing), "-i", str(src)]
    args += ["-filter_complex", loop, "-map", "0:v", "-map", "[a]", "-c:v", "copy"]
    args += ["-c:a", "aac", "-b:a", "192k", "-ac", "2", "-movflags", "+faststart"]
    return _make(OUT / f"{src.stem}-joined{times}.mp4", args)


def duration_s(path: Path) -> float:
    from reelcut.media.probe import probe

    return probe(path, max_mb=1e9).duration_s


def load() -> str:
    return " / ".join(Path("/proc/loadavg").read_text().split()[:3])


@dataclass
class Series:
    """One measure's runs: wall seconds (or the child's own timing) and peak memory."""

    seconds: list[float] = field(default_factory=list)
    cpu_s: list[float] = field(default_factory=list)  # child-timed measures only
    peaks_mb: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def runs(self) -> str:
        return ", ".join(f"{s:.1f}" for s in self.seconds)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_s) if self.cpu_s else float("nan")


def _checked(m: Measured, what: str) -> Measured:
    if m.returncode != 0:
        raise SystemExit(f"{what} failed: {m.stderr[-800:]}")
    return m


def _py_env(src: Path) -> dict[str, str]:
    return {"PYTHONPATH": str(src)}


def timed_child(code: str, path: Path, src: Path) -> Callable[[], tuple[float, float, str]]:
    def run() -> tuple[float, float, str]:
        m = _checked(measure([sys.executable, "-c", code, str(path)], env=_py_env(src)), code)
        wall, cpu = m.stdout.strip().splitlines()[-1].split()
        return float(wall), m.peak_rss_mb, f"cpu {float(cpu):.2f}"

    return run


def full_decode(path: Path) -> Callable[[], tuple[float, float, str]]:
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-i", str(path)]
    cmd += ["-map", "0:v:0", "-f", "null", "-"]

    def run() -> tuple[float, float, str]:
        m = _checked(measure(cmd), "full decode")
        return m.wall_s, m.peak_rss_mb, ""

    return run


def make_reel(path: Path, src: Path, out: Path) -> Callable[[], tuple[float, float, str]]:
    """A whole `make` of a 2-minute reel, analysis cache off and a fresh cache dir."""

    def run() -> tuple[float, float, str]:
        with tempfile.TemporaryDirectory(dir=OUT) as cache:
            cmd = [sys.executable, "-m", "reelcut", "make", str(path), "-l", "2m", "-o", str(out)]
            cmd += ["--json", "--no-cache", "--no-project", "--max-size", "1e9", "-q"]
            env = {**_py_env(src), "REELCUT_CACHE_DIR": cache}
            m = _checked(measure(cmd, env=env), "make")
        doc = json.loads(m.stdout)
        doc = doc[0] if isinstance(doc, list) else doc
        how = doc.get("render_method", "not reported")
        analysis, render = doc["analysis_s"], doc["render_s"]
        note = (
            f"analysis {analysis:.1f} s + the rest (start-up, selection with its speech cuts, "
            f"render planning) {m.wall_s - analysis - render:.1f} s + render {render:.1f} s ({how})"
        )
        return m.wall_s, m.peak_rss_mb, note

    return run


def interleaved(measures: dict[str, Callable[[], tuple[float, float, str]]], runs: int) -> dict:
    """Run 1 of every measure, then run 2, ...; print each result as it comes."""
    out = {name: Series() for name in measures}
    for r in range(runs):
        for name, fn in measures.items():
            seconds, peak, note = fn()
            s = out[name]
            s.seconds.append(seconds)
            s.peaks_mb.append(peak)
            s.notes.append(note)
            if note.startswith("cpu "):
                s.cpu_s.append(float(note.split()[1]))
            print(f"  run {r + 1} {name}: {seconds:.2f} s, {peak:.0f} MB {note}", file=sys.stderr)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="2-min inputs, no 90-min make")
    ap.add_argument("--runs", type=int, default=3, help="runs of every measure")
    ap.add_argument("--before", type=Path, help="another tree's src/ to measure alongside")
    ap.add_argument("--no-90", action="store_true", help="skip the 90-minute make")
    ap.add_argument(
        "--before-make", action="store_true", help="also time --before's `make` (10 and 90 min)"
    )
    ap.add_argument("--analysis-only", action="store_true", help="no `make` rows")
    ap.add_argument(
        "--no-full-decode", action="store_true", help="skip FFmpeg's full decode (minutes)"
    )
    ap.add_argument(
        "--make-only",
        action="store_true",
        help="only the `make` rows, the broadcast input's full decode interleaved with them",
    )
    ap.add_argument("--runs-90", type=int, default=1, help="runs of the 90-minute make")
    args = ap.parse_args(argv)
    started = datetime.datetime.now(datetime.UTC)
    load_start = load()
    times = (120 if args.quick else 600) // PIECE_S
    pieces = {"broadcast": broadcast_piece()}
    if not args.make_only:
        pieces = {"pattern": pattern_piece(), **pieces}
    inputs = {kind: repeated(p, times) for kind, p in pieces.items()}
    ninety = (
        None
        if args.quick or args.no_90 or args.analysis_only
        else repeated(pieces["broadcast"], 5400 // PIECE_S)
    )
    trees = {"after": SRC, **({"before": args.before.resolve()} if args.before else {})}
    make_trees = trees if args.before_make else {"after": SRC}
    rows: list[tuple[str, str, str]] = []
    results: dict = {"load_start": load_start}
    OUT.mkdir(parents=True, exist_ok=True)
    decode_median: dict[str, float] = {}
    for kind, path in inputs.items() if not args.make_only else ():
        seconds = duration_s(path)
        label = f"{seconds / 60:.0f}-min {kind}"
        measures = {} if args.no_full_decode else {"full decode": full_decode(path)}
        measures["floor"] = timed_child(FLOOR, path, SRC)
        for tree, src in trees.items():
            measures[f"analysis {tree}"] = timed_child(ANALYZE, path, src)
        print(f"{label}: {path.name}", file=sys.stderr)
        got = interleaved(measures, args.runs)
        results[kind] = {k: vars(v) for k, v in got.items()} | {"seconds": seconds}
        floor = got["floor"]
        full = got.get("full decode")
        if full is not None:
            decode_median[kind] = full.median
            rows.append(
                (
                    f"baseline: FFmpeg decoding every frame, {label}",
                    f"{full.median:.1f} s",
                    f"{seconds / full.median:.1f}x realtime; runs {full.runs()}",
                )
            )
        rows.append(
            (
                f"floor: PyAV demux of every packet + audio decode, {label}",
                f"{floor.median:.2f} s",
                f"{seconds / floor.median:.0f}x realtime; CPU {floor.cpu_median:.2f} s; "
                f"runs {floor.runs()}",
            )
        )
        for tree in trees:
            a = got[f"analysis {tree}"]
            vs_full = f"{a.median / full.median:.3f}x the full decode; " if full else ""
            rows.append(
                (
                    f"analysis {tree}, {label}",
                    f"{a.median:.2f} s",
                    f"{seconds / a.median:.0f}x realtime, {a.median / floor.median:.2f}x the floor, "
                    f"{vs_full}CPU {a.cpu_median:.2f} s = {a.cpu_median / floor.cpu_median:.2f}x "
                    f"the floor's; peak {max(a.peaks_mb):.0f} MB; runs {a.runs()}",
                )
            )
    if args.analysis_only:
        _report(args, argv, started, load_start, inputs, ninety, rows, results)
        return
    ten = inputs["broadcast"]
    label = f"{duration_s(ten) / 60:.0f}-min broadcast"
    print(f"make, {label}", file=sys.stderr)
    makes = {
        f"make {tree}": make_reel(ten, src, OUT / f"reel-{tree}.mp4")
        for tree, src in make_trees.items()
    }
    if args.make_only:
        makes = {"full decode": full_decode(ten), **makes}
    got = interleaved(makes, args.runs)
    results["make_10min"] = {k: vars(v) for k, v in got.items()}
    if args.make_only:
        full = got["full decode"]
        decode_median["broadcast"] = full.median
        rows.append(
            (
                f"baseline: FFmpeg decoding every frame, {label}",
                f"{full.median:.1f} s",
                f"{duration_s(ten) / full.median:.1f}x realtime; runs {full.runs()}",
            )
        )
    for tree in make_trees:
        m = got[f"make {tree}"]
        full_s = decode_median.get("broadcast")
        vs_full = f"{m.median / full_s:.2f}x the full decode (target <= 0.25x); " if full_s else ""
        rows.append(
            (
                f"`make` {tree}, {label} -> 2-min reel, whole command",
                f"{m.median:.1f} s",
                f"{vs_full}peak {max(m.peaks_mb):.0f} MB; runs {m.runs()}; median run: "
                f"{m.notes[m.seconds.index(sorted(m.seconds)[len(m.seconds) // 2])]}",
            )
        )
    if ninety is not None:
        print(f"make, 90-min broadcast: {ninety.name}", file=sys.stderr)
        makes = {
            f"make {tree}": make_reel(ninety, src, OUT / f"reel90-{tree}.mp4")
            for tree, src in make_trees.items()
        }
        got = interleaved(makes, args.runs_90)
        results["make_90min"] = {k: vars(v) for k, v in got.items()}
        for tree in make_trees:
            m = got[f"make {tree}"]
            rows.append(
                (
                    f"`make` {tree}, 90-min broadcast -> 2-min reel, whole command",
                    f"{m.median:.1f} s",
                    f"target <= 45 s; peak {max(m.peaks_mb):.0f} MB (target <= 600 MB); "
                    f"runs {m.runs()}; median run: "
                    f"{m.notes[m.seconds.index(sorted(m.seconds)[len(m.seconds) // 2])]}",
                )
            )
    _report(args, argv, started, load_start, inputs, ninety, rows, results)


def _report(
    args: argparse.Namespace,
    argv: list[str] | None,
    started: datetime.datetime,
    load_start: str,
    inputs: dict[str, Path],
    ninety: Path | None,
    rows: list[tuple[str, str, str]],
    results: dict,
) -> None:
    """Print what RESULTS.md quotes (the run's header and the table); keep the raw runs."""
    command = "python bench/speed.py " + shlex.join(argv if argv is not None else sys.argv[1:])
    results["load_end"] = load()
    before = f"; before = `{args.before}`" if args.before else ""
    print(
        f"Run of {started:%Y-%m-%d %H:%M} UTC: `{command.strip()}`{before}; inputs "
        + ", ".join(f"`{p.name}`" for p in inputs.values())
        + (f", `{ninety.name}`" if ninety else "")
        + f"; every measure {args.runs} run(s) (90-min make: {args.runs_90}), interleaved; "
        f"load average (1/5/15 min) "
        f"{load_start} at the start, {results['load_end']} at the end (2 cores).\n"
    )
    print("| measure | median | note |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    (OUT / "speed.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
