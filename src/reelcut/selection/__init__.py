"""Selection: analysed signals in, clips for a target length out. Never touches a decoder."""

from reelcut.selection.candidates import Candidate, find_candidates
from reelcut.selection.clips import Clip, LeftOut, Selection, SelectionParams
from reelcut.selection.pick import select, select_clips

__all__ = [
    "Candidate",
    "Clip",
    "LeftOut",
    "Selection",
    "SelectionParams",
    "find_candidates",
    "select",
    "select_clips",
]
