"""The web page's hand edits (``/api/web/sessions/{sid}/edit`` and ``/history``) applied to a
session's project: the one function both places that run them call.

Without a broker the API process runs it under its per-session lock. Behind a broker an API
process stores it as an ``edit`` job (params ``{"hand": ...}``) for a worker: the job rows'
one-edit-per-session rule then serialises hand and AI edits of a session across every process
(a per-process lock could not), and the media work some requests need (a first reel from the
analyses, captions) runs on a worker, not in the API process.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reelcut.editor import hand
from reelcut.editor.chat import Current
from reelcut.errors import EditError
from reelcut.service.drafts import project_paths_local, project_paths_portable
from reelcut.service.storage import Storage


def apply_change(
    storage: Storage,
    workspace: Path,
    change: dict[str, Any],
    sources: list[Path],
    *,
    default_length_s: float,
    max_mb: float,
) -> None:
    """Apply ``change`` (``{"requests": [...]}``, ``{"step": "undo"|"redo"}`` or
    ``{"restore": n}``) to the session's current project as one new version. ``workspace``:
    the session's folder, checked out for change
    (:meth:`reelcut.service.workspaces.Workspaces.edit`); ``sources``: its uploads' local
    paths, held meanwhile."""
    root = storage.path_of("media").parent
    path = workspace / Current.read(workspace).project
    project_paths_local(workspace, root)
    try:
        if change.get("requests") is not None:
            hand.apply_requests(
                path, sources, change["requests"], default_length_s=default_length_s,
                max_mb=max_mb,
            )  # fmt: skip
        elif change.get("restore") is not None:
            hand.restore(path, int(change["restore"]))
        elif change.get("step") is not None:
            hand.step(path, change["step"])
        else:
            raise EditError('send "step" (undo or redo) or "restore" (a version number)')
    finally:
        project_paths_portable(workspace, root)
