"""Shorts from talk: N vertical, captioned clips, each a run of whole sentences.

Spans are built from transcript sentences (``speech.sentences``) so every short starts where a
sentence starts and ends where one ends (or after the laugh or applause that follows it); they
are ranked by the audio (the analysis' excitement inside the span and the reaction just after
it) and by the words (a question answered inside the span). Only the regions around the
strongest audio moments are transcribed (cached), so long talks stay fast; a file under
:data:`_WHOLE_S` is transcribed whole. The captions of each short come from that same read (the
transcript cache answers ranges inside a read). Everything runs offline.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from reelcut.analysis import Signals
from reelcut.editor.thoughts import cut_at, full_stops, stops
from reelcut.errors import InvalidArgumentError, NotEnoughFootageError
from reelcut.progress import ProgressFn, no_progress

if TYPE_CHECKING:
    from reelcut.editor.shorts_llm import LlmEndpoint

_WHOLE_S = 600.0
_PEAKS_PER_SHORT = 2  # the strongest audio moments read on a long file, per short asked for
_REACTION_S = 4.0  # a laugh or applause this soon after the last sentence belongs to the short


@dataclass(frozen=True, slots=True)
class Short:
    """One short: source span (ms), its score, why, and a title from its words."""

    start_ms: int
    end_ms: int
    score: float
    reasons: tuple[str, ...]
    title: str
    text: str
    output: Path | None = None
    rank: int = 0  # 1 = the best of the shorts made (by the offline score or the language model)

    def to_json(self) -> dict[str, object]:
        return {
            "output": None if self.output is None else str(self.output),
            "rank": self.rank,
            "source_in_s": self.start_ms / 1000,
            "source_out_s": self.end_ms / 1000,
            "length_s": (self.end_ms - self.start_ms) / 1000,
            "score": round(self.score, 4),
            "reasons": list(self.reasons),
            "title": self.title,
            "text": self.text,
        }


def _mean(x: np.ndarray, step: float, a_s: float, b_s: float) -> float:
    i, j = int(a_s / step), max(int(b_s / step), int(a_s / step) + 1)
    part = x[i:j]
    return float(part.mean()) if part.size else 0.0


def _title(text: str, words: int = 8) -> str:
    said = text.split()
    return " ".join(said[:words]).rstrip(",.;:") + ("…" if len(said) > words else "")


def plan_shorts(
    path: Path,
    signals: Signals,
    count: int,
    min_s: float,
    max_s: float,
    *,
    use_cache: bool = True,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> list[Short]:
    """The ``count`` best spans of whole sentences between ``min_s`` and ``max_s`` long."""
    from reelcut.selection import find_candidates
    from reelcut.speech import get_transcript
    from reelcut.speech.sentences import sentences

    if count < 1 or not 0 < min_s <= max_s:
        raise InvalidArgumentError(f"shorts: count {count}, length {min_s}-{max_s} s make no sense")
    dur = signals.duration_s
    if dur < min_s:
        raise NotEnoughFootageError(
            f"the footage is {dur:.1f} s, shorter than a {min_s:.0f} s short"
        )
    ranges = None
    if dur > _WHOLE_S:
        # A short is at most max_s long and holds the moment, or ends on its laugh or applause:
        # what it can need lies from max_s before the moment to half that after.
        peaks = find_candidates(signals, min_gap_s=max_s)[: _PEAKS_PER_SHORT * count]
        ranges = [
            (
                max(int((c.peak_s - max_s) * 1000), 0),
                min(int((c.peak_s + max_s / 2) * 1000), int(dur * 1000)),
            )
            for c in peaks
        ]
    said = get_transcript(path, ranges, use_cache=use_cache, progress=progress, cancel=cancel)
    sents = full_stops(sentences(said.words()), signals)
    pauses = stops(signals)
    step = signals.step_s
    exc = signals.excitement
    top = float(exc.max()) if exc.size and exc.max() > 0 else 1.0
    options: list[Short] = []
    for i in range(len(sents)):
        for j in range(i, len(sents)):
            a = cut_at(pauses, sents[i].start_ms / 1000, before=True)
            b = cut_at(pauses, sents[j].end_ms / 1000, before=False)
            if b - a > max_s:
                break
            nxt = sents[j + 1].start_ms / 1000 if j + 1 < len(sents) else dur
            reaction = _mean(exc, step, b, min(b + _REACTION_S, nxt)) / top
            end = b
            reasons = []
            after = cut_at(pauses, nxt, before=True) if j + 1 < len(sents) else dur
            if reaction > 0.5 and after - b > 1.5 and after - a <= max_s:
                end = after  # the laugh or applause after the last words, up to the next words
                reasons.append("the audience reacts at the end")
            if end - a < min_s:
                continue
            inside = _mean(exc, step, a, end) / top
            asked = [k for k in range(i, j) if sents[k].is_question]
            score = inside + reaction + (0.3 if asked else 0.0)
            if asked:
                reasons.append("a question and its answer")
            if inside > 0.5:
                reasons.append("lively audio")
            text = " ".join(s.text for s in sents[i : j + 1])
            head = sents[asked[0]].text if asked else sents[i].text
            options.append(
                Short(
                    int(a * 1000),
                    int(end * 1000),
                    score,
                    tuple(reasons) or ("whole thought",),
                    _title(head),
                    text,
                )  # fmt: skip
            )
    chosen: list[Short] = []
    for o in sorted(options, key=lambda o: -o.score):
        if all(o.end_ms <= c.start_ms or c.end_ms <= o.start_ms for c in chosen):
            chosen.append(o)
        if len(chosen) == count:
            break
    if not chosen:
        raise NotEnoughFootageError(
            f"no run of whole sentences {min_s:.0f}-{max_s:.0f} s long was heard in {path.name}"
        )
    return sorted(chosen, key=lambda c: c.start_ms)


def make_shorts(
    path: Path,
    out_dir: Path,
    count: int,
    min_s: float = 20.0,
    max_s: float = 60.0,
    *,
    height: int = 1080,
    use_cache: bool = True,
    llm: LlmEndpoint | None = None,
    warn: Callable[[str], None] = lambda message: None,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> list[Short]:
    """Plan the shorts, render each 9:16 (reframed to follow the subject) with captions, and write
    ``out_dir/shorts.json``. With ``llm`` a language model re-ranks three times as many
    candidates and titles the ones it picks (:mod:`reelcut.editor.shorts_llm`); when it cannot,
    ``warn`` is told and the offline ranking stands."""
    from reelcut.editor.assets import render_draft
    from reelcut.editor.build import draft_from_clips
    from reelcut.editor.edits import captions_op
    from reelcut.editor.footage import analyze_all
    from reelcut.media.probe import probe
    from reelcut.render import RenderSettings
    from reelcut.selection import Clip
    from reelcut.timeline.ops import SetFormat

    info = probe(path)
    signals = analyze_all([info], use_cache=use_cache, progress=progress, cancel=cancel)[0]
    wanted = count if llm is None else 3 * count
    found = plan_shorts(
        info.path, signals, wanted, min_s, max_s, use_cache=use_cache, progress=progress,
        cancel=cancel,
    )  # fmt: skip
    pool = sorted(found, key=lambda s: -s.score)
    ranked_by, warnings = "offline", []
    if llm is None:
        best = [replace(s, rank=k) for k, s in enumerate(pool[:count], 1)]
    else:
        from reelcut.editor.shorts_llm import rerank

        best, warning = rerank(pool, count, llm)
        if warning:
            warn(warning)
            warnings.append(warning)
        else:
            ranked_by = f"{llm.model} at {llm.base_url}"
    plan = sorted(best, key=lambda s: s.start_ms)
    out_dir.mkdir(parents=True, exist_ok=True)
    made: list[Short] = []
    for k, s in enumerate(plan, 1):
        clip = Clip(0, s.start_ms, s.end_ms, s.start_ms, s.score, ", ".join(s.reasons))
        draft = draft_from_clips([info], [clip], (s.end_ms - s.start_ms) / 1000)
        draft = SetFormat("9:16", height, "follow").apply(draft)
        draft = captions_op(draft, progress=progress, cancel=cancel).apply(draft)
        output = out_dir / f"short-{k:02d}.mp4"
        render_draft(draft, output, RenderSettings(), use_cache=use_cache,
                     signals={"s0": signals}, progress=progress, cancel=cancel)  # fmt: skip
        made.append(replace(s, output=output))
    doc = {
        "source": str(info.path),
        "ranked_by": ranked_by,
        "warnings": warnings,
        "shorts": [s.to_json() for s in made],
    }
    (out_dir / "shorts.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False), "utf-8")
    return made
