"""Cut points of a reel fall between spoken phrases, never inside one.

Generated talk footage knows where every phrase starts and ends (``Truth.utterances``, from the
generator's own schedule); each clip's in- and out-point is checked against those spans, the
first and last included (the reel's scorer only sees the joins).
"""

from __future__ import annotations

import shutil

import pytest

from reelcut.analysis import analyze
from reelcut.footage import make_footage
from reelcut.selection import SelectionParams, select_clips

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng not installed"
)

_MARGIN_S = 0.05  # the scorer's own leeway at phrase edges


@needs_espeak
@pytest.mark.parametrize("seed", [1, 2])
def test_every_cut_point_of_a_talk_reel_falls_between_phrases(tmp_path, seed):
    src = tmp_path / "talk.mp4"
    truth = make_footage(src, genre="talk", minutes=3, height=180, seed=seed)
    target = 10.0 * len(truth.highlights(2))
    params = SelectionParams(target_s=target)
    clips = select_clips([analyze(src, use_cache=False)], params)
    inside = [
        (cut, (a, b))
        for c in clips
        for cut in (c.source_in_ms / 1000, c.source_out_ms / 1000)
        for a, b in truth.utterances
        if a + _MARGIN_S < cut < b - _MARGIN_S
    ]
    assert not inside, f"cut points inside a spoken phrase: {inside}"
    assert abs(sum(c.duration_ms for c in clips) / 1000 - target) <= params.tolerance_s - 0.2
