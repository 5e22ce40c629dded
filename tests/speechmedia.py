"""Talk footage made at test time: espeak-ng sentences with known times, over crowd or music.

Shared by the speech tests and bench/speech.py, so the numbers published and the bounds tested
come from the same clips. Sound is mono float32 at 48 kHz (the footage studios' rate); a clip is
a small testsrc2 picture with that sound as AAC, like a phone recording.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reelcut.media.ffmpeg import ffmpeg_exe

RATE = 48_000
SCRIPT = (
    "We scored a goal in the second half of the game.",
    "This is the best game of the season.",
    "The crowd is going wild tonight.",
    "Thank you for watching and see you next time.",
)
#: Chinese sentences (what is said, in characters) and the tone-numbered pinyin espeak-ng reads:
#: Debian's espeak-ng 1.51 ``cmn`` voice reads characters but speaks each tone digit in English
#: ("jin five five"), its ``cmn-latn-pinyin`` voice reads pinyin as Mandarin.
ZH_SCRIPT = (
    ("今天我们来谈谈火车旅行。", "jin1 tian1 wo3 men lai2 tan2 tan2 huo3 che1 lv3 xing2."),
    ("这趟旅程需要三天时间。", "zhe4 tang4 lv3 cheng2 xu1 yao4 san1 tian1 shi2 jian1."),
    ("窗外的风景非常美丽。", "chuang1 wai4 de feng1 jing3 fei1 chang2 mei3 li4."),
    ("我们在餐车里吃热饭。", "wo3 men zai4 can1 che1 li3 chi1 re4 fan4."),
)
ZH_VOICE = "cmn-latn-pinyin"


@dataclass(frozen=True, slots=True)
class Talk:
    """Speech samples and where each sentence is audible (ms)."""

    samples: np.ndarray
    sentences: tuple[str, ...]
    spans_ms: tuple[tuple[int, int], ...]

    @property
    def text(self) -> str:
        return " ".join(self.sentences)

    @property
    def duration_s(self) -> float:
        return self.samples.size / RATE


def have_espeak() -> bool:
    return shutil.which("espeak-ng") is not None


def say(sentence: str, voice: str = "en-us", wpm: int = 160) -> np.ndarray:
    """``sentence`` by espeak-ng, trimmed to what is audible."""
    from reelcut.footage.speech import espeak

    x = np.asarray(espeak(sentence, voice, 50, wpm), np.float32)
    loud = np.flatnonzero(np.abs(x) > 0.01)
    return x[loud[0] : loud[-1] + 1] if loud.size else x


def talk(
    sentences: tuple[str, ...] = SCRIPT,
    voice: str = "en-us",
    wpm: int = 160,
    lead_s: float = 0.6,
    gap_s: float = 1.5,
    voices: tuple[str, ...] | None = None,
    spoken: tuple[str, ...] | None = None,
) -> Talk:
    """The sentences one after another, ``gap_s`` of silence between, at -20 dBFS RMS.

    ``voices`` gives each sentence its own voice (mixed-language talk); ``spoken`` what espeak-ng
    reads for each (pinyin for Chinese) when it is not the sentence as written."""
    parts = [np.zeros(int(lead_s * RATE), np.float32)]
    spans: list[tuple[int, int]] = []
    for k, sentence in enumerate(sentences):
        x = say(
            spoken[k] if spoken else sentence, voices[k] if voices else voice, wpm
        )  # fmt: skip
        at = sum(p.size for p in parts)
        spans.append((round(at * 1000 / RATE), round((at + x.size) * 1000 / RATE)))
        parts += [x, np.zeros(int(gap_s * RATE), np.float32)]
    audio = np.concatenate(parts)
    voiced = np.concatenate([audio[a * RATE // 1000 : b * RATE // 1000] for a, b in spans])
    audio *= 0.1 / float(np.sqrt(np.mean(voiced.astype(np.float64) ** 2)))
    return Talk(audio.astype(np.float32), tuple(sentences), tuple(spans))


def background(kind: str, seconds: float, seed: int = 3) -> np.ndarray:
    """Sound without speech: ``crowd`` (stadium noise) or ``music`` (chords and a kick drum)."""
    from reelcut.footage.demo import sounds

    rng = np.random.default_rng(seed)
    if kind == "crowd":
        x = sounds.crowd(rng, seconds)
    elif kind == "music":
        x = sounds.music(rng, seconds)
    else:
        raise ValueError(kind)
    return sounds.at_level(x, -20.0)


def over(speech: Talk, noise: np.ndarray, snr_db: float) -> np.ndarray:
    """``speech`` with ``noise`` under it at ``snr_db`` (speech measured where it is audible)."""
    voiced = np.concatenate(
        [speech.samples[a * RATE // 1000 : b * RATE // 1000] for a, b in speech.spans_ms]
    )
    p_speech = float(np.mean(voiced.astype(np.float64) ** 2))
    bed = np.resize(noise, speech.samples.size).astype(np.float64)
    bed *= np.sqrt(p_speech / (float(np.mean(bed**2)) * 10 ** (snr_db / 10)))
    mixed = speech.samples + bed
    peak = float(np.max(np.abs(mixed))) or 1.0
    return (mixed / max(1.0, peak / 0.95)).astype(np.float32)


#: Where :func:`clip` keeps the clips it has encoded, named by what went in (tests/conftest.py
#: points it at a folder of the test run's own, which its xdist workers share); None (bench/
#: speech.py): every call encodes. Several test files encode the same lecture into the same
#: picture (topic search, topic chat, shorts: 90 s of AAC, ~2.5 s of CPU each time).
CLIP_CACHE: Path | None = None


def clip(path: Path, audio: np.ndarray, picture: str = "testsrc2=size=160x90:rate=10") -> Path:
    """``audio`` as the AAC track of a small H.264 clip (``picture``, a lavfi source) as long.

    With :data:`CLIP_CACHE` set, a clip of the same sound, picture and container is encoded once
    (under a file lock, whichever process asks first) and copied to ``path`` after that: the
    same bytes FFmpeg would write again (its encoders here are deterministic)."""
    pcm = (np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes()
    if CLIP_CACHE is None:
        return _encode(path, pcm, picture)
    key = hashlib.sha256(pcm + b"\0" + picture.encode() + b"\0" + path.suffix.encode())
    CLIP_CACHE.mkdir(parents=True, exist_ok=True)
    made = CLIP_CACHE / f"{key.hexdigest()}{path.suffix}"
    with open(CLIP_CACHE / f"{key.hexdigest()}.lock", "wb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not made.exists():
            part = made.with_name(f"part-{made.name}")
            os.replace(_encode(part, pcm, picture), made)
    shutil.copyfile(made, path)
    return path


def _encode(path: Path, pcm: bytes, picture: str) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        wav_path = Path(tmp) / "sound.wav"
        with wave.open(str(wav_path), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(RATE)
            wav.writeframes(pcm)
        seconds = len(pcm) / 2 / RATE
        cmd = [
            ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", f"{picture}:duration={seconds:.3f}",
            "-i", str(wav_path),
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "96k", "-shortest", str(path),
        ]  # fmt: skip
        subprocess.run(cmd, check=True, capture_output=True)
    return path


#: A talk in four topics; each sentence is said in two parts with a pause inside it longer than
#: the pause between sentences, so a cut that only looks for pauses lands inside sentences.
LECTURE: tuple[tuple[str, ...], ...] = (
    ("Last weekend our team played", "the final match of the football season."),
    ("The striker scored two goals", "in the last ten minutes of the game."),
    ("Why did the coach change", "the whole defence at half time?"),
    ("He wanted more speed on the wings", "because the other team was tired."),
    ("My grandmother taught me how to bake", "bread with nothing but flour and water."),
    ("You have to let the dough rest", "for at least twelve hours in the kitchen."),
    ("What is the secret of", "a really good crust on the bread?"),
    ("A very hot oven and", "a bowl of water on the bottom shelf."),
    ("Saving money is hard when", "prices go up every single month."),
    ("I keep a small notebook and write", "down everything that I spend."),
    ("Did you know that most people", "never check their bank statements?"),
    ("After one year the notebook showed", "that I spent too much on coffee."),
    ("Next summer we are going to travel", "by train across the mountains."),
    ("The journey takes three days and", "the views from the window are amazing."),
    ("Where will you sleep", "during such a long trip?"),
    ("The train has small beds and", "a dining car with hot meals."),
)
#: Which sentence of LECTURE each topic spans (first, last), for the search tests.
TOPICS = {"football": (0, 3), "baking": (4, 7), "money": (8, 11), "train": (12, 15)}
#: The audience's answer after a sentence: laughter after the coffee, applause at the end.
REACTIONS = {11: "laughter", 15: "applause"}


@dataclass(frozen=True, slots=True)
class Lecture:
    """Speech with reactions; each sentence's span and each reaction's (kind, start, end), ms."""

    samples: np.ndarray
    sentences: tuple[str, ...]
    spans_ms: tuple[tuple[int, int], ...]
    reactions_ms: tuple[tuple[str, int, int], ...]

    @property
    def duration_s(self) -> float:
        return self.samples.size / RATE


def _with_pauses(x: np.ndarray, count: int, pause_s: float) -> np.ndarray:
    """``x`` with its ``count`` longest quiet runs (espeak's comma pauses) made ``pause_s`` long:
    the sentence keeps the rising tone of its commas, so it still sounds like one sentence."""
    frame = RATE // 100
    quiet = np.abs(x[: x.size // frame * frame]).reshape(-1, frame).max(axis=1) < 0.004
    edges = np.diff(np.concatenate([[0], quiet.astype(np.int8), [0]]))
    runs = sorted(
        zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True),
        key=lambda r: r[0] - r[1],
    )[:count]
    out, at = [], 0
    for a, b in sorted(runs):
        mid = (a + b) // 2 * frame
        extra = max(int(pause_s * RATE) - (b - a) * frame, 0)
        out += [x[at:mid], np.zeros(extra, np.float32)]
        at = mid
    return np.concatenate([*out, x[at:]]).astype(np.float32)


def lecture(
    script: tuple[tuple[str, ...], ...] = LECTURE,
    reactions: dict[int, str] | None = None,
    inner_pause_s: float = 0.6,
    gap_s: float = 1.0,
    repeat: int = 1,
    seed: int = 3,
) -> Lecture:
    """``script`` said ``repeat`` times: parts ``inner_pause_s`` apart, sentences ``gap_s``
    apart, a reaction (2.5 s, -20 dBFS like the speech) after the sentences ``reactions`` names."""
    from reelcut.footage.demo import sounds

    rng = np.random.default_rng(seed)
    reactions = REACTIONS if reactions is None else reactions
    parts = [np.zeros(int(0.6 * RATE), np.float32)]
    spans: list[tuple[int, int]] = []
    events: list[tuple[str, int, int]] = []
    texts: list[str] = []

    def at_ms() -> int:
        return round(sum(p.size for p in parts) * 1000 / RATE)

    for _ in range(repeat):
        for k, sentence in enumerate(script):
            start = at_ms()
            x = _with_pauses(say(", ".join(sentence)), len(sentence) - 1, inner_pause_s)
            parts.append(x * np.float32(0.1 / max(float(np.sqrt(np.mean(x**2))), 1e-6)))
            spans.append((start, at_ms()))
            texts.append(" ".join(sentence))
            parts.append(np.zeros(int(gap_s * RATE), np.float32))
            kind = reactions.get(k)
            if kind:
                sound = sounds.laughter(rng, 2.5) if kind == "laughter" else sounds.claps(rng, 2.5)
                begin = at_ms()
                parts.append(sounds.at_level(sound, -14.0).astype(np.float32))
                events.append((kind, begin, at_ms()))
                parts.append(np.zeros(int(gap_s * RATE), np.float32))
    audio = np.concatenate(parts + [np.zeros(int(0.6 * RATE), np.float32)])
    return Lecture(audio, tuple(texts), tuple(spans), tuple(events))
