"""On-disk cache of transcripts, keyed by the content of the input, the model and the language.

Transcribing is the slowest thing reelcut does to a long recording, and captions, search and
re-edits ask for the same speech again and again; the key is the analysis cache's content hash
(a rename or copy still hits, any re-encode misses) plus what would change the words: the model,
the language asked for, and the source ranges (a whole-file entry answers any ranges).
``REELCUT_CACHE_DIR`` says where (``speech/`` inside it); the default is the user's cache dir.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path

import platformdirs

from reelcut.analysis.cache import content_key
from reelcut.speech.words import Transcript

__all__ = ["cache_dir", "content_key", "load", "load_covering", "store"]

TRANSCRIPT_VERSION = 3  # bump when the engine settings change what a model hears


def cache_dir() -> Path:
    named = os.environ.get("REELCUT_CACHE_DIR")
    base = Path(named) if named else Path(platformdirs.user_cache_dir("reelcut"))
    return base / "speech"


def _entry(
    key: str, model: str, language: str | None, ranges: Sequence[tuple[int, int]] | None
) -> Path:
    what = json.dumps([TRANSCRIPT_VERSION, model, language, ranges and [list(r) for r in ranges]])
    digest = hashlib.blake2b(what.encode(), digest_size=10).hexdigest()
    return cache_dir() / f"{key}-{digest}.json"


def load(
    key: str, model: str, language: str | None, ranges: Sequence[tuple[int, int]] | None
) -> Transcript | None:
    """The stored transcript, or None (never stored, or unreadable: then it is made again)."""
    try:
        doc = json.loads(_entry(key, model, language, ranges).read_text("utf-8"))
        return Transcript.from_json(doc)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _stamp(model: str, language: str | None) -> list[object]:
    return [TRANSCRIPT_VERSION, model, language]


def load_covering(
    key: str, model: str, language: str | None, ranges: Sequence[tuple[int, int]]
) -> Transcript | None:
    """A stored transcript of ranges that hold every one of ``ranges`` (read with the same
    model and language), cut down to ``ranges``; None when no stored entry holds them all.

    Why: the shorts planner and the sentence cuts read wide regions; the captions of a short or
    a reel then ask for the clips inside them, which the wide read already heard (with more
    context either side than a read of the clip alone).
    """
    from reelcut.speech.windows import keep_segments_in_ranges

    for entry in sorted(cache_dir().glob(f"{key}-*.json")):
        try:
            doc = json.loads(entry.read_text("utf-8"))
            read = doc.get("read")
            if not isinstance(read, dict) or read.get("stamp") != _stamp(model, language):
                continue
            have = [(int(a), int(b)) for a, b in read["ranges"]]
            if all(any(a <= lo and hi <= b for a, b in have) for lo, hi in ranges):
                found = Transcript.from_json(doc)
                kept = keep_segments_in_ranges(found.segments, ranges)
                return Transcript(found.language, tuple(kept), found.model)
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return None


def store(
    key: str,
    model: str,
    language: str | None,
    ranges: Sequence[tuple[int, int]] | None,
    transcript: Transcript,
) -> None:
    """Best effort: a read-only or full cache directory must not fail the transcript."""
    try:
        entry = _entry(key, model, language, ranges)
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_suffix(f".{os.getpid()}.tmp")
        doc = transcript.to_json()
        if ranges is not None:  # what :func:`load_covering` looks for
            doc["read"] = {"stamp": _stamp(model, language), "ranges": [list(r) for r in ranges]}
        tmp.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
        tmp.replace(entry)
    except OSError:
        pass
