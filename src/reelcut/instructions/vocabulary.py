"""The names of edit requests that are more than a timeline op: they need the media first.

The parser and planners produce them; :mod:`reelcut.editor.requests` carries them out. Every
other request name is a timeline op (:mod:`reelcut.timeline.opjson`).
"""

MEDIA_REQUESTS = (
    "set_length", "next_best", "slow_motion", "music", "captions", "title", "focus", "import_srt",
)  # fmt: skip
