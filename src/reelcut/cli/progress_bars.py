"""Rich progress bars (with ETA) fed by the library's one progress callback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from reelcut.progress import ProgressFn, no_progress

_LABELS = {
    "analyze": "Analysing",
    "render": "Rendering",
    "audio": "Audio",
    "video": "Video",
    "footage": "Footage",
    "reframe": "Reframing",
}


@contextmanager
def progress_bars(console: Console, enabled: bool = True) -> Iterator[ProgressFn]:
    """Bars appear with the first report: work refused up front prints only its error."""
    if not enabled:
        yield no_progress
        return
    columns = (
        TextColumn("[bold]{task.description:<10}"),
        BarColumn(),
        TextColumn("{task.percentage:>5.1f}%"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    bars = Progress(*columns, console=console, transient=False)
    tasks: dict[str, TaskID] = {}

    def update(stage: str, done: float, total: float) -> None:
        if not tasks:
            bars.start()
        if stage not in tasks:
            tasks[stage] = bars.add_task(_LABELS.get(stage, stage), total=max(total, 1e-9))
        bars.update(tasks[stage], completed=done, total=max(total, 1e-9))

    try:
        yield update
    finally:
        if tasks:
            bars.stop()
