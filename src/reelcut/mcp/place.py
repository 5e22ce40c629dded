"""Where an MCP door's files live and who pays for the work: the one thing the doors differ in.

The tools (:mod:`reelcut.mcp.tools`) are the same over stdio and over HTTP; what a name means
is the :class:`Place`'s business. :class:`LocalPlace` (``reelcut mcp``) takes paths on this
machine as they are, like the CLI. The service's place (``reelcut serve`` at ``/mcp``) maps
names to the account's own uploads and sessions, records jobs, checks limits and moves credits,
so a remote agent can never name a server file.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from reelcut.errors import InputNotFoundError, ReelcutError
from reelcut.progress import ProgressFn, no_progress
from reelcut.timeline.model import Draft
from reelcut.timeline.serialize import draft_to_compact


class RefusedError(ReelcutError):
    """A door refused the call (no token, another account's session, no credits, limits).

    Its code is the service's (1001, 1002, 2001, 2002, 429...), given per instance.
    """

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Work:
    """One long call in progress: the progress sink and cancel event the editor functions take,
    and whether the call made a new version (the service charges only then)."""

    progress: ProgressFn = no_progress
    cancel: threading.Event = field(default_factory=threading.Event)
    changed: bool = False
    record: dict[str, Any] = field(default_factory=dict)  # what the place keeps of a finished call


class Place(Protocol):
    def media(self, ref: str) -> Path:
        """The readable file an input name refers to (4006 when there is none)."""
        ...

    def project(self, ref: str) -> Path:
        """The project file a project name refers to; it must exist."""
        ...

    def new_reel(self, inputs: Sequence[str], output: str | None) -> tuple[Path, Path]:
        """(project file, reel file) for a reel made from ``inputs``."""
        ...

    def project_ref(self, project_file: Path) -> str:
        """The name an agent passes back to mean this project."""
        ...

    def target(self, project_ref: str, name: str | None, suffix: str) -> Path:
        """A local path to write a render or export to (None: a name beside the project)."""
        ...

    def publish(self, written: Path, work: Work) -> str:
        """Hand a written file to the caller: its path here, or a download link there."""
        ...

    def public_draft(self, project_ref: str, draft: Draft) -> dict[str, Any]:
        """The compact draft as the caller may see it (no server paths over HTTP)."""
        ...

    def for_export(self, project_ref: str, draft: Draft) -> Draft:
        """The draft an export may show (over HTTP, uploads by media id, not server path)."""
        ...

    def check_request(self, project_ref: str, ops: list[dict[str, Any]]) -> None:
        """Refuse edits that name files the caller may not use, before anything reads them."""
        ...

    def check_draft(self, project_ref: str, draft: Draft) -> Draft:
        """Refuse a draft that uses files the caller may not use (EditError 4010); else the
        draft with its sources as paths to read here (a service keeps them as storage keys)."""
        ...

    def work(self, kind: str, project_ref: str | None, what: str, work: Work) -> Any:
        """A context manager around one long call, yielding the :class:`Work` to use.

        ``kind`` is "edit" (may change a project; the service charges one credit when it did),
        "step" (undo or redo: an edit that reads no footage), "render" (writes a reel; needs
        export in the plan; one credit when it also made the draft), "export" (writes a timeline
        file; needs export in the plan) or "read"."""
        ...

    def release(self) -> None:
        """The call has ended: let go of the files it read (held since :meth:`media` or
        :meth:`project` named them, so a bounded local copy never evicts one mid-read)."""
        ...


class LocalPlace:
    """``reelcut mcp`` on this machine: names are paths, relative ones from ``root``."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = (root or Path.cwd()).resolve()

    def _path(self, ref: str) -> Path:
        path = Path(ref).expanduser()
        return path if path.is_absolute() else self.root / path

    def media(self, ref: str) -> Path:
        path = self._path(ref)
        if not path.is_file():
            raise InputNotFoundError(
                f"{ref} not found (paths are on this machine, from {self.root})"
            )
        return path

    def project(self, ref: str) -> Path:
        path = self._path(ref)
        if not path.is_file():
            raise InputNotFoundError(
                f"project {ref} not found: create_reel returns the project path to use"
            )
        return path

    def new_reel(self, inputs: Sequence[str], output: str | None) -> tuple[Path, Path]:
        from reelcut.editor.store import project_path_for

        if output:
            out = self._path(output)
        else:
            first = self._path(inputs[0])
            out = first.with_name(f"{first.stem}-reel.mp4")
        return project_path_for(out), out

    def project_ref(self, project_file: Path) -> str:
        return str(project_file)

    def target(self, project_ref: str, name: str | None, suffix: str) -> Path:
        if name:
            return self._path(name)
        project = self._path(project_ref)
        return project.with_name(project.name.removesuffix(".reelcut.json") + suffix)

    def publish(self, written: Path, work: Work) -> str:
        return str(written)

    def public_draft(self, project_ref: str, draft: Draft) -> dict[str, Any]:
        return draft_to_compact(draft)

    def for_export(self, project_ref: str, draft: Draft) -> Draft:
        return draft

    def check_request(self, project_ref: str, ops: list[dict[str, Any]]) -> None:
        return None

    def check_draft(self, project_ref: str, draft: Draft) -> Draft:
        return draft  # the local user may use any file they can read

    @contextmanager
    def work(self, kind: str, project_ref: str | None, what: str, work: Work) -> Iterator[Work]:
        yield work

    def release(self) -> None:
        return None  # the user's own files: nothing evicts them
