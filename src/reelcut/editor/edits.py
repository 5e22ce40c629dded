"""Edits that need more than the draft: re-selecting for a new length, the next-best moment,
a slow-motion replay of the top moment, music by mood or file, captions from speech.

Each looks at the media (analysis comes from the cache, so this is quick after ``make``) and
returns a plain timeline op; applying it stays pure and undoable like any other edit.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import replace
from pathlib import Path

from reelcut.analysis import Signals
from reelcut.editor.build import clip_segment
from reelcut.editor.footage import draft_signals
from reelcut.errors import EditError
from reelcut.progress import ProgressFn, no_progress
from reelcut.selection import SelectionParams, find_candidates, select_clips
from reelcut.timeline.model import AudioSegment, Draft, Source, TextSegment, VideoSegment
from reelcut.timeline.ops import InsertClip, Op, ReplaceClip, SetCaptions, SetClips, SetMusic


def _video_sources(draft: Draft) -> list[Source]:
    return [s for s in draft.sources if s.kind == "video"]


def reselect(draft: Draft, target_s: float, use_cache: bool = True) -> Op:
    """Pick clips again for ``target_s`` seconds (cards and replays are dropped)."""
    sources = _video_sources(draft)
    if not sources:
        raise EditError("the reel has no footage to pick from")
    params = SelectionParams(target_s=target_s)
    from reelcut.editor.speech_cuts import select_between_sentences

    paths = [Path(s.path) for s in sources]
    clips = select_between_sentences(
        paths, draft_signals(draft, use_cache), params, use_cache=use_cache
    )
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
    for src, sig in zip(sources, draft_signals(draft, use_cache), strict=True):
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
    peak = (
        clip.peak_ms if clip.peak_ms is not None else (clip.source_in_ms + clip.source_out_ms) // 2
    )
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
        full = str(path.resolve())
        source = Source(
            # the same file gets the same id in every process (hash() is salted per process)
            id=f"music-{hashlib.sha256(full.encode()).hexdigest()[:12]}",
            kind="audio",
            path=full,
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
    style: str = "classic",
    min_confidence: float | None = None,
    position: str = "bottom",
    size: float = 0.055,
    highlight_colour: str = "#ffd400",
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> Op:
    """Captions from the speech in the reel's clips (transcribed only where the clips are, and
    cached): ``classic`` two-line subtitles, or ``highlight``, a few words at a time with the
    word being said in ``highlight_colour`` (drawn as a white line plus one coloured layer per
    word, in a monospaced font so each layer lines up with its word). Words under
    ``min_confidence`` are left out (default :data:`reelcut.speech.DEFAULT_MIN_CONFIDENCE`)."""
    from reelcut.speech import (
        DEFAULT_MIN_CONFIDENCE,
        caption_cues,
        get_transcriber,
        highlight_layers,
        reel_words,
    )

    starts = draft.clip_starts_ms()
    sources = [
        (
            Path(src.path),
            [
                (c.source_in_ms, c.source_out_ms, starts[k], c.speed)
                for k, c in enumerate(draft.clips)
                if c.source_id == src.id
            ],
        )
        for src in _video_sources(draft)
        if src.has_audio
    ]
    words = reel_words(
        sources, transcriber=get_transcriber(engine), progress=progress, cancel=cancel
    )
    width, height = draft.output_size()
    columns = int(0.88 * width / (size * height) / 0.6)  # monospaced letters are 0.6 em wide
    floor = DEFAULT_MIN_CONFIDENCE if min_confidence is None else min_confidence
    cues = caption_cues(
        words,
        style,
        min_confidence=floor,
        max_chars=min(18, columns - 2) if style == "highlight" else None,
    )
    segs: list[TextSegment] = []
    for c in cues:
        if style != "highlight":
            segs.append(
                TextSegment(
                    c.text,
                    c.start_ms,
                    max(c.end_ms - c.start_ms, 300),
                    role="caption",
                    position=position,
                    size=size,
                    box=True,
                    fade_ms=80,
                )  # fmt: skip
            )
            continue
        for layer in highlight_layers(c):
            segs.append(
                TextSegment(
                    layer.text,
                    layer.start_ms,
                    max(layer.end_ms - layer.start_ms, 1),
                    role="caption",
                    position=position,
                    size=size,
                    font="mono",
                    colour=highlight_colour if layer.active else "#ffffff",
                    box=not layer.active,
                    fade_ms=0,
                )  # fmt: skip
            )
    if not segs:
        raise EditError("no speech was recognised in the reel's clips: no captions to add")
    return SetCaptions(tuple(segs))


def srt_captions_op(draft: Draft, srt: str, *, position: str = "bottom", size: float = 0.055) -> Op:
    """The reel's captions replaced by the cues of SRT text (reel time, as ``captions --srt``
    writes them), drawn as classic lines. Cues that start after the reel ends are dropped;
    when that leaves none it is an :class:`EditError` (an SRT of the source, not of the reel?).
    A file that is not SRT is :class:`~reelcut.errors.SubtitleFileError` (4014)."""
    from reelcut.speech.srt import read_srt

    cues = read_srt(srt)
    end = draft.duration_ms
    segs = tuple(
        TextSegment(
            c.text,
            c.start_ms,
            min(c.end_ms, end) - c.start_ms,
            role="caption",
            position=position,
            size=size,
            box=True,
            fade_ms=80,
        )  # fmt: skip
        for c in cues
        if c.start_ms < end - 100
    )
    if not segs:
        raise EditError(
            f"every cue of the SRT starts after the reel ends ({end / 1000:g} s): "
            "captions are in reel time, as 'reelcut captions --srt' writes them"
        )
    return SetCaptions(segs)


# what each focus listens to: components of the excitement score (analysis.signals.COMPONENTS)
_FOCUS_COMPONENTS = {
    "crowd": ("crowd_roar", "burst", "loudness_rise"),
    "speech": ("raised_voice",),
    "action": ("motion", "cuts", "crowd_roar"),
}


def _focused(signals: Signals, kind: str) -> Signals:
    """``signals`` whose excitement counts only what ``kind`` asks for (scaled like before)."""
    import numpy as np

    from reelcut.analysis.signals import COMPONENTS

    names = [n for n in _FOCUS_COMPONENTS[kind] if n in COMPONENTS]
    picked = sum(signals.components[COMPONENTS.index(n)] for n in names)
    if kind == "speech":
        picked = picked + signals.speech * np.maximum(signals.excitement, 0.1)
    focused = np.asarray(picked, dtype=float) * (0.5 + 0.5 * np.clip(signals.excitement, 0, None))
    top = float(np.max(focused)) if focused.size else 0.0
    if top <= 0:
        return signals
    scale = float(np.max(signals.excitement)) / top if np.max(signals.excitement) > 0 else 1.0
    return replace(signals, excitement=focused * scale)


def focus_op(
    draft: Draft,
    kind: str,
    keyword: str | None = None,
    *,
    use_cache: bool = True,
    engine: str | None = None,
) -> Op:
    """Re-select the reel around one kind of moment: crowd, speech, action, a spoken word, or
    the part that talks about a topic.

    ``keyword`` with kind "keyword" searches the speech of the strongest moments for the word
    (offline recogniser) and keeps those where it is said; with kind "topic" the reel becomes
    the run of whole sentences about it (:mod:`reelcut.editor.topics`); for the other kinds it
    is a hint only.
    """
    sources = _video_sources(draft)
    if not sources:
        raise EditError("the reel has no footage to pick from")
    if kind == "topic":
        from reelcut.editor.topics import topic_op

        return topic_op(draft, keyword or "", use_cache=use_cache)
    target_s = (draft.target_ms or draft.duration_ms) / 1000
    signals = draft_signals(draft, use_cache)
    if kind == "keyword":
        if not keyword:
            raise EditError("say which word to look for")
        return _keyword_op(draft, sources, signals, keyword, target_s, engine)
    if kind not in _FOCUS_COMPONENTS:
        raise EditError(
            f"cannot focus on {kind!r}: crowd, speech, action, a spoken word or a topic"
        )
    clips = select_clips([_focused(s, kind) for s in signals], SelectionParams(target_s=target_s))
    segs = tuple(clip_segment(c, sources[c.source_index].id) for c in clips)
    return SetClips(segs, target_ms=int(target_s * 1000))


def _keyword_op(
    draft: Draft,
    sources: list[Source],
    signals: list[Signals],
    keyword: str,
    target_s: float,
    engine: str | None,
) -> Op:
    from difflib import SequenceMatcher

    from reelcut.speech import get_transcriber

    transcriber = get_transcriber(engine)
    word = keyword.lower().strip()
    hits: list[VideoSegment] = []
    for src, sig in zip(sources, signals, strict=True):
        if not src.has_audio:
            continue
        cands = find_candidates(sig)[:12]
        spans = sorted(
            (max(0, int((c.peak_s - 8) * 1000)), min(src.duration_ms, int((c.peak_s + 4) * 1000)))
            for c in cands
        )
        words = transcriber.transcribe(Path(src.path), spans)
        for w in words:
            if SequenceMatcher(None, w.text.lower(), word).ratio() < 0.8:
                continue
            start = max(0, w.start_ms - 5000)
            end = min(src.duration_ms, w.end_ms + 3000)
            if any(h.source_id == src.id and h.source_in_ms < end and start < h.source_out_ms
                   for h in hits):  # fmt: skip
                continue
            hits.append(
                VideoSegment(src.id, start, end, reason=f'"{w.text}" is said', peak_ms=w.start_ms)
            )
    if not hits:
        raise EditError(f'nobody is heard saying "{keyword}" in the best moments')
    hits.sort(key=lambda h: (h.source_id or "", h.source_in_ms))
    total, kept = 0, list[VideoSegment]()
    for h in hits:
        if kept and total + h.duration_ms > target_s * 1000 + 1000:
            break
        kept.append(h)
        total += h.duration_ms
    return SetClips(tuple(kept), target_ms=int(target_s * 1000))
