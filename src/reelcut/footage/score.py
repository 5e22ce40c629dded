"""Score a reel cut from generated footage against the footage's truth, as a black box.

Every reel frame's burned-in counter (:mod:`reelcut.footage.counter`) says which source file
(by its tag) and which source frame it shows, so the score needs nothing from the editor that
made the reel: not its timeline, not its logs, not its aspect or reframing.

* ``recall``: share of grade-2 events whose core is shown (at least half of the core, or 3 s);
  ``recall_grade1`` the same for grade-1 events; None where the footage has no such events.
* ``precision``: share of readable reel time on any grade >= 1 event (build-up and fall-off
  count).
* ``distractor_share``: share on ad breaks, announcements and whistles;
  ``distractor_share_by_kind`` for every grade-0 kind.
* ``in_order``: source time never goes backwards within one file (a combined reel may change
  files anywhere); ``backward_jumps`` counts the breaches.
* ``unreadable_share``: reel time whose counter did not decode (crossfades, titles, black).
* ``cuts``: joins between continuous source runs; ``cuts_inside_speech``: join sides that fall
  inside a recorded utterance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import av
import numpy as np

from reelcut.footage.counter import Reader
from reelcut.footage.truth import Truth

DISTRACTORS = ("ad_break", "announcement", "whistle")
_PLANAR_8BIT = {"yuv420p", "yuvj420p", "yuv422p", "yuvj422p", "yuv444p", "yuvj444p", "nv12"}
SHOWN_SHARE, SHOWN_S = 0.5, 3.0


@dataclass(frozen=True, slots=True)
class ReelFrame:
    """One reel frame: when it plays in the reel and what source frame it shows (if readable)."""

    reel_s: float
    duration_s: float
    tag: int | None
    source_frame: int | None


@dataclass(frozen=True, slots=True)
class _Shown:
    """A readable reel frame whose counter names a frame of a known source clip."""

    reel_s: float
    duration_s: float
    tag: int
    source_frame: int


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of reel frames that plays one source stretch continuously."""

    reel_start_s: float
    reel_end_s: float
    tag: int
    source_start_s: float
    source_end_s: float


@dataclass(frozen=True, slots=True)
class EventShown:
    kind: str
    grade: int
    tag: int
    core_start_s: float
    core_end_s: float
    core_shown_s: float
    shown: bool


@dataclass(frozen=True, slots=True)
class ReelScore:
    recall: float | None
    recall_grade1: float | None
    precision: float | None
    distractor_share: float | None
    distractor_share_by_kind: dict[str, float]
    in_order: bool
    backward_jumps: int
    unreadable_share: float
    reel_duration_s: float
    cuts: int
    cuts_inside_speech: int
    segments: tuple[Segment, ...]
    events: tuple[EventShown, ...]

    def to_dict(self) -> dict:
        return asdict(self)

    def row(self) -> dict[str, float | int | bool | None]:
        """The headline numbers, rounded, for a table row or a one-line JSON answer."""

        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 3)

        return {
            "recall": r(self.recall),
            "recall_g1": r(self.recall_grade1),
            "precision": r(self.precision),
            "distractors": r(self.distractor_share),
            "in_order": self.in_order,
            "unreadable": r(self.unreadable_share),
            "cuts_in_speech": self.cuts_inside_speech,
            "cuts": self.cuts,
            "length_s": round(self.reel_duration_s, 2),
        }


