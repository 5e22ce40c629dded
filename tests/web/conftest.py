"""Real clips for the web page's tests: ``../shared/media`` beside the repository, or the folder
``REELCUT_SHARED_MEDIA`` names (a worktree elsewhere)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import shared_clip


def media(name: str) -> Path:
    return shared_clip(name)
