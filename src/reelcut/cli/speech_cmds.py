"""``reelcut transcript``: what is said in a recording, as text, JSON, SRT or WebVTT.

Thin: validates the input like every other command, asks :mod:`reelcut.speech` for the (cached)
transcript, and formats it. Needs the ``asr`` extra.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reelcut.cli.app import Json, MaxSize, NoCache, Quiet, app, err, out, print_json, say


def _write(path: Path, text: str) -> None:
    from reelcut.errors import OutputNotWritableError

    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputNotWritableError(f"cannot write {path}: {exc.strerror or exc}") from exc


@app.command()
def transcript(
    input: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="A video (mp4, mov, avi, webm, mkv) or a sound file (wav, mp3, m4a, aac, flac, ogg).",
        ),
    ],
    as_json: Json = False,
    srt: Annotated[Path | None, typer.Option("--srt", help="Also write SubRip captions.")] = None,
    vtt: Annotated[Path | None, typer.Option("--vtt", help="Also write WebVTT captions.")] = None,
    language: Annotated[
        str | None,
        typer.Option("--language", help="Language code (en, zh, ...); default: detect."),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            help="Speech model: a faster-whisper model folder or name [REELCUT_ASR_MODEL] "
            "(default: tiny.en, shipped with reelcut[asr]; for a --language other than en,"
            " base, the multilingual model of reelcut[asr-multilingual]).",
        ),
    ] = None,
    min_confidence: Annotated[
        float | None,
        typer.Option(
            "--min-confidence", help="Leave words under this probability out of captions."
        ),
    ] = None,
    no_cache: NoCache = False,
    max_size: MaxSize = None,
    quiet: Quiet = False,
) -> None:
    """Transcribe speech with word times (offline); silence, music and crowd noise give no words."""
    from reelcut.cli.progress_bars import progress_bars
    from reelcut.media.probe import probe_sound
    from reelcut.speech import (
        DEFAULT_MIN_CONFIDENCE,
        caption_cues,
        get_transcriber,
        get_transcript,
        to_srt,
        to_vtt,
    )

    probe_sound(input, max_mb=max_size)  # one-line input errors: missing, no sound, damaged
    engine = get_transcriber(model=model, language=language)
    with progress_bars(err, enabled=not as_json and not quiet) as progress:
        found = get_transcript(
            input, transcriber=engine, language=language, use_cache=not no_cache, progress=progress
        )
    if srt or vtt:
        floor = DEFAULT_MIN_CONFIDENCE if min_confidence is None else min_confidence
        cues = caption_cues(found.words(), "classic", min_confidence=floor)
        if srt:
            _write(srt, to_srt(cues))
        if vtt:
            _write(vtt, to_vtt(cues))
    if as_json:
        print_json(found.to_json())
        return
    for seg in found.segments:
        say(f"[{seg.start_ms / 1000:7.2f} - {seg.end_ms / 1000:7.2f}] {seg.text}", out)
    if not found.segments:
        say("no speech heard")


@app.command()
def shorts(
    input: Annotated[Path, typer.Argument(help="A video of talk (podcast, interview, lecture).")],
    count: Annotated[int, typer.Option("--count", "-n", help="How many shorts.")] = 3,
    min_length: Annotated[str, typer.Option("--min", help="Shortest short (20s, 0:20).")] = "20s",
    max_length: Annotated[str, typer.Option("--max", help="Longest short (60s, 1:00).")] = "60s",
    output: Annotated[Path, typer.Option("-o", "--output", help="Folder for the shorts.")] = Path(
        "shorts"
    ),
    height: Annotated[
        int, typer.Option("--height", help="Lines, as in 1080p: 1080 gives 1080x1920.")
    ] = 1080,
    llm_url: Annotated[
        str | None,
        typer.Option(
            "--llm-url",
            help="An OpenAI-compatible endpoint (http://host:port/v1) that re-ranks and titles "
            "the shorts [REELCUT_LLM_BASE_URL; key: REELCUT_LLM_API_KEY]. Default: offline.",
        ),
    ] = None,
    llm_model: Annotated[
        str | None, typer.Option("--llm-model", help="Its model name [REELCUT_LLM_MODEL].")
    ] = None,
    as_json: Json = False,
    no_cache: NoCache = False,
    max_size: MaxSize = None,
) -> None:
    """Cut N vertical, captioned shorts, each a run of whole sentences, ranked by the audio and
    the words (or re-ranked by a language model you name); writes OUTPUT/shorts.json (source
    times, score, rank, reasons, a title each)."""
    from reelcut.cli.progress_bars import progress_bars
    from reelcut.durations import parse_duration
    from reelcut.editor.shorts import make_shorts
    from reelcut.editor.shorts_llm import LlmEndpoint
    from reelcut.media.probe import probe

    probe(input, max_mb=max_size)
    lo, hi = parse_duration(min_length), parse_duration(max_length)
    llm = LlmEndpoint.from_options(llm_url, llm_model)

    def warn(message: str) -> None:
        err.print(f"warning: {message}", highlight=False, soft_wrap=True)

    with progress_bars(err, enabled=not as_json) as progress:
        made = make_shorts(
            input, output, count, lo, hi, height=height, use_cache=not no_cache, llm=llm,
            warn=warn, progress=progress,
        )  # fmt: skip
    if as_json:
        print_json([s.to_json() for s in made])
        return
    for s in made:
        say(
            f"{s.output}  {s.start_ms / 1000:.1f}-{s.end_ms / 1000:.1f} s  "
            f"score {s.score:.2f}  {s.title}  ({', '.join(s.reasons)})",
            out,
        )
    say(f"manifest: {output / 'shorts.json'}", out)