def read_reel(reel: str | Path) -> list[ReelFrame]:
    """Decode every frame of ``reel`` and read its counter from the luma plane."""
    frames: list[tuple[float, int | None, int | None]] = []
    with av.open(str(reel)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        ctx = stream.codec_context
        sar = float(ctx.sample_aspect_ratio) if ctx.sample_aspect_ratio else 1.0
        reader = Reader(ctx.width, ctx.height, sar)
        rate = float(stream.average_rate or 30)
        for frame in container.decode(stream):
            code = reader.read(_luma(frame))
            t = float(frame.time) if frame.time is not None else len(frames) / rate
            frames.append((t, code.tag if code else None, code.index if code else None))
    if not frames:
        return []
    times = np.array([f[0] for f in frames])
    steps = np.diff(times)
    typical = float(np.median(steps)) if len(steps) else 1 / rate
    durations = np.append(steps, typical).clip(0, None)
    return [
        ReelFrame(float(t - times[0]), float(d), tag, idx)
        for (t, tag, idx), d in zip(frames, durations, strict=True)
    ]


def _luma(frame: av.VideoFrame) -> np.ndarray:
    """The frame's 8-bit luma without a colour conversion (a plain view for yuv/nv formats)."""
    if frame.format.name in _PLANAR_8BIT:
        plane = frame.planes[0]
        rows = np.frombuffer(memoryview(plane), np.uint8).reshape(frame.height, plane.line_size)
        return rows[:, : frame.width]
    return frame.to_ndarray(format="gray")


def _truths(
    truth: Truth | str | Path | Sequence[Truth | str | Path],
) -> dict[int, Truth]:
    items = [truth] if isinstance(truth, (Truth, str, Path)) else list(truth)
    loaded = [t if isinstance(t, Truth) else Truth.from_json(Path(t)) for t in items]
    by_tag: dict[int, Truth] = {}
    for t in loaded:
        if t.tag in by_tag:
            raise ValueError(
                f"two truths share file tag {t.tag} (seeds {by_tag[t.tag].seed} and {t.seed}); use seeds that differ mod 8"
            )
        by_tag[t.tag] = t
    return by_tag


def score_reel(
    reel: str | Path, truth: Truth | str | Path | Sequence[Truth | str | Path]
) -> ReelScore:
    """Score ``reel`` against the truth of the clip (or clips, for a combined reel) it came from."""
    return score_frames(read_reel(reel), truth)


def score_frames(
    frames: Sequence[ReelFrame], truth: Truth | str | Path | Sequence[Truth | str | Path]
) -> ReelScore:
    """Score reel frames already read (or, for a benchmark, listed from clip times)."""
    by_tag = _truths(truth)
    total = sum(f.duration_s for f in frames)
    readable = [
        _Shown(f.reel_s, f.duration_s, f.tag, f.source_frame)
        for f in frames
        if f.tag is not None
        and f.tag in by_tag
        and f.source_frame is not None
        and f.source_frame < round(by_tag[f.tag].duration_s * by_tag[f.tag].fps)
    ]
    readable_s = sum(f.duration_s for f in readable)

    shown = {tag: np.zeros(round(t.duration_s * t.fps) + 1, bool) for tag, t in by_tag.items()}
    on_grade: dict[str, float] = {}
    for f in readable:
        t = by_tag[f.tag]
        shown[f.tag][f.source_frame] = True
        source_s = f.source_frame / t.fps
        for e in t.events:
            if e.start_s <= source_s < e.end_s:
                key = "highlight" if e.grade >= 1 else e.kind
                on_grade[key] = on_grade.get(key, 0.0) + f.duration_s
                if e.grade >= 1:
                    break

    events = []
    for tag, t in by_tag.items():
        for e in t.events:
            if e.grade < 1:
                continue
            a, b = (
                int(np.ceil(e.core_start_s * t.fps)),
                int(np.ceil(e.core_end_s * t.fps)),
            )
            core_shown = float(shown[tag][a:b].sum()) / t.fps
            ok = (
                core_shown
                >= min(SHOWN_SHARE * (e.core_end_s - e.core_start_s), SHOWN_S) - 0.5 / t.fps
            )
            events.append(
                EventShown(
                    e.kind,
                    e.grade,
                    tag,
                    e.core_start_s,
                    e.core_end_s,
                    round(core_shown, 3),
                    ok,
                )
            )

    segments, backward = _segments(readable, by_tag)
    grade0 = sorted({e.kind for t in by_tag.values() for e in t.events if e.grade == 0})

    def share(seconds: float) -> float | None:
        return round(seconds / readable_s, 4) if readable_s > 0 else None

    def recall(grade: int) -> float | None:
        hits = [e.shown for e in events if e.grade == grade]
        return round(sum(hits) / len(hits), 4) if hits else None

    return ReelScore(
        recall=recall(2),
        recall_grade1=recall(1),
        precision=share(on_grade.get("highlight", 0.0)),
        distractor_share=share(sum(on_grade.get(k, 0.0) for k in DISTRACTORS)),
        distractor_share_by_kind={k: share(on_grade.get(k, 0.0)) or 0.0 for k in grade0},
        in_order=backward == 0,
        backward_jumps=backward,
        unreadable_share=round(1 - readable_s / total, 4) if total > 0 else 1.0,
        reel_duration_s=round(total, 3),
        cuts=max(len(segments) - 1, 0),
        cuts_inside_speech=_cuts_inside_speech(segments, by_tag),
        segments=tuple(segments),
        events=tuple(events),
    )


def _segments(readable: list[_Shown], by_tag: dict[int, Truth]) -> tuple[list[Segment], int]:
    """Group frames into continuous source runs; count backward jumps within a file."""
    segments: list[Segment] = []
    backward = 0
    run: list[_Shown] = []
    last_index: dict[int, int] = {}

    def close() -> None:
        if run:
            fps = by_tag[run[0].tag].fps
            first, last = run[0], run[-1]
            segments.append(
                Segment(
                    round(first.reel_s, 3),
                    round(last.reel_s + last.duration_s, 3),
                    first.tag,
                    round(first.source_frame / fps, 3),
                    round((last.source_frame + 1) / fps, 3),
                )
            )

    for f in readable:
        if f.source_frame < last_index.get(f.tag, -1):
            backward += 1
        prev = run[-1] if run else None
        if prev is None or prev.tag != f.tag or not 0 <= f.source_frame - prev.source_frame <= 2:
            close()
            run = []
        run.append(f)
        last_index[f.tag] = f.source_frame
    close()
    return segments, backward


def _cuts_inside_speech(
    segments: list[Segment], by_tag: dict[int, Truth], margin_s: float = 0.05
) -> int:
    """Segment edges (other than the reel's first in and last out) that cut an utterance."""
    count = 0
    for k, seg in enumerate(segments):
        spans = by_tag[seg.tag].utterances
        edges = ([seg.source_start_s] if k > 0 else []) + (
            [seg.source_end_s] if k < len(segments) - 1 else []
        )
        count += sum(any(a + margin_s < x < b - margin_s for a, b in spans) for x in edges)
    return count


__all__ = [
    "EventShown",
    "ReelFrame",
    "ReelScore",
    "Segment",
    "read_reel",
    "score_frames",
    "score_reel",
]
