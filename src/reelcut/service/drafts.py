"""Drafts at the HTTP edge: what clients see and what they may send back.

A client sees each uploaded source by its media id (``med_...``), never a server path; a draft
sent to render is read with :func:`reelcut.timeline.draft_from_compact` and every file source is
mapped back to one of the session's own uploads, so a client can never make the server read a
path it names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from reelcut.errors import EditError, ReelcutError
from reelcut.service.models import Media
from reelcut.service.storage import Storage
from reelcut.timeline.model import Draft
from reelcut.timeline.serialize import draft_from_compact, draft_to_compact

PROJECT_FILE = "project.reelcut.json"
_FILE_KINDS = {"video": "video", "image": "image", "audio": "audio"}


def session_draft(storage: Storage, session_id: str) -> Draft | None:
    """The session's current draft, or None before the first edit."""
    from reelcut.editor.store import Project

    path = storage.workspace(session_id) / PROJECT_FILE
    if not path.is_file():
        return None
    try:
        return Project.load(path).draft
    except ReelcutError:
        return None


def public_draft(draft: Draft, media: Sequence[Media], storage: Storage) -> dict[str, Any]:
    """The compact draft with file paths replaced by media ids."""
    by_path = {str(storage.local_path(m.storage_key)): m.id for m in media}
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
        by_key[str(storage.local_path(m.storage_key))] = m
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
            sources.append(replace(s, path=str(storage.local_path(found.storage_key))))
        else:
            if "/" in s.path or "\\" in s.path or "." in s.path:
                raise EditError(f"source {s.id}: generated music is named by mood, not by file")
            sources.append(s)
    return replace(draft, sources=tuple(sources))
