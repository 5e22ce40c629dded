"""The application layer: the one place where reelcut's stages are composed.

media -> analysis -> selection -> timeline -> render are stages that know nothing of each other
upward; this package strings them together for every door (CLI, HTTP service, web page, MCP
server, library users):

- :mod:`~reelcut.editor.make` makes reels (the main job) and first drafts;
- :mod:`~reelcut.editor.requests` / :mod:`~reelcut.editor.edits` turn edit requests into
  timeline ops, looking at the media where an edit needs it (re-selecting, next best, music,
  captions);
- :mod:`~reelcut.editor.chat` turns a chat message into edits and a reply (the agent);
- :mod:`~reelcut.editor.assets` finds what a draft's render needs and renders it;
- :mod:`~reelcut.editor.store` keeps a project's versions on disk (undo, redo, history);
- :mod:`~reelcut.editor.exchange` writes NLE exports;
- :mod:`~reelcut.editor.quick` plans clips straight from selection (no project).
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reelcut.editor.build import draft_from_clips
    from reelcut.editor.options import ReelOptions, option_ops
    from reelcut.editor.store import Project, Version, project_path_for
    from reelcut.selection import SelectionParams

# Imported on first use (PEP 562), so that ``reelcut show``/``undo``/``history``, which need only
# the project store, do not import selection and analysis (SciPy, PyAV) at every start.
_HOME = {
    "draft_from_clips": "reelcut.editor.build",
    "ReelOptions": "reelcut.editor.options",
    "option_ops": "reelcut.editor.options",
    "Project": "reelcut.editor.store",
    "Version": "reelcut.editor.store",
    "project_path_for": "reelcut.editor.store",
    "SelectionParams": "reelcut.selection",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'reelcut.editor' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


__all__ = [
    "Project",
    "ReelOptions",
    "SelectionParams",
    "Version",
    "draft_from_clips",
    "option_ops",
    "project_path_for",
]
