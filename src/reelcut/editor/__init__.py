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

from reelcut.editor.build import draft_from_clips
from reelcut.editor.options import ReelOptions, option_ops
from reelcut.editor.store import Project, Version, project_path_for
from reelcut.selection import SelectionParams

__all__ = [
    "Project",
    "ReelOptions",
    "SelectionParams",
    "Version",
    "draft_from_clips",
    "option_ops",
    "project_path_for",
]
