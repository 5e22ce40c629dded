"""A two-host podcast or vlog: long calm conversation, laughs, applause, an argument, silences.

Levels (dB relative to calm speech's active RMS; the room tone sits at -45):

* laughter (2-5 s, after a 3 s punchline): two or three voices of breathy "ha" at ~5 per second,
  +5 dB; the host bobs as they laugh.
* applause (3-8 s): dense broadband claps, +8 dB, quick rise and slow fade; a cut to the audience.
* argument (12-20 s, grade 1): both hosts in raised voices (higher pitch, faster) at +6 dB,
  talking over each other, with quick cuts between them.
* silence (4-12 s): room tone only. Every stretch of plain conversation of 10 s or more is
  labelled ``calm_speech``.

Close events (``close=True``; off, the script is what it was): the first laugh is followed at
once by applause (one rally: punchline, laugh, applause), and the second laugh by another
punchline and laugh straight after it. Drawn after everything else.
"""

from __future__ import annotations

import numpy as np

from reelcut.footage.truth import GRADES

from .script import (
    Bed,
    Cue,
    PhraseLength,
    Script,
    Shot,
    base_shots,
    event,
    expand,
    fill_speech,
    free_spans,
    in_order,
    pack,
)

ROOM_DB = -45.0
LINES = (
    "So I wanted to talk about something a bit different today.",
    "That is a really good point, actually.",
    "Let me think about that for a second.",
    "We tried this last year and it mostly worked.",
    "I am not sure everybody would agree with that.",
    "Anyway, let us move on to the next topic.",
    "The numbers tell a more interesting story.",
    "Here is what I learned from the whole thing.",
    "You read the comments on the last episode?",
    "I think the answer is somewhere in the middle.",
    "It took me about three weeks to figure that out.",
    "Which brings us back to the original question.",
)
PUNCHLINES = (
    "And that is why I no longer cook.",
    "So the dog ate my homework, literally.",
    "Turns out the map was upside down.",
    "And then the chair just broke.",
)
RAISED = (
    "No, that is simply not true!",
    "You always say that, every single time!",
    "Let me finish, please!",
    "That makes no sense at all!",
    "You are not listening to me!",
    "Oh come on, be serious!",
)


def plan(
    rng: np.random.Generator, duration_s: float, length_of: PhraseLength, close: bool = False
) -> Script:
    minutes = duration_s / 60
    items: list[tuple[str, tuple[float, ...]]] = []
    items += [("laughter", (3.0, rng.uniform(2, 5))) for _ in range(max(1, round(minutes / 1.5)))]
    items += [("applause", (rng.uniform(3, 8),)) for _ in range(max(1, round(minutes / 4)))]
    if minutes >= 2:
        items += [("argument", (rng.uniform(12, 20),)) for _ in range(max(1, round(minutes / 5)))]
    items += [("silence", (rng.uniform(4, 12),)) for _ in range(max(1, round(minutes / 3)))]

    if close:
        laughs = [i for i, (kind, _) in enumerate(items) if kind == "laughter"]
        items[laughs[0]] = ("laughter+applause", (*items[laughs[0]][1], rng.uniform(3, 8)))
        if len(laughs) > 1:
            items[laughs[1]] = ("laughter+laughter", (*items[laughs[1]][1], 3.0, rng.uniform(2, 5)))

    events, cues, shots, blocked = [], [], [], []
    for kind, at, parts in expand(pack(rng, items, duration_s, edge_s=4.0, gap_s=4.0)):
        end = at + sum(parts)
        if kind == "laughter":
            laugh_at = at + parts[0]
            events.append(event(kind, at, end, (laugh_at, end), GRADES[kind]))
            who = int(rng.integers(2))
            text = PUNCHLINES[int(rng.integers(len(PUNCHLINES)))]
            dur = length_of(text, f"host_{'ab'[who]}")
            cues.append(
                Cue(
                    max(at, laugh_at - dur - 0.2),
                    "speech",
                    0.0,
                    dur,
                    text,
                    f"host_{'ab'[who]}",
                    0.0,
                    who,
                )
            )
            cues.append(Cue(laugh_at, "laughter", 1.5, end - laugh_at))
            shots.append(Shot(laugh_at, end, "two_shot", 0.0, 0.0, 2.5))
            blocked.append((laugh_at - dur - 0.2, end))
            continue
        blocked.append((at, end))
        if kind == "applause":
            core_end = min(max(end - 1.2, at + 2.5), at + 6.0)
            events.append(event(kind, at, end, (at + 0.2, core_end), GRADES[kind]))
            cues.append(Cue(at, "applause", 3.0, end - at))
            shots.append(
                Shot(
                    at,
                    end,
                    "audience",
                    rng.uniform(-30, 30),
                    1.5,
                    4.0,
                    int(rng.integers(1 << 16)),
                )
            )
        elif kind == "argument":
            mid = at + (end - at) / 2
            events.append(event(kind, at, end, (mid - 2.5, mid + 2.5), GRADES[kind]))
            cues += _argument(rng, at, end, length_of)
            cut = at
            while cut < end - 1e-6:
                nxt = min(cut + rng.uniform(1.5, 3.0), end)
                shots.append(
                    Shot(
                        cut,
                        nxt,
                        ("host_a", "host_b")[len(shots) % 2],
                        0.0,
                        3.0,
                        0.0,
                        len(shots),
                    )
                )
                cut = nxt
        else:
            events.append(event(kind, at, end, (at, end), GRADES[kind]))
            shots.append(Shot(at, end, "two_shot"))

    spans = free_spans(duration_s, blocked, pad_s=0.6)
    talk = fill_speech(
        rng,
        spans,
        LINES,
        ("host_a", "host_b"),
        length_of,
        0.0,
        (0.3, 1.0),
        (0, 1),
        (1, 3),
    )
    cues += talk
    for a, b in free_spans(duration_s, [(e.start_s, e.end_s) for e in events], pad_s=0.6):
        if b - a >= 10:
            events.append(event("calm_speech", a, b, (a, b), GRADES["calm_speech"]))
    scenes = [
        ("host_a", 0.4, (0.0, 0.0)),
        ("host_b", 0.4, (0.0, 0.0)),
        ("two_shot", 0.2, (0.0, 0.0)),
    ]
    shot_spans = free_spans(duration_s, [(s.start_s, s.end_s) for s in shots], pad_s=0.0)
    shots += base_shots(rng, shot_spans, scenes)
    beds = (Bed(80, 1500, ROOM_DB, ((0.0, 0.0), (duration_s, 0.0))),)
    return in_order("talk", duration_s, events, cues, beds, shots)


def _argument(
    rng: np.random.Generator, at: float, end: float, length_of: PhraseLength
) -> list[Cue]:
    """Alternating raised lines that overlap a little, as people do when they interrupt."""
    cues = []
    t, who = at + 0.2, int(rng.integers(2))
    while True:
        text = RAISED[int(rng.integers(len(RAISED)))]
        voice = ("raised_a", "raised_b")[who]
        dur = length_of(text, voice)
        if t + dur > end - 0.2:
            break
        cues.append(Cue(t, "speech", 4.0, dur, text, voice, (-0.3, 0.3)[who], who))
        t += dur + rng.uniform(-0.3, 0.3)
        who = 1 - who
    return cues
