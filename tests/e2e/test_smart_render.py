"""Smart render: a cut-only reel copies the source's GOPs and re-encodes only the edges.

Checked against the full encode of the same draft: every frame within 40 dB PSNR of it, the
copied frames identical (decoded) to the source's, a flash and its click together at every cut.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from reelcut.editor.assets import prepare_assets, render_draft
from reelcut.editor.build import draft_from_clips
from reelcut.media.probe import probe
from reelcut.render import RenderSettings
from reelcut.render.smart import NotSmart, index_span, open_source, plan_smart
from reelcut.selection import Clip
from reelcut.timeline.model import TextSegment, Track, TrackType
from tests.conftest import ffmpeg
from tests.mediacheck import beep_onsets, flash_times

# (in, out) ms: cuts off and on keyframes (every 1 s), one clip inside a single GOP
CUTS = ((2_150, 5_420), (9_000, 12_033), (14_300, 14_900), (16_480, 19_970))


def footage(path: Path, seconds: int = 22, gop: int = 30) -> Path:
    """Moving test pattern, 1 s closed GOPs with B-frames, a white flash every 0.7 s with a
    1 kHz click on the same frame."""
    ffmpeg(
        "-f", "lavfi", "-i", f"testsrc2=s=320x180:r=30:d={seconds}",
        "-f", "lavfi", "-i",
        f"aevalsrc='0.5*sin(2*PI*1000*t)*lt(mod(t+0.001,0.7),0.03)':s=48000:d={seconds}",
        "-vf", "drawbox=c=white:t=fill:enable='lt(mod(n,21),1)'", "-c:v", "libx264", "-preset", "veryfast", "-g", str(gop),
        "-keyint_min", str(gop), "-bf", "3", "-pix_fmt", "yuv420p", "-c:a", "aac", str(path),
    )  # fmt: skip
    return path


def cut_draft(path: Path, cuts=CUTS):
    info = probe(path)
    clips = [Clip(0, a, b, a, 1.0, "test") for a, b in cuts]
    return draft_from_clips([info], clips, sum(b - a for a, b in cuts) / 1000)


def frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as c:
        return [f.to_ndarray(format="yuv420p") for f in c.decode(video=0)]


def digests(path: Path) -> dict[int, tuple[int, bytes]]:
    """pts -> (display position, md5 of the decoded picture) of every frame of ``path``."""
    with av.open(str(path)) as c:
        got = sorted((f.pts, hashlib.md5(f.to_ndarray(format="yuv420p").tobytes()).digest())
                     for f in c.decode(video=0))  # fmt: skip
    return {pts: (n, md5) for n, (pts, md5) in enumerate(got)}


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return 99.0 if mse == 0 else 10 * np.log10(255**2 / mse)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return footage(tmp_path_factory.mktemp("smart") / "src.mp4")


def test_cut_only_reel_copies_gops_and_matches_the_full_encode(source: Path, tmp_path: Path):
    draft = cut_draft(source)
    assets = prepare_assets(draft, use_cache=False)
    plan = plan_smart(draft, assets, tmp_path / "smart.mp4")
    assert plan.copied_frames > plan.encoded_frames > 0
    assert all(p.frames % 30 == 0 for p in plan.pieces if p.copy)
    smart = render_draft(draft, tmp_path / "smart.mp4", RenderSettings(), use_cache=False)
    assert smart.method == "smart"
    full = render_draft(
        draft, tmp_path / "full.mp4", RenderSettings(smart="off", crf=16), use_cache=False
    )
    assert abs(smart.duration_s - full.duration_s) < 1e-6
    ours, ref, src = frames(smart.output), frames(full.output), digests(source)
    assert len(ours) == len(ref) == sum(p.frames for p in plan.pieces)
    by_place = [md5 for _, md5 in sorted(src.values())]
    at = 0
    for piece in plan.pieces:
        first = src[piece.start_pts][0]
        for k in range(piece.frames):
            mine = ours[at + k]
            assert psnr(mine, ref[at + k]) >= 40, f"reel frame {at + k}"
            if piece.copy:
                assert hashlib.md5(mine.tobytes()).digest() == by_place[first + k]
        at += piece.frames
    # A/V sync at every cut: the flashes and clicks land where the full encode puts them (each
    # clip's sound starts at its in-point, its picture at the first frame from there: < 1 frame)
    flashes, clicks = flash_times(smart.output), beep_onsets(smart.output)
    assert len(flashes) == len(clicks) >= 12
    assert flash_times(full.output) == pytest.approx(flashes, abs=1e-3)
    assert beep_onsets(full.output) == pytest.approx(clicks, abs=0.006)
    for t, c in zip(flashes, clicks, strict=True):
        assert 0 <= c - t < 1 / 30 + 0.006, (t, c)


def test_titled_or_vertical_reel_takes_the_full_encode(source: Path, tmp_path: Path):
    draft = cut_draft(source, CUTS[:2])
    titled = replace(
        draft, tracks=(*draft.tracks, Track(TrackType.TEXT, "Text", (TextSegment("Hi", 0, 900),)))
    )
    for other in (titled, replace(draft, aspect="9:16")):
        assets = prepare_assets(other, use_cache=False)
        with pytest.raises(NotSmart):
            plan_smart(other, assets, tmp_path / "x.mp4")
        out = render_draft(other, tmp_path / "x.mp4", use_cache=False)
        assert out.output.exists()


def test_open_gop_footage_is_never_copied(tmp_path: Path):
    path = tmp_path / "open.mp4"
    ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=s=320x180:r=30:d=6", "-c:v", "libx264", "-preset",
        "veryfast", "-g", "30", "-bf", "3", "-x264-params", "open-gop=1", "-pix_fmt", "yuv420p",
        str(path),
    )  # fmt: skip
    draft = cut_draft(path, ((1_100, 4_500),))
    assets = prepare_assets(draft, use_cache=False)
    source, box = open_source(path)
    with box:  # the open GOPs' I-frames are no copy points: only the first IDR is
        assert index_span(box, source, Fraction(0), 170).copy_at == (0,)
    with pytest.raises(NotSmart, match="no clip holds a whole closed GOP"):
        plan_smart(draft, assets, tmp_path / "o.mp4")


def test_rotated_footage_takes_the_full_encode(source: Path, tmp_path: Path):
    turned = tmp_path / "turned.mp4"
    ffmpeg("-display_rotation:v", "180", "-i", str(source), "-c", "copy", str(turned))
    with pytest.raises(NotSmart, match="rotated"):
        open_source(turned)


def test_clip_ending_with_the_footage_is_still_smart(source: Path, tmp_path: Path):
    """Its length, rounded to the reel's frames, can run a frame past the last one: the edge
    holds that frame as the full encode does, instead of the whole reel being re-encoded."""
    draft = cut_draft(source, ((9_000, 12_033), (18_007, 22_000)))
    assets = prepare_assets(draft, use_cache=False)
    plan = plan_smart(draft, assets, tmp_path / "smart.mp4")
    assert any(p.hold for p in plan.pieces if not p.copy)
    smart = render_draft(draft, tmp_path / "smart.mp4", RenderSettings(), use_cache=False)
    assert smart.method == "smart"
    full = render_draft(
        draft, tmp_path / "full.mp4", RenderSettings(smart="off", crf=16), use_cache=False
    )
    ours, ref = frames(smart.output), frames(full.output)
    assert len(ours) == len(ref) == sum(p.frames for p in plan.pieces)
    assert min(psnr(a, b) for a, b in zip(ours, ref, strict=True)) >= 40
