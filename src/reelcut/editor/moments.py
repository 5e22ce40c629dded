"""What the analysis found in one recording: its signals and the candidate moments, with why.

``reelcut analyze``, the MCP tools and the web page show the same thing, so it is built here
once: the doors only format it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reelcut.analysis import Signals
from reelcut.editor.footage import analyze_media
from reelcut.progress import ProgressFn, no_progress
from reelcut.selection import Candidate, Selection, SelectionParams, find_candidates, select


@dataclass(frozen=True, slots=True)
class Moments:
    path: Path
    signals: Signals
    candidates: tuple[Candidate, ...]  # best first
    reel: Selection | None = None  # what a reel of the asked length would take and leave out

    def to_json(self, with_signals: bool = True) -> dict[str, Any]:
        def r(a: Any) -> list[float]:
            return [round(float(x), 3) for x in a]

        s = self.signals
        doc: dict[str, Any] = {
            "input": str(self.path),
            "duration_s": s.duration_s,
            "step_s": s.step_s,
            "has_audio": s.has_audio,
        }
        if with_signals:
            doc["signals"] = {
                "loudness_momentary_lufs": r(s.loudness_momentary_lufs),
                "loudness_short_lufs": r(s.loudness_short_lufs),
                "excitement": r(s.excitement),
                "speech": r(s.speech),
                "music": r(s.music),
                "whistle": r(s.whistle),
                "motion": r(s.motion),
            }
            doc["shot_cuts_s"] = r(s.shot_cuts_s)
        doc["candidates"] = [
            {
                "peak_s": c.peak_s,
                "start_s": c.start_s,
                "end_s": c.end_s,
                "score": round(c.score, 4),
                "components": dict(c.components),
                "why": c.reason(),
            }
            for c in self.candidates
        ]
        if self.reel is not None:
            doc["reel"] = {
                "length_s": round(sum(c.duration_ms for c in self.reel.clips) / 1000, 3),
                "clips": [
                    {
                        "source_in_s": c.source_in_ms / 1000,
                        "source_out_s": c.source_out_ms / 1000,
                        "peak_s": c.peak_ms / 1000,
                        "why": c.reason,
                    }
                    for c in self.reel.clips
                ],
                "left_out": [m.to_json() for m in self.reel.left_out],
                "room_note": self.reel.room_note(),
            }
        return doc


def find_moments(
    path: str | Path,
    top: int = 10,
    *,
    length_s: float | None = None,
    max_mb: float | None = None,
    use_cache: bool = True,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> Moments:
    """Analyse ``path`` (cached per content) and return its ``top`` candidate moments; with
    ``length_s``, also the reel of that length selection would make and what it would leave out."""
    signals = analyze_media(
        path, max_mb=max_mb, use_cache=use_cache, progress=progress, cancel=cancel
    )
    reel = None if length_s is None else select([signals], SelectionParams(target_s=length_s))
    return Moments(Path(path), signals, tuple(find_candidates(signals)[:top]), reel)
