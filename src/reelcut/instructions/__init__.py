"""Chat messages in, edit requests out: :func:`route` picks the door (export, credits, status,
upload, edit), :func:`parse` reads an edit message in English or Chinese into the requests of
:mod:`reelcut.project.requests` (plus ``focus``), and :func:`reply` says what changed.

All of it is deterministic and offline; a language-model planner may sit in front of it later
and fall back to it.
"""

from reelcut.instructions.agent import AgentEvent, run_agent
from reelcut.instructions.parser import FOCUS_KINDS, Parse, parse
from reelcut.instructions.planner import Planner, PlannerError, planner_from_env
from reelcut.instructions.reply import reply
from reelcut.instructions.routing import ROUTES, export_options, route

__all__ = [
    "FOCUS_KINDS",
    "ROUTES",
    "AgentEvent",
    "Parse",
    "Planner",
    "PlannerError",
    "export_options",
    "parse",
    "planner_from_env",
    "reply",
    "route",
    "run_agent",
]
