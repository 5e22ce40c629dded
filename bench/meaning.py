"""Held-back phrasings read by the phrase tables alone and with the meaning matcher behind them.

    PYTHONPATH=src python bench/meaning.py [--misses]

Prints one table (share of English / Chinese phrasings understood, small talk wrongly read as an
edit, milliseconds per message) for both readers in the same run, so the baseline sits beside
the result. The phrasings are in ``bench/phrasings.py``.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass

from bench.phrasings import CHINESE, CHINESE_B, ENGLISH, ENGLISH_B, NOT_REQUESTS
from reelcut.instructions import parse
from reelcut.instructions.meaning import matcher
from reelcut.timeline import (
    AudioSegment,
    Draft,
    Source,
    TextSegment,
    Track,
    TrackType,
    VideoSegment,
)


def six_clips() -> Draft:
    """Six 10-second clips, lo-fi music at 40%, a title: the reel the phrasings talk about."""
    src = Source("s0", "video", "/footage/game.mp4", 600_000, 1920, 1080, True, "game.mp4", "25")
    clips = tuple(
        VideoSegment("s0", k * 60_000, k * 60_000 + 10_000, score=1 - k / 10) for k in range(6)
    )
    music = Source("music-lofi", "music", "lofi", 0, has_audio=True, title="Lo-fi")
    return Draft(
        sources=(src, music),
        tracks=(
            Track(TrackType.VIDEO, "Video", clips),
            Track(TrackType.AUDIO, "Music", (AudioSegment("music-lofi", volume=40),)),
            Track(TrackType.TEXT, "Text", (TextSegment("Old", 0, 3000),)),
        ),
        target_ms=60_000,
    )


def understood(message: str, expected: frozenset[str] | str, meaning: bool) -> bool:
    result = parse(message, six_clips(), meaning=meaning)
    if isinstance(expected, str):
        return result.intent == expected
    return any(r["op"] in expected for r in result.requests)


def invented(message: str, meaning: bool) -> bool:
    """Whether small talk was read as an edit or an intent."""
    result = parse(message, six_clips(), meaning=meaning)
    return bool(result.requests) or result.intent != "edit"


@dataclass(frozen=True, slots=True)
class Score:
    english: float
    chinese: float
    invented: float
    ms_per_message: float
    misses: tuple[str, ...]


Rows = list[tuple[str, frozenset[str] | str]]


def score(meaning: bool, english: Rows = ENGLISH, chinese: Rows = CHINESE) -> Score:
    """Shares understood; ms per message after the matcher is built (built once per process)."""
    start = time.perf_counter()
    misses = [m for m, want in english + chinese if not understood(m, want, meaning)]
    wrong = [m for m in NOT_REQUESTS if invented(m, meaning)]
    n = len(english) + len(chinese) + len(NOT_REQUESTS)
    elapsed_ms = (time.perf_counter() - start) * 1000 / n
    en = sum(m not in misses for m, _ in english) / len(english)
    zh = sum(m not in misses for m, _ in chinese) / len(chinese)
    return Score(en, zh, len(wrong) / len(NOT_REQUESTS), elapsed_ms, tuple(misses + wrong))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--misses", action="store_true", help="list what each reader missed")
    args = ap.parse_args()
    start = time.perf_counter()
    if matcher() is None:
        raise SystemExit("the meaning extra is not installed: pip install 'reelcut[meaning]'")
    print(f"matcher built in {time.perf_counter() - start:.1f} s (model load + examples)")
    rows = [
        ("A", "tables alone", score(False)),
        ("A", "tables + meaning", score(True)),
        ("B", "tables alone", score(False, ENGLISH_B, CHINESE_B)),
        ("B", "tables + meaning", score(True, ENGLISH_B, CHINESE_B)),
    ]
    print(f"held-back set A: {len(ENGLISH)} English, {len(CHINESE)} Chinese; set B (never "
          f"tuned on): {len(ENGLISH_B)} English, {len(CHINESE_B)} Chinese; "
          f"{len(NOT_REQUESTS)} small talk")  # fmt: skip
    print("| set | reader | English | Chinese | small talk read as an edit | ms/message |")
    print("|---|---|---|---|---|---|")
    for held, name, s in rows:
        print(f"| {held} | {name} | {s.english:.0%} | {s.chinese:.0%} | {s.invented:.0%} "
              f"| {s.ms_per_message:.1f} |")  # fmt: skip
    if args.misses:
        for held, name, s in rows:
            print(f"{held}, {name} missed: " + "; ".join(s.misses))


if __name__ == "__main__":
    main()
