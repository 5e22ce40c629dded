"""What a generated clip contains, written beside it as ``<clip>.truth.json``.

The truth is the answer key a reel is scored against: every event's whole extent, the core a
reel must show, and a grade. It is pure data (no numpy, no FFmpeg) so the scorer, tests and
benchmarks can load it without generating anything.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

SCHEMA = "reelcut.truth/1"

#: Grade of each event kind: 2 = must-have highlight, 1 = nice to have, 0 = distractor.
GRADES: dict[str, int] = {
    "goal": 2,
    "laughter": 2,
    "applause": 2,
    "action": 2,
    "near_miss": 1,
    "argument": 1,
    "ad_break": 0,
    "announcement": 0,
    "whistle": 0,
    "chant": 0,
    "dead_time": 0,
    "menu": 0,
    "calm_speech": 0,
    "silence": 0,
}
GENRES = ("sports", "talk", "gaming")


@dataclass(frozen=True, slots=True)
class TruthEvent:
    """One labelled stretch of the source.

    ``start_s``/``end_s`` cover the whole event including build-up and fall-off;
    ``core_start_s``/``core_end_s`` is the part a reel must show to count as showing it.
    """

    kind: str
    start_s: float
    end_s: float
    core_start_s: float
    core_end_s: float
    grade: int

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    @property
    def core_s(self) -> float:
        return self.core_end_s - self.core_start_s


@dataclass(frozen=True, slots=True)
class Truth:
    """The answer key of one generated clip.

    ``utterances`` are the [start, end] seconds of every rendered speech phrase (commentary,
    announcements, shouts), so a scorer can check that no cut falls inside a word. ``tag`` is
    the 3-bit file tag burned into the frame counter (``seed % 8``): it tells apart the clips of
    a combined reel. ``close_events``: made with events seconds apart (see ``make_footage``).
    """

    genre: str
    duration_s: float
    fps: int
    width: int
    height: int
    seed: int
    events: tuple[TruthEvent, ...]
    utterances: tuple[tuple[float, float], ...] = ()
    tag: int = 0
    close_events: bool = False

    def of_kind(self, *kinds: str) -> tuple[TruthEvent, ...]:
        return tuple(e for e in self.events if e.kind in kinds)

    def graded(self, min_grade: int) -> tuple[TruthEvent, ...]:
        return tuple(e for e in self.events if e.grade >= min_grade)

    def highlights(self, grade: int = 2) -> list[TruthEvent]:
        """Events of exactly ``grade`` (2: must-have, 1: nice to have)."""
        return [e for e in self.events if e.grade == grade]

    def distractors(self) -> list[TruthEvent]:
        return [e for e in self.events if e.grade == 0]

    def to_json(self, path: str | Path | None = None) -> str:
        """The truth as JSON text; also written to ``path`` when one is given."""
        body = asdict(self)
        body["utterances"] = [list(u) for u in self.utterances]
        text = json.dumps({"schema": SCHEMA, **body}, indent=1)
        if path is not None:
            Path(path).write_text(text + "\n", encoding="utf-8")
        return text

    def save(self, path: str | Path) -> Path:
        """Write the truth to ``path`` as JSON."""
        self.to_json(path)
        return Path(path)

    @classmethod
    def load(cls, path: str | Path) -> Truth:
        return cls.from_json(Path(path))

    @classmethod
    def from_json(cls, source: str | Path) -> Truth:
        """Load a truth from a ``.truth.json`` path (or from the JSON text itself)."""
        text = str(source)
        if not text.lstrip().startswith("{"):
            text = Path(source).read_text(encoding="utf-8")
        body = json.loads(text)
        schema = body.pop("schema", SCHEMA)
        if schema != SCHEMA:
            raise ValueError(f"unknown truth schema {schema!r}, expected {SCHEMA!r}")
        events = tuple(TruthEvent(**e) for e in body.pop("events"))
        utterances = tuple((float(a), float(b)) for a, b in body.pop("utterances", ()))
        return cls(events=events, utterances=utterances, **body)


def truth_path(clip: str | Path) -> Path:
    """Where the truth of ``clip`` lives: ``game.mp4`` -> ``game.truth.json``."""
    return Path(clip).with_suffix(".truth.json")
