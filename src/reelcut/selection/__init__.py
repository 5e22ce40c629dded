"""Selection: analysed signals in, clips for a target length out. Never touches a decoder."""

from reelcut.selection.candidates import Candidate, find_candidates
from reelcut.selection.clips import Clip, SelectionParams
from reelcut.selection.pick import select_clips

__all__ = ["Candidate", "Clip", "SelectionParams", "find_candidates", "select_clips"]
