"""Cut points between sentences: sentences read from words, and selection that is handed where
the sentences are never cuts inside one (generated talk whose sentence times are known).
"""

from __future__ import annotations

import shutil

import pytest

from reelcut.analysis import analyze
from reelcut.selection import SelectionParams, select_clips
from reelcut.selection.sentences import SentenceSpans, prefer_breaks
from reelcut.selection.snap import CutOption
from reelcut.speech import Word
from reelcut.speech.sentences import sentences
from tests import speechmedia

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng not installed"
)


def _w(text: str, start: int, end: int) -> Word:
    return Word(text, start, end, 0.9)


def test_a_sentence_ends_at_a_full_stop_with_a_pause_or_at_a_long_pause():
    words = [
        _w("We", 0, 200), _w("won.", 250, 600),  # full stop, 400 ms pause: ends
        _w("Then", 1000, 1200), _w("we", 1300, 1400), _w("ate.", 1450, 1700),  # 50 ms: goes on
        _w("Lunch", 1750, 2000), _w("was", 3000, 3200), _w("late", 3250, 3500),  # 1 s pause: ends
    ]  # fmt: skip
    assert [s.text for s in sentences(words)] == ["We won.", "Then we ate. Lunch", "was late"]


def test_an_option_inside_a_sentence_costs_more_than_the_break_beside_it():
    said = SentenceSpans.of([(0.0, 4.0), (5.0, 9.0)], [(0.0, 10.0)])
    opts = prefer_breaks([CutOption(3.0, 0.0, "pause")], said, 3.0, 0.0, 10.0, 1.0, 3.0)
    assert opts[0].cost > 10
    best = min(opts, key=lambda o: o.cost)
    assert best.kind == "sentence" and 4.0 < best.at_s < 5.0


def _inside(clips, spans_ms) -> int:
    cuts = [t / 1000 for c in clips for t in (c.source_in_ms, c.source_out_ms)]
    return sum(any(a / 1000 + 0.05 < t < b / 1000 - 0.05 for a, b in spans_ms) for t in cuts)


@needs_espeak
def test_selection_given_the_sentences_cuts_inside_fewer(tmp_path):
    # Not none: selection keeps each moment's core and the reel's length first (see
    # bench/RESULTS.md "Sentence cuts"); what sentences buy is fewer cuts inside one.
    talk = speechmedia.lecture(inner_pause_s=0.35, gap_s=0.9, repeat=2)
    path = speechmedia.clip(tmp_path / "talk.mp4", talk.samples)
    signals = analyze(path, use_cache=False)
    truth = SentenceSpans.of(
        [(a / 1000, b / 1000) for a, b in talk.spans_ms], [(0.0, talk.duration_s)]
    )
    before = after = 0
    for target in (20.0, 30.0):
        params = SelectionParams(target_s=target)
        clips = select_clips([signals], params, [truth])
        assert abs(sum(c.duration_ms for c in clips) / 1000 - target) <= params.tolerance_s
        after += _inside(clips, talk.spans_ms)
        before += _inside(select_clips([signals], params), talk.spans_ms)
    assert after < before


@needs_espeak
def test_sentences_read_from_the_transcript_of_the_cut_regions_only(tmp_path):
    pytest.importorskip("faster_whisper")
    from reelcut.editor.speech_cuts import reach_s, select_between_sentences, sentence_spans

    talk = speechmedia.lecture(inner_pause_s=0.35, gap_s=0.9)
    path = speechmedia.clip(tmp_path / "talk.mp4", talk.samples)
    signals = analyze(path, use_cache=False)
    params = SelectionParams(target_s=20.0)
    clips = select_between_sentences([path], [signals], params)
    assert abs(sum(c.duration_ms for c in clips) / 1000 - params.target_s) <= params.tolerance_s
    reach = int(reach_s(params) * 1000)
    ranges = [(max(c.source_in_ms - reach, 0), c.source_in_ms + reach) for c in clips]
    said = sentence_spans([path], [signals], [ranges])[0]
    assert said is not None and len(said.spans) >= 2
    assert said.known[:, 1].max() - said.known[:, 0].min() < talk.duration_s  # not the whole file
