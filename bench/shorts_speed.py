"""Wall time of ``reelcut shorts`` on a long generated talk, stage by stage, and its peak memory.

    python bench/shorts_speed.py [--minutes 60] [--count 5] [--height 720]

The talk is tests/speechmedia.py's lecture (four takes, reactions drawn with seeds 1-4) joined
over and over to the length asked, on a black 160x90 picture; it is made once under ``nice`` and
kept in ``/tmp/reelcut-bench`` (its generation is not timed). Then, on a fresh cache, one child
process runs ``make_shorts`` (``--count`` shorts of 20-60 s, 9:16, captions), watched by
bench/memwatch.py for the peak memory of its process tree; the child reports when each stage
(analysis, speech, render) started and ended, and how much audio the engine decoded, so the
transcription speed is audio seconds per wall second of the speech stage.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

CACHE = Path("/tmp/reelcut-bench")


def talk_file(minutes: float) -> Path:
    """The generated talk of ``minutes`` (made once, niced; later runs reuse it)."""
    out = CACHE / f"talk-{minutes:g}min.mp4"
    if out.exists():
        return out
    CACHE.mkdir(parents=True, exist_ok=True)
    code = (
        "import sys, numpy as np; from pathlib import Path; from tests import speechmedia as m\n"
        "takes = [m.lecture(seed=s).samples for s in (1, 2, 3, 4)]\n"
        f"need = int({minutes} * 60 * m.RATE); parts, have, k = [], 0, 0\n"
        "while have < need:\n"
        "    parts.append(takes[k % 4]); have += takes[k % 4].size; k += 1\n"
        "audio = np.concatenate(parts)[:need]\n"
        "m.clip(Path(sys.argv[1]), audio, picture='color=c=black:size=160x90:rate=25')\n"
    )
    tmp = out.with_suffix(".part.mp4")
    subprocess.run(
        ["nice", "-n", "15", sys.executable, "-c", code, str(tmp)],
        check=True, cwd=HERE.parent, env={**os.environ, "PYTHONPATH": _pythonpath()},
    )  # fmt: skip
    tmp.replace(out)
    return out


def _pythonpath() -> str:
    return os.pathsep.join(
        [str(HERE.parent / "src"), str(HERE.parent), os.environ.get("PYTHONPATH", "")]
    )


def child(src: Path, out: Path, count: int, height: int) -> None:
    """Run make_shorts, print one JSON line: stage spans and audio decoded by the engine."""
    from reelcut.editor.shorts import make_shorts
    from reelcut.speech import pcm

    t0 = time.monotonic()
    stages: dict[str, list[float]] = {}
    decoded = [0.0]
    read_spans = pcm.read_spans

    def counted(path, spans):  # type: ignore[no-untyped-def]
        for start_ms, samples in read_spans(path, spans):
            decoded[0] += samples.size / pcm.RATE
            yield start_ms, samples

    pcm.read_spans = counted  # type: ignore[assignment]

    def progress(stage: str, done: float, total: float) -> None:
        now = time.monotonic() - t0
        span = stages.setdefault(stage, [now, now])
        span[1] = now

    made = make_shorts(src, out, count, 20, 60, height=height, progress=progress)
    print(json.dumps({
        "wall_s": time.monotonic() - t0, "stages": stages, "speech_audio_s": decoded[0],
        "shorts": len(made), "shorts_s": sum(s.end_ms - s.start_ms for s in made) / 1000,
    }))  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--minutes", type=float, default=60.0)
    ap.add_argument("--count", type=int, default=5)
    ap.add_argument("--height", type=int, default=720)
    ap.add_argument("--child", nargs=2, metavar=("SRC", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]), args.count, args.height)
        return
    from bench.memwatch import measure

    src = talk_file(args.minutes)
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "REELCUT_CACHE_DIR": str(Path(tmp) / "cache")}
        env["PYTHONPATH"] = _pythonpath()
        cmd = [sys.executable, __file__, "--count", str(args.count), "--height", str(args.height),
               "--child", str(src), str(Path(tmp) / "out")]  # fmt: skip
        load_before = os.getloadavg()[0]
        got = measure(cmd, env=env)
        load_after = os.getloadavg()[0]
    if got.returncode != 0:
        sys.exit(got.stderr[-2000:])
    doc = json.loads(got.stdout.strip().splitlines()[-1])
    stages = {k: v[1] - v[0] for k, v in doc["stages"].items()}
    speech_s = stages.get("speech", 0.0)
    minutes = args.minutes
    print(f"talk {minutes:g} min -> {doc['shorts']} shorts ({doc['shorts_s']:.0f} s) at "
          f"{args.height}p 9:16, captioned")  # fmt: skip
    print(f"wall {got.wall_s:.0f} s ({got.wall_s / 60:.1f} min), peak memory {got.peak_rss_mb:.0f} MB "
          f"(process tree); load average {load_before:.1f} before, {load_after:.1f} after")  # fmt: skip
    print("stages (first to last progress report, s): "
          + ", ".join(f"{k} {v:.0f}" for k, v in stages.items()))  # fmt: skip
    if speech_s > 0:
        rate = doc["speech_audio_s"] / speech_s
        print(f"speech: {doc['speech_audio_s']:.0f} s of audio transcribed in {speech_s:.0f} s "
              f"({rate:.1f}x realtime)")  # fmt: skip


if __name__ == "__main__":
    main()
