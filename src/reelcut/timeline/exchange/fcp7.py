"""FCP7 XML (``.xml``: Premiere Pro, DaVinci Resolve, Avid via import).

Clips, cards as Color generators, music and overlays on their own tracks, text as sequence
markers. No speed effect: slow motion is the replay's source range at normal speed followed by a
gap as long as the rest of the slowed clip (set the speed in the editor; a sped-up clip keeps
only its first timeline-length of source). Built-in music links to a WAV beside the export.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import opentimelineio as otio

from reelcut.timeline.exchange.build import Flavour, build_timeline
from reelcut.timeline.model import Draft, TextSegment

ADAPTER = "fcp_xml"
SUFFIX = ".xml"
_NAMED = {"white": (255, 255, 255), "red": (255, 0, 0), "green": (0, 128, 0), "blue": (0, 0, 255)}


def _color_generator(colour: str, rng: otio.opentime.TimeRange) -> otio.schema.GeneratorReference:
    red, green, blue = rgb(colour)
    return otio.schema.GeneratorReference(
        name="Color",
        generator_kind="Color",
        metadata={
            "fcp_xml": {
                "effectcategory": "Matte",
                "effecttype": "generator",
                "mediatype": "video",
                "parameter": {
                    "parameterid": "fillcolor",
                    "name": "Color",
                    "value": {
                        "alpha": "255",
                        "red": str(red),
                        "green": str(green),
                        "blue": str(blue),
                    },
                },
            }
        },
    )


def _marker_comment(t: TextSegment) -> dict[str, Any]:
    return {"fcp_xml": {"comment": f"{t.role}: {t.text}"}}


FLAVOUR = Flavour(
    "fcp7",
    "file",
    _color_generator,
    speed=False,
    texts="stack",
    extra_tracks=True,
    text_metadata=_marker_comment,
)


def write(draft: Draft, stems: Path) -> str:
    """The FCP7 XML for ``draft``; built-in music links to its stem in ``stems``."""
    timeline = build_timeline(draft, FLAVOUR, stems)
    return str(otio.adapters.write_to_string(timeline, adapter_name=ADAPTER))


def rgb(colour: str) -> tuple[int, int, int]:
    """A draft colour ("#rrggbb", "#rrggbb@0.5", a few names) as 0-255 red, green, blue."""
    body = colour.split("@")[0]
    if re.fullmatch(r"#[0-9a-fA-F]{6}", body):
        return int(body[1:3], 16), int(body[3:5], 16), int(body[5:7], 16)
    return _NAMED.get(body.lower(), (0, 0, 0))
