"""Edits that need more than the draft: re-selecting for a new length, the next-best moment,
a slow-motion replay of the top moment, music by mood or file, captions from speech.

Each looks at the media (analysis comes from the cache, so this is quick after ``make``) and
returns a plain timeline op; applying it stays pure and undoable like any other edit.
"""

from __future__ import annotations

import threading
from pathlib import Path

from reelcut.analysis import Signals, analyze
from reelcut.errors import EditError
from reelcut.media.probe import probe
from reelcut.progress import ProgressFn, no_progress
from reelcut.render.plan import clip_segment
from reelcut.selection import SelectionParams, find_candidates, select_clips
from reelcut.timeline.model import AudioSegment, Draft, Source, TextSegment, VideoSegment
from reelcut.timeline.ops import InsertClip, Op, ReplaceClip, SetCaptions, SetClips, SetMusic


def _video_sources(draft: Draft) -> list[Source]:
    return [s for s in draft.sources if s.kind == "video"]


def _signals(draft: Draft, use_cache: bool = True) -> list[Signals]:
    return [analyze(probe(s.path), use_cache=use_cache) for s in _video_sources(draft)]


def reselect(draft: Draft, target_s: float, use_cache: bool = True) -> Op:
    """Pick clips again for ``target_s`` seconds (cards and replays are dropped)."""
    sources = _video_sources(draft)
    if not sources:
        raise EditError("the reel has no footage to pick from")
    params = SelectionParams(target_s=target_s)
    clips = select_clips(_signals(draft, use_cache), params)
    segs = tuple(clip_segment(c, sources[c.source_index].id) for c in clips)
    return SetClips(segs, target_ms=int(target_s * 1000))


def next_best(draft: Draft, index: int, use_cache: bool = True) -> Op:
    """Replace clip ``index`` with the best moment not already in the reel, of a similar length."""
    clips = draft.clips
    if not 1 <= index <= len(clips):
        raise EditError(f"there is no clip {index}: the reel has {len(clips)}")
    old = clips[index - 1]
    sources = _video_sources(draft)
    length = old.source_out_ms - old.source_in_ms
    best: tuple[float, VideoSegment] | None = None
    for src, sig in zip(sources, _signals(draft, use_cache), strict=True):
        for cand in find_candidates(sig):
            peak = int(cand.peak_s * 1000)
            start = max(0, min(peak - int(length * 0.6), src.duration_ms - length))
            seg = VideoSegment(
                src.id,
                start,
                min(start + length, src.duration_ms),
                score=round(cand.score, 4),
                reason=cand.reason(),
                peak_ms=peak,
            )
            taken = any(
                c.source_id == src.id
                and c.source_in_ms < seg.source_out_ms
                and seg.source_in_ms < c.source_out_ms
                for c in clips
            )
            if not taken and (best is None or cand.score > best[0]):
                best = (cand.score, seg)
    if best is None:
        raise EditError("no other moment is left to use: every highlight is already in the reel")
    return ReplaceClip(index, best[1])


def slow_motion_replay(
    draft: Draft, index: int | None = None, speed: float = 0.5, seconds: float = 3.0
) -> Op:
    """A slow-motion replay of the top moment (or clip ``index``), right after it."""
    clips = draft.clips
    real = [(i, c) for i, c in enumerate(clips) if c.role == "clip" and c.source_id]
    if not real:
        raise EditError("the reel has no clip to replay")
    if index is None:
        i, clip = max(real, key=lambda ic: ic[1].score)
    else:
        if not 1 <= index <= len(clips) or clips[index - 1].role != "clip":
            raise EditError(f"clip {index} cannot be replayed")
        i, clip = index - 1, clips[index - 1]
    if not 0.25 <= speed < 1:
        raise EditError("slow motion runs at 0.25-0.9 of normal speed")
    peak = clip.peak_ms if clip.peak_ms is not None else (clip.source_in_ms + clip.source_out_ms) // 2
    half = int(seconds * 1000 * speed / 2)
    start = max(clip.source_in_ms, peak - half)
    end = min(clip.source_out_ms, start + 2 * half)
    start = max(clip.source_in_ms, end - 2 * half)
    replay = VideoSegment(
        clip.source_id, start, end, speed=speed, role="replay", score=clip.score,
        reason=f"replay of clip {i + 1}", peak_ms=peak,
    )  # fmt: skip
    return InsertClip(i + 2, replay)


def music_op(
    what: str,
    volume: int = 35,
    fade_in_ms: int = 1000,
    fade_out_ms: int = 2000,
    duck: bool = True,
) -> Op:
    """Music from the built-in library (a mood: lofi, upbeat, epic, calm...) or a file."""
    from reelcut.music import check_music_file, mood_info, resolve_mood

    path = Path(what).expanduser()
    if path.suffix and (path.exists() or "/" in what or "\\" in what):
        duration_s = check_music_file(path)
        source = Source(
            id=f"music-{abs(hash(str(path.resolve()))) % 10**8}",
            kind="audio",
            path=str(path.resolve()),
            duration_ms=int(duration_s * 1000),
            has_audio=True,
            title=path.name,
        )
    else:
        mood = resolve_mood(what)
        source = Source(
            id=f"music-{mood}", kind="music", path=mood, duration_ms=0, has_audio=True,
            title=mood_info(mood).title,
        )  # fmt: skip
    seg = AudioSegment(
        source.id, volume=volume, fade_in_ms=fade_in_ms, fade_out_ms=fade_out_ms, duck=duck
    )
    return SetMusic(seg, source)


def captions_op(
    draft: Draft,
    engine: str | None = None,
    *,
    position: str = "bottom",
    size: float = 0.055,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> Op:
    """Captions from the speech in the reel's clips (transcribed where the clips are)."""
    from reelcut.speech import get_transcriber, group_captions, retime

    transcriber = get_transcriber(engine)
    starts = draft.clip_starts_ms()
    words = []
    for src in _video_sources(draft):
        pieces = [
            (c.source_in_ms, c.source_out_ms, starts[k], c.speed)
            for k, c in enumerate(draft.clips)
            if c.source_id == src.id
        ]
        if not pieces or not src.has_audio:
            continue
        found = transcriber.transcribe(
            Path(src.path),
            sorted((a, b) for a, b, _, _ in pieces),
            progress=progress,
            cancel=cancel,
        )
        words += retime(found, pieces)
    cues = group_captions(sorted(words, key=lambda w: w.start_ms))
    segs = tuple(
        TextSegment(
            c.text, c.start_ms, max(c.end_ms - c.start_ms, 300), role="caption",
            position=position, size=size, box=True, fade_ms=80,
        )  # fmt: skip
        for c in cues
    )
    if not segs:
        raise EditError("no speech was recognised in the reel's clips: no captions to add")
    return SetCaptions(segs)
