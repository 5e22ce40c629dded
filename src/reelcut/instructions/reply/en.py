"""English words for changes and summary lines (:mod:`reelcut.instructions.reply`)."""

from __future__ import annotations

from reelcut.instructions.reply.base import plural, secs, span
from reelcut.timeline import changes as ch
from reelcut.timeline import summary as sm

_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"]
_REFRAME = {
    "follow": "reframed to follow the action",
    "blur": "blurred-background fit",
    "center": "centre crop",
}
_LABEL = {"title": "Title", "lower_third": "Lower third", "card": "Card"}


def _ordinal(n: int) -> str:
    return _ORDINALS[n - 1] if 1 <= n <= len(_ORDINALS) else f"#{n}"


def _s(ms: int) -> str:
    return f"{secs(ms)}s"


def _span(start_ms: int, end_ms: int) -> str:
    a, b = span(start_ms, end_ms)
    return f"{a}-{b}s"


def _role(role: str) -> str:
    return role.replace("_", " ")


def change(c: ch.Change) -> str:
    match c:
        case ch.ClipRemoved(clip):
            return f"removed the {_ordinal(clip)} clip"
        case ch.ClipMoved(clip, to):
            return f"moved clip {clip} to position {to}"
        case ch.ClipTrimmed(clip, head_ms, tail_ms):
            parts = [
                f"{'trimmed' if ms > 0 else 'extended'} {_s(abs(ms))} at the {end}"
                for ms, end in ((head_ms, "start"), (tail_ms, "end"))
                if ms
            ]
            return f"clip {clip}: " + (" and ".join(parts) or "unchanged")
        case ch.ClipReplaced(clip):
            return f"replaced clip {clip} with another moment"
        case ch.ClipInserted(clip, role):
            what = {"replay": "a slow-motion replay", "card": "a card"}.get(role, "a clip")
            return f"inserted {what} as clip {clip}"
        case ch.ClipsPicked(count, duration_ms):
            return f"re-selected {plural(count, 'clip')} ({_s(duration_ms)})"
        case ch.TopicKept(topic, source_in_ms, source_out_ms):
            length = _s((source_out_ms - source_in_ms) // 100 * 100)
            return f'kept the part about "{topic}" ({_span(source_in_ms, source_out_ms)} of the footage, {length})'
        case ch.ReelMade(count, duration_ms, asked_ms):
            made = f"made a {duration_ms / 1000:.0f}s reel of {plural(count, 'clip')}"
            if asked_ms is not None and asked_ms > duration_ms:
                made += f" (the footage allows {duration_ms / 1000:.0f}s, not {_s(asked_ms)})"
            return made
        case ch.FormatSet(aspect, height, reframe):
            parts = [f"aspect {aspect}"] if aspect else []
            parts += [f"{height}p"] if height else []
            parts += [_REFRAME.get(reframe, "centre crop")] if reframe else []
            return "set " + ", ".join(parts)
        case ch.TransitionSet(kind, duration_ms):
            if kind == "cut":
                return "hard cuts between clips"
            return f"{kind.replace('_', ' through ')} transitions ({_s(duration_ms)})"
        case ch.TextAdded(role, text, start_ms, end_ms):
            return f'added {_role(role)} "{text}" ({_s(start_ms)}-{_s(end_ms)})'
        case ch.TextChanged(role, text):
            if text is not None:
                return f'changed the {_role(role)} to "{text}"'
            return f"restyled the {_role(role)}"
        case ch.TextRemoved(role):
            return f"removed the {_role(role)}"
        case ch.CaptionsSet(count):
            return f"added {plural(count, 'caption line')}" if count else "removed the captions"
        case ch.CaptionEdited(index, text, start_ms, end_ms):
            which = "the last caption" if index == 0 else f"caption {index}"
            parts = [f'"{text}"'] if text is not None else []
            if start_ms is not None or end_ms is not None:
                a = "" if start_ms is None else f"from {_s(start_ms)} "
                parts.append(a + ("" if end_ms is None else f"to {_s(end_ms)}"))
            return f"changed {which}: " + ", ".join(p.strip() for p in parts)
        case ch.CardAdded(where, text, duration_ms):
            words = f' "{text}"' if text else ""
            return f"added an {where} card{words} ({_s(duration_ms)})"
        case ch.PictureAdded(start_ms, end_ms):
            return f"added a picture ({_s(start_ms)}-{_s(end_ms)})"
        case ch.PictureRemoved(picture):
            return f"removed picture {picture}"
        case ch.MusicSet(title, volume):
            return f"added {title + ' ' if title else ''}music at {volume}%"
        case ch.MusicChanged(volume, fade_in_ms, fade_out_ms, duck):
            parts = [f"volume {volume}%"] if volume is not None else []
            parts += [f"fade in {_s(fade_in_ms)}"] if fade_in_ms is not None else []
            parts += [f"fade out {_s(fade_out_ms)}"] if fade_out_ms is not None else []
            parts += [f"ducking {'on' if duck else 'off'}"] if duck is not None else []
            return "music: " + ", ".join(parts)
        case ch.MusicRemoved():
            return "removed the music"
        case ch.OriginalVolumeSet(volume):
            return "muted the original sound" if volume == 0 else f"original sound at {volume}%"
    return type(c).__name__


def track(line: sm.TrackLine) -> str:
    match line:
        case sm.VideoLine(clips, end_ms, aspect, replays, cards):
            more = [f", {aspect}"] if aspect else []
            more += [f", {plural(replays, 'slow-motion replay')}"] if replays else []
            more += [f", {plural(cards, 'card')}"] if cards else []
            return f"Video: {plural(clips, 'clip')} ({_span(0, end_ms)}{''.join(more)})"
        case sm.PicturesLine(name, count):
            return f"{name}: {plural(count, 'picture')}"
        case sm.MusicLine(title, start_ms, end_ms, volume):
            return f"Music: {title} ({_span(start_ms, end_ms)}, {volume}%)"
        case sm.SoundsLine(name, count):
            return f"{name}: {plural(count, 'sound')}"
        case sm.CaptionsLine(count):
            return f"Captions: {plural(count, 'line')}"
        case sm.TextLine(role, text, start_ms, end_ms):
            return f'{_LABEL.get(role, "Text")}: "{text}" ({_span(start_ms, end_ms)})'
        case sm.OriginalSoundLine(volume):
            return "Original sound: " + ("muted" if volume == 0 else f"{volume}%")
    return type(line).__name__


def done(parts: list[str]) -> str:
    return "Done: " + "; ".join(parts) + "." if parts else "Nothing was changed."


def tracks_head() -> str:
    return "Tracks:"
