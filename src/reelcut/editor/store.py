"""A project file: the draft's versions, which one is current, and how each came to be.

Undo and redo move the ``head`` between saved versions, so both survive a restart; a new edit
after an undo drops the versions that were undone (as every editor does). The file is written
to a temporary name, flushed and renamed, so a crash mid-save leaves the previous file whole.
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
    def __init__(self, path: Path, versions: list[Version], head: int) -> None:
        self.path = path
        self.versions = versions
        self.head = head

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
        try:
            versions = [
                Version(int(v["number"]), str(v["at"]), str(v["what"]), draft_from_json(v["draft"]))
                for v in data["versions"]
            ]
            head = int(data["head"])
        except (KeyError, TypeError, ValueError, EditError) as e:
            raise ProjectError(f"{path.name} is damaged: {e}") from None
        if not versions or not 0 <= head < len(versions):
            raise ProjectError(f"{path.name} is damaged: no current version")
        return cls(path, versions, head)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "head": self.head,
            "versions": [
                {"number": v.number, "at": v.at, "what": v.what, "draft": draft_to_json(v.draft)}
                for v in self.versions
            ],
        }

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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
