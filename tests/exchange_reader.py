"""Re-importing exports with their OpenTimelineIO adapters, for round-trip checks (test-only).

The product only writes these formats; reading them back is how the tests prove an editor would
see the same cut, frame for frame.
"""

from __future__ import annotations

import math
import re
import urllib.parse
from fractions import Fraction
from pathlib import Path

import opentimelineio as otio

from reelcut.errors import InvalidArgumentError
from reelcut.timeline.exchange import ADAPTERS, format_for
from reelcut.timeline.exchange.edl import RATE_COMMENT
from reelcut.timeline.exchange.fcpxml import TIME_ATTR, parse_time


def read_cut_list(path: Path, rate: str | None = None) -> list[tuple[str, int, int]]:
    """The main video track's clips as ``(source path, in_frame, out_frame)`` in timeline order
    (cards and gaps left out; ``out`` is exclusive and, for a speed change, the last source frame
    used plus one).

    An EDL carries no frame rate: ``rate`` (e.g. ``"30000/1001"``) overrides the one our exports
    note in a comment. FCPXML times are made exact before the fcpx_xml adapter reads them (it
    truncates float seconds and knows only whole rates).
    """
    timeline = read_timeline(path, rate)
    video = next((t for t in timeline.tracks if t.kind == otio.schema.TrackKind.Video), None)
    if video is None:
        return []
    cuts = []
    for item in video:
        if not isinstance(item, otio.schema.Clip):
            continue
        ref = item.media_reference
        if not isinstance(ref, otio.schema.ExternalReference) or not ref.target_url:
            continue
        start = round(item.source_range.start_time.to_frames())
        length = round(item.source_range.duration.to_frames())
        warp = next((e for e in item.effects if isinstance(e, otio.schema.LinearTimeWarp)), None)
        if warp is not None:
            length = math.floor(Fraction(length) * Fraction(warp.time_scalar) + Fraction(1, 2))
        cuts.append((_url_to_path(ref.target_url), start, start + length))
    return cuts


def read_timeline(path: Path, rate: str | None = None) -> otio.schema.Timeline:
    """Re-import any of the four formats with its adapter (see :func:`read_cut_list`)."""
    path = Path(path)
    name = format_for(path)
    adapter = ADAPTERS[name]
    text = path.read_text(encoding="utf-8")
    if name == "edl":
        fps = _edl_rate(text, rate)
        result = otio.adapters.read_from_string(text, adapter_name=adapter, rate=float(fps))
    elif name == "fcpxml":
        result = otio.adapters.read_from_string(_exact_fcpxml(text), adapter_name=adapter)
    else:
        result = otio.adapters.read_from_string(text, adapter_name=adapter)
    if isinstance(result, otio.schema.Timeline):
        return result
    found = list(result.find_children(descended_from_type=otio.schema.Timeline))
    if not found:
        raise InvalidArgumentError(f"{path.name} holds no timeline")
    timeline: otio.schema.Timeline = found[0]
    return timeline


def _edl_rate(text: str, rate: str | None) -> Fraction:
    value = rate
    if value is None:
        m = re.search(rf"^\*\s*{RATE_COMMENT}\s+(\S+)", text, re.MULTILINE)
        value = m.group(1) if m else None
    if value is None:
        raise InvalidArgumentError("an EDL does not say its frame rate: pass rate='25' (or ...)")
    try:
        return Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise InvalidArgumentError(
            f"frame rate {value!r} is not a number like 30000/1001"
        ) from None


def _exact_fcpxml(text: str) -> str:
    """Times the fcpx_xml adapter reads exactly: whole rates, each time nudged a third of a frame
    up so that its ``int()`` lands on the frame meant (it reads ``int(seconds * fps)``)."""
    m = re.search(r'frameDuration="([^"]+)"', text)
    if m is None:
        return text
    rate = 1 / parse_time(m.group(1))
    nominal = math.ceil(rate)

    def retime(match: re.Match[str]) -> str:
        frames = parse_time(match.group(2)) * rate
        if frames == 0:
            return match.group(0)
        seconds = (frames + Fraction(1, 3)) / nominal
        return f'{match.group(1)}="{seconds.numerator}/{seconds.denominator}s"'

    text = TIME_ATTR.sub(retime, text)
    return re.sub(r'frameDuration="[^"]+"', f'frameDuration="1/{nominal}s"', text)


def _url_to_path(url: str) -> str:
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme != "file":
        return url
    return urllib.parse.unquote(parsed.path)
