"""The footage generators the benchmarks use, each with a version and a role, and a cache.

Three generators make footage with a known answer key; they differ in who wrote them and what
they were allowed to see, which decides what a good score on each can claim:

* ``demo`` (``reelcut.footage.demo``, in the installed package): written beside the detector and
  used to tune it. Scores here show the detector does what it was tuned to do, nothing more.
* ``crosscheck`` (``bench/crosscheck``): written from the brief without sight of the detector,
  but no longer held out: its missed laughs led to the ``burst`` component and the 1.5 s median
  in ``analysis/excitement.py``. Its sports rows are independent; its talk rows are partly tuning.
* ``blind`` (``bench/blind``): written last, without reading ``analysis/`` or ``selection/``,
  with event shapes and levels chosen to differ from both. Nothing has been tuned to it.

Footage is cached under ``bench/out/footage`` by a key that hashes the generator's version (the
content of its own source files and of the shared modules that shape sound and picture:
encoder, counter, speech; plus the espeak-ng build when speech is on), the truth schema, and
every parameter, never by file name alone: a changed generator or parameter makes a new file,
an unchanged one is reused. ``make.py`` (argument checks, muxing) is not hashed: a change there
that alters the output must bump the truth schema or clear the cache.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import reelcut.footage
from bench import blind, crosscheck
from reelcut.footage import Studio, Truth, make_footage, truth_path
from reelcut.footage import demo as demo_generator
from reelcut.footage.truth import SCHEMA as TRUTH_SCHEMA

HERE = Path(__file__).resolve().parent
CACHE = HERE / "out" / "footage"
_SHARED = ("encode.py", "counter.py", "speech.py")  # what shapes the sound and picture


@dataclass(frozen=True, slots=True)
class Generator:
    """One footage generator: its ``produce`` callable, the folder that defines it, its role."""

    name: str
    produce: Studio
    folder: Path
    role: str


GENERATORS: dict[str, Generator] = {
    "demo": Generator(
        "demo",
        demo_generator.produce,
        Path(demo_generator.__file__).parent,
        "tuning: written beside the detector, used to tune it",
    ),
    "crosscheck": Generator(
        "crosscheck",
        crosscheck.produce,
        Path(crosscheck.__file__).parent,
        "cross-check: written blind, but informed the detector's laugh burst and 1.5 s median",
    ),
    "blind": Generator(
        "blind",
        blind.produce,
        Path(blind.__file__).parent,
        "blind: written without reading analysis/ or selection/; nothing tuned to it",
    ),
}


@functools.cache
def version(name: str) -> str:
    """A short hash of everything that decides what ``name`` generates."""
    digest = hashlib.sha256()
    shared = Path(reelcut.footage.__file__).parent
    files = [shared / f for f in _SHARED] + sorted(GENERATORS[name].folder.rglob("*.py"))
    for f in files:
        digest.update(f.name.encode() + b"\0" + f.read_bytes())
    return digest.hexdigest()[:12]


@functools.cache
def _espeak() -> str:
    exe = shutil.which("espeak-ng")
    if exe is None:
        return "none"
    return subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()


def footage_key(
    name: str,
    genre: str,
    seed: int,
    minutes: float,
    height: int = 360,
    fps: int = 30,
    speech: bool = True,
    close_events: bool = False,
) -> str:
    """The cache key of one footage: generator version and every parameter, hashed."""
    params = {
        "generator": name,
        "version": version(name),
        "truth": TRUTH_SCHEMA,
        "genre": genre,
        "seed": seed,
        "minutes": minutes,
        "height": height,
        "fps": fps,
        "speech": _espeak() if speech else False,
        "close_events": close_events,
    }
    return hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:16]


def cached_footage(
    name: str,
    genre: str,
    seed: int,
    minutes: float,
    height: int = 360,
    fps: int = 30,
    speech: bool = True,
    close_events: bool = False,
    cache: Path = CACHE,
) -> tuple[Path, Truth]:
    """The footage for these arguments, generated once per key and reused after that."""
    key = footage_key(name, genre, seed, minutes, height, fps, speech, close_events)
    path = cache / f"{name}-{genre}-s{seed}-{key}.mp4"
    if path.exists() and truth_path(path).exists():
        return path, Truth.from_json(truth_path(path))
    cache.mkdir(parents=True, exist_ok=True)
    part = cache / f".{path.stem}.{os.getpid()}.mp4"
    try:
        truth = make_footage(
            part,
            genre,
            minutes,
            height,
            seed,
            fps,
            speech,
            GENERATORS[name].produce,
            close_events=close_events,
        )
        os.replace(truth_path(part), truth_path(path))
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
        truth_path(part).unlink(missing_ok=True)
    return path, truth
