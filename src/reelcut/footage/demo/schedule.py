"""Studio A's schedule: lay out a broadcast, which events happen when, what is heard, what the camera shows.

Deterministic from the seed. Events are packed with random gaps; the sounds they make are kept
as short waveforms placed on the timeline (mixed later, chunk by chunk), and the crowd or room
bed follows a gain curve that the events shape (a goal swells it, an ad break silences it).

Sports levels, and why. The match is a crowd murmur (-32 dBFS) under calm commentary (-27); live
play integrates to about -20.5 LUFS (``LIVE_LUFS``) and a goal roar (+14 dB on the murmur, with
shouted commentary) peaks about 9 LU above that in short-term (3 s) loudness. What else is loud
in a real broadcast, and is drawn here from a range rather than set below the goals:

* ad breaks: spots of 10-20 s, each a jingle with a voice-over, mastered separately. Broadcast
  rules (EBU R 128 and its short-form supplement, ATSC A/85) put an ad's integrated loudness at
  the programme's and let its short-term loudness run 5 LU above; ads mastered for peak level
  only, or aired where loudness is not enforced, run several LU hotter still, and live sport is
  often delivered under its target. So a break sits 0-8 LU above live play (drawn per break,
  +-1.5 LU per spot): from a compliant break to one as loud as the goal roars or louder. Ads are
  dense, so they hold that level for the whole break.
* the stadium PA, heard through the ambient mics: from the commentary's level to 10 dB above.
* a chanting stand: 5-10 dB over the murmur for 25-40 s, loud and steady, but under the goal
  roar (+14 dB for 5 s): a crowd is never louder than when its team scores.
* the referee's whistle: a 0.3-1 s tone at -19 to -13 dBFS, 8-14 dB over the commentary.

Close events (``close=True``; off, the layout is exactly what it was before the option): real
broadcasts put strong moments seconds apart, and a reel must show each. Sports turns its first
goal into two goals 9-13 s apart (one more goal) and its second into a near miss 5-8 s before
the goal; talk turns its first laugh into a punchline, the laugh and applause 1-3 s after it,
its second into two punchlines each with its laugh; gaming turns its first fight into two,
11-14 s apart. Each event keeps its own truth entry; where two meet, the first one's fall-off
ends where the next one's build-up starts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from reelcut.footage.demo import sounds
from reelcut.footage.truth import TruthEvent

CALM_LINES = [
    "He plays it out to the left.",
    "A patient spell of possession here.",
    "The defence holds its shape.",
    "Nothing much happening in midfield.",
    "They are keeping the ball well.",
    "A long throw towards the box.",
    "Good control from the captain.",
    "The pace of the game has dropped.",
]
TALK_LINES = [
    "So I wanted to talk about something today.",
    "That is a really good point actually.",
    "Let me think about that for a second.",
    "We tried this last year and it worked.",
    "I am not sure everybody agrees with that.",
    "Anyway, moving on to the next topic.",
    "The numbers tell an interesting story.",
    "Here is what I learned from it.",
]


PUNCHLINES = [
    "And that is why my cat is no longer allowed on planes.",
    "Turns out the manual was upside down the whole time.",
    "So I said, that is not a dog, that is my uncle.",
    "Three hours later, the printer was still winning.",
]


AD_LINES = [
    "Fresh, fast and full of flavour. Try it today!",
    "New and improved. Available in all good stores.",
    "Drive further for less. Visit your dealer now!",
    "Sign up today and get your first month free!",
]

# Sports levels (see the module docstring). LU are loudness units (BS.1770), dB are RMS dBFS.
LIVE_LUFS = -20.5  # what live play (no ads) integrates to in this mix, measured on the clips
AD_OVER_LIVE_LU = (0.0, 8.0)  # an ad break's loudness over live play, drawn per break
AD_VOICE_OVER_LU = 2.0  # a spot's voice-over over its jingle
CHANT_DB = (5.0, 10.0)  # a chanting stand over the murmur (the goal roar: +14)
PA_DB = (-25.0, -17.0)  # stadium PA through the ambient mics (calm commentary: -27)
WHISTLE_DB = (-19.0, -13.0)  # the referee's whistle
# Close events (``close=True``), as real broadcasts have them and a reel must still show each one.
PAIR_GAP_S = (9.0, 13.0)  # goal after goal: kick to kick
CHANCE_LEAD_S = (5.0, 8.0)  # a near miss, then the goal this many seconds later
CHEER_GAP_S = (1.0, 3.0)  # talk: applause this long after the laugh ends (two cheers, one rally)
ACTION_GAP_S = (11.0, 14.0)  # gaming: one fight straight after another, start to start


@dataclass(frozen=True, slots=True)
class Sound:
    start_s: float
    samples: np.ndarray  # mono float32 at sounds.RATE, already at its level


@dataclass(frozen=True, slots=True)
class Shot:
    start_s: float
    end_s: float
    look: str  # wide, close, ad, studio, audience, menu, game
    speed: float  # camera pan in frame widths per second


@dataclass(slots=True)
class Plan:
    genre: str
    duration_s: float
    bed: str  # crowd, room, game
    bed_db: float
    use_espeak: bool = True  # False: a speech-like stand-in instead of espeak-ng
    bed_points: list[tuple[float, float]] = field(default_factory=list)  # (s, dB change)
    sounds: list[Sound] = field(default_factory=list)
    events: list[TruthEvent] = field(default_factory=list)
    shots: list[Shot] = field(default_factory=list)
    utterances: list[tuple[float, float]] = field(default_factory=list)

    def say(
        self,
        rng: np.random.Generator,
        t: float,
        text: str,
        level_db: float,
        pitch: int = 45,
        speed: int = 165,
        pa: bool = False,
    ) -> float:
        """Add a phrase at ``t``; returns when it ends."""
        x = sounds.speech(rng, text, pitch, speed, self.use_espeak)
        if pa:
            x = sounds.echo(x)
        x = sounds.at_level(x, level_db)
        if t + len(x) / sounds.RATE > self.duration_s:
            return t
        self.sounds.append(Sound(t, x))
        end = t + len(x) / sounds.RATE
        self.utterances.append((round(t, 3), round(end, 3)))
        return end

    def place(self, t: float, x: np.ndarray) -> None:
        """Add a sound already at its level."""
        if t + len(x) / sounds.RATE <= self.duration_s:
            self.sounds.append(Sound(t, x.astype(np.float32)))

    def add(self, t: float, x: np.ndarray, level_db: float) -> None:
        if t + len(x) / sounds.RATE <= self.duration_s:
            self.sounds.append(Sound(t, sounds.at_level(x, level_db)))


def _pack(
    rng: np.random.Generator, duration: float, spans: list[tuple[str, float]], margin: float = 8.0
) -> list[tuple[str, float]]:
    """Random start times for events of given lengths, in a shuffled order, never overlapping."""
    order = list(rng.permutation(len(spans)))
    items = [spans[i] for i in order]
    free = duration - sum(length for _, length in items) - 2 * margin
    if free < len(items) * 6:
        raise ValueError("footage too short for its events")
    gaps = rng.dirichlet(np.ones(len(items) + 1)) * free
    out, t = [], margin
    for (kind, length), gap in zip(items, gaps[:-1], strict=True):
        t += max(gap, 6.0) if free > len(items) * 6 else gap
        out.append((kind, t))
        t += length
    return out


def _regular_shots(
    plan: Plan, rng: np.random.Generator, a: float, b: float, looks: list[str], speed: float
) -> None:
    t = a
    while t < b - 0.5:
        end = min(b, t + rng.uniform(6, 15))
        if b - end < 3:
            end = b
        plan.shots.append(
            Shot(t, end, looks[int(rng.integers(len(looks)))], speed * rng.uniform(0.5, 1.5))
        )
        t = end


def _fill_shots(plan: Plan, rng: np.random.Generator, looks: list[str], speed: float) -> None:
    fixed = sorted(plan.shots, key=lambda s: s.start_s)
    plan.shots = []
    t = 0.0
    for s in fixed:
        if s.start_s > t:
            _regular_shots(plan, rng, t, s.start_s, looks, speed)
        plan.shots.append(s)
        t = s.end_s
    _regular_shots(plan, rng, t, plan.duration_s, looks, speed)


def _commentary(
    plan: Plan,
    rng: np.random.Generator,
    lines: list[str],
    level: float,
    busy: list[tuple[float, float]],
    gap: tuple[float, float] = (2.0, 6.0),
    lead: float = 4.0,
) -> None:
    """Fill the time outside ``busy`` spans with calm lines; none starts within ``lead`` s of one."""
    t = rng.uniform(1, 4)
    while t < plan.duration_s - 5:
        if any(a - lead < t < b for a, b in busy):
            t = min(b for a, b in busy if a - lead < t < b) + rng.uniform(0.3, 1.5)
            continue
        end = plan.say(rng, t, lines[int(rng.integers(len(lines)))], level + rng.uniform(-1.5, 1.5))
        t = max(end, t + 1) + rng.uniform(*gap)


def sports(
    rng: np.random.Generator, duration: float, use_espeak: bool = True, close: bool = False
) -> Plan:
    p = Plan("sports", duration, "crowd", -32.0, use_espeak)
    minutes = duration / 60
    spans = [("goal", 24.0)] * max(1, round(minutes / 2.5)) + [("near_miss", 11.0)] * round(
        minutes / 3
    )
    if close:  # goal after goal (an extra goal), and a chance seconds before a goal
        pair_gap, chance_lead = float(rng.uniform(*PAIR_GAP_S)), float(rng.uniform(*CHANCE_LEAD_S))
        spans[0] = ("goal_pair", 24.0 + pair_gap)
        if len(spans) > 1 and spans[1][0] == "goal":
            spans[1] = ("chance_goal", 21.0 + chance_lead)
    spans += [("ad_break", float(rng.uniform(20, 45)))] * (
        max(1, round(minutes / 12)) if minutes >= 3 else 0
    )
    spans += [("announcement", 9.0)] * max(1 if minutes >= 2 else 0, round(minutes / 5))
    spans += [("chant", float(rng.uniform(25, 40)))] * (
        max(1, round(minutes / 10)) if minutes >= 4 else 0
    )
    spans += [("whistle", 1.0)] * max(1, round(minutes))
    busy: list[tuple[float, float]] = []
    p.bed_points = [(0.0, 0.0)]
    for kind, t in _pack(rng, duration, spans):
        if kind == "goal":  # kick at t+8: build-up before, roar after
            g = t + 8
            p.bed_points += _goal(p, rng, g, g - 8, g + 15)
            busy.append((g - 8, g + 15))
        elif kind == "goal_pair":  # the second kick ``pair_gap`` s after the first
            g1, g2 = t + 8, t + 8 + pair_gap
            mid = (g1 + 5 + g2 - 1) / 2
            p.bed_points += _swell(
                [_goal(p, rng, g1, g1 - 8, mid), _goal(p, rng, g2, mid, g2 + 15)]
            )
            busy.append((g1 - 8, g2 + 15))
        elif kind == "chance_goal":  # a near miss, and ``chance_lead`` s later the goal
            n = t + 5
            g = n + chance_lead
            mid = (n + 3 + g - 1) / 2
            p.bed_points += _swell(
                [_near_miss(p, rng, n, n - 4, mid), _goal(p, rng, g, mid, g + 15)]
            )
            busy.append((n - 4, g + 15))
        elif kind == "near_miss":
            n = t + 5
            p.bed_points += _near_miss(p, rng, n, n - 4, n + 6)
            busy.append((n - 4, n + 6))
        elif kind == "ad_break":
            length = next(length for k, length in spans if k == "ad_break")
            p.bed_points += [(t - 0.1, 0), (t, -40), (t + length, -40), (t + length + 0.1, 0)]
            _ad_break(p, rng, t, length)
            p.events.append(TruthEvent("ad_break", t, t + length, t, t + length, 0))
            p.shots.append(Shot(t, t + length, "ad", 0.05))
            busy.append((t, t + length))
        elif kind == "announcement":
            pa_db = float(rng.uniform(*PA_DB))
            end = p.say(
                rng,
                t + 0.5,
                "Ladies and gentlemen, welcome to the stadium.",
                pa_db,
                pitch=40,
                pa=True,
            )
            p.say(rng, end + 0.5, "Please keep the exits clear.", pa_db, pitch=40, pa=True)
            p.events.append(TruthEvent("announcement", t, t + 9, t, t + 9, 0))
            busy.append((t, t + 9))
        elif kind == "chant":
            length = next(length for k, length in spans if k == "chant")
            c = sounds.crowd(rng, length) * (
                0.55
                + 0.45
                * np.sin(2 * np.pi * 1.0 * np.arange(int(length * sounds.RATE)) / sounds.RATE)
            ).astype(np.float32)
            p.add(t, c + 0.3 * sounds.claps(rng, length, 15), p.bed_db + rng.uniform(*CHANT_DB))
            p.events.append(TruthEvent("chant", t, t + length, t, t + length, 0))
        elif kind == "whistle":
            w = float(rng.uniform(0.3, 1.0))
            p.add(t, sounds.whistle(rng, w), float(rng.uniform(*WHISTLE_DB)))
            p.events.append(TruthEvent("whistle", t, t + w, t, t + w, 0))
    p.bed_points.sort()
    _commentary(p, rng, CALM_LINES, -27, busy)
    _fill_shots(p, rng, ["wide", "wide", "close"], 0.08)
    return p


def _goal(
    p: Plan, rng: np.random.Generator, g: float, start_s: float, end_s: float
) -> list[tuple[float, float]]:
    """A goal kicked at ``g`` (its truth spans [start_s, end_s]); returns the crowd's swell."""
    p.events.append(TruthEvent("goal", start_s, end_s, g - 1, g + 5, 2))
    _shots_after(p, [Shot(g - 4, g + 1, "wide", 0.9), Shot(g + 1, g + 7, "close", 0.25)])
    end = p.say(rng, g - 0.5, "Goal! What a goal!", -19, pitch=85, speed=210)
    p.say(rng, end + 0.4, "Unbelievable! He scores!", -20, pitch=80, speed=200)
    return [(g - 7, 0), (g - 1, 7), (g + 1, 14), (g + 5, 14), (g + 15, 0)]


