"""What edits cost at render time, next to a plain render and to MoviePy doing the same, in one run.

    python bench/edits.py [RUNS]        (MoviePy row needs: pip install 'reelcut[bench]')

A 60 s reel of generated sports footage (720p source) is rendered at 1080p by ``reelcut render``
as a separate process (so peak memory covers Python and FFmpeg together), as: the plain reel;
vertical 9:16 with the subject-following crop; 9:16 with the blurred-background fit; 9:16 follow
with a title, lo-fi music (ducked) and crossfades. Captions are timed as their own step
(offline speech recognition over the reel's clips). The peer is a MoviePy script making the
same vertical reel (centre crop, title, music) — it has no subject tracking, so it does less.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from memwatch import measure  # noqa: E402

from bench.generators import cached_footage  # noqa: E402
from reelcut.analysis import analyze  # noqa: E402
from reelcut.editor import Project, draft_from_clips  # noqa: E402
from reelcut.editor.edits import captions_op, music_op  # noqa: E402
from reelcut.media.probe import probe  # noqa: E402
from reelcut.render.fonts import find_font  # noqa: E402
from reelcut.selection import SelectionParams, select_clips  # noqa: E402
from reelcut.timeline import TextSegment  # noqa: E402
from reelcut.timeline.ops import AddText, Batch, SetFormat, SetTransition  # noqa: E402

OUT = Path(__file__).resolve().parent / "out" / "edits"


def _variants() -> dict[str, Batch | None]:
    title = AddText(TextSegment("Derby Day", 0, 3000, size=0.08))
    return {
        "plain 16:9": None,
        "9:16 follow (subject-tracking crop)": Batch((SetFormat("9:16", 1080, "follow"),)),
        "9:16 blurred-background fit": Batch((SetFormat("9:16", 1080, "blur"),)),
        "9:16 follow + title + lo-fi music (ducked) + crossfades": Batch(
            (
                SetFormat("9:16", 1080, "follow"),
                title,
                music_op("lofi", volume=35),
                SetTransition("crossfade", 500),
            )
        ),
    }


def _moviepy(src: Path, clips: list[tuple[float, float]], music: Path, out: Path) -> float:
    from moviepy import (
        AudioFileClip,
        CompositeAudioClip,
        CompositeVideoClip,
        TextClip,
        VideoFileClip,
        concatenate_videoclips,
    )

    t0 = time.monotonic()
    with VideoFileClip(str(src)) as v:
        reel = concatenate_videoclips([v.subclipped(a, b) for a, b in clips])
        w = int(reel.h * 9 / 16) // 2 * 2
        reel = reel.cropped(x_center=reel.w / 2, width=w).resized(height=1920)
        text = (
            TextClip(font=str(find_font("sans")), text="Derby Day", font_size=110, color="white")
            .with_duration(3)
            .with_position("center")
        )
        song = AudioFileClip(str(music)).subclipped(0, reel.duration).with_volume_scaled(0.35)
        final = CompositeVideoClip([reel, text]).with_audio(CompositeAudioClip([reel.audio, song]))
        final.write_videofile(
            str(out), codec="libx264", audio_codec="aac", preset="superfast", fps=30, logger=None
        )
    return time.monotonic() - t0


def main(runs: int = 3) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    src, _ = cached_footage("demo", "sports", 11, 4.0, 720)
    info = probe(src)
    clips = select_clips([analyze(info)], SelectionParams(target_s=60))
    base_draft = draft_from_clips([info], clips, 60)
    rows: list[tuple[str, str, str, str]] = []
    plain_s = 0.0
    for name, ops in _variants().items():
        project = OUT / f"{len(rows)}.reelcut.json"
        draft = ops.apply(base_draft) if ops else base_draft
        Project.create(project, draft, name)
        times, peaks = [], []
        for _ in range(runs):
            m = measure(
                [sys.executable, "-m", "reelcut", "render", str(project), "-o",
                 str(OUT / f"{len(rows)}.mp4"), "-q"]
            )  # fmt: skip
            if m.returncode:
                raise SystemExit(f"{name}: render failed: {m.stderr[-500:]}")
            times.append(m.wall_s)
            peaks.append(m.peak_rss_mb)
        t = statistics.median(times)
        plain_s = plain_s or t
        rows.append((name, f"{t:.1f} s", f"{t / plain_s:.2f}x", f"{max(peaks):.0f} MB"))
    talk, _ = cached_footage("demo", "talk", 5, 3.0, 360)
    talk_info = probe(talk)
    talk_draft = draft_from_clips(
        [talk_info], select_clips([analyze(talk_info)], SelectionParams(target_s=60)), 60
    )
    t0 = time.monotonic()
    lines = len(captions_op(talk_draft).apply(talk_draft).texts)
    cap_s = time.monotonic() - t0
    rows.append((f"captions of a 60 s talk reel ({lines} lines, whisper tiny.en)", f"{cap_s:.1f} s",
                 f"{talk_draft.duration_ms / 1000 / cap_s:.1f}x realtime", "-"))  # fmt: skip
    try:
        from reelcut.music import music_track

        spans = [(c.source_in_ms / 1000, c.source_out_ms / 1000) for c in clips]
        peer = statistics.median(
            _moviepy(src, spans, music_track("lofi", 61), OUT / "moviepy.mp4") for _ in range(runs)
        )
        ours = float(rows[3][1].split()[0])  # the 9:16 + title + music row
        rows.append(("MoviePy: 9:16 centre crop + title + music", f"{peer:.1f} s",
                     f"reelcut (with tracking) {peer / ours:.1f}x faster", "-"))  # fmt: skip
    except ImportError:
        rows.append(("MoviePy peer", "not installed", "pip install 'reelcut[bench]'", "-"))
    print("| 60 s reel at 1080p | time (median) | vs plain | peak memory |\n|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    (OUT / "edits.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
