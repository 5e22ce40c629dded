"""A football broadcast: murmuring crowd and calm commentary, goals, near misses, distractors.

Levels (dB relative to calm commentary's active-speech RMS; the crowd murmur sits at -7):

* goal: the crowd swells +6 dB over 5-8 s, roars +10..15 dB for the 4-6 s core, falls back over
  8-12 s; excited commentary (+6) on top; fast pan, then a cut to a shaky close-up.
* near miss: +5..7 dB swell for ~3 s and a groan back; one excited line (+3).
* ad break (20-60 s): the match audio stops; a beat-driven jingle per spot with a voice-over one
  dB over it; bright colour cards. Spots are mastered on their own, not to the match: a break's
  jingles sit at 0..+8 (drawn per break, +-1.5 per spot), i.e. from about live play's integrated
  loudness (loudness-normalised ads) to several LU above it (ads where that is not enforced),
  which reaches the goal roars. Was a flat +5, always under them.
* announcement: echoey PA speech at +3, crowd goes on, commentary pauses; a stand shot.
* whistle: a 0.3-1 s pea whistle at +3. chant: a steady sung chant at -1 for 15-40 s.
* dead time: murmur down 5 dB, no commentary, a nearly still camera.

Close events (``close=True``, added after the move out of the package; off, the script is
what it was): the first goal becomes two goals 8-14 s apart kick to kick (the first one's fall
cut to 2-4 s, the second's build-up to 2-4 s, the crowd dipping between them), and the first near
miss is followed by a goal 4.5-8.5 s after its peak. Drawn after everything else, so the rest of
the script keeps its draws.
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
    base_shots,
    event,
    expand,
    fill_speech,
    free_spans,
    in_order,
    pack,
)

MURMUR_DB = -7.0
AD_LEVEL = (0.0, 8.0)  # an ad break's jingles, drawn per break
CALM = (
    "He plays it out to the left back.",
    "A patient spell of possession here.",
    "The defence holds its shape well.",
    "Nothing much happening in midfield just now.",
    "They are keeping the ball nicely.",
    "A long throw towards the edge of the box.",
    "Good control there from the captain.",
    "The pace of the game has dropped a little.",
    "Switched across to the other flank.",
    "Cleared away, and they will start again.",
    "The manager is on his feet on the touchline.",
    "Short corner routine, worked back to the middle.",
    "It is a tight game so far, this one.",
    "A yellow card would not surprise anyone there.",
)
BUILD = (
    "Here they come, down the right.",
    "Through ball, he is in behind!",
    "Now then, a chance here!",
)
GOAL = (
    "Goal! What a strike!",
    "It is in! Unbelievable!",
    "Oh, what a goal that is!",
    "He scores! Get in!",
)
AFTER = (
    "What a finish from him!",
    "The stadium is rocking!",
    "You will not see a better goal!",
)
MISS = ("Oh, so close!", "Just wide of the post!", "Oh, what a save!", "Inches away!")
PA = (
    "Ladies and gentlemen, today's attendance is forty two thousand.",
    "Would the owner of a blue car please return to the car park.",
    "Please do not stand in the gangways. Thank you.",
    "The next home match is on Saturday at three o'clock.",
)
ADS = (
    "Fresh, fast and full of flavour. Try it today!",
    "New and improved. Available in all good stores.",
    "Drive further for less. Visit your dealer now!",
    "Sign up today and get your first month free!",
)


def plan(
    rng: np.random.Generator, duration_s: float, length_of: PhraseLength, close: bool = False
) -> Script:
    minutes = duration_s / 60
    items: list[tuple[str, tuple[float, ...]]] = []
    for _ in range(max(1, round(minutes / rng.uniform(2.0, 3.0)))):
        items.append(("goal", (rng.uniform(5, 8), rng.uniform(4, 6), rng.uniform(8, 12))))
    if minutes >= 2:
        for _ in range(max(1, round(minutes / 8))):
            items.append(("ad_break", (max(20.0, min(rng.uniform(20, 60), 0.2 * duration_s)),)))
    for _ in range(max(1, round(minutes / 2))):
        items.append(("near_miss", (rng.uniform(3, 4), rng.uniform(2.5, 3.5), rng.uniform(4, 6))))
    if minutes >= 2:
        for _ in range(max(1, round(minutes / 6))):
            text = PA[int(rng.integers(len(PA)))]
            items.append(("announcement", (length_of(text, "announcer") + 1.2,)))
    for _ in range(round(minutes * 0.8) + 1):
        items.append(("whistle", (rng.uniform(0.3, 1.0),)))
    if minutes >= 2:
        for _ in range(max(1, round(minutes / 6))):
            items.append(("chant", (max(15.0, min(rng.uniform(15, 40), 0.15 * duration_s)),)))
    if minutes >= 3:
        for _ in range(max(1, round(minutes / 6))):
            items.append(("dead_time", (rng.uniform(20, 40),)))

    if close:
        items = _close(rng, items)

    events, cues, shots = [], [], []
    roar: list[tuple[float, float]] = []
    murmur: list[tuple[float, float]] = []
    blocked: list[tuple[float, float]] = []  # no calm commentary
    shot_blocked: list[tuple[float, float]] = []
    pa_texts = iter(rng.permutation(PA).tolist() * 8)
    for kind, at, parts in expand(pack(rng, items, duration_s)):
        end = at + sum(parts)
        if kind == "goal":
            build, core, fall = parts
            g = at + build
            peak = rng.uniform(10, 15)
            events.append(event(kind, at, end, (g, g + core), GRADES[kind]))
            roar += [(at, 0.0), (g - 0.5, 6.0), (g + 0.4, peak), (g + core, peak - 1.5)]
            roar += [(g + core + 0.3 * fall, peak * 0.45), (end, 0.0)]
            cues.append(_line(rng, BUILD, "excited", at + 0.3, length_of, -1.0))
            line = _line(rng, GOAL, "excited", g + 0.2, length_of, 6.0)
            cues.append(line)
            cues.append(_line(rng, AFTER, "excited", line.end_s + 0.6, length_of, 4.0))
            close_end = min(g + core + 1.5, end)
            shots += [
                Shot(at, g, "wide", rng.choice([-1, 1]) * rng.uniform(220, 300), 2.0),
                Shot(g, close_end, "close", rng.uniform(120, 200), 7.0, 0.0, 0),
                Shot(close_end, min(close_end + 4, end), "stands", 100.0, 4.0, 2.5),
            ]
            if close_end + 4 < end:
                shots.append(Shot(close_end + 4, end, "medium", rng.uniform(-60, 60)))
        elif kind == "near_miss":
            swell, core, fall = parts
            p = at + swell
            peak = rng.uniform(5, 7)
            events.append(event(kind, at, end, (p, p + core), GRADES[kind]))
            roar += [
                (at, 0.0),
                (p, peak - 1),
                (p + 0.5, peak),
                (p + core, peak - 1),
                (end, 0.0),
            ]
            cues.append(_line(rng, MISS, "excited", p + 0.3, length_of, 3.0))
            shots += [
                Shot(at, p, "wide", rng.choice([-1, 1]) * rng.uniform(180, 250), 1.5),
                Shot(p, p + core + 1, "close", rng.uniform(60, 120), 4.0, 0.0, 1),
                Shot(p + core + 1, end, "wide", rng.uniform(-50, 50)),
            ]
        elif kind == "ad_break":
            events.append(event(kind, at, end, (at, end), GRADES[kind]))
            murmur += [(at - 0.01, 0.0), (at, OFF_DB), (end, OFF_DB), (end + 0.01, 0.0)]
            cues += _ad_break(rng, at, end, length_of)
            card = 0
            spot_at = at
            while spot_at < end - 1e-6:
                spot_end = min(spot_at + rng.uniform(3, 6), end)
                if end - spot_end < 2:
                    spot_end = end
                shots.append(Shot(spot_at, spot_end, "card", rng.uniform(-40, 40), 0.0, 0.0, card))
                card += 1
                spot_at = spot_end
        elif kind == "announcement":
            events.append(event(kind, at, end, (at, end), GRADES[kind]))
            text = next(pa_texts)
            cues.append(
                Cue(
                    at,
                    "public_address",
                    2.0,
                    length_of(text, "announcer"),
                    text,
                    "announcer",
                )
            )
            shots.append(Shot(at, end, "stands", rng.choice([-1, 1]) * 8.0))
        elif kind == "whistle":
            events.append(event(kind, at, end, (at, end), GRADES[kind]))
            cues.append(Cue(at, "whistle", 3.0, end - at))
            continue  # the picture and commentary carry on through a whistle
        elif kind == "chant":
            events.append(event(kind, at, end, (at, end), GRADES[kind]))
            cues.append(Cue(at, "chant", -1.0, end - at))
            shots.append(Shot(at, end, "stands", rng.choice([-1, 1]) * 15.0, 0.0, 1.8))
            shot_blocked.append((at, end))
            continue  # commentary goes on over a chant
        elif kind == "dead_time":
            events.append(event(kind, at, end, (at, end), GRADES[kind]))
            murmur += [(at, 0.0), (at + 2, -5.0), (end - 2, -5.0), (end, 0.0)]
            shots.append(Shot(at, end, "wide", rng.choice([-1, 1]) * 4.0, 0.0, 0.0, 1))
        blocked.append((at, end + (1.0 if kind == "ad_break" else 0.0)))
        shot_blocked.append((at, end))

    spans = free_spans(duration_s, blocked, pad_s=0.8)
    cues += fill_speech(rng, spans, CALM, ("commentator",), length_of, 0.0, (0.8, 3.0))
    scenes = [
        ("wide", 0.7, (15.0, 60.0)),
        ("medium", 0.2, (25.0, 80.0)),
        ("stands", 0.1, (8.0, 20.0)),
    ]
    shots += base_shots(rng, free_spans(duration_s, shot_blocked, pad_s=0.0), scenes)
    beds = (
        Bed(
            200,
            2200,
            MURMUR_DB,
            _points([(0.0, 0.0)] + murmur, duration_s),
            babble=True,
        ),
        Bed(90, 9000, MURMUR_DB, _points([(0.0, 0.0)] + roar, duration_s), lift=True),
    )
    return in_order("sports", duration_s, events, cues, beds, shots)


def _close(
    rng: np.random.Generator, items: list[tuple[str, tuple[float, ...]]]
) -> list[tuple[str, tuple[float, ...]]]:
    """Goal after goal, and a chance just before a goal (see the module's docstring)."""
    out = list(items)
    first = next(i for i, (kind, _) in enumerate(out) if kind == "goal")
    build, core, _ = out[first][1]
    second = (rng.uniform(2, 4), rng.uniform(4, 6), rng.uniform(8, 12))
    out[first] = ("goal+goal", (build, core, rng.uniform(2, 4), *second))
    miss = next((i for i, (kind, _) in enumerate(out) if kind == "near_miss"), None)
    if miss is not None:
        swell, core, _ = out[miss][1]
        goal = (rng.uniform(1, 3), rng.uniform(4, 6), rng.uniform(8, 12))
        out[miss] = ("near_miss+goal", (swell, core, rng.uniform(1, 2), *goal))
    return out


def _line(
    rng: np.random.Generator,
    lines: tuple[str, ...],
    voice: str,
    at: float,
    length_of: PhraseLength,
    level: float,
) -> Cue:
    text = lines[int(rng.integers(len(lines)))]
    return Cue(at, "speech", level, length_of(text, voice), text, voice)


def _ad_break(
    rng: np.random.Generator, at: float, end: float, length_of: PhraseLength
) -> list[Cue]:
    """Spots of 10-20 s, each its own jingle with a voice-over line, at the break's loudness.

    The levels come from a side stream keyed on the break's start, so the rest of the script
    (every other draw from ``rng``) is what it was before levels were drawn.
    """
    levels = np.random.default_rng([round(at * 1000), 128])
    hot = levels.uniform(*AD_LEVEL)
    cues = []
    spot = at
    while spot < end - 1e-6:
        spot_end = min(spot + rng.uniform(10, 20), end)
        if end - spot_end < 6:
            spot_end = end
        level = float(hot + levels.uniform(-1.5, 1.5))
        cues.append(Cue(spot, "advert", level, spot_end - spot))
        line = _line(rng, ADS, "advert", spot + rng.uniform(1.0, 3.0), length_of, level + 1.0)
        if line.end_s < spot_end - 0.5:
            cues.append(line)
        spot = spot_end
    return cues


def _points(
    points: list[tuple[float, float]], duration_s: float
) -> tuple[tuple[float, float], ...]:
    pts = sorted(points)
    if pts[-1][0] < duration_s:
        pts.append((duration_s, pts[-1][1] if pts[-1][1] > OFF_DB else 0.0))
    return tuple((round(t, 4), g) for t, g in pts)
