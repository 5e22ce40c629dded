"""Projects: a reel's draft with its version history on disk, and the edits that need media.

``reelcut make`` writes ``reel.reelcut.json`` beside the reel; ``show``, ``render``, ``export``,
``undo``, ``redo`` and ``history`` work on that file.
"""

from reelcut.project.build import ReelOptions, draft_from_clips, option_ops
from reelcut.project.store import Project, Version, project_path_for

__all__ = [
    "Project",
    "ReelOptions",
    "Version",
    "draft_from_clips",
    "option_ops",
    "project_path_for",
]
