"""make_footage: a seed in, an MP4 with known highlights and its truth file out."""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import numpy as np

from reelcut.errors import InvalidArgumentError
from reelcut.progress import ProgressFn, check_cancel, no_progress
from reelcut.synth import gaming, sports, talk
from reelcut.synth.encode import encode_audio, encode_video, mux
from reelcut.synth.mix import Mixer, speech_activity
from reelcut.synth.painter import Painter
from reelcut.synth.speech import phrase_s
from reelcut.synth.truth import GENRES, Truth, truth_path

T = TypeVar("T")
PLANNERS = {"sports": sports.plan, "talk": talk.plan, "gaming": gaming.plan}
#: dBFS of each genre's 0 dB (its calm speech), chosen so the whole clip lands near -18 LUFS.
REFERENCE_DBFS = {"sports": -21.5, "talk": -18.0, "gaming": -19.0}


def make_footage(
    path: str | Path,
    genre: str = "sports",
    minutes: float = 2.0,
    height: int = 360,
    seed: int = 1,
    fps: int = 30,
    speech: bool = True,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> Truth:
    """Write ``path`` (H.264 + AAC stereo 48 kHz MP4) and ``<path stem>.truth.json``.

    The same arguments always give the same truth and the same sound and picture. ``speech``
    False replaces espeak-ng with a speech-like stand-in, so nothing outside Python and FFmpeg
    is needed. Clips shorter than a minute may hold fewer events than the genre promises.
    """
    if genre not in GENRES:
        raise InvalidArgumentError(f"genre {genre!r} is not one of {', '.join(GENRES)}")
    if not 0.5 <= minutes <= 90:
        raise InvalidArgumentError(f"minutes must be between 0.5 and 90, not {minutes}")
    if not (180 <= height <= 2160 and height % 2 == 0):
        raise InvalidArgumentError(f"height must be even and between 180 and 2160, not {height}")
    if not 10 <= fps <= 60:
        raise InvalidArgumentError(f"fps must be between 10 and 60, not {fps}")
    path = Path(path)
    width = round(height * 16 / 9 / 2) * 2
    duration_s = round(minutes * 60 * fps) / fps
    tag = seed % 8

    def length_of(text: str, voice: str) -> float:
        return phrase_s(text, voice, speech)

    script = PLANNERS[genre](np.random.default_rng(seed), duration_s, length_of)
    mixer = Mixer(script, seed, fps, REFERENCE_DBFS[genre], speech)
    painter = Painter(script, seed, fps, tag, speech_activity(script, fps, speech))
    with tempfile.TemporaryDirectory(prefix=".synth-", dir=path.parent) as tmp:
        audio = Path(tmp) / "audio.m4a"
        sound = _Background(lambda: encode_audio(_checked(mixer.chunks(), cancel), audio))
        try:
            frames = _watch(painter.frames(), painter.n_frames, progress, cancel)
            video = encode_video(frames, Path(tmp) / "video.mp4", fps, width, height)
        finally:
            sound_error = sound.wait()
        if sound_error is not None:
            raise sound_error
        os.replace(mux(video, audio, Path(tmp) / "muxed.mp4"), path)
    truth = Truth(
        genre, duration_s, fps, width, height, seed, script.events, script.utterances, tag
    )
    truth.to_json(truth_path(path))
    return truth


def _watch(
    frames: Iterator[T], total: int, progress: ProgressFn, cancel: threading.Event | None
) -> Iterator[T]:
    """Pass frames through, reporting progress and stopping when cancelled."""
    for done, item in enumerate(frames, 1):
        if done % 64 == 0 or done == total:
            check_cancel(cancel)
            progress("synth", done, total)
        yield item


def _checked(items: Iterator[T], cancel: threading.Event | None) -> Iterator[T]:
    for item in items:
        check_cancel(cancel)
        yield item


class _Background:
    """Run one job on a thread (the sound, while the picture encodes), keeping its error."""

    def __init__(self, job: Callable[[], object]) -> None:
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(job,), daemon=True)
        self._thread.start()

    def _run(self, job: Callable[[], object]) -> None:
        try:
            job()
        except BaseException as exc:  # handed to the caller by wait()
            self._error = exc

    def wait(self) -> BaseException | None:
        """Wait for the job; its error, if it raised one."""
        self._thread.join()
        return self._error
