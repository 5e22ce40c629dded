"""Cut points between sentences: sentences read from words (breaks the voice confirms), selection
handed where the sentences are never cuts inside one, and ``reelcut make`` of generated talk
whose sentence times are known cuts inside none (the speech read around the cut points only).
"""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from reelcut.analysis import analyze
from reelcut.cli.app import app
from reelcut.media.probe import probe
from reelcut.selection import SelectionParams, select_clips
from reelcut.selection.sentences import SentenceSpans, prefer_breaks
from reelcut.selection.snap import CutOption
from reelcut.speech import Word
from reelcut.speech.sentences import sentences, spoken_sentences
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


def test_a_break_needs_the_voice_to_pause_so_a_full_stop_at_a_breath_is_none():
    words = [
        _w("We", 0, 200), _w("won.", 250, 600), _w("Then", 900, 1100), _w("we", 1150, 1300),
        _w("ate.", 1350, 1700), _w("Lunch", 2500, 2800),
    ]  # fmt: skip
    pauses = [(0.62, 0.88), (1.72, 2.48)]  # a 0.26 s breath after "won.", 0.76 s after "ate."
    assert spoken_sentences(words, pauses) == [(0, 1720), (2480, 2800)]


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
def test_selection_given_the_sentences_cuts_inside_none(tmp_path):
    # Every strong moment of this lecture (the laugh, the applause, lively sentences) needs
    # a whole sentence either side: the short reels drop one and keep the length.
    talk = speechmedia.lecture(inner_pause_s=0.35, gap_s=0.9, repeat=2)
    path = speechmedia.clip(tmp_path / "talk.mp4", talk.samples)
    signals = analyze(path, use_cache=False)
    truth = SentenceSpans.of(
        [(a / 1000, b / 1000) for a, b in talk.spans_ms], [(0.0, talk.duration_s)],
        talk.duration_s,
    )  # fmt: skip
    before = 0
    for target in (20.0, 30.0, 45.0):
        params = SelectionParams(target_s=target)
        clips = select_clips([signals], params, [truth])
        assert abs(sum(c.duration_ms for c in clips) / 1000 - target) <= params.tolerance_s - 0.2
        assert _inside(clips, talk.spans_ms) == 0, (target, clips)
        before += _inside(select_clips([signals], params), talk.spans_ms)
    assert before > 0  # the talk is one where pauses alone cut inside sentences


@needs_espeak
def test_reelcut_make_of_talk_cuts_between_sentences(tmp_path):
    pytest.importorskip("faster_whisper")
    talk = speechmedia.lecture(inner_pause_s=0.35, gap_s=0.9)
    src = speechmedia.clip(tmp_path / "talk.mp4", talk.samples)
    out = tmp_path / "reel.mp4"
    args = ["make", str(src), "-l", "20s", "-o", str(out), "--json", "--preset", "ultrafast"]
    result = CliRunner().invoke(app, [*args, "--no-project"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    cuts = [t for c in doc["clips"] for t in (c["source_in_s"], c["source_out_s"])]
    inside = [
        (t, a / 1000, b / 1000) for t in cuts for a, b in talk.spans_ms
        if a / 1000 + 0.05 < t < b / 1000 - 0.05
    ]  # fmt: skip
    assert inside == []
    assert abs(probe(out).duration_s - 20.0) <= 1.0


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
