"""Chat messages in, edit requests out: :func:`route` picks the door (export, credits, status,
upload, edit), :func:`parse` reads an edit message in English or Chinese into the requests of
:mod:`reelcut.editor.requests` (plus ``focus``), and :func:`reply` says what changed.

All of it is deterministic and offline and runs no pipeline: the chat session that carries
requests out is :mod:`reelcut.editor.chat`.
"""

from reelcut.instructions.parser import FOCUS_KINDS, Parse, parse
from reelcut.instructions.planner import Planner, PlannerError, planner_from_env
from reelcut.instructions.reply import reply
from reelcut.instructions.routing import ROUTES, export_options, route

__all__ = [
    "FOCUS_KINDS",
    "ROUTES",
    "Parse",
    "Planner",
    "PlannerError",
    "export_options",
    "parse",
    "planner_from_env",
    "reply",
    "route",
]
