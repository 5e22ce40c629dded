"""A game stream: gameplay with a chatty streamer, long quiet menus, bursts of action.

Levels (dB relative to the streamer's calm speech; game ambience — wind — sits at -14):

* action (6-12 s burst after a 2-3 s build-up of sporadic fire): explosions at +10..14 dB with a
  screen flash, automatic fire at +3, the streamer shouting at +6; the camera races and shakes.
  The core is the first 5 s of the burst.
* menu (15-45 s): the game sound stops; a soft arpeggio loop at -8 dB on a static screen whose
  highlight steps every 3 s; the streamer says the odd calm line.
* ordinary play: a steady scroll, the odd quiet shot (-8 dB), calm commentary.

Close events (``close=True``; off, the script is what it was): the first fight is followed at
once by another (its 2-3 s build-up starting as the first burst ends). Drawn after the rest.
"""

from __future__ import annotations

import numpy as np

from reelcut.footage.truth import GRADES

from .script import (
    OFF_DB,
    Bed,
    Cue,
    PhraseLength,
    Script,
    Shot,
    event,
    expand,
    fill_speech,
    free_spans,
    in_order,
    pack,
)

WIND_DB = -14.0
CALM = (
    "Okay, so we need to go left here.",
    "I think the key is somewhere in this area.",
    "Thanks for the follow, really appreciate it.",
    "Let me check the map real quick.",
    "This part is usually pretty easy.",
    "Chat, what do you think, left or right?",
    "I should probably upgrade my gear soon.",
    "We are making good time on this run.",
)
SHOUTS = (
    "Oh my god!",
    "Let's go!",
    "No way, no way!",
    "Get him, get him!",
    "Did you see that?",
    "Yes! Yes!",
)
MENU = (
    "Let me change some settings.",
    "Okay, which loadout should I pick?",
    "One sec, grabbing a drink.",
)


def plan(
    rng: np.random.Generator, duration_s: float, length_of: PhraseLength, close: bool = False
) -> Script:
    minutes = duration_s / 60
    items: list[tuple[str, tuple[float, ...]]] = []
    items += [
        ("action", (rng.uniform(2, 3), rng.uniform(6, 12)))
        for _ in range(max(1, round(minutes / 1.75)))
    ]
    items += [
        ("menu", (max(15.0, min(rng.uniform(15, 45), 0.25 * duration_s)),))
        for _ in range(max(1, round(minutes / 3)))
    ]

    events, cues, shots, flashes, blocked = [], [], [], [], []
    wind: list[tuple[float, float]] = [(0.0, 0.0)]
    if close:
        second = (rng.uniform(2, 3), rng.uniform(6, 12))
        items[0] = ("action+action", (*items[0][1], *second))

    for kind, at, parts in expand(pack(rng, items, duration_s, edge_s=4.0, gap_s=4.0)):
        end = at + sum(parts)
        blocked.append((at, end))
        if kind == "action":
            burst = at + parts[0]
            events.append(event(kind, at, end, (burst, min(burst + 5.0, end)), GRADES[kind]))
            cues.append(Cue(at, "gunfire", -4.0, parts[0]))
            cues.append(Cue(burst, "gunfire", 1.0, end - burst))
            booms = np.sort(
                np.concatenate(
                    [
                        [burst + 0.1],
                        rng.uniform(burst + 0.5, end - 1.0, int(rng.integers(2, 6))),
                    ]
                )
            )
            for boom in booms:
                cues.append(Cue(float(boom), "explosion", float(rng.uniform(7, 11))))
                flashes.append(float(boom))
            t = burst + 0.3
            while t < end - 1.0:
                text = SHOUTS[int(rng.integers(len(SHOUTS)))]
                dur = length_of(text, "shout")
                if t + dur > end:
                    break
                cues.append(Cue(t, "speech", 6.0, dur, text, "shout", 0.0, 0))
                t += dur + rng.uniform(0.8, 2.5)
            shots.append(_roaming(rng, at, burst, "game", rng.uniform(120, 180), 2.0))
            speed = rng.choice([-1, 1]) * rng.uniform(250, 400)
            shots.append(_roaming(rng, burst, end, "action", speed, 8.0))
        else:
            events.append(event(kind, at, end, (at, end), GRADES[kind]))
            cues.append(Cue(at, "menu_music", -8.0, end - at))
            wind += [(at, 0.0), (at + 0.01, OFF_DB), (end, OFF_DB), (end + 0.01, 0.0)]
            cues += fill_speech(
                rng,
                [(at + 2, end - 1)],
                MENU,
                ("streamer",),
                length_of,
                -1.0,
                (6.0, 12.0),
                (0,),
            )
            shots.append(Shot(at, end, "menu", 0.0, 0.0, 0.0, int(rng.integers(5))))

    spans = free_spans(duration_s, blocked, pad_s=0.8)
    cues += fill_speech(rng, spans, CALM, ("streamer",), length_of, 0.0, (1.0, 4.0), (0,))
    for a, b in spans:
        t = a + rng.uniform(5, 20)
        while t < b - 2:
            cues.append(Cue(t, "gunfire", -8.0, float(rng.uniform(0.5, 1.5))))
            t += rng.uniform(10, 30)
    play = free_spans(duration_s, [(s.start_s, s.end_s) for s in shots], pad_s=0.0)
    for a, b in play:
        cut = a
        while cut < b - 1e-6:
            nxt = min(cut + rng.uniform(20, 40), b)
            if b - nxt < 8:
                nxt = b
            shots.append(_roaming(rng, cut, nxt, "game", rng.uniform(50, 100)))
            cut = nxt
    wind.append((duration_s, 0.0))
    beds = (Bed(60, 600, WIND_DB, tuple(sorted(wind))),)
    return in_order("gaming", duration_s, events, cues, beds, shots, flashes)


def _roaming(
    rng: np.random.Generator, start: float, end: float, scene: str, speed: float, shake: float = 0.0
) -> Shot:
    """A shot of the level from a random spot along it (the shot's variant)."""
    return Shot(start, end, scene, speed, shake, 0.0, int(rng.integers(1 << 16)))
