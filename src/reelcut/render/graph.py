"""A small builder for one FFmpeg command: inputs, filter chains and the files they read.

The planner's stages each add to one :class:`Graph`: an input (its options and ``-i``) returns its
index, a chain is one ``;``-separated piece of ``-filter_complex``, a file is written into the
render's work folder by the runner. Nothing here knows what a reel is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(slots=True)
class Graph:
    """The command being built (mutable while planning; the plan that comes out is frozen)."""

    work_dir: Path
    input_args: list[str] = field(default_factory=list)
    chains: list[str] = field(default_factory=list)
    files: list[tuple[str, str]] = field(default_factory=list)
    inputs: int = 0

    def add_input(self, *options: str) -> int:
        """Add an input (``options`` end with ``-i PATH``); returns its index for ``[k:v:0]``."""
        self.input_args.extend(options)
        self.inputs += 1
        return self.inputs - 1

    def add(self, chain: str) -> None:
        """Add one filter chain (labels in brackets join chains into a graph)."""
        self.chains.append(chain)

    def add_file(self, name: str, text: str) -> Path:
        """A file the command reads, written into the work folder; returns its path there."""
        self.files.append((name, text))
        return self.work_dir / name

    @property
    def filter_graph(self) -> str:
        return ";\n".join(self.chains)
