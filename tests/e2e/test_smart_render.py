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
from tests.conftest import ffmpeg, shared_clip
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
    tb = plan.sources[source].time_base  # every copy starts at an IDR (one each second)
    assert all(round(p.start_pts * tb * 30) % 30 == 0 for p in plan.pieces if p.copy)
    smart = render_draft(draft, tmp_path / "smart.mp4", RenderSettings(), use_cache=False)
    assert smart.method == "smart"
    with av.open(str(smart.output)) as c:  # every copied GOP's IDR is a sync point for seeking
        keys = sum(bool(p.is_keyframe) for p in c.demux(video=0) if p.size)
    assert keys == sum(-(-p.frames // 30) if p.copy else 1 for p in plan.pieces)
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


def test_clip_ending_inside_a_gop_copies_it_up_to_its_last_mini_gop(source: Path, tmp_path: Path):
    """A clip's last GOP is copied as far as its packets hold exactly the clip's frames (each
    mini-GOP's end, B-frames and all): only the few frames after that are encoded, not the
    whole stretch from the GOP's IDR to the cut (14-15 frames here before)."""
    draft = cut_draft(source, ((9_000, 11_480), (12_510, 15_470)))
    assets = prepare_assets(draft, use_cache=False)
    plan = plan_smart(draft, assets, tmp_path / "smart.mp4")
    tails = [b for a, b in zip(plan.pieces, plan.pieces[1:], strict=False) if a.copy and not b.copy]
    assert tails and all(1 <= t.frames <= 4 for t in tails)  # -bf 3: a mini-GOP is <= 4
    assert any(p.frames % 30 for p in plan.pieces if p.copy)
    smart = render_draft(draft, tmp_path / "smart.mp4", RenderSettings(), use_cache=False)
    assert smart.method == "smart"
    assert_frame_exact(smart.output, plan, source)
    assert_in_sync(smart.output)


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


def assert_frame_exact(output: Path, plan, source: Path) -> None:
    """Every reel frame is the planned source frame (copied: bit-identical; encoded: >= 40 dB)."""
    src = digests(source)
    with av.open(str(source)) as c:
        by_place = [f.to_ndarray(format="yuv420p") for f in sorted(c.decode(video=0), key=lambda f: f.pts)]  # fmt: skip
    ours = frames(output)
    assert len(ours) == sum(p.frames for p in plan.pieces)
    at = 0
    for piece in plan.pieces:
        first = src[piece.start_pts][0]
        for k in range(piece.frames):
            want = by_place[min(first + k, len(by_place) - 1)]
            if piece.copy:
                assert np.array_equal(ours[at + k], want), f"reel frame {at + k}"
            else:
                assert psnr(ours[at + k], want) >= 40, f"reel frame {at + k}"
        at += piece.frames


def assert_in_sync(output: Path) -> None:
    """Every flash in the reel has its click on the same frame."""
    flashes, clicks = flash_times(output), beep_onsets(output)
    assert len(flashes) == len(clicks) >= 4
    for t, c in zip(flashes, clicks, strict=True):
        assert 0 <= c - t < 1 / 30 + 0.006, (t, c)


def test_millisecond_timestamps_stay_smart(source: Path, tmp_path: Path):
    """Matroska stamps frames in whole milliseconds (33, 67, 100 ... at 30 fps): not whole ticks
    of the frame rate, still one frame per slot, so the reel is smart and frame-exact."""
    mkv = tmp_path / "src.mkv"
    ffmpeg("-i", str(source), "-c", "copy", str(mkv))
    draft = cut_draft(mkv, CUTS[:2])
    plan = plan_smart(draft, prepare_assets(draft, use_cache=False), tmp_path / "smart.mp4")
    assert plan.copied_frames > 0 and plan.sources[mkv].time_base == Fraction(1, 1000)
    smart = render_draft(draft, tmp_path / "smart.mp4", RenderSettings(), use_cache=False)
    assert smart.method == "smart"
    assert_frame_exact(smart.output, plan, mkv)
    assert_in_sync(smart.output)


def test_joined_recording_with_short_gaps_stays_smart(source: Path, tmp_path: Path):
    """Pieces whose AAC runs ~11 ms past their pictures, joined by stream copy, leave that gap in
    the video at every join (and an average rate just off 30): clips across the joins are still
    smart and frame-exact, and their flashes and clicks land where the full encode puts them
    (the joined file itself plays its later pieces' sound a little late: both keep that)."""
    listing = tmp_path / "pieces.txt"
    ffmpeg(
        "-i",
        str(source),
        "-t",
        "4",
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-g",
        "30",
        "-keyint_min",
        "30",
        "-bf",
        "3",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "copy",
        str(tmp_path / "piece.mp4"),
    )  # the sound copied in whole AAC frames: 4.011 s of it under 4 s of pictures
    listing.write_text("file 'piece.mp4'\n" * 3)
    joined = tmp_path / "joined.mp4"
    ffmpeg("-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy", str(joined))
    with av.open(str(joined)) as c:
        pts = sorted(p.pts for p in c.demux(video=0) if p.size)
    assert len({b - a for a, b in zip(pts, pts[1:], strict=False)}) > 1  # the gaps are there
    draft = cut_draft(joined, ((2_900, 5_400), (7_300, 9_950)))
    plan = plan_smart(draft, prepare_assets(draft, use_cache=False), tmp_path / "smart.mp4")
    assert plan.copied_frames > 0
    smart = render_draft(draft, tmp_path / "smart.mp4", RenderSettings(), use_cache=False)
    assert smart.method == "smart"
    assert_frame_exact(smart.output, plan, joined)
    full = render_draft(
        draft, tmp_path / "full.mp4", RenderSettings(smart="off", crf=16), use_cache=False
    )
    assert flash_times(full.output) == pytest.approx(flash_times(smart.output), abs=1e-3)
    assert beep_onsets(full.output) == pytest.approx(beep_onsets(smart.output), abs=0.006)


def test_real_camera_clip_with_uneven_gops_is_smart(tmp_path: Path):
    """bikes.mp4 (a real encoder's output: B-frames, keyframes 1.2-2.4 s apart at scene changes,
    no sound): two clips copy their whole GOPs and the reel is the source's frames."""
    path = shared_clip("bikes.mp4")
    draft = cut_draft(path, ((500, 3_500), (4_000, 9_900)))
    plan = plan_smart(draft, prepare_assets(draft, use_cache=False), tmp_path / "smart.mp4")
    assert sum(p.copy for p in plan.pieces) == 2
    smart = render_draft(draft, tmp_path / "smart.mp4", RenderSettings(), use_cache=False)
    assert smart.method == "smart"
    assert_frame_exact(smart.output, plan, path)
