"""Group timed words into caption cues people can publish, and write them as SRT or WebVTT.

Cues break at pauses in speech, after sentence punctuation, and when the lines are full or the
cue has been on screen long enough. Latin words are never split (one longer than a line gets a
line of its own); Chinese and Japanese, written without spaces, break between characters, and
never put closing punctuation (。，！) at the start of a line. Words the engine was unsure of are
dropped before grouping (:func:`publishable`), so a caption never shows a word nobody said.

Two styles: ``classic`` (up to two lines, the subtitles of film and TV) and ``highlight`` (a few
words at a time on one line, the word being said picked out in colour, as in short-form video);
:func:`highlight_layers` says what to draw for the second.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from reelcut.errors import InvalidArgumentError
from reelcut.speech.retime import Piece, retime
from reelcut.speech.words import Word, is_wide, join_tokens, join_words

__all__ = [
    "CAPTION_STYLES",
    "DEFAULT_MIN_CONFIDENCE",
    "Caption",
    "Layer",
    "Piece",
    "caption_cues",
    "group_captions",
    "highlight_layers",
    "publishable",
    "retime",
    "to_srt",
    "to_vtt",
]

CAPTION_STYLES = ("classic", "highlight")
#: Words below this probability are left out of captions. Measured on tiny.en (bench/speech.py):
#: a right word rarely scores under it, and the words invented over noise mostly do.
DEFAULT_MIN_CONFIDENCE = 0.4
_SENTENCE_END = (".", "?", "!", "…", "。", "？", "！")
_NO_LINE_START = frozenset(".,!?;:…%)]}。，、！？；：）」』》】")
#: Drawn in place of the words that are not being said in a highlight layer: as wide as a digit
#: in a monospaced font (so the highlighted word lands exactly over itself), and not stripped as
#: whitespace by the text wrapper at the end of a line thanks to the zero-width guard after it.
BLANK, WIDE_BLANK, GUARD = "\u2007", "\u3000", "\ufeff"


@dataclass(frozen=True, slots=True)
class Caption:
    """One cue: shown from ``start_ms`` to ``end_ms``; lines joined with ``"\\n"``.

    ``words`` are the timed words it shows (for word-by-word styles); equality ignores them.
    """

    start_ms: int
    end_ms: int
    text: str
    words: tuple[Word, ...] = field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class Layer:
    """One thing to draw for a highlighted cue: the whole line (``active`` False), or the line
    with only the word being said left visible (``active`` True, drawn in the highlight colour
    over the first, in a monospaced font so the two line up)."""

    start_ms: int
    end_ms: int
    text: str
    active: bool


def publishable(
    words: Sequence[Word], min_confidence: float = DEFAULT_MIN_CONFIDENCE
) -> list[Word]:
    """The words a caption may show: non-empty, at or above ``min_confidence`` (0..1)."""
    if not 0.0 <= min_confidence <= 1.0:
        raise InvalidArgumentError(f"caption confidence floor {min_confidence} is not within 0..1")
    return [w for w in words if w.text.strip() and w.confidence >= min_confidence]


def _width(text: str) -> int:
    """Display columns: a CJK character takes two, everything else one."""
    return sum(2 if is_wide(ch) else 1 for ch in text)


def _pieces(text: str, max_chars: int) -> list[str]:
    """A word as the units a line may break between: whole for Latin, characters for CJK runs
    (closing punctuation kept with the character before it)."""
    if not any(is_wide(ch) for ch in text) or _width(text) <= max_chars:
        return [text]
    out: list[str] = []
    for ch in text:
        if out and (ch in _NO_LINE_START or not is_wide(ch) and not is_wide(out[-1][-1])):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def group_captions(
    words: Sequence[Word],
    max_chars: int = 32,
    max_lines: int = 2,
    max_duration_ms: int = 4000,
    min_gap_ms: int = 600,
    max_words: int | None = None,
) -> list[Caption]:
    """Cues for ``words`` (any order), each at most ``max_lines`` lines of ``max_chars`` columns
    (a CJK character counts two) and at most ``max_words`` words.

    A silence of ``min_gap_ms`` or more between two words always starts a new cue, so a cue is
    never on screen across a pause; a cue also ends before it would last over ``max_duration_ms``.
    """
    if max_chars < 1 or max_lines < 1 or max_duration_ms < 1 or min_gap_ms < 0:
        raise InvalidArgumentError("caption limits must be positive")
    if max_words is not None and max_words < 1:
        raise InvalidArgumentError("caption limits must be positive")
    captions: list[Caption] = []
    lines: list[list[str]] = []
    shown: list[Word] = []
    start = end = 0
    prev: Word | None = None

    def flush() -> None:
        if lines:
            text = "\n".join(join_words(line) for line in lines)
            captions.append(Caption(start, end, text, tuple(shown)))
            lines.clear()
            shown.clear()

    for w in sorted(words, key=lambda w: (w.start_ms, w.end_ms)):
        text = " ".join(w.text.split())
        if not text:
            continue
        if prev is not None and (
            w.start_ms - prev.end_ms >= min_gap_ms
            or w.end_ms - start > max_duration_ms
            or prev.text.endswith(_SENTENCE_END)
            or (max_words is not None and len(shown) >= max_words)
        ):
            flush()
        done = 0  # characters of the word placed so far: a word split across cues shares its time
        for piece in _pieces(text, max_chars):
            at = w.start_ms + (w.end_ms - w.start_ms) * done // len(text)
            if lines and lines[-1] and piece[0] not in _NO_LINE_START:
                if _width(join_words([*lines[-1], piece])) > max_chars:
                    if len(lines) >= max_lines:
                        end = max(end, at) if done else end
                        flush()
                    else:
                        lines.append([])
            if not lines:
                lines.append([])
                start = end = at
            lines[-1].append(piece)
            done += len(piece)
        shown.append(w)
        end = max(end, w.end_ms)
        prev = w
    flush()
    return captions


def caption_cues(
    words: Sequence[Word],
    style: str = "classic",
    *,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    max_chars: int | None = None,
) -> list[Caption]:
    """Cues in ``style`` from the publishable ``words``.

    ``classic``: two lines of up to ``max_chars`` (default 32) columns. ``highlight``: one line
    of up to ``max_chars`` (default 18) columns and four words, shorter on screen (2.5 s).
    """
    kept = publishable(words, min_confidence)
    if style == "classic":
        return group_captions(kept, max_chars=max_chars or 32, max_lines=2)
    if style == "highlight":
        return group_captions(
            kept, max_chars=max_chars or 18, max_lines=1, max_duration_ms=2500, max_words=4
        )
    raise InvalidArgumentError(f"caption style {style!r}: choose {' or '.join(CAPTION_STYLES)}")


def highlight_layers(cue: Caption) -> list[Layer]:
    """What to draw for ``cue`` in the highlight style: the whole line for the whole cue, then
    for each word, from when it starts until the next one does, the line with only that word.

    Each word's layer has every other word replaced by blanks of the same width in a monospaced
    font, so drawn centred over the whole line it covers exactly its own word.
    """
    if not cue.words:
        return [Layer(cue.start_ms, cue.end_ms, cue.text, False)]
    layers = [Layer(cue.start_ms, cue.end_ms, cue.text, False)]
    texts = [" ".join(w.text.split()) for w in cue.words]
    for i, w in enumerate(cue.words):
        shown = [t if j == i else _blank(t) for j, t in enumerate(texts)]
        start = cue.start_ms if i == 0 else w.start_ms
        end = cue.end_ms if i == len(cue.words) - 1 else max(cue.words[i + 1].start_ms, start + 1)
        layers.append(Layer(start, end, GUARD + join_tokens(shown) + GUARD, True))
    return layers


def _blank(text: str) -> str:
    return "".join(WIDE_BLANK if is_wide(ch) else BLANK for ch in text)


def _clock(ms: int, decimal: str) -> str:
    ms = max(0, int(ms))
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{decimal}{millis:03d}"


def to_srt(captions: Sequence[Caption]) -> str:
    """SubRip text: numbered cues from 1, ``HH:MM:SS,mmm`` times, blank line between cues."""
    blocks = [
        f"{i}\n{_clock(c.start_ms, ',')} --> {_clock(c.end_ms, ',')}\n{c.text}"
        for i, c in enumerate(captions, start=1)
    ]
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _vtt_text(text: str) -> str:
    """Cue text with the characters WebVTT reserves escaped (``&``, ``<``, ``>``)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_vtt(captions: Sequence[Caption]) -> str:
    """WebVTT text: the ``WEBVTT`` header, then cues with ``HH:MM:SS.mmm`` times."""
    blocks = [
        f"{_clock(c.start_ms, '.')} --> {_clock(c.end_ms, '.')}\n{_vtt_text(c.text)}"
        for c in captions
    ]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n" if blocks else "WEBVTT\n"
