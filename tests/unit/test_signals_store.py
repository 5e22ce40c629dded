"""Stored signals (the analysis cache's entries) are written whole or not at all, also when
several threads store one content at once."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

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


def test_a_failed_store_leaves_no_partial_file(tmp_path):
    """A disk that fills mid-write (here: a child process whose file size limit is 4 KB, so
    the write fails with EFBIG as on a full disk) raises, and leaves neither the entry nor its
    temporary file behind: a dot name nothing would ever clean or evict."""
    code = (
        "import resource, signal, sys\n"
        "from pathlib import Path\n"
        "from tests.unit.test_selection import signals\n"
        "made = signals(600.0, [(100.0, 1.0, 5.0)])\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.RLIM_INFINITY))\n"
        "try:\n"
        "    made.save(Path(sys.argv[1]))\n"
        "except OSError as exc:\n"
        "    print('refused', exc.errno)\n"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root / "src"), str(root)])}
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "entry.npz")],
        capture_output=True, text=True, env=env, cwd=root, timeout=60,
    )  # fmt: skip
    assert done.stdout.startswith("refused"), done.stderr
    assert list(tmp_path.iterdir()) == []
