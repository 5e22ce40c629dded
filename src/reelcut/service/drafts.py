"""Drafts at the HTTP edge: what clients see and what they may send back.

A client sees each uploaded source by its media id (``med_...``), never a server path; a draft
sent to render is read with :func:`reelcut.timeline.draft_from_compact` and every file source is
mapped back to one of the session's own uploads, so a client can never make the server read a
path it names.
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from reelcut.errors import EditError, ReelcutError
from reelcut.service.models import Media
from reelcut.service.storage import Storage
from reelcut.timeline.model import FONT_NAMES, Draft
from reelcut.timeline.serialize import draft_from_compact, draft_to_compact

PROJECT_FILE = "project.reelcut.json"
MAX_SHORT_SIDE = 1080
MAX_LONG_SIDE = 1920
_FILE_KINDS = {"video": "video", "image": "image", "audio": "audio"}


def current_upload(workspace: Path) -> int | None:
    """Which upload (1-based among the session's videos) the current draft is of; None: all.
    ``workspace``: the session's folder (:meth:`reelcut.service.workspaces.Workspaces.read`)."""
    from reelcut.editor.chat import Current

    return Current.read(workspace).upload


def session_drafts(storage: Storage, workspace: Path) -> list[tuple[int | None, bool, Draft]]:
    """Every draft of the session: (upload number or None, is it the current one, draft)."""
    from reelcut.editor.chat import Current, upload_project

    current = Current.read(workspace)
    found = []
    for path in sorted(workspace.glob("*.reelcut.json")):
        upload = None
        if path.name != PROJECT_FILE:
            number = path.name.removeprefix("upload-").removesuffix(".reelcut.json")
            if not number.isdigit() or path.name != upload_project(int(number)):
                continue
            upload = int(number)
        draft = _load(storage, path)
        if draft is not None:
            found.append((upload, path.name == current.project, draft))
    return found


def session_draft(storage: Storage, workspace: Path) -> Draft | None:
    """The session's current draft (source paths local), or None before the first edit."""
    from reelcut.editor.chat import Current

    return _load(storage, workspace / Current.read(workspace).project)


_LOADED: OrderedDict[tuple[str, int, int], Draft] = OrderedDict()
_LOADED_LOCK = threading.Lock()


def _current_of(path: Path) -> Draft | None:
    """The current draft of a project file, remembered while the file is unchanged (a state
    poll must not parse every saved version each time: up to 200 of them)."""
    from reelcut.editor.store import Project

    try:
        stat = path.stat()
    except OSError:
        return None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    with _LOADED_LOCK:
        found = _LOADED.get(key)
        if found is not None:
            _LOADED.move_to_end(key)
            return found
    try:
        draft = Project.load(path).draft
    except ReelcutError:
        return None
    with _LOADED_LOCK:
        _LOADED[key] = draft
        while len(_LOADED) > 512:
            _LOADED.popitem(last=False)
    return draft


def _load(storage: Storage, path: Path) -> Draft | None:
    draft = _current_of(path)
    if draft is None:
        return None
    root = storage.path_of("media").parent
    sources = tuple(
        replace(s, path=_local(s.path, root)) if s.kind in _FILE_KINDS else s for s in draft.sources
    )
    return replace(draft, sources=sources)


def _local(path: str, root: Path) -> str:
    """A stored source path as a path to read now: relative ones are under ``root``, and an
    absolute one from where the data dir used to be is found again by its ``media/`` part."""
    if not Path(path).is_absolute():
        return str(root / path)
    if not Path(path).exists() and "/media/" in path:
        return str(root / ("media/" + path.rsplit("/media/", 1)[1]))
    return path


def _portable(path: str, root: Path) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return path


def _rewrite_sources(project: Path, change: Callable[[str], str]) -> None:
    """Apply ``change`` to every file source path of every version of a project file."""
    if not project.is_file():
        return
    data = json.loads(project.read_text(encoding="utf-8"))
    for version in data.get("versions", []):
        for source in version.get("draft", {}).get("sources", []):
            if source.get("kind") in _FILE_KINDS and isinstance(source.get("path"), str):
                source["path"] = change(source["path"])
    tmp = project.with_name(f".{project.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, project)


def project_paths_local(workspace: Path, root: Path) -> None:
    """Before the editor opens a session's projects: source paths it can read."""
    for project in workspace.glob("*.reelcut.json"):
        _rewrite_sources(project, lambda p: _local(p, root))


def project_paths_portable(workspace: Path, root: Path) -> None:
    """After an edit: source paths relative to the data dir ``root``, so the data dir can move
    (or be restored elsewhere from a backup) with its projects intact."""
    for project in workspace.glob("*.reelcut.json"):
        _rewrite_sources(project, lambda p: _portable(p, root))


def draft_portable(draft: Draft, root: Path) -> Draft:
    """``draft`` with file sources relative to the data dir ``root`` (storage keys, as
    ``media/<account>/<id>.mp4``): a job row names files so that a worker with its own data dir
    finds them (:func:`draft_local`)."""
    return _with_paths(draft, lambda p: _portable(p, root))


def draft_local(draft: Draft, root: Path) -> Draft:
    """``draft`` with file sources as paths under this process's data dir ``root``."""
    return _with_paths(draft, lambda p: _local(p, root))


def draft_keys(draft: Draft, root: Path) -> list[str]:
    """The storage keys of the files ``draft`` reads (to fetch and hold them for a render)."""
    found = []
    for s in draft.sources:
        if s.kind in _FILE_KINDS:
            key = _portable(_local(s.path, root), root)
            if not Path(key).is_absolute() and key not in found:
                found.append(key)
    return found


def _with_paths(draft: Draft, change: Callable[[str], str]) -> Draft:
    sources = tuple(
        replace(s, path=change(s.path)) if s.kind in _FILE_KINDS else s for s in draft.sources
    )
    return replace(draft, sources=sources)


def public_draft(draft: Draft, media: Sequence[Media], storage: Storage) -> dict[str, Any]:
    """The compact draft with file paths replaced by media ids (no file is fetched to name it)."""
    by_path = {str(storage.path_of(m.storage_key)): m.id for m in media}
    sources = []
    for s in draft.sources:
        if s.kind in _FILE_KINDS:
            sources.append(replace(s, path=by_path.get(s.path, Path(s.path).name)))
        else:
            sources.append(s)
    return draft_to_compact(replace(draft, sources=tuple(sources)))


def private_draft(compact: Any, media: Sequence[Media], storage: Storage) -> Draft:
    """Read a client's compact draft; every file it uses must be one of ``media``."""
    draft = draft_from_compact(compact)
    by_key: dict[str, Media] = {}
    for m in media:
        by_key[m.id] = m
        by_key[str(storage.path_of(m.storage_key))] = m
    sources = []
    for s in draft.sources:
        if s.kind in _FILE_KINDS:
            found = by_key.get(s.path)
            if found is None:
                raise EditError(
                    f"source {s.id}: {s.path[:100]!r} is not one of this session's uploads"
                )
            if found.kind != _FILE_KINDS[s.kind]:
                raise EditError(f"source {s.id}: upload {found.id} is a {found.kind}, not {s.kind}")
            sources.append(  # the upload's real size, never the one the client wrote
                replace(
                    s,
                    path=str(storage.path_of(found.storage_key)),
                    width=found.width or s.width,
                    height=found.height or s.height,
                )
            )
        else:
            if "/" in s.path or "\\" in s.path or "." in s.path:
                raise EditError(f"source {s.id}: generated music is named by mood, not by file")
            sources.append(s)
    for text in draft.texts:
        if text.font not in FONT_NAMES:
            raise EditError(
                f"font {text.font[:60]!r} is not offered here; use one of {', '.join(FONT_NAMES)}"
            )
    return replace(draft, sources=tuple(sources))


def lowered_to(draft: Draft, height: int) -> Draft:
    """``draft`` drawn with its shorter side at most ``height`` (never raised: a preview of
    small footage stays small). Measured on the size drawn, since ``draft.height`` 0 means
    "the footage's own" (taking it as a number made a preview 4x2 pixels)."""
    short_side = min(draft.output_size())
    return replace(draft, height=max(2, min(height, short_side) // 2 * 2))


def bounded_draft(draft: Draft, max_s: float, max_clips: int) -> Draft:
    """``draft`` within what a render may cost: refused (4010) when longer than ``max_s`` or
    with more than ``max_clips`` clips; its output size brought within 1080x1920 (the shorter
    side at most 1080, the longer at most 1920) by lowering the shorter side."""
    if draft.duration_ms > max_s * 1000:
        raise EditError(
            f"the draft is {draft.duration_ms / 1000:.0f} s long; renders here are at most "
            f"{max_s:.0f} s"
        )
    if len(draft.clips) > max_clips:
        raise EditError(f"the draft has {len(draft.clips)} clips; renders take at most {max_clips}")
    width, height = draft.output_size()
    long_side, short_side = max(width, height), min(width, height)
    if long_side <= MAX_LONG_SIDE and short_side <= MAX_SHORT_SIDE:
        return draft
    scale = min(MAX_LONG_SIDE / long_side, MAX_SHORT_SIDE / short_side)
    # from the size drawn, not draft.height: 0 there means "the footage's own"
    return replace(draft, height=max(144, int(short_side * scale) // 2 * 2))
