"""Captions of a reel from its speech, in both styles, down to the rendered pixels.

The talk is espeak-ng over a black picture, so the only colour in a frame is the captions':
white lines in a dark box, and in the highlight style the word being said in yellow, which
must move left to right across the line as the words go by.
"""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from reelcut.editor.assets import render_draft
from reelcut.editor.build import source_from_info
from reelcut.editor.edits import captions_op
from reelcut.errors import EditError
from reelcut.media.probe import probe
from reelcut.render import RenderSettings
from reelcut.speech.captions import GUARD
from reelcut.speech.wer import word_error_rate
from reelcut.timeline.model import Draft, TextSegment, Track, TrackType, VideoSegment
from tests import speechmedia

BLACK = "color=c=black:size=320x180:rate=25"


def draft_of(path: Path, spans_ms: list[tuple[int, int]]) -> Draft:
    src = source_from_info(probe(path), "s0")
    clips = tuple(VideoSegment("s0", a, b) for a, b in spans_ms)
    return Draft(sources=(src,), tracks=(Track(TrackType.VIDEO, "Video", clips),), height=360)


@pytest.fixture(scope="module")
def talk() -> speechmedia.Talk:
    if not speechmedia.have_espeak():
        pytest.skip("espeak-ng is not installed")
    # 13.6 s: the render's loudness analysis fails on a 7 s talk over black (reported, not ours)
    return speechmedia.talk(gap_s=1.0)


@pytest.fixture(scope="module")
def talk_clip(talk: speechmedia.Talk, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return speechmedia.clip(tmp_path_factory.mktemp("cap") / "talk.mp4", talk.samples, BLACK)


def captions(draft: Draft) -> list[TextSegment]:
    return [t for t in draft.texts if isinstance(t, TextSegment) and t.role == "caption"]


def test_classic_captions_say_the_script_in_two_line_cues(
    talk: speechmedia.Talk, talk_clip: Path
) -> None:
    draft = draft_of(talk_clip, [(0, round(talk.duration_s * 1000))])
    cues = captions(captions_op(draft).apply(draft))
    assert cues and all(c.box and c.text.count("\n") <= 1 for c in cues)
    said = " ".join(c.text.replace("\n", " ") for c in cues)
    assert word_error_rate(talk.text, said) <= 0.10, said


def test_captions_of_a_cut_reel_only_hear_its_clips(
    talk: speechmedia.Talk, talk_clip: Path
) -> None:
    second = talk.spans_ms[1]
    draft = draft_of(talk_clip, [(second[0] - 200, second[1] + 200)])
    said = " ".join(c.text for c in captions(captions_op(draft).apply(draft)))
    assert word_error_rate(talk.sentences[1], said) <= 0.15, said
    assert all(c.start_ms < draft.duration_ms for c in captions(captions_op(draft).apply(draft)))


def test_highlight_renders_the_spoken_word_in_colour_moving_along_the_line(
    talk: speechmedia.Talk, talk_clip: Path, tmp_path: Path
) -> None:
    first = talk.spans_ms[0]
    draft = draft_of(talk_clip, [(0, first[1] + 300)])
    drafted = captions_op(draft, style="highlight").apply(draft)
    layers = captions(drafted)
    lines = [t for t in layers if not t.text.startswith(GUARD)]
    words = [t for t in layers if t.text.startswith(GUARD)]
    assert lines and len(words) >= 8 and all(t.font == "mono" for t in layers)
    assert all(len(t.text.split()) <= 4 for t in lines)
    out = tmp_path / "highlight.mp4"
    render_draft(drafted, out, RenderSettings(preset="ultrafast"))
    centres: list[tuple[int, float]] = []  # (cue index, x of the yellow pixels) per word
    with av.open(str(out)) as c:
        frames = [(float(f.time * 1000), f.to_ndarray(format="rgb24")) for f in c.decode(video=0)]
    for w in words:
        mid = w.start_ms + w.duration_ms / 2
        _, rgb = min(frames, key=lambda f: abs(f[0] - mid))
        r, g, b = (rgb[..., k].astype(int) for k in range(3))
        yellow = (r > 180) & (g > 150) & (b < 90)
        assert yellow.sum() > 20, f"no highlighted word drawn at {mid} ms"
        cue = next(k for k, line in enumerate(lines) if line.start_ms <= mid < line.end_ms)
        centres.append((cue, float(np.nonzero(yellow)[1].mean())))
    for (cue_a, x_a), (cue_b, x_b) in zip(centres, centres[1:], strict=False):
        if cue_a == cue_b:
            assert x_b > x_a, "the highlight must move left to right through a line"


def test_no_captions_from_music(tmp_path: Path) -> None:
    music = speechmedia.clip(tmp_path / "m.mp4", speechmedia.background("music", 6.0), BLACK)
    draft = draft_of(music, [(0, 6000)])
    with pytest.raises(EditError, match="no speech"):
        captions_op(draft)
