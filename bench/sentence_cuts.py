"""Cut points inside a sentence: selection that snaps to pauses only (the baseline) against
selection that knows the sentences from the transcript (``editor.speech_cuts``, what every door
that makes a reel runs), one run.

    python bench/sentence_cuts.py [--repeat 2] [--targets 20,30,45]

The footage is generated talk (tests/speechmedia.py ``lecture``): espeak-ng sentences said with
a breath at a comma inside each (``--inner`` s) and a longer pause between sentences (``--gap``
s), with laughter and applause after two of them; every sentence's span is known from the
generator. A cut point counts as inside a sentence when it lies more than 50 ms inside one.
Three selections per target: pauses only (selection without speech, the baseline), sentences
read from the transcript of the cut regions (tiny.en, ``select_speech_aware``: what ``make``,
the chat and the service run), and sentences as the generator knows them handed to selection
(what the selection does with exact sentence times). Clip counts and reel lengths are printed
beside them (a clip is dropped where no break is reachable within the length promise).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from reelcut.analysis import analyze  # noqa: E402
from reelcut.editor.speech_cuts import select_speech_aware  # noqa: E402
from reelcut.selection import SelectionParams, select_clips  # noqa: E402
from reelcut.selection.sentences import SentenceSpans  # noqa: E402
from tests import speechmedia  # noqa: E402

MARGIN_S = 0.05


def inside(clips: list, spans_ms: tuple[tuple[int, int], ...]) -> tuple[int, int]:
    """(cut points inside a sentence, cut points) of ``clips``."""
    cuts = [t / 1000 for c in clips for t in (c.source_in_ms, c.source_out_ms)]
    bad = sum(any(a / 1000 + MARGIN_S < t < b / 1000 - MARGIN_S for a, b in spans_ms) for t in cuts)
    return bad, len(cuts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--targets", default="20,30,45")
    ap.add_argument("--inner", type=float, default=0.35)
    ap.add_argument("--gap", type=float, default=0.9)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["REELCUT_CACHE_DIR"] = str(Path(tmp) / "cache")  # fresh: every read timed
        talk = speechmedia.lecture(inner_pause_s=args.inner, gap_s=args.gap, repeat=args.repeat)
        path = speechmedia.clip(Path(tmp) / "lecture.mp4", talk.samples)
        signals = analyze(path, use_cache=False)
        print(
            f"talk {talk.duration_s:.1f} s, {len(talk.spans_ms)} sentences "
            f"(breath {args.inner} s inside, {args.gap} s between)"
        )
        print("| target | cuts | inside, pauses only | inside, sentences from tiny.en | "
              "inside, sentences from the generator | clips (pauses / tiny.en / generator) | "
              "reel s (tiny.en) | time, tiny.en |")  # fmt: skip
        print("|---|---|---|---|---|---|---|---|")
        totals = [0, 0, 0, 0]
        truth = SentenceSpans.of(
            [(a / 1000, b / 1000) for a, b in talk.spans_ms], [(0.0, talk.duration_s)],
            talk.duration_s,
        )  # fmt: skip
        for target in (float(t) for t in args.targets.split(",")):
            params = SelectionParams(target_s=target)
            plain = select_clips([signals], params)
            base = inside(plain, talk.spans_ms)
            t0 = time.monotonic()
            clips = list(select_speech_aware([path], [signals], params).clips)
            took = time.monotonic() - t0
            ours = inside(clips, talk.spans_ms)
            exact = select_clips([signals], params, [truth])
            known = inside(exact, talk.spans_ms)
            row = (base[1], base[0], ours[0], known[0])
            totals = [t + r for t, r in zip(totals, row, strict=True)]
            length = sum(c.duration_ms for c in clips) / 1000
            print(f"| {target:.0f} s | " + " | ".join(map(str, row))
                  + f" | {len(plain)} / {len(clips)} / {len(exact)} | {length:.2f} | {took:.1f} s |")  # fmt: skip
        print("| all | " + " | ".join(map(str, totals)) + " | | | |")


if __name__ == "__main__":
    main()
