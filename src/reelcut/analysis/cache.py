"""On-disk cache of ``Signals``, keyed by the content of the input (not its name or mtime).

Hashing a whole 5 GB recording would cost seconds, so the key hashes the size plus the first and
last 4 MiB and 32 evenly spaced 256 KiB samples: any re-encode or edit changes it, a rename or copy
does not. ``REELCUT_CACHE_DIR`` says where; the default is the user's cache directory.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

from reelcut.analysis.signals import ANALYSIS_VERSION, Signals

_EDGE = 4 * 2**20
_SAMPLE = 256 * 2**10
_SAMPLES = 32


def cache_dir() -> Path:
    named = os.environ.get("REELCUT_CACHE_DIR")
    return Path(named) if named else Path(platformdirs.user_cache_dir("reelcut")) / "analysis"


def content_key(path: Path) -> str:
    """A hex digest that changes whenever the file's content does."""
    size = path.stat().st_size
    h = hashlib.blake2b(digest_size=20)
    h.update(str(size).encode())
    with path.open("rb") as fh:
        if size <= 2 * _EDGE + _SAMPLES * _SAMPLE:
            h.update(fh.read())
        else:
            h.update(fh.read(_EDGE))
            span = size - 2 * _EDGE - _SAMPLE
            for i in range(_SAMPLES):
                fh.seek(_EDGE + span * i // (_SAMPLES - 1))
                h.update(fh.read(_SAMPLE))
            fh.seek(size - _EDGE)
            h.update(fh.read(_EDGE))
    return h.hexdigest()


#: The names of entries (:func:`entry_path`) in :func:`cache_dir`, which may hold other things
#: (``REELCUT_CACHE_DIR`` is also the parent of transcripts, music and the speech model); any
#: analysis version, so that old entries are counted and evicted too.
ENTRY_GLOB = "*-v*-*ms.npz"


def entry_path(key: str, step_s: float) -> Path:
    """The file the signals of content ``key`` at ``step_s`` are (or would be) kept in."""
    return cache_dir() / f"{key}-v{ANALYSIS_VERSION}-{int(step_s * 1000)}ms.npz"


def load(key: str, step_s: float) -> Signals | None:
    return Signals.load(entry_path(key, step_s))


def store(key: str, step_s: float, signals: Signals) -> None:
    """Best effort: a read-only or full cache directory must not fail the edit."""
    try:
        entry = entry_path(key, step_s)
        entry.parent.mkdir(parents=True, exist_ok=True)
        signals.save(entry)
    except OSError:
        pass
