"""A process of reelcut's may fork (FFmpeg from a job thread) while another thread multiplies
matrices (NumPy's OpenBLAS). With OpenBLAS's own thread pool that deadlocks: its fork handler
waits for the pool, which the other thread's call holds (the service hung so, a render's Popen
beside a chat's sentence matching). Importing reelcut first keeps NumPy's BLAS on one thread."""

from __future__ import annotations

import subprocess
import sys

_FORK_BESIDE_BLAS = """
import subprocess, threading
import reelcut  # first, as every door of reelcut imports it
import numpy as np
stop = threading.Event()
def multiply():
    a = np.random.default_rng(0).random((400, 400), dtype=np.float32)
    while not stop.is_set():
        a @ a
threading.Thread(target=multiply, daemon=True).start()
for _ in range(300):
    subprocess.run(["true"], preexec_fn=lambda: None)  # fork(), as with die_with_parent
stop.set()
print("done")
"""


def test_importing_reelcut_keeps_numpy_blas_on_one_thread() -> None:
    code = "import os, reelcut, numpy; print(os.environ['OPENBLAS_NUM_THREADS'])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1"


def test_forking_beside_a_blas_call_does_not_hang() -> None:
    # Before the fix: 1 of 2 runs of 200 forks hung for good on this machine.
    done = subprocess.run(
        [sys.executable, "-c", _FORK_BESIDE_BLAS], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and done.stdout.strip() == "done", done.stderr[-2000:]
