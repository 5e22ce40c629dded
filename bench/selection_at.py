"""``reelcut.selection`` as it was at a given commit, importable beside today's.

Benchmarks that compare selection before and after a change run both in one process on the same
analysis: the old package is read from git (``git show COMMIT:src/reelcut/selection/...``),
renamed ``selection_<commit>`` and imported from ``bench/out/code``. It must still run against
today's ``reelcut.analysis`` and ``reelcut.errors``, which is what makes the comparison about
selection alone.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
CODE = HERE / "out" / "code"


def selection_at(commit: str) -> ModuleType:
    """The selection package of ``commit`` (its ``select_clips`` takes today's signals)."""
    name = f"selection_{commit}"
    pkg = CODE / name
    repo = HERE.parent
    if not (pkg / "__init__.py").exists():
        pkg.mkdir(parents=True, exist_ok=True)
        files = subprocess.run(
            ["git", "-C", str(repo), "ls-tree", "--name-only", commit, "src/reelcut/selection/"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        for f in files:
            text = subprocess.run(
                ["git", "-C", str(repo), "show", f"{commit}:{f}"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            (pkg / Path(f).name).write_text(text.replace("reelcut.selection", name))
    if str(CODE) not in sys.path:
        sys.path.insert(0, str(CODE))
    return importlib.import_module(name)
