"""Game sound that the voice gate lets through is looked at once, briefly, not decoded in loops.

The sound is the 3-minute gaming footage of tests/e2e/test_highlights.py (seed 4, the speech
stand-in instead of espeak-ng), made here without its picture. Before issue 20 faster-whisper's
beam search read it as a 224-token loop, failed the loop on its repetition check and sampled it
three to five more times (640 to 1,090 tokens, about 5 s of CPU), then dropped every word; the
real CTranslate2 model is watched here (its calls counted and passed through), not replaced.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests import speechmedia


class Watched:
    """CTranslate2's Whisper model, recording the tokens and temperature of every decode."""

    def __init__(self, model: Any) -> None:
        self.model, self.decodes = model, []  # type: list[tuple[float, int]]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.model, name)

    def generate(self, *args: Any, **kwargs: Any) -> Any:
        found = self.model.generate(*args, **kwargs)
        self.decodes.append(
            (float(kwargs.get("sampling_temperature", 0.0)), len(found[0].sequences_ids[0]))
        )
        return found


@pytest.fixture(scope="module")
def game_sound(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from reelcut.footage import demo

    made = demo.produce("gaming", 180.0, 4, 30, 4, False, False)
    stereo = np.concatenate(list(made.sound()))
    mono = stereo.mean(axis=1).astype(np.float32)
    return speechmedia.clip(tmp_path_factory.mktemp("game") / "game.mp4", mono)


def test_game_sound_is_looked_at_once_and_gives_no_words(game_sound: Path) -> None:
    from reelcut.speech.whisper import WhisperTranscriber

    engine = WhisperTranscriber()  # its own instance: the watch must not outlive this test
    watched = Watched(engine._model.model)
    engine._model.model = watched
    assert engine.transcribe(game_sound) == []
    sampled = [d for d in watched.decodes if d[0] > 0]
    assert sampled == [], f"noise was sampled again: {watched.decodes}"
    # one decoding step to rate the window, then a look of at most 96 tokens (LOOK_TOKENS)
    assert sum(n for _, n in watched.decodes) <= 97, watched.decodes


def test_a_loop_whisper_doubts_is_dropped_and_talk_that_repeats_is_kept() -> None:
    from reelcut.speech.whisper import heard_as_speech

    assert not heard_as_speech(0.74, -0.13, 20.7)  # "Heh, heh, heh, ..." over game sound
    assert not heard_as_speech(0.81, -0.16, 21.6)  # "see you next time, ..." over a crowd
    assert heard_as_speech(0.56, -0.40, 2.5)  # commentary saying one line three times
    assert heard_as_speech(0.66, -0.22, 1.6)  # the lecture window that opens on a laugh


def test_a_cut_off_look_is_a_loop_only_when_its_end_repeats() -> None:
    """A crowd chanting, then a commentator: the whole look compresses like a loop, but its end
    is talk, so the window is decoded again whole instead of dropped with the commentary."""
    from faster_whisper.transcribe import get_compression_ratio

    from reelcut.speech.whisper_decode import is_loop

    chant = "Let's go Blues! " * 12
    talk = (
        "And Harrison picks it up on the left, cuts inside past two defenders, looks up and "
        "curls one towards the far post where the keeper just gets a fingertip to it."
    )
    looked = chant + talk
    assert get_compression_ratio(looked) > 2.4  # the rule before this: a loop, dropped
    assert not is_loop(get_compression_ratio(looked), talk, 2.4)
    assert is_loop(get_compression_ratio(chant), chant[-160:], 2.4)
