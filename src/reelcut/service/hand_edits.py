"""The web page's hand edits (``/api/web/sessions/{sid}/edit`` and ``/history``) applied to a
session's project: the one function both places that run them call.

Without a broker the API process runs it under its per-session lock. Behind a broker an API
process stores it as an ``edit`` job (params ``{"hand": ...}``) for a worker: the job rows'
one-edit-per-session rule then serialises hand and AI edits of a session across every process
(a per-process lock could not), and the media work some requests need (a first reel from the
analyses, captions) runs on a worker, not in the API process.

A change is made at most once per idempotency key (the client's ``Idempotency-Key`` header;
behind a broker, the job's id when the client sends none): an answer lost or cut short (503
after ``sse_cap_s``, while the worker still finishes the edit) can be retried with the same key
without the edit being made twice, and a job delivered again after its worker died finds its
change already in the project.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from reelcut.editor import hand
from reelcut.editor.chat import Current
from reelcut.errors import EditError, InvalidArgumentError, KeyReusedError
from reelcut.service.drafts import project_paths_local, project_paths_portable
from reelcut.service.jobs import ACTIVE
from reelcut.service.models import Job
from reelcut.service.storage import Storage

_KEY = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def client_key(header: str | None) -> str | None:
    """The ``Idempotency-Key`` a client sent (None when none): 1-128 letters, digits or
    ``._:-``, else an :class:`InvalidArgumentError` (400, code 4008)."""
    if header is None:
        return None
    if not _KEY.fullmatch(header):
        raise InvalidArgumentError(
            "Idempotency-Key must be 1-128 letters, digits or . _ : - (a UUID will do)"
        )
    return "key:" + header


def running_with_key(
    factory: sessionmaker[Session], session_id: str, change: dict[str, Any]
) -> str | None:
    """The hand edit of this session with ``change``'s key that is still queued or running, if
    one is (a retry waits for it rather than being refused as a second edit);
    :class:`KeyReusedError` (422) when that one was sent with another change."""
    key = change.get("key")
    with factory() as db:
        found = db.scalars(
            select(Job).where(
                Job.session_id == session_id, Job.kind == "edit", Job.status.in_(list(ACTIVE))
            )
        ).all()
    for job in found:
        hand = (job.params or {}).get("hand")
        if isinstance(hand, dict) and hand.get("key") == key:
            if hand != change:
                raise KeyReusedError(
                    f"Idempotency-Key {str(key).removeprefix('key:')[:128]} was sent with "
                    "another change, still being made; send a new key for a new change"
                )
            return job.id
    return None


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
    paths, held meanwhile. A change with a ``"key"`` (the client's ``Idempotency-Key``, else
    on a worker its job's id) is made at most once: the key is saved in the project file with
    the change, so a retry or a second run of the job finds it and changes nothing."""
    key = change.get("key")
    key = key if isinstance(key, str) and key else None
    root = storage.path_of("media").parent
    path = workspace / Current.read(workspace).project
    project_paths_local(workspace, root)
    try:
        if change.get("requests") is not None:
            hand.apply_requests(
                path, sources, change["requests"], default_length_s=default_length_s,
                max_mb=max_mb, key=key,
            )  # fmt: skip
        elif change.get("restore") is not None:
            hand.restore(path, int(change["restore"]), key=key)
        elif change.get("step") is not None:
            hand.step(path, change["step"], key=key)
        else:
            raise EditError('send "step" (undo or redo) or "restore" (a version number)')
    finally:
        project_paths_portable(workspace, root)
