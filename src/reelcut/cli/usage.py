"""Usage lines written the way ``git`` or ``ffmpeg`` write them.

Typer wraps a required argument in braces and appends ``...`` for a list whatever the metavar
says, so ``make`` read ``{VIDEO...}...`` and ``score`` ``[[TRUTH]...]...``. Here an argument is
``NAME`` (required), ``[NAME]`` (optional), with ``...`` when it takes several: ``make
[OPTIONS] VIDEO...``, ``score [OPTIONS] REEL [TRUTH]...``. Every command of the CLI is made by
:class:`App`, so no command can fall back to Typer's form.
"""

from __future__ import annotations

from typing import Any, Protocol

import typer
from typer.core import TyperCommand


class _Param(Protocol):
    """What a usage line needs of a parameter (Typer vendors its own click, so no click types)."""

    @property
    def metavar(self) -> str | None: ...
    @property
    def name(self) -> str | None: ...
    @property
    def nargs(self) -> int: ...
    @property
    def required(self) -> bool: ...


def argument_usage(param: _Param) -> str:
    """``VIDEO...``, ``[TRUTH]...``: the metavar without any decoration Typer or we added."""
    name = (param.metavar or param.name or "ARG").upper().strip("[]{}.")
    several = param.nargs != 1
    text = name if param.required else f"[{name}]"
    return text + ("..." if several else "")


class Command(TyperCommand):
    """A Typer command whose usage line lists arguments plainly (see the module doc)."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        pieces += [
            argument_usage(param)
            for param in self.get_params(ctx)
            if param.param_type_name == "argument"
        ]
        return pieces


class App(typer.Typer):
    """``typer.Typer`` whose commands are :class:`Command` unless one names its own class."""

    def command(self, *args: Any, cls: type[TyperCommand] | None = None, **kwargs: Any) -> Any:
        return super().command(*args, cls=cls or Command, **kwargs)