def _near_miss(
    p: Plan, rng: np.random.Generator, n: float, start_s: float, end_s: float
) -> list[tuple[float, float]]:
    """A shot that just misses at ``n``; returns the crowd's swell."""
    p.events.append(TruthEvent("near_miss", start_s, end_s, n - 1, n + 3, 1))
    _shots_after(p, [Shot(n - 3, n + 2, "wide", 0.6)])
    p.say(rng, n, "Oh, so close!", -22, pitch=65, speed=190)
    return [(n - 3, 0), (n, 7), (n + 2, 7), (n + 6, 0)]


def _shots_after(p: Plan, shots: list[Shot]) -> None:
    """Add shots, each starting no earlier than the last fixed shot ends (close events overlap)."""
    for s in shots:
        start = max(s.start_s, p.shots[-1].end_s if p.shots else 0.0)
        if s.end_s - start > 0.5:
            p.shots.append(Shot(start, s.end_s, s.look, s.speed))


def _swell(curves: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """Crowd swells of events close together, heard as one: the louder of them at every moment.

    Bed points are interpolated in time order, so two events' points mixed together would dip
    to the murmur between them; the combined curve is sampled every 0.25 s instead.
    """
    corners = {x for c in curves for x, _ in c}
    xs = sorted(corners | set(np.arange(min(corners), max(corners), 0.25).tolist()))
    level = np.max(
        [np.interp(xs, [x for x, _ in c], [y for _, y in c], left=0.0, right=0.0) for c in curves],
        axis=0,
    )
    return [(float(x), float(y)) for x, y in zip(xs, level, strict=True)]


def _ad_break(p: Plan, rng: np.random.Generator, t: float, length: float) -> None:
    """Spots of 10-20 s back to back, each its own jingle and voice-over, mastered on its own.

    The break's loudness over live play is drawn once (the channel's practice), each spot's
    within 1.5 LU of it (each came from a different agency).
    """
    hot = float(rng.uniform(*AD_OVER_LIVE_LU))
    a, end = t, t + length
    while a < end - 1e-6:
        b = min(a + float(rng.choice([10.0, 15.0, 20.0])), end)
        if end - b < 6:
            b = end
        x = sounds.music(rng, b - a, bpm=float(rng.uniform(90, 140)))
        x = sounds.at_loudness(x, 0.0)
        vo_at = float(rng.uniform(0.8, 2.5))
        vo = sounds.speech(
            rng,
            AD_LINES[int(rng.integers(len(AD_LINES)))],
            int(rng.integers(35, 75)),
            180,
            p.use_espeak,
        )
        vo = sounds.at_loudness(vo, AD_VOICE_OVER_LU)
        i = int(vo_at * sounds.RATE)
        if i + len(vo) < len(x):
            x[i : i + len(vo)] += vo
            p.utterances.append((round(a + vo_at, 3), round(a + vo_at + len(vo) / sounds.RATE, 3)))
        p.place(a, sounds.at_loudness(x, LIVE_LUFS + hot + float(rng.uniform(-1.5, 1.5))))
        a = b


def talk(
    rng: np.random.Generator, duration: float, use_espeak: bool = True, close: bool = False
) -> Plan:
    p = Plan("talk", duration, "room", -58.0, use_espeak)
    minutes = duration / 60
    spans = [("laughter", 5.0)] * max(1, round(minutes / 2)) + [("applause", 7.0)] * max(
        1, round(minutes / 4)
    )
    if close:  # a punchline, its laugh and the applause after it; two laughs in a row
        spans[0] = ("rally", 18.0)
        if spans[1][0] == "laughter":
            spans[1] = ("double_laugh", 20.0)
    spans += [("argument", 12.0)] * max(1 if minutes >= 3 else 0, round(minutes / 6))
    spans += [("silence", 6.0)] * max(1, round(minutes / 3))
    busy = []
    for kind, t in _pack(rng, duration, spans):
        if kind == "laughter":
            _laugh(p, rng, t + 0.5, t)
        elif kind == "applause":
            _applause(p, rng, t + 0.5, t)
        elif kind == "rally":
            said = p.say(rng, t, PUNCHLINES[int(rng.integers(len(PUNCHLINES)))], -22, pitch=55)
            laughed = _laugh(p, rng, said + 0.3, t)
            clap = laughed + float(rng.uniform(*CHEER_GAP_S))
            _cut_short(p, -1, (laughed + clap) / 2)
            _applause(p, rng, clap, (laughed + clap) / 2)
        elif kind == "double_laugh":
            said = p.say(rng, t, PUNCHLINES[int(rng.integers(len(PUNCHLINES)))], -22, pitch=55)
            laughed = _laugh(p, rng, said + 0.3, t)
            again = laughed + 0.3
            _cut_short(p, -1, again)
            said = p.say(rng, again, "And that was not even the worst part.", -22, pitch=55)
            _laugh(p, rng, said + 0.3, again)
        elif kind == "argument":
            e = t
            for line in (
                "No, that is completely wrong!",
                "You never listen to me!",
                "This is ridiculous!",
            ):
                e = p.say(rng, e + 0.3, line, -18, pitch=78, speed=200)
            p.events.append(TruthEvent("argument", t, max(e, t + 4), t, max(e, t + 4), 1))
        elif kind == "silence":
            p.events.append(TruthEvent("silence", t, t + 6, t, t + 6, 0))
        busy.append((t, p.events[-1].end_s))
    _commentary(p, rng, TALK_LINES, -25, busy, gap=(0.2, 0.8), lead=1.5)
    _fill_shots(p, rng, ["studio", "studio2"], 0.0)
    return p


def _laugh(p: Plan, rng: np.random.Generator, at: float, start_s: float) -> float:
    """The audience laughs from ``at`` (its truth starts at ``start_s``); returns when it stops."""
    length = float(rng.uniform(2.5, 4.5))
    p.add(at, sounds.laughter(rng, length), -17)
    p.add(
        at + 0.3,
        sounds.crowd(rng, length) * np.hanning(int(length * sounds.RATE)).astype(np.float32),
        -24,
    )
    p.events.append(TruthEvent("laughter", start_s, at + length + 1.0, at, at + length, 2))
    _shots_after(p, [Shot(at, at + length + 0.5, "audience", 0.15)])
    return at + length


def _applause(p: Plan, rng: np.random.Generator, at: float, start_s: float) -> float:
    """The audience claps from ``at`` (its truth starts at ``start_s``); returns when it stops."""
    length = float(rng.uniform(4, 6.5))
    env = sounds.envelope(
        int(length * sounds.RATE), [(0, -12), (0.6, 0), (length - 1.2, 0), (length, -20)]
    )
    p.add(at, sounds.claps(rng, length) * env, -15)
    p.events.append(TruthEvent("applause", start_s, at + length + 0.5, at, at + length, 2))
    _shots_after(p, [Shot(at, at + length, "audience", 0.1)])
    return at + length


def _cut_short(p: Plan, index: int, end_s: float) -> None:
    """End event ``index``'s truth at ``end_s``: the next event's build-up starts there."""
    e = p.events[index]
    p.events[index] = TruthEvent(e.kind, e.start_s, end_s, e.core_start_s, e.core_end_s, e.grade)


def gaming(
    rng: np.random.Generator, duration: float, use_espeak: bool = True, close: bool = False
) -> Plan:
    p = Plan("gaming", duration, "game", -36.0, use_espeak)
    minutes = duration / 60
    spans = [("action", 15.0)] * max(1, round(minutes / 2)) + [
        ("menu", float(rng.uniform(25, 45)))
    ] * max(1, round(minutes / 4))
    if close:  # one fight straight after another
        pair_gap = float(rng.uniform(*ACTION_GAP_S))
        spans[0] = ("action_pair", 15.0 + pair_gap)
    busy = []
    for kind, t in _pack(rng, duration, spans):
        if kind == "action":
            _action(p, rng, t, t + 15)
            busy.append((t, t + 15))
        elif kind == "action_pair":
            mid = (t + 10 + t + pair_gap + 2) / 2
            _action(p, rng, t, mid)
            _action(p, rng, t + pair_gap, t + pair_gap + 15, start_s=mid)
            busy.append((t, t + pair_gap + 15))
        else:
            length = next(length for k, length in spans if k == "menu")
            p.bed_points += [(t - 0.1, 0), (t, -30), (t + length, -30), (t + length + 0.1, 0)]
            p.add(t, sounds.music(rng, length, bpm=80, soft=True), -30)
            p.events.append(TruthEvent("menu", t, t + length, t, t + length, 0))
            p.shots.append(Shot(t, t + length, "menu", 0.0))
            busy.append((t, t + length))
    p.bed_points = sorted(p.bed_points) or [(0.0, 0.0)]
    _commentary(
        p,
        rng,
        [
            "Okay let us go this way.",
            "I need some more ammo.",
            "Where is everyone?",
            "This map is pretty quiet.",
        ],
        -27,
        busy,
        gap=(3, 8),
    )
    _fill_shots(p, rng, ["game"], 0.1)
    return p


def _action(
    p: Plan, rng: np.random.Generator, t: float, end_s: float, start_s: float | None = None
) -> None:
    """A fight from ``t`` (explosions from t+2, shouts from t+3); its truth ends at ``end_s``."""
    for k in range(5):
        p.add(t + 2 + k * rng.uniform(1.5, 2.5), sounds.explosion(rng, 1.2), -15)
    e = p.say(rng, t + 3, "Yes! Get him! Oh my god!", -18, pitch=85, speed=220)
    p.say(rng, e + 0.5, "Did you see that? Insane!", -19, pitch=80, speed=210)
    p.events.append(
        TruthEvent("action", t if start_s is None else start_s, end_s, t + 2, t + 10, 2)
    )
    _shots_after(p, [Shot(t + 1, t + 13, "game", 0.9)])


GENRES = {"sports": sports, "talk": talk, "gaming": gaming}
