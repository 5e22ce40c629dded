"""A project file: the draft's versions, which one is current, and how each came to be.

Undo and redo move the ``head`` between saved versions, so both survive a restart; a new edit
after an undo drops the versions that were undone (as every editor does). The file is written
to a temporary name, flushed and renamed, so a crash mid-save leaves the previous file whole.

``done`` keeps the idempotency keys of the last changes made (:data:`MAX_DONE`), in the same
file as the change itself, so "was this change already made?" and the change are saved
together: a request sent again, or a job run again, finds its key and changes nothing.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reelcut.errors import EditError, InputNotFoundError, ProjectError
from reelcut.instructions.reply import describe
from reelcut.timeline.model import Draft
from reelcut.timeline.ops import Op
from reelcut.timeline.serialize import draft_from_json, draft_to_json

SCHEMA = "reelcut.editor/1"
MAX_VERSIONS = 200
MAX_DONE = 100


@dataclass(frozen=True, slots=True)
class Version:
    number: int
    at: str  # ISO time
    what: str  # the edit in words
    draft: Draft


def project_path_for(output: Path) -> Path:
    """Where ``reelcut make -o reel.mp4`` keeps the project: ``reel.reelcut.json`` beside it."""
    return output.with_name(f"{output.stem}.reelcut.json")


class Project:
    def __init__(
        self, path: Path, versions: list[Version], head: int, done: list[str] | None = None
    ) -> None:
        self.path = path
        self.versions = versions
        self.head = head
        self.done = list(done or [])  # idempotency keys of the last changes, oldest first

    # -- files -------------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, draft: Draft, what: str) -> Project:
        project = cls(path, [Version(1, _now(), what, draft)], 0)
        project.save()
        return project

    @classmethod
    def load(cls, path: str | Path) -> Project:
        path = Path(path)
        if not path.is_file():
            raise InputNotFoundError(f"project {path} not found")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise ProjectError(f"{path.name} is not a readable reelcut project: {e}") from None
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            raise ProjectError(f"{path.name} is not a {SCHEMA} project file")
        versions = _read_versions(path.name, data)
        head = data.get("head")
        if not isinstance(head, int) or isinstance(head, bool) or not 0 <= head < len(versions):
            raise ProjectError(
                f"{path.name} is damaged: its current version (head) is {head!r}, not one of "
                f"its {len(versions)} version(s) counted from 0"
            )
        done = data.get("done", [])
        if not isinstance(done, list) or not all(isinstance(k, str) for k in done):
            raise ProjectError(f"{path.name} is damaged: its done keys are not a list of names")
        return cls(path, versions, head, done)

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "schema": SCHEMA,
            "head": self.head,
            "versions": [
                {"number": v.number, "at": v.at, "what": v.what, "draft": draft_to_json(v.draft)}
                for v in self.versions
            ],
        }
        if self.done:
            found["done"] = self.done[-MAX_DONE:]
        return found

    def mark_done(self, key: str | None) -> None:
        """Count the change about to be saved as the one ``key`` names (None: no key)."""
        if key is not None and key not in self.done:
            self.done = [*self.done, key][-MAX_DONE:]

    def save(self) -> None:
        text = json.dumps(self.to_json(), ensure_ascii=False, indent=1)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a project is an ordinary file
            os.replace(tmp, self.path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    # -- editing -----------------------------------------------------------------------------

    @property
    def draft(self) -> Draft:
        return self.versions[self.head].draft

    @property
    def current(self) -> Version:
        return self.versions[self.head]

    def apply(self, op: Op) -> Version:
        """Apply ``op`` to the current draft and save the result as a new version."""
        return self.commit(op.apply(self.draft), describe(op.changes()))

    def commit(self, draft: Draft, what: str) -> Version:
        kept = self.versions[: self.head + 1]
        number = max(v.number for v in self.versions) + 1  # never reuse a number seen before
        version = Version(number, _now(), what, draft)
        self.versions = (kept + [version])[-MAX_VERSIONS:]
        self.head = len(self.versions) - 1
        self.save()
        return version

    def undo(self) -> Version:
        """Step back one version; returns the version that was undone."""
        if self.head == 0:
            raise EditError("nothing to undo")
        undone = self.versions[self.head]
        self.head -= 1
        self.save()
        return undone

    def redo(self) -> Version:
        if self.head == len(self.versions) - 1:
            raise EditError("nothing to redo")
        self.head += 1
        self.save()
        return self.versions[self.head]


def _read_versions(name: str, data: dict[str, Any]) -> list[Version]:
    """The versions of a project file, or a :class:`ProjectError` that names what is wrong
    where, in the file's own terms (never a Python message like ``'<' not supported``)."""
    raw = data.get("versions")
    if not isinstance(raw, list) or not raw:
        raise ProjectError(f"{name} is damaged: it has no list of versions")
    versions = []
    for k, v in enumerate(raw, 1):
        if not isinstance(v, dict):
            raise ProjectError(f"{name} is damaged: version {k} is not a version record")
        missing = [f for f in ("number", "at", "what", "draft") if f not in v]
        if missing:
            raise ProjectError(f"{name} is damaged: version {k} has no {', '.join(missing)}")
        number = v["number"]
        if not isinstance(number, int) or isinstance(number, bool):
            raise ProjectError(f"{name} is damaged: version {k} is numbered {number!r}")
        where = f"{name} is damaged: the draft of version {number}"
        wrong = _wrong_kind(v["draft"])
        if wrong:
            raise ProjectError(f"{where}: {wrong}")
        try:
            draft = draft_from_json(v["draft"])
        except EditError as e:
            raise ProjectError(f"{where}: {e.message}") from None
        except (AttributeError, KeyError, TypeError, ValueError):
            raise ProjectError(f"{where} is not a draft reelcut can read") from None
        versions.append(Version(number, str(v["at"]), str(v["what"]), draft))
    return versions


_NUMBERS = {"width", "height", "volume", "speed", "x", "y", "size", "opacity", "score"}


def _wrong_kind(value: Any, where: str = "") -> str | None:
    """The first field that holds the wrong kind of thing, in words: ``track 1, segment 2:
    source_in_ms is 'abc', not a number``; ``track 1 is 5, not a record``."""
    if isinstance(value, dict):
        for key, item in value.items():
            inside = f"{where}: {key}" if where else str(key)
            numeric = key.endswith(("_ms", "_s", "_volume")) or key in _NUMBERS
            if (
                numeric
                and item is not None
                and (isinstance(item, bool) or not isinstance(item, int | float))
            ):
                return f"{inside} is {item!r}, not a number"
            if isinstance(item, list) and key in ("sources", "tracks", "segments"):
                for i, part in enumerate(item, 1):
                    label = f"{where}, {key[:-1]} {i}" if where else f"{key[:-1]} {i}"
                    if not isinstance(part, dict):
                        return f"{label} is {part!r}, not a record"
                    found = _wrong_kind(part, label)
                    if found:
                        return found
            elif isinstance(item, dict):
                found = _wrong_kind(item, inside)
                if found:
                    return found
    return None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
