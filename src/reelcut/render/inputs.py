"""Stage 1, inputs: one concat-demuxer input per source file, its clips in reel order.

Each source file is one FFmpeg input, whatever the number of clips taken from it: an ``ffconcat``
list that names the file once per clip with an ``inpoint`` a little before the clip and an
``outpoint`` just past it. The demuxer opens the file for one clip at a time and seeks, so FFmpeg
decodes only from the keyframe before each clip, and memory does not grow with the number of
clips or the length of the recording: one decoder, one sample index and one set of frame queues
per source (an input per clip held all of them at once, ~50 MB each at 1080p, plus a 90-minute
MP4's index each; the render's peak grew with the input's length).

Each list entry gets a whole-second slot on the input's timeline (``duration``) so clips never
overlap there; the clip chains split the decoded stream and cut every clip out of its slot by
timestamp (``trim``/``atrim``), exactly as an input seek (``-ss``) would: the first frame kept is
the first at or after the clip's in-point, the same frame to the tick. ``-copyts`` keeps those
timestamps as the lists set them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from reelcut.render.fit import clip_kind
from reelcut.render.graph import Graph
from reelcut.render.timing import Timing
from reelcut.render.types import RenderAssets, RenderSettings
from reelcut.timeline.model import Draft

S = 1_000_000  # microseconds, FFmpeg's own unit for concat lists
READ_EXTRA_S = 1.0  # read a little past each clip: crossfade tails and short final GOPs
_PREROLL_S = 0.1  # start decoding this much before a clip: the audio decoder's first frame


@dataclass(frozen=True, slots=True)
class Read:
    """One clip's entry in its source's concat list, and where it lands on that input's clock.

    Times are whole microseconds. The entry's slot starts ``slot_us`` into the input; the demuxer
    shifts the file's timestamps by ``slot_us - inpoint_us``, kept a whole number of seconds so the
    shift is a whole number of ticks in any time base: then ``trim`` at ``clip_start_us`` keeps
    exactly the frames an input seek to ``in_us`` would keep. The first slot starts at 0, so the
    first in-point is a whole second.
    """

    clip: int
    in_us: int  # the clip's in-point, file time
    read_us: int
    inpoint_us: int
    slot_us: int

    @classmethod
    def after(
        cls, prev: Read | None, clip: int, in_us: int, read_us: int, file_start_us: int
    ) -> Read:
        floor_us = (file_start_us // S) * S
        inpoint_us = max(floor_us, in_us - int(_PREROLL_S * S))
        if prev is None:
            return cls(clip, in_us, read_us, (inpoint_us // S) * S, 0)
        whole_s = -(-(prev.slot_end_us - inpoint_us) // S)  # ceil
        return cls(clip, in_us, read_us, inpoint_us, inpoint_us + whole_s * S)

    @property
    def outpoint_us(self) -> int:
        return self.in_us + self.read_us

    @property
    def clip_start_us(self) -> int:
        return self.slot_us + (self.in_us - self.inpoint_us)

    @property
    def slot_end_us(self) -> int:  # a second's gap: clips never meet on the input's clock
        return self.slot_us + (self.outpoint_us - self.inpoint_us) + S


@dataclass(frozen=True, slots=True)
class SourceInputs:
    """What the clip chains need from this stage."""

    index: dict[str, int]  # source id -> input index
    reads: dict[str, list[Read]]  # source id -> its clips' entries, in reel order
    read_of: dict[int, Read]  # clip index -> its entry

    def shared(self, source_id: str) -> bool:
        """True when several clips read this input (its streams are split between them)."""
        return len(self.reads[source_id]) > 1


def add_source_inputs(
    graph: Graph, draft: Draft, assets: RenderAssets, timing: Timing, settings: RenderSettings
) -> SourceInputs:
    """One concat input per video source, split into one stream per clip that reads it."""
    fps = timing.fps
    reads: dict[str, list[Read]] = {}
    for i, clip in enumerate(draft.clips):
        if clip_kind(clip, assets) != "video":
            continue
        assert clip.source_id is not None
        read_s = (timing.video_frames(i) / fps) * clip.speed + READ_EXTRA_S
        start_us = int(round(assets.start_s.get(clip.source_id, 0.0) * S))
        slots = reads.setdefault(clip.source_id, [])
        in_us = clip.source_in_ms * 1000 + start_us
        read_us = int(round(read_s * S))
        slots.append(Read.after(slots[-1] if slots else None, i, in_us, read_us, start_us))
    index: dict[str, int] = {}
    for n, (source_id, slots) in enumerate(reads.items()):
        listed = graph.add_file(f"clips{n}.txt", concat_list(assets.files[source_id], slots))
        hwaccel = ["-hwaccel", settings.decode_hwaccel] if settings.decode_hwaccel else []
        k = index[source_id] = graph.add_input(
            "-threads", str(settings.decode_threads), *hwaccel, "-f", "concat", "-safe", "0",
            "-i", str(listed),
        )  # fmt: skip
        if len(slots) > 1:
            outs = "".join(f"[s{k}v{r.clip}]" for r in slots)
            graph.add(f"[{k}:v:0]split={len(slots)}{outs}")
            if assets.has_audio.get(source_id):
                outs = "".join(f"[s{k}a{r.clip}]" for r in slots)
                graph.add(f"[{k}:a:0]asplit={len(slots)}{outs}")
    read_of = {r.clip: r for slots in reads.values() for r in slots}
    return SourceInputs(index, reads, read_of)


def seconds(us: int) -> str:
    """Microseconds as FFmpeg seconds, exactly (``12.000500``)."""
    return f"{us // S}.{us % S:06d}" if us >= 0 else f"-{seconds(-us)}"


def concat_list(path: Path, reads: list[Read]) -> str:
    """An ffconcat list that reads ``path`` once per clip (absolute: the list lives elsewhere)."""
    quoted = "'" + os.path.abspath(path).replace("'", "'\\''") + "'"
    lines = ["ffconcat version 1.0"]
    for r, nxt in zip(reads, [*reads[1:], None], strict=True):
        lines += [
            f"file {quoted}",
            f"inpoint {seconds(r.inpoint_us)}",
            f"outpoint {seconds(r.outpoint_us)}",
            f"duration {seconds((nxt.slot_us if nxt else r.slot_end_us) - r.slot_us)}",
        ]
    return "\n".join(lines) + "\n"
