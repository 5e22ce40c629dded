"""Chat messages in, edit requests out: :func:`route` picks the door (export, preview, credits,
status, upload, edit), :func:`parse` reads a message in English or Chinese into the requests of
:mod:`reelcut.editor.requests` (plus ``focus``) and what it asks besides edits (a reel, an
export, a preview, which upload: :mod:`~reelcut.instructions.intents`), and :func:`reply` writes
what changed in the message's language from the ops' change values.

How a message is read: :mod:`~reelcut.instructions.clause` cuts it into clauses and finds their
slots, one reader per edit family (:mod:`~reelcut.instructions.readers`) takes what it knows,
and with the ``meaning`` extra a clause no reader knew is read as the nearest example phrasing
(:mod:`~reelcut.instructions.meaning`). Deterministic, offline, and it runs no pipeline: the
chat session that carries requests out is :mod:`reelcut.editor.chat`.
"""

from reelcut.instructions.intents import ExportAsk
from reelcut.instructions.parser import FOCUS_KINDS, Parse, parse
from reelcut.instructions.planner import Planner, PlannerError, planner_from_env
from reelcut.instructions.reply import describe, reply, track_lines
from reelcut.instructions.routing import ROUTES, export_ask, export_options, route

__all__ = [
    "FOCUS_KINDS",
    "ROUTES",
    "ExportAsk",
    "Parse",
    "Planner",
    "PlannerError",
    "describe",
    "export_ask",
    "export_options",
    "parse",
    "planner_from_env",
    "reply",
    "route",
    "track_lines",
]
