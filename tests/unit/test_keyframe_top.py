"""Keyframes decoded only at their top: the rows decoded are the whole decode's, cut checks hold.

The shot-cut check decodes a third of each H.264 keyframe's bytes (``analysis/keytop.py``) and
the whole keyframe only where that leaves the answer open (``analysis/keythumbs.py``). These
decode real x264 output, length-prefixed (MP4) and Annex B (MPEG-TS), and check that the top
rows match the whole decode exactly, that the decoded height is read right, and that a cut on
the encoder's keyframe grid is still measured on whole pictures.
"""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
from av.video.reformatter import VideoReformatter

from reelcut.analysis.keythumbs import _CROP_MARGIN, THUMB_H, KeyframeThumbs, _thumb, _top_thumb
from reelcut.analysis.keytop import KeyframeTop, clear_luma, decoded_height
from reelcut.analysis.video import analyze_video
from reelcut.media.growing import GrowingFile
from tests.conftest import ffmpeg, lavfi_clip

_X264 = ("-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-g", "25")


@pytest.fixture(scope="module")
def mp4(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("keytop") / "clip.mp4"
    return lavfi_clip(path, seconds=3, size="640x360", audio=None, vcodec=_X264)


@pytest.fixture(scope="module")
def ts(mp4: Path) -> Path:
    path = mp4.with_suffix(".ts")
    ffmpeg("-i", str(mp4), "-c", "copy", str(path))
    return path


def _keyframes(
    path: Path,
) -> tuple[av.video.stream.VideoStream, list[bytes], av.container.InputContainer]:
    container = av.open(str(path))
    stream = container.streams.video[0]
    return (
        stream,
        [bytes(p) for p in container.demux(stream) if p.size and p.is_keyframe],
        container,
    )


def _decode(stream: av.video.stream.VideoStream, data: bytes, ec: bool) -> av.VideoFrame:
    ctx = av.CodecContext.create("h264", "r")
    ctx.extradata = stream.codec_context.extradata
    ctx.options = {"skip_loop_filter": "all", **({} if ec else {"ec": "0"})}
    frames = [*ctx.decode(av.Packet(data)), *ctx.decode(None)]
    assert len(frames) == 1
    return frames[0]


@pytest.mark.parametrize("kind", ["mp4", "ts"])
def test_the_top_decodes_as_in_the_whole_and_its_height_is_read(
    kind: str, request: pytest.FixtureRequest
) -> None:
    stream, keys, container = _keyframes(request.getfixturevalue(kind))
    with container:
        top = KeyframeTop.for_stream(stream, 0.33)
        assert top is not None
        cut = top.cut(keys[0])
        assert len(cut) < 0.5 * len(keys[0])
        whole = _decode(stream, keys[0], ec=True)
        part = _decode(stream, cut, ec=False)
        whole_y = whole.to_ndarray(format="gray")
        part_y = part.to_ndarray(format="gray")
        height = decoded_height(part)
        assert 16 <= height < whole.height and height % 16 == 0
        assert np.array_equal(part_y[:height], whole_y[:height])  # bit-exact, no deblocking
        assert not part_y[height + 32 :].any()  # past the band and the row dropped: blank
        assert decoded_height(whole) == whole.height
        # the plane blanked once read, so a reused buffer shows only new rows
        clear_luma(part)
        assert not np.frombuffer(part.planes[0], np.uint8).any()


def test_a_thumbnail_scaled_from_the_top_rows_alone_is_the_whole_ones_there(mp4: Path) -> None:
    """The analysis scales only the picture rows a keyframe top's thumbnail rows need; those
    rows must be the whole picture's thumbnail rows bit for bit, at every height."""
    stream, keys, container = _keyframes(mp4)
    with container:
        frames = [_decode(stream, data, ec=True) for data in keys[:2]]
    whole_scaler, top_scaler = VideoReformatter(), VideoReformatter()
    for frame in frames:
        whole = _thumb(frame, whole_scaler)
        assert whole.shape[0] == THUMB_H
        for rows in range(THUMB_H):
            top = _top_thumb(frame, rows, top_scaler)
            if top is None:  # no saving left: the whole thumbnail is scaled
                assert rows + _CROP_MARGIN >= THUMB_H
                continue
            assert top.shape[0] > rows
            assert np.array_equal(top[:rows], whole[:rows]), rows


def test_packets_that_do_not_parse_and_other_codecs_decode_whole(tmp_path: Path) -> None:
    top = KeyframeTop(4, 0.33)
    assert top.cut(b"\x00\x00\x10\x00\x65abc") == b"\x00\x00\x10\x00\x65abc"  # size past the end
    clip = lavfi_clip(tmp_path / "m.mp4", seconds=1, audio=None, vcodec=("-c:v", "mpeg4"))
    with av.open(str(clip)) as container:
        assert KeyframeTop.for_stream(container.streams.video[0], 0.33) is None


def _grid_clip(path: Path) -> Path:
    """Two shots, the change at frame 50 on a grid of a keyframe every 25 frames (no scene-cut
    keyframes); the second shot differs little at the top (0.2) and much below."""
    shot = "size=640x{h}:rate=25:duration=2"
    ffmpeg(
        "-f", "lavfi", "-i", "color=c=black:" + shot.format(h=360),
        "-f", "lavfi", "-i", "color=c=0x444444:" + shot.format(h=120),
        "-f", "lavfi", "-i", "color=c=white:" + shot.format(h=240),
        "-filter_complex", "[1:v][2:v]vstack[b];[0:v][b]concat=n=2:v=1,noise=alls=8:allf=t[v]",
        "-map", "[v]", *_X264, "-x264-params", "scenecut=0", "-movflags", "+faststart",
        str(path),
    )  # fmt: skip
    return path


def test_a_cut_on_the_keyframe_grid_is_measured_on_whole_pictures(tmp_path: Path) -> None:
    """The cut sits on the grid, where only a whole-picture difference > 0.3 counts: the top
    alone says no cut, the whole pictures say cut."""
    path = _grid_clip(tmp_path / "grid.mp4")
    stream, keys, container = _keyframes(path)
    with container:
        assert len(keys) == 4
        thumbs = KeyframeThumbs(stream)
        container.seek(0)
        for packet in container.demux(stream):
            if packet.size and packet.is_keyframe:
                thumbs.add(packet, float(packet.pts * stream.time_base))
        thumbs.finish()
        top = thumbs.differences(np.zeros(3, bool), -1.0)  # a cut any top proves: tops alone
        off = thumbs.differences(np.zeros(3, bool), 0.03)  # as if off the grid
        diffs = thumbs.differences(np.ones(3, bool), 0.03)  # on the grid
    whole = []
    for data in keys:
        img = _decode(stream, data, ec=True).reformat(width=64, height=36, format="gray")
        whole.append(img.to_ndarray()[:, :64].astype(np.float32) / 255.0)
    expected = [float(np.abs(b - a).mean()) for a, b in zip(whole, whole[1:], strict=False)]
    assert diffs[1] == pytest.approx(expected[1], abs=1e-6)  # the cut: decoded again whole
    assert diffs[1] > 0.3 > top[1]
    top_rows = 8  # well inside the band the top third of the bytes decodes
    assert 0.15 < float(np.abs(whole[2][:top_rows] - whole[1][:top_rows]).mean()) < 0.3
    assert diffs[0] == top[0] < 0.15 and diffs[2] == top[2] < 0.15  # same shot: the top decided
    # Off the grid: the cut's top proves a whole difference > 0.03 by itself; the same-shot
    # pairs' tops cannot (grain only), so they are measured whole.
    assert off[1] == top[1]
    assert off[0] == pytest.approx(expected[0], abs=1e-6) != top[0]
    assert analyze_video(path, 4.0).shot_cuts_s.tolist() == pytest.approx([2.0])


def test_an_upload_read_as_it_arrives_gets_the_same_cuts(tmp_path: Path) -> None:
    """The early analysis reads an upload through a reader that cannot seek; the keyframes its
    tops cannot judge are decoded whole from the finished file on disk, as from any file (they
    were judged by their tops alone before: the grid cut was missed)."""
    path = _grid_clip(tmp_path / "grid.mp4")
    upload = GrowingFile(tmp_path / "upload.bin")
    upload.write(path.read_bytes())
    upload.finish()
    upload.register()
    try:
        early = analyze_video(upload.virtual_path, 4.0).shot_cuts_s
    finally:
        upload.unregister()
    assert upload.readers_opened == 1  # it did read through the growing file's reader
    assert early.tolist() == pytest.approx([2.0])
    assert analyze_video(path, 4.0).shot_cuts_s.tolist() == pytest.approx([2.0])
