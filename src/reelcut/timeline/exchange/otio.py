"""OpenTimelineIO JSON (``.otio``): everything kept.

Clips, cards (``SolidColor`` generators), slow motion (``LinearTimeWarp``), music on an audio
track (built-in music as a ``MissingReference`` named after its mood), overlays on upper video
tracks, text as markers on the reel's track, all segment metadata under ``reelcut``.
"""

from __future__ import annotations

from pathlib import Path

import opentimelineio as otio

from reelcut.timeline.exchange.build import Flavour, build_timeline
from reelcut.timeline.model import Draft

ADAPTER = "otio_json"
SUFFIX = ".otio"


def _solid(colour: str, rng: otio.opentime.TimeRange) -> otio.schema.GeneratorReference:
    return otio.schema.GeneratorReference(
        name="Card", generator_kind="SolidColor", parameters={"color": colour}, available_range=rng
    )


FLAVOUR = Flavour("otio", "file", _solid, speed=True, texts="track", extra_tracks=True)


def draft_to_otio(draft: Draft) -> otio.schema.Timeline:
    """The draft as an OpenTimelineIO timeline, everything kept (what the ``.otio`` file holds)."""
    return build_timeline(draft, FLAVOUR)


def write(draft: Draft, stems: Path) -> str:
    """The ``.otio`` text for ``draft`` (``stems`` is unused: OTIO needs no music file)."""
    return str(otio.adapters.write_to_string(draft_to_otio(draft), adapter_name=ADAPTER))
