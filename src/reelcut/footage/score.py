"""Score a rendered reel against the truth of the generated footage it was cut from.

Black box: the reel's own frames are decoded and the burned-in counter tells which source frame
each one shows. Nothing of reelcut's internal timeline is used, so any tool's reel can be scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from reelcut.footage import barcode
from reelcut.footage.truth import Truth

_DISTRACTORS_SCORED = ("ad_break", "announcement", "whistle")


@dataclass(frozen=True, slots=True)
class ReelScore:
    reel_duration_s: float
    recall: float  # share of grade-2 events whose core is shown
    recall_grade1: float
    precision: float  # share of reel time inside any grade >= 1 event
    distractor_share: float  # share of reel time inside ad breaks, announcements, whistles
    distractor_by_kind: dict[str, float]
    in_order: bool
    unreadable_share: float
    cuts: int
    cuts_inside_speech: int  # cut points that fall inside a spoken phrase

    def row(self) -> dict[str, float | int | bool]:
        return {
            "recall": round(self.recall, 3),
            "recall_g1": round(self.recall_grade1, 3),
            "precision": round(self.precision, 3),
            "distractors": round(self.distractor_share, 3),
            "in_order": self.in_order,
            "unreadable": round(self.unreadable_share, 3),
            "cuts_in_speech": self.cuts_inside_speech,
            "cuts": self.cuts,
            "length_s": round(self.reel_duration_s, 2),
        }


def source_times(reel: Path, fps: float) -> tuple[list[float | None], float]:
    """Source time shown by every frame of the reel (None where unreadable), and the reel length."""
    times: list[float | None] = []
    with av.open(str(reel)) as c:
        stream = c.streams.video[0]
        stream.thread_type = "AUTO"
        for frame in c.decode(stream):
            w = 320
            h = max(int(round(frame.height * w / frame.width / 2)) * 2, 2)
            luma = frame.reformat(width=w, height=h, format="gray").to_ndarray()[:, :w]
            index = barcode.read(luma)
            times.append(None if index is None else index / fps)
        duration = (
            float(stream.duration * stream.time_base) if stream.duration else len(times) / fps
        )
    return times, duration


def score_reel(reel: str | Path, truth: Truth) -> ReelScore:
    times, duration = source_times(Path(reel), truth.fps)
    readable = np.array([t for t in times if t is not None])
    n = max(len(times), 1)
    frame_s = 1.0 / truth.fps

    def shown_in(a: float, b: float) -> float:
        """Seconds of [a, b] that the reel shows (distinct source frames)."""
        inside = np.unique(np.round(readable[(readable >= a) & (readable <= b)] * truth.fps))
        return len(inside) * frame_s

    def recall(grade: int) -> float:
        events = truth.highlights(grade)
        if not events:
            return 1.0
        hits = 0
        for e in events:
            core = e.core_end_s - e.core_start_s
            seen = shown_in(e.core_start_s, e.core_end_s)
            hits += seen >= min(0.5 * core, 3.0)
        return hits / len(events)

    def share(kinds: set[str] | None, grades: set[int] | None) -> float:
        events = [
            e
            for e in truth.events
            if (kinds is None or e.kind in kinds) and (grades is None or e.grade in grades)
        ]
        if not len(readable):
            return 0.0
        inside = np.zeros(len(readable), bool)
        for e in events:
            inside |= (readable >= e.start_s) & (readable <= e.end_s)
        return float(inside.mean())

    # Cuts: where consecutive frames jump in source time.
    seq = [t for t in times if t is not None]
    jumps = [
        (seq[i - 1], seq[i])
        for i in range(1, len(seq))
        if abs(seq[i] - seq[i - 1] - frame_s) > 1.5 * frame_s
    ]
    in_order = all(b > a for a, b in jumps)
    cut_points = [p for a, b in jumps for p in (a + frame_s, b)]
    speech = truth.utterances
    inside_speech = sum(any(s + 0.05 < p < e - 0.05 for s, e in speech) for p in cut_points)
    by_kind = {k: share({k}, None) for k in _DISTRACTORS_SCORED}
    return ReelScore(
        reel_duration_s=duration,
        recall=recall(2),
        recall_grade1=recall(1),
        precision=share(None, {1, 2}),
        distractor_share=share(set(_DISTRACTORS_SCORED), None),
        distractor_by_kind=by_kind,
        in_order=in_order,
        unreadable_share=1 - len(readable) / n,
        cuts=len(jumps),
        cuts_inside_speech=inside_speech,
    )


__all__ = ["ReelScore", "score_reel", "source_times"]
