"""The draft in words: ``1. Video: 6 clips (0-120s) 2. Music: Lo-fi (0-120s, 35%) ...``.

Chat replies and ``reelcut show`` print this; it names what a person would check at a glance.
"""

from __future__ import annotations

from reelcut.timeline.model import AudioSegment, Draft, TextSegment, TrackType


def _s(ms: int) -> str:
    """Whole seconds when whole, else tenths: 3s, 2.5s, 33.5s."""
    return f"{ms / 1000:.0f}s" if ms % 1000 == 0 else f"{ms / 1000:.1f}s"


def _span(a: int, b: int) -> str:
    return f"{_s(a)[:-1]}-{_s(b)}"


def track_lines(draft: Draft) -> list[str]:
    """One line per track, numbered, in track order."""
    lines: list[str] = []
    end = draft.duration_ms
    main = draft.main_index
    for k, track in enumerate(draft.tracks):
        segs = track.segments
        if not segs and k != main:
            continue
        if k == main:
            clips = draft.clips
            n = sum(1 for c in clips if c.role != "card")
            extras = []
            replays = sum(1 for c in clips if c.role == "replay")
            cards = sum(1 for c in clips if c.role == "card")
            if replays:
                extras.append(f"{replays} slow-motion replay{'s' * (replays > 1)}")
            if cards:
                extras.append(f"{cards} card{'s' * (cards > 1)}")
            fmt = f", {draft.aspect}" if draft.aspect != "source" else ""
            more = f", {', '.join(extras)}" if extras else ""
            lines.append(f"Video: {n} clip{'s' * (n != 1)} ({_span(0, end)}{fmt}{more})")
        elif track.type == TrackType.VIDEO:
            lines.append(f"{track.name}: {len(segs)} picture{'s' * (len(segs) != 1)}")
        elif track.type == TrackType.AUDIO and track.name == "Music":
            for seg in segs:
                assert isinstance(seg, AudioSegment)
                src = draft.source(seg.source_id)
                stop = end if seg.duration_ms is None else seg.start_ms + seg.duration_ms
                title = src.title or src.path
                lines.append(f"Music: {title} ({_span(seg.start_ms, stop)}, {seg.volume}%)")
        elif track.type == TrackType.AUDIO:
            lines.append(f"{track.name}: {len(segs)} sound{'s' * (len(segs) != 1)}")
        else:
            texts = [s for s in segs if isinstance(s, TextSegment)]
            if track.name == "Captions":
                lines.append(f"Captions: {len(texts)} lines")
                continue
            for t in texts:
                label = {"title": "Title", "lower_third": "Lower third", "card": "Card"}.get(
                    t.role, "Text"
                )
                lines.append(f'{label}: "{t.text}" ({_span(t.start_ms, t.end_ms)})')
    if draft.original_volume != 100:
        lines.append(
            "Original sound: muted"
            if draft.original_volume == 0
            else f"Original sound: {draft.original_volume}%"
        )
    return [f"{i}. {line}" for i, line in enumerate(lines, 1)]


def summarize(draft: Draft) -> str:
    return " ".join(track_lines(draft))
