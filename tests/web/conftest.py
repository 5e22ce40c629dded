"""Real clips for the web page's tests: ``../shared/media`` beside the repository, or the folder
``REELCUT_SHARED_MEDIA`` names (a worktree elsewhere)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import SHARED_MEDIA


def media(name: str) -> Path:
    root = Path(os.environ.get("REELCUT_SHARED_MEDIA", SHARED_MEDIA))
    path = root / name
    if not path.exists():
        pytest.skip(f"{path} is not present (shared/media is beside the repository)")
    return path
