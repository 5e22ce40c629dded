"""One error tree for reelcut.

Every error carries a stable numeric ``code`` (the same the HTTP service answers with) and a
message a person can act on. Where an error means the same as a builtin, it subclasses both, so
callers may catch ``FileNotFoundError`` or ``ReelcutError`` alike (PyAV's habit).
"""

from __future__ import annotations


class ReelcutError(Exception):
    """Root of every error reelcut raises on purpose."""

    code: int = 5000

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(ReelcutError):
    """The input media cannot be used as it is."""

    code = 4000


class UnsupportedMediaError(InputError, ValueError):
    """Not a video file, or a container/codec reelcut does not accept."""

    code = 4001


class InputTooLargeError(InputError):
    """The input is over the configured size limit."""

    code = 4002


class CorruptMediaError(InputError):
    """The file looks like media but is truncated or damaged."""

    code = 4003


class NoVideoStreamError(InputError):
    """The container has no video stream to cut."""

    code = 4004


class EmptyMediaError(InputError):
    """Zero bytes, or no playable duration."""

    code = 4005


class InputNotFoundError(InputError, FileNotFoundError):
    """The input path does not exist or is not a file."""

    code = 4006


class InputNotReadableError(InputError, PermissionError):
    """The input exists but this process may not read it (file permissions)."""

    code = 4012


class OutputNotWritableError(ReelcutError, PermissionError):
    """The output path cannot be written."""

    code = 4007


class InvalidArgumentError(ReelcutError, ValueError):
    """A parameter (length, clip bounds, ...) makes no sense."""

    code = 4008


class NotEnoughFootageError(ReelcutError, ValueError):
    """The footage is shorter than the reel that was asked for."""

    code = 4009


class EditError(ReelcutError, ValueError):
    """A timeline edit cannot be applied (clip 9 of 6, negative time, unknown font...).

    The draft it was meant for is left unchanged.
    """

    code = 4010


class TopicNotFoundError(EditError, LookupError):
    """Nothing said in the footage is about the topic asked for ("the part about pricing" in a
    talk that never mentions it): answered as such, never with a random clip."""

    code = 4013


class SubtitleFileError(InputError, ValueError):
    """A subtitle file (SRT) that cannot be read: not SRT, a broken time line, an empty cue."""

    code = 4014


class ProjectError(ReelcutError):
    """A project file cannot be read: not a reelcut project, a newer schema, or damaged."""

    code = 4011


class RenderError(ReelcutError, RuntimeError):
    """FFmpeg failed while rendering; the message holds its last words."""

    code = 5001


class FFmpegNotFoundError(ReelcutError, FileNotFoundError):
    """No FFmpeg binary: neither REELCUT_FFMPEG nor the imageio-ffmpeg wheel."""

    code = 5002


class DatabaseUnavailableError(ReelcutError, ConnectionError):
    """The service's database (``--database-url``) cannot be reached or refused the login."""

    code = 5003


class MissingComponentError(ReelcutError):
    """Something reelcut needs is not installed here: a font for the text, the speech model.

    The message says what to install (an apt package, an extra) or which variable points at
    one. Not an FFmpeg failure (5001): nothing was run.
    """

    code = 5003


class FontNotFoundError(MissingComponentError, FileNotFoundError):
    """No font that can draw the text (Latin, or Chinese/Japanese/Korean characters)."""


class HardwareUnavailableError(MissingComponentError):
    """``REELCUT_HWACCEL=nvenc`` asked for the GPU encoder and it cannot be used here."""


class KeyReusedError(ReelcutError, ValueError):
    """An idempotency key sent again with another change: the change it was first sent with was
    made; answering that one's result would tell the client its new change was made too."""

    code = 422


class CancelledError(ReelcutError):
    """Long work was cancelled through its cancel event (or the command was interrupted)."""

    code = 4990
