"""What happens when in a blind-generator clip: events, their sounds, their shots.

Levels are dBFS RMS of each whole sound (``at_db``), set against the genre's speech level
``ref``. Written without reading the detector (``analysis/``) or the selection; the shapes and
levels are picked to differ from the demo and cross-check generators rather than to be easy:

* sports: goals erupt with no build-up (a counter-attack), +7..11 dB over the crowd, with tonal
  horns joining; a music billboard (ads) 2-12 dB over the commentary; a horn-and-song chant; a
  PA announcement greeted by a cheer; whistles in threes.
* talk: laughs from 1.5 s to 9 s (heavy tailed), 0-7 dB over speech, voiced; claps that swell;
  a sponsor read over music; a kettle and a phone (household noise, grade 0).
* gaming: the highlight is a boss fight (thuds, shouting, a fanfare at the win), against a
  music bed; a loud cinematic cutscene (grade 0) and a mid-roll ad are the distractors.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from reelcut.footage.truth import TruthEvent

from . import sound as snd

CALM = {
    "sports": (
        "Possession kept in the middle of the park.",
        "A quiet spell, both sides waiting.",
        "Back to the keeper, and start again.",
        "He looks up, nothing on, plays it square.",
        "A throw in, deep in their own half.",
        "The tempo has dropped a little now.",
    ),
    "talk": (
        "So that is roughly what happened last week.",
        "I was reading something about this yesterday.",
        "It depends who you ask, honestly.",
        "Let me give you the short version.",
        "We should get back to the listener questions.",
        "That reminds me of a story, actually.",
    ),
    "gaming": (
        "Okay, let me grab these supplies first.",
        "I think the door is on the other side.",
        "Chat says go north, so we go north.",
        "Inventory is getting full again.",
        "This bit is just walking, sorry.",
        "Hold on, where did that path go.",
    ),
}
PUNCH = (
    "And the goat ate the wedding cake.",
    "He was the pilot. Of the submarine.",
    "So now the cat owns the house.",
    "The instructions were in French. Both of them.",
)
SHOUT = ("Goal! Goal! Goal!", "What a finish!", "He has done it!", "Into the top corner!")
BOSS = ("Come on, come on!", "Dodge, dodge!", "He is almost down!", "Yes! Got him!")
RAISED = ("That is not what I said!", "No, listen to me!", "You always do this!", "Oh please!")


@dataclass
class Shot:
    start_s: float
    end_s: float
    look: int
    speed: float  # pixels of the base picture per second the camera pans


@dataclass
class Plan:
    genre: str
    duration_s: float
    rng: np.random.Generator
    use_espeak: bool
    ref: float
    audio: np.ndarray = field(init=False)
    events: list[TruthEvent] = field(default_factory=list)
    utterances: list[tuple[float, float]] = field(default_factory=list)
    shots: list[Shot] = field(default_factory=list)
    busy: list[tuple[float, float]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.audio = np.zeros(snd.n_of(self.duration_s), np.float32)

    def put(self, at: float, x: np.ndarray, db: float) -> float:
        """Mix ``x`` in at ``at`` seconds, scaled to ``db``; returns where it ends."""
        a = snd.n_of(max(at, 0.0))
        piece = snd.at_db(x, db)[: max(len(self.audio) - a, 0)]
        self.audio[a : a + len(piece)] += piece
        return at + len(x) / snd.RATE

    def say(
        self,
        at: float,
        text: str,
        db: float,
        pitch: int = 45,
        wpm: int = 165,
        before: float | None = None,
    ) -> float:
        """Speak ``text`` at ``at``; nothing (returns ``at``) if it would not end by ``before``."""
        x = snd.speech(self.rng, text, "en-us", pitch, wpm, self.use_espeak)
        if before is not None and at + len(x) / snd.RATE > before:
            return at
        end = min(self.put(at, x, db), self.duration_s)
        self.utterances.append((round(at, 3), round(end, 3)))
        return end

    def event(self, kind: str, start: float, end: float, core: tuple[float, float], grade: int):
        r = lambda x: round(float(np.clip(x, 0, self.duration_s)), 3)  # noqa: E731
        self.events.append(TruthEvent(kind, r(start), r(end), r(core[0]), r(core[1]), grade))
        self.busy.append((start, end))

    def shot(self, start: float, end: float, look: int, speed: float) -> None:
        self.shots.append(Shot(start, end, look, speed))


def layout(
    rng: np.random.Generator, duration_s: float, items: list[tuple[str, float]]
) -> list[tuple[str, float, float]]:
    """Place (kind, length) items in a random order, at least 5 s apart and 3 s from the ends.

    Items are listed most important first; the last ones are dropped until the rest fit.
    """
    kept = list(items)
    while kept and sum(x for _, x in kept) + 5 * (len(kept) - 1) + 6 > duration_s:
        kept.pop()
    spare = duration_s - sum(x for _, x in kept) - 5 * max(len(kept) - 1, 0) - 6
    gaps = rng.dirichlet(np.ones(len(kept) + 1)) * spare
    at, placed = 3 + gaps[0], []
    for k, i in enumerate(rng.permutation(len(kept))):
        kind, length = kept[i]
        placed.append((kind, float(at), float(at + length)))
        at += length + 5 + gaps[k + 1]
    return placed


def fill(p: Plan, pitch: int, looks: tuple[int, ...]) -> None:
    """Calm talk and ordinary shots wherever no event is."""
    t, lines = 0.5, CALM[p.genre]
    spans = sorted(p.busy)
    for a, b in [*spans, (p.duration_s, p.duration_s)]:
        while t < a - 3.0:
            end = p.say(t, lines[int(p.rng.integers(len(lines)))], p.ref, pitch, before=a - 0.5)
            if end == t:
                break
            t = end + float(p.rng.uniform(0.6, 3.0))
        t = max(t, b + 0.8)
    t = 0.0
    for a, b in [*sorted((s.start_s, s.end_s) for s in p.shots), (p.duration_s, p.duration_s)]:
        while t < a - 0.5:
            end = min(t + float(p.rng.uniform(4, 12)), a)
            p.shot(t, end, int(p.rng.choice(looks)), float(p.rng.uniform(5, 40)))
            t = end
        t = max(t, b)


def sports(p: Plan, close: bool) -> None:
    rng, minutes, bed = p.rng, p.duration_s / 60, p.ref - 8
    p.put(0, snd.crowd(rng, p.duration_s), bed)
    items = [("goal", 15.0)] * max(1, round(minutes / 2.2))
    if close:
        items.insert(0, ("goal_pair", 24.0))
    items += [("near_miss", 6.0)] * round(minutes / 2.5)
    items += [("ad_break", float(rng.uniform(15, 25)))] * (1 if minutes >= 1.5 else 0)
    items += [("whistle", 4.0)] * max(1, round(minutes))
    items += [("chant", float(rng.uniform(15, 25)))] * (1 if minutes >= 2 else 0)
    items += [("announcement", 9.0)] * round(minutes / 3)
    for kind, a, b in layout(rng, p.duration_s, items):
        if kind in ("goal", "goal_pair"):
            kicks = [a + 3] if kind == "goal" else [a + 3, a + 3 + float(rng.uniform(7, 10))]
            start = a
            for i, k in enumerate(kicks):
                stop = kicks[i + 1] - 2 if i + 1 < len(kicks) else b
                roar = snd.fade(snd.crowd(rng, stop - k), 0.6, 3.0)
                p.put(k, roar, bed + float(rng.uniform(7, 11)))
                p.put(k + 1, snd.fade(snd.horns(rng, min(8.0, stop - k - 1)), 1, 2), bed + 4)
                end = p.say(k + 0.3, SHOUT[int(rng.integers(4))], p.ref + 6, 80, 210)
                p.say(end + 0.3, SHOUT[int(rng.integers(4))], p.ref + 4, 75, 200)
                p.event("goal", start, stop, (k, k + 4), 2)
                p.shot(start, k + 2, 0, 300.0)
                start = stop
                p.shot(k + 2, min(k + 8, stop), 1, 60.0)
                if k + 8 < stop:
                    p.shot(k + 8, stop, 2, 20.0)
        elif kind == "near_miss":
            k = a + 2
            p.put(k, snd.fade(snd.crowd(rng, 3.0), 0.5, 1.5), bed + 5)
            p.say(k + 0.2, "Oh! Just wide!", p.ref + 3, 65, 190)
            p.event("near_miss", a, b, (k, k + 2), 1)
            p.shot(a, b, 0, 200.0)
        elif kind == "ad_break":
            p.audio[snd.n_of(a) : snd.n_of(b)] *= 0.05  # the match sound goes under
            p.put(a, snd.fade(snd.music(rng, b - a, rng.uniform(110, 130)), 0.3, 0.5),
                  p.ref + float(rng.uniform(2, 12)))  # fmt: skip
            p.say(a + 2, "This match is brought to you by Fizz. Taste the fizz.", p.ref + 3)
            p.event("ad_break", a, b, (a, b), 0)
            for s in np.arange(a, b, 2.5):
                p.shot(s, min(s + 2.5, b), int(rng.integers(3, 6)), 150.0)
        elif kind == "whistle":
            for s in (a + 0.5, a + 1.6, a + 2.7):
                p.put(s, snd.band(rng, 0.6, 2800, 3400), p.ref + 2)  # a pea whistle
            p.event("whistle", a, b, (a, b), 0)
        elif kind == "chant":
            p.put(a, snd.fade(snd.horns(rng, b - a), 1, 1), bed + float(rng.uniform(4, 9)))
            p.event("chant", a, b, (a, b), 0)
            p.shot(a, b, 2, 10.0)
        elif kind == "announcement":
            p.say(a + 0.5, "Substitution for the home side, number nine.", p.ref + 2, 30, 150)
            p.put(a + 5, snd.fade(snd.crowd(rng, 3.5), 0.3, 1.5), bed + 6)
            p.event("announcement", a, b, (a, b), 0)
            p.shot(a, b, 2, 15.0)
    fill(p, 45, (0, 1, 2))


def talk(p: Plan, close: bool) -> None:
    rng, minutes = p.rng, p.duration_s / 60
    p.put(0, snd.band(rng, p.duration_s, 60, 400), p.ref - 40)
    laughs = [float(min(1.5 + rng.exponential(2.0), 9.0)) for _ in range(max(1, round(minutes)))]
    items = [("laughter", 4.0 + x) for x in laughs]
    if close:
        items.insert(0, ("laugh_clap", 13.0))
    items += [("applause", float(rng.uniform(4, 10)))] * max(1, round(minutes / 3))
    items += [("argument", float(rng.uniform(10, 16)))] * round(minutes / 3)
    items += [("ad_break", float(rng.uniform(20, 30)))] * (1 if minutes >= 1.5 else 0)
    items += [("whistle", float(rng.uniform(4, 8)))] * round(minutes / 2)
    items += [("phone", float(rng.uniform(6, 12)))] * round(minutes / 2.5)
    for kind, a, b in layout(rng, p.duration_s, items):
        if kind in ("laughter", "laugh_clap"):
            said = p.say(a, PUNCH[int(rng.integers(4))], p.ref, 50)
            stop = b if kind == "laughter" else said + 0.2 + 4.0
            x = snd.laugh_wash(rng, stop - said - 0.2, int(rng.integers(6, 15)))
            p.put(said + 0.2, x, p.ref + float(rng.uniform(0, 7)))
            p.event("laughter", a, min(stop + 0.7, b), (said + 0.2, stop), 2)
            p.shot(said + 0.2, stop, 3, 8.0)
            if kind == "laugh_clap":
                c = min(stop + 0.7, b)
                p.put(c, snd.claps(rng, b - c, (15, 50)), p.ref + float(rng.uniform(2, 9)))
                p.event("applause", c, b, (c, b), 2)
                p.shot(c, b, 3, 12.0)
        elif kind == "applause":
            p.put(a + 1, snd.claps(rng, b - a - 1, (10, 60)), p.ref + float(rng.uniform(2, 9)))
            p.event("applause", a, b, (a + 1, min(a + 7, b)), 2)
            p.shot(a + 1, b, 3, 12.0)
        elif kind == "argument":
            t, who = a, 0
            while t < b - 2:
                t = p.say(t, RAISED[int(rng.integers(4))], p.ref + 5, 70 + 10 * who, 200) - 0.2
                who = 1 - who
            mid = (a + b) / 2
            p.event("argument", a, b, (mid - 2.5, mid + 2.5), 1)
            for s in np.arange(a, b, 2.0):
                p.shot(s, min(s + 2, b), int(s) % 2, 0.0)
        elif kind == "ad_break":
            p.put(a, snd.music(rng, b - a, rng.uniform(90, 120)), p.ref + float(rng.uniform(-4, 4)))
            p.say(a + 1.5, "Today's show is sponsored by Nap Co. Sleep better.", p.ref + 2)
            p.event("ad_break", a, b, (a, b), 0)
            p.shot(a, b, 4, 30.0)
        elif kind == "whistle":
            p.put(a, snd.fade(snd.kettle(rng, b - a), 1, 0.3), p.ref + float(rng.uniform(-3, 5)))
            p.event("whistle", a, b, (a, b), 0)
        elif kind == "phone":
            p.put(a, snd.phone(b - a), p.ref + float(rng.uniform(-2, 4)))
            p.event("phone", a, b, (a, b), 0)
    fill(p, 50, (0, 1, 2))


def gaming(p: Plan, close: bool) -> None:
    rng, minutes = p.rng, p.duration_s / 60
    bed = snd.music(rng, p.duration_s, 96)
    p.put(0, bed, p.ref - 8)
    items = [("action", float(rng.uniform(8, 14)))] * max(1, round(minutes / 1.5))
    if close:
        items.insert(0, ("action_pair", 22.0))
    items += [("cutscene", float(rng.uniform(15, 25)))] * max(1, round(minutes / 3))
    items += [("ad_break", float(rng.uniform(15, 30)))] * (1 if minutes >= 1.5 else 0)
    items += [("menu", float(rng.uniform(10, 20)))] * round(minutes / 2)
    for kind, a, b in layout(rng, p.duration_s, items):
        if kind in ("action", "action_pair"):
            spans = [(a, b)] if kind == "action" else [(a, a + 10), (a + 11, b)]
            for s, e in spans:
                p.put(
                    s,
                    snd.hits(rng, e - s, float(rng.uniform(3, 8))),
                    p.ref + float(rng.uniform(2, 8)),
                )
                t = s + 0.5
                while t < e - 3:
                    t = (
                        p.say(
                            t, BOSS[int(rng.integers(4))], p.ref + float(rng.uniform(5, 9)), 75, 210
                        )
                        + 0.4
                    )
                p.put(e - 2, snd.fanfare(2.0), p.ref + 4)
                p.event("action", s, e, (e - 5, e), 2)
                p.shot(s, e, 1, 250.0)
        elif kind == "cutscene":
            p.put(a, snd.fade(snd.music(rng, b - a, 70), 3, 2), p.ref + float(rng.uniform(3, 9)))
            p.put(a + (b - a) / 2, snd.hits(rng, 3, 3), p.ref + 6)
            p.event("cutscene", a, b, (a, b), 0)
            p.shot(a, b, 2, 120.0)
        elif kind == "ad_break":
            p.audio[snd.n_of(a) : snd.n_of(b)] *= 0.0
            p.put(a, snd.music(rng, b - a, 128), p.ref + float(rng.uniform(2, 10)))
            p.say(a + 1, "Level up your snacks with Crunch. Crunch, for gamers.", p.ref + 3)
            p.event("ad_break", a, b, (a, b), 0)
            for s in np.arange(a, b, 2.0):
                p.shot(s, min(s + 2, b), int(rng.integers(3, 6)), 200.0)
        elif kind == "menu":
            p.audio[snd.n_of(a) : snd.n_of(b)] *= 0.3
            p.event("menu", a, b, (a, b), 0)
            p.shot(a, b, 4, 0.0)
    fill(p, 40, (0, 0, 3))


GENRES = {"sports": sports, "talk": talk, "gaming": gaming}
REF_DB = {"sports": -27.0, "talk": -22.0, "gaming": -25.0}
