"""make_footage: a seed in, an MP4 with known highlights and its truth file out.

The studio (generator) decides what happens and how it looks and sounds (:class:`Production`);
everything else is done here once for all of them: checking the arguments, encoding sound and
picture side by side, muxing, and writing the truth.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from reelcut.errors import InvalidArgumentError
from reelcut.footage.encode import encode_audio, encode_video, mux
from reelcut.footage.production import Studio
from reelcut.footage.truth import GENRES, Truth, truth_path
from reelcut.progress import ProgressFn, check_cancel, no_progress

T = TypeVar("T")


def make_footage(
    path: str | Path,
    genre: str = "sports",
    minutes: float = 2.0,
    height: int = 360,
    seed: int = 1,
    fps: int = 30,
    speech: bool = True,
    studio: str | Studio = "demo",
    close_events: bool = False,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> Truth:
    """Write ``path`` (H.264 + AAC stereo 48 kHz MP4) and ``<path stem>.truth.json``.

    The same arguments always give the same truth and the same sound and picture. ``speech``
    False replaces espeak-ng with a speech-like stand-in, so nothing outside Python and FFmpeg
    is needed. ``studio`` picks the sound and picture design: a name in
    :data:`reelcut.footage.STUDIOS`, or a generator's ``produce`` callable (bench/crosscheck).
    ``close_events`` puts some events seconds apart, as real broadcasts have them (goal after
    goal, a chance just before a goal, a laugh and applause in one rally), each with its own
    truth entry; False gives the same footage as before the option existed.
    Clips shorter than a minute may hold fewer events than the genre promises.
    """
    from reelcut.footage import demo

    STUDIOS: dict[str, Studio] = {"demo": demo.produce}
    if isinstance(studio, str):
        if studio not in STUDIOS:
            raise InvalidArgumentError(f"studio {studio!r} is not one of {', '.join(STUDIOS)}")
        studio = STUDIOS[studio]
    if genre not in GENRES:
        raise InvalidArgumentError(f"genre {genre!r} is not one of {', '.join(GENRES)}")
    if not 0.5 <= minutes <= 120:
        raise InvalidArgumentError(f"minutes must be between 0.5 and 120, not {minutes}")
    if not (180 <= height <= 2160 and height % 2 == 0):
        raise InvalidArgumentError(f"height must be even and between 180 and 2160, not {height}")
    if not 10 <= fps <= 60:
        raise InvalidArgumentError(f"fps must be between 10 and 60, not {fps}")
    path = Path(path)
    width = round(height * 16 / 9 / 2) * 2
    duration_s = round(minutes * 60 * fps) / fps
    tag = seed % 8
    try:
        made = studio(genre, duration_s, seed, fps, tag, speech, close_events)
    except ValueError as exc:  # the studio's events do not fit: a person's argument, not a bug
        raise InvalidArgumentError(
            f"{minutes:g} minutes of {genre} footage cannot hold its events ({exc}): "
            "give more minutes (1.5 or more always fits)"
        ) from None
    with tempfile.TemporaryDirectory(prefix=".footage-", dir=path.parent) as tmp:
        audio = Path(tmp) / "audio.m4a"
        sound = _Background(
            lambda: encode_audio(_checked(made.sound(), cancel), audio, made.aac_coder)
        )
        try:
            frames = _watch(made.frames(), made.n_frames, progress, cancel)
            video = encode_video(
                frames, Path(tmp) / "video.mp4", fps, (width, height), made.base, made.pix_fmt
            )
        finally:
            sound_error = sound.wait()
        if sound_error is not None:
            raise sound_error
        os.replace(mux(video, audio, Path(tmp) / "muxed.mp4"), path)
    truth = Truth(
        genre, duration_s, fps, width, height, seed, made.events, made.utterances, tag, close_events
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
            progress("footage", done, total)
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
