"""Stage 5, the sound: the footage's own (levelled), music under it (ducked under loud moments),
a limiter when anything changed the level, and the reel's exact length in samples ``[aout]``.
"""

from __future__ import annotations

import math

from reelcut.render.graph import Graph
from reelcut.render.timing import Timing
from reelcut.render.types import AUDIO_RATE, RenderAssets, RenderSettings
from reelcut.timeline.model import AudioSegment, Draft

_DUCK = "sidechaincompress=threshold=0.06:ratio=6:attack=20:release=600:makeup=1"
_LIMIT = "alimiter=limit=0.891:level=false:attack=5:release=50"  # -1 dBFS


def add_sound(
    graph: Graph,
    draft: Draft,
    assets: RenderAssets,
    timing: Timing,
    settings: RenderSettings,
    alabel: str,
) -> None:
    """The reel's sound from the joined clips' ``[alabel]`` to ``[aout]``."""
    own_db = (settings.gain_db if settings.gain_db is not None else assets.gain_db) or 0.0
    own = draft.original_volume / 100
    own_chain = [f"volume={own_db + 20 * math.log10(own):.2f}dB" if own > 0 else "volume=0"]
    music = draft.audio
    loud = settings.gain_db is not None or assets.gain_db is not None or bool(music)
    if music:
        graph.add(f"[{alabel}]{','.join(own_chain)},asplit=2[aown][aside]")
        mixed = ["[aown]"]
        for m, seg in enumerate(music):
            label = _music_chain(graph, assets, m, seg, timing.reel_samples)
            if seg.duck and own > 0:
                side = f"aside{m}"
                if m + 1 < len(music):
                    graph.add(f"[aside]asplit=2[{side}][aside]")
                else:
                    side = "aside"
                graph.add(f"[{label}][{side}]{_DUCK}[{label}d]")
                label = f"{label}d"
            elif m + 1 == len(music):
                graph.add("[aside]anullsink")
            mixed.append(f"[{label}]")
        graph.add(
            f"{''.join(mixed)}amix=inputs={len(mixed)}:duration=first:normalize=0,"
            f"atrim=end_sample={timing.reel_samples}[amixed]"
        )
        alabel, own_chain = "amixed", []
    final = own_chain + ([_LIMIT] if loud else [])
    final.append(
        f"afade=t=in:d=0.01,aformat=sample_fmts=fltp:sample_rates={AUDIO_RATE}:channel_layouts=stereo"
    )
    graph.add(f"[{alabel}]{','.join(final)}[aout]")


def _music_chain(
    graph: Graph, assets: RenderAssets, m: int, seg: AudioSegment, reel_samples: int
) -> str:
    """One piece of music placed on the reel's clock and padded to its length; returns its label."""
    loop = ("-stream_loop", "-1") if seg.loop else ()
    k = graph.add_input(*loop, "-i", str(assets.files[seg.source_id]))
    start = int(round(seg.start_ms * AUDIO_RATE / 1000))
    end = (
        reel_samples
        if seg.duration_ms is None
        else min(reel_samples, start + int(round(seg.duration_ms * AUDIO_RATE / 1000)))
    )
    n = max(end - start, 1)
    fade_in = min(seg.fade_in_ms / 1000, n / AUDIO_RATE / 2)
    fade_out = min(seg.fade_out_ms / 1000, n / AUDIO_RATE / 2)
    first = int(seg.source_in_ms * AUDIO_RATE / 1000)
    chain = [
        f"[{k}:a:0]aresample={AUDIO_RATE}",
        "aformat=sample_fmts=fltp:channel_layouts=stereo",
        f"atrim=start_sample={first}:end_sample={first + n}",
        "asetpts=PTS-STARTPTS",
    ]
    if fade_in > 0:
        chain.append(f"afade=t=in:d={fade_in:.3f}")
    if fade_out > 0:
        chain.append(f"afade=t=out:st={n / AUDIO_RATE - fade_out:.3f}:d={fade_out:.3f}")
    chain.append(f"volume={seg.volume / 100:.3f}")
    if start:
        chain.append(f"adelay={start}S:all=1")
    chain.append(f"apad=whole_len={reel_samples}")
    label = f"mus{m}"
    graph.add(",".join(chain) + f"[{label}]")
    return label
