"""Edits by hand: typed edit requests on a project file, for doors where a person clicks rather
than types (the web page's clip list, length, music, format, captions and history).

The requests are :mod:`reelcut.editor.requests`' vocabulary (``move_clip``, ``trim_clip``,
``next_best``, ``set_length``...), resolved against the current draft and applied as ONE new
version, all or nothing, exactly as a chat message's edits are. A project that does not exist
yet is made first from the footage (its length from a ``set_length`` among the requests).

Each change may carry an idempotency ``key``: saved in the project with the change
(:meth:`reelcut.editor.store.Project.mark_done`), so the same change sent again (a retry after
a lost answer, a job run again after its worker died) finds it done and changes nothing. The
key is saved signed with a digest of its change (``key#digest``): the same key with another
change is :class:`reelcut.errors.KeyReusedError`, not the first change's result.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reelcut.durations import reel_length
from reelcut.editor.footage import analyze_all, first_draft, footage_among
from reelcut.editor.requests import resolve
from reelcut.editor.store import Project
from reelcut.errors import EditError, KeyReusedError
from reelcut.instructions.reply import describe
from reelcut.selection import SelectionParams
from reelcut.timeline.changes import ReelMade

__all__ = ["apply_requests", "make_project", "restore", "step"]


def make_project(
    path: Path,
    sources: Sequence[Path],
    length_s: float,
    *,
    max_mb: float | None = None,
    cancel: threading.Event | None = None,
) -> Project:
    """A new project at ``path`` holding the first draft of the videos among ``sources``."""
    videos = footage_among(sources, max_mb=max_mb)
    if not videos:
        raise EditError("there is no footage yet: upload a video first")
    signals = analyze_all(videos, cancel=cancel)
    draft, clips = first_draft(videos, signals, SelectionParams(target_s=length_s), cancel=cancel)
    return Project.create(path, draft, describe([ReelMade(len(clips), draft.duration_ms)]))


def signed(key: str | None, change: Any) -> str | None:
    """``key`` with a digest of ``change`` (what is saved in the project's done keys)."""
    if key is None:
        return None
    text = json.dumps(change, sort_keys=True, ensure_ascii=False, default=str)
    return f"{key}#{hashlib.blake2b(text.encode(), digest_size=8).hexdigest()}"


def _done(project: Project, key: str | None) -> bool:
    """Whether the change ``key`` (signed) names is in ``project`` already;
    :class:`KeyReusedError` when its key was used for another change."""
    if key is None:
        return False
    plain = key.split("#", 1)[0]
    for done in project.done:
        if done in (key, plain):  # plain: saved before keys were signed
            return True
        if done.split("#", 1)[0] == plain:
            raise KeyReusedError(
                f"Idempotency-Key {plain.removeprefix('key:')[:128]} was sent before with "
                "another change, which was made; send a new key for a new change"
            )
    return False


def _length(request: dict[str, Any]) -> float:
    return reel_length(request.get("seconds"), EditError)


def apply_requests(
    path: Path,
    sources: Sequence[Path],
    requests: Sequence[Any],
    *,
    default_length_s: float = 60.0,
    max_mb: float | None = None,
    cancel: threading.Event | None = None,
    key: str | None = None,
) -> Project:
    """Apply ``requests`` to the project at ``path`` as one version (made from ``sources`` if
    it does not exist yet); the project as saved. Nothing is saved when a request fails, and
    nothing again when the project already holds the change ``key`` names."""
    todo = list(requests)
    key = signed(key, {"requests": todo})
    if not path.is_file():
        first = next((r for r in todo if isinstance(r, dict) and r.get("op") == "set_length"), None)
        length = _length(first) if first is not None else default_length_s
        todo = [r for r in todo if r is not first]
        project = make_project(path, sources, length, max_mb=max_mb, cancel=cancel)
        if not todo and key is not None:
            project.mark_done(key)
            project.save()
    else:
        if not todo:
            raise EditError("no edit to apply: send at least one request")
        project = Project.load(path)
        if _done(project, key):
            return project
    if todo:
        request = todo[0] if len(todo) == 1 else {"op": "batch", "ops": todo}
        op = resolve(project.draft, request)
        project.mark_done(key)
        project.apply(op)
    return project


def step(path: Path, direction: str, key: str | None = None) -> Project:
    """Undo or redo one version (``direction`` is ``"undo"`` or ``"redo"``); once per ``key``."""
    project = Project.load(path)
    key = signed(key, {"step": direction})
    if _done(project, key):
        return project
    if direction not in ("undo", "redo"):
        raise EditError(f"unknown step {direction[:20]!r}: undo or redo")
    project.mark_done(key)
    if direction == "undo":
        project.undo()
    else:
        project.redo()
    return project


def restore(path: Path, number: int, key: str | None = None) -> Project:
    """Make version ``number`` current again as a new version (the later ones stay in
    history); once per ``key``."""
    project = Project.load(path)
    key = signed(key, {"restore": number})
    if _done(project, key):
        return project
    found = next((v for v in project.versions if v.number == number), None)
    if found is None:
        raise EditError(f"there is no version {number} in this project's history")
    project.mark_done(key)
    if found is project.current:
        if key is not None:
            project.save()
        return project
    project.commit(found.draft, f"back to version {number}: {found.what}")
    return project
