"""Smart render vs full encode: a 2-minute 16:9 reel of a 10-minute 1080p30 H.264 file.

Both renders of the same draft and assets in one run (loudness measured once, before either
clock starts), smart first, then the full encode (the normal plan);
prints wall times, frames copied vs re-encoded and the machine's load average around each,
then checks A/V sync at every cut against the full encode: the two reels' pictures carry the
same timestamps, and their sound, cross-correlated in a second around each cut, lines up at a
lag of 0 (the largest lag found is printed; frame-exactness is bench/smart_exact.py's).
The source (1 minute of testsrc2 at 1080p30, 2 s closed GOPs with B-frames, AAC, joined 10x by
stream copy) is made once and cached in /tmp/reelcut-bench/.

    PYTHONPATH=src python bench/smart_render.py [--source FILE] [--clips 12]

The figures in bench/RESULTS.md use ``--source bench/out/speed/broadcast-dda7e908f0a0-joined60.mp4``
(bench/speed.py's 10-minute grainy broadcast input): testsrc2 compresses unlike any recording.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from pathlib import Path

import av
import numpy as np

from reelcut.editor.assets import prepare_assets
from reelcut.editor.build import draft_from_clips
from reelcut.media.ffmpeg import ffmpeg_exe
from reelcut.media.probe import probe
from reelcut.render import RenderSettings, plan_draft, run_plan
from reelcut.render.smart import plan_smart
from reelcut.render.smart_write import run_smart
from reelcut.selection import Clip

CACHE = Path("/tmp/reelcut-bench")
MAX_MB = 10_000.0  # the source is ~1.1 GB (testsrc2 at 1080p is costly to compress)


def make_source() -> Path:
    out = CACHE / "smart_10min_1080p30.mp4"
    if out.exists():
        return out
    CACHE.mkdir(parents=True, exist_ok=True)
    one = CACHE / "smart_1min_1080p30.mp4"
    ff = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error"]
    subprocess.run(
        [*ff, "-f", "lavfi", "-i", "testsrc2=s=1920x1080:r=30:d=60",
         "-f", "lavfi", "-i", "sine=f=440:r=48000:d=60", "-c:v", "libx264",
         "-preset", "ultrafast", "-bf", "2", "-g", "60", "-keyint_min", "60", "-crf", "23",
         "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", str(one)],
        check=True,
    )  # fmt: skip
    listing = CACHE / "smart_list.txt"
    listing.write_text("".join(f"file '{one}'\n" for _ in range(10)))
    part = out.with_suffix(".part.mp4")
    subprocess.run(
        [*ff, "-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy", str(part)],
        check=True,
    )
    part.replace(out)
    return out


def frame_count(path: Path) -> int:
    with av.open(str(path)) as c:
        return sum(1 for p in c.demux(video=0) if p.size)


def picture_times(path: Path) -> list[float]:
    with av.open(str(path)) as c:
        vs = c.streams.video[0]
        return sorted(float(f.pts * vs.time_base) for f in c.decode(vs))


def mono(path: Path, rate: int = 48_000) -> np.ndarray:
    with av.open(str(path)) as c:
        res = av.AudioResampler(format="flt", layout="mono", rate=rate)
        parts = [r.to_ndarray()[0] for f in c.decode(audio=0) for r in res.resample(f)]
    return np.concatenate(parts)


def worst_lag_ms(a: np.ndarray, b: np.ndarray, cuts_s: list[float], rate: int = 48_000) -> float:
    """The largest lag (ms) at which the two sounds line up best, in a second around each cut."""
    worst, reach = 0.0, rate // 50  # lags up to +-20 ms
    for t in cuts_s:
        lo, hi = int((t - 0.5) * rate), int((t + 0.5) * rate)
        x, y = a[max(lo, 0) : hi], b[max(lo - reach, 0) : hi + reach]
        if len(x) < rate // 2 or len(y) < len(x) + 2 * reach or not np.any(x):
            continue
        score = np.correlate(y, x, mode="valid")
        worst = max(worst, abs(int(np.argmax(score)) - reach) * 1000 / rate)
    return worst


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", type=Path)
    ap.add_argument("--clips", type=int, default=12)
    args = ap.parse_args()
    source = args.source or make_source()
    info = probe(source, max_mb=MAX_MB)
    n, each_ms = args.clips, 120_000 // args.clips
    gap = int(info.duration_s * 1000 - 2_000) // n
    # in-points off the keyframes (every 2 s here), as a picked moment would be
    clips = [Clip(0, 700 + k * gap + 333 * k, 700 + k * gap + 333 * k + each_ms, 0, 1.0, "bench")
             for k in range(n)]  # fmt: skip
    draft = draft_from_clips([info], clips, 120.0)
    assets = prepare_assets(draft, use_cache=False, max_mb=MAX_MB)
    with tempfile.TemporaryDirectory(dir="/tmp") as tmp:
        out = Path(tmp)
        t0 = time.monotonic()
        plan = plan_smart(draft, assets, out / "smart.mp4")
        plan_s = time.monotonic() - t0
        rows = []
        full = plan_draft(draft, assets, out / "full.mp4", RenderSettings(smart="off"))
        runs = (("smart", lambda: run_smart(plan)), ("full encode", lambda: run_plan(full)))
        for name, run in runs:
            load0 = os.getloadavg()[0]
            t0 = time.monotonic()
            result = run()
            wall = time.monotonic() - t0
            rows.append((name, wall, frame_count(result.output), load0, os.getloadavg()[0]))
        print(
            f"source: {source} ({info.duration_s:.0f} s, {info.video.width}x{info.video.height}"
            f" {float(info.video.fps):g} fps); reel {draft.duration_ms / 1000:.1f} s in {n} clips"
        )
        print(
            f"smart plan (demuxing around each clip): {plan_s:.1f} s; frames copied "
            f"{plan.copied_frames}, re-encoded {plan.encoded_frames} in {len(plan.pieces)} pieces"
        )
        print("| render | wall s | output frames | load avg before | load avg after |")
        print("|---|---|---|---|---|")
        for name, wall, frames, l0, l1 in rows:
            print(f"| {name} | {wall:.1f} | {frames} | {l0:.1f} | {l1:.1f} |")
        print(f"speed-up: {rows[1][1] / rows[0][1]:.1f}x")
        smart_out, full_out = out / "smart.mp4", out / "full.mp4"
        same_times = picture_times(smart_out) == picture_times(full_out)
        cuts = [k * each_ms / 1000 for k in range(1, n)]
        a, b = mono(smart_out), mono(full_out)
        lag = worst_lag_ms(a, b, cuts)
        m = min(len(a), len(b))
        print(
            f"A/V sync against the full encode: picture timestamps identical: {same_times}; "
            f"sound at the {len(cuts)} cuts lines up at lags of at most {lag:.2f} ms; sound "
            f"lengths {len(a)} / {len(b)} samples, largest sample difference "
            f"{float(np.max(np.abs(a[:m] - b[:m]))):.2e}"
        )


if __name__ == "__main__":
    main()
