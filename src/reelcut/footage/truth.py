"""What generated footage contains and where: the ground truth a reel is scored against."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class TruthEvent:
    kind: str
    start_s: float  # whole extent, build-up included
    end_s: float
    core_start_s: float  # the part a reel must show
    core_end_s: float
    grade: int  # 2 must-have, 1 nice to have, 0 distractor


@dataclass(frozen=True, slots=True)
class Truth:
    genre: str
    duration_s: float
    fps: float
    width: int
    height: int
    seed: int
    events: tuple[TruthEvent, ...]
    utterances: tuple[tuple[float, float], ...] = ()  # every spoken phrase, [start, end] seconds

    def highlights(self, grade: int = 2) -> list[TruthEvent]:
        return [e for e in self.events if e.grade == grade]

    def distractors(self) -> list[TruthEvent]:
        return [e for e in self.events if e.grade == 0]

    def to_json(self) -> str:
        doc = asdict(self)
        doc["schema"] = "reelcut.truth/1"
        return json.dumps(doc, indent=1)

    def save(self, path: Path) -> None:
        path.write_text(self.to_json())

    @classmethod
    def from_json(cls, path: str | Path) -> Truth:
        doc = json.loads(Path(path).read_text())
        doc.pop("schema", None)
        doc["events"] = tuple(TruthEvent(**e) for e in doc["events"])
        doc["utterances"] = tuple(tuple(u) for u in doc.get("utterances", ()))
        return cls(**doc)
