"""Stored signals (the analysis cache's entries) are written whole or not at all, also when
several threads store one content at once."""

from __future__ import annotations

import threading

import numpy as np

from reelcut.analysis.signals import Signals
from tests.unit.test_selection import signals


def test_signals_stored_by_two_threads_at_once_stay_whole(tmp_path):
    """Two analyses of one content may be stored at once (two jobs, or an upload's early
    analysis and its job): each writes a temporary file of its own (a dot name, invisible to a
    bounded local copy), then renames it, so the entry is one of them whole, never a mix."""
    made = signals(600.0, [(100.0, 1.0, 5.0)])
    path = tmp_path / "entry.npz"
    errors: list[BaseException] = []

    def store() -> None:
        try:
            for _ in range(10):
                made.save(path)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=store) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    loaded = Signals.load(path)
    assert loaded is not None and np.array_equal(loaded.excitement, made.excitement)
    assert [p.name for p in tmp_path.iterdir()] == ["entry.npz"]
