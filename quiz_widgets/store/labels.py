"""The one-word state of a saved session, as every list shows it (SessionBrowser and the CLI).

Kept apart from ui/session_list.py so the command line can label sessions without importing the widgets.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["SESSION_STATES", "score_hidden", "session_state"]

# The fourth is timer_data.emergency_saved, which the original app sets when it closes and we set when the
# kernel ends (atexit, SIGTERM): nearly always a normal stop (JupyterLab's Shut Down, a server stopping), so
# it reads as one, never as an emergency. The attempt is unfinished and resumes like one in progress.
SESSION_STATES = ("in progress", "completed", "quit", "saved at shutdown")


def _count(value: object) -> int:
    return value if type(value) is int and value >= 0 else 0


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def session_state(data: Mapping[str, Any]) -> str:
    """One of SESSION_STATES for a session dict (ours, the original app's, or a damaged one).

    The precedence says what the learner most needs to know: a quiz with every question answered is
    completed even when a crash came before it was flagged so.
    """
    timer = _mapping(data.get("timer_data"))
    quiz_mode = _mapping(data.get("quiz_mode"))
    total = _count(data.get("total_questions"))
    if timer.get("completed") is True or (total > 0 and _count(quiz_mode.get("total_answered")) >= total):
        return "completed"
    if timer.get("quit_by_user") is True:
        return "quit"
    if timer.get("emergency_saved") is True:
        return "saved at shutdown"
    return "in progress"


def score_hidden(data: Mapping[str, Any]) -> bool:
    """True for an exam not submitted (running or quit): its score comes from the key, which no list shows
    before submit, as the quiz's own page does not. The file keeps the true score."""
    extension = _mapping(data.get("quiz_widgets"))
    return extension.get("mode") == "exam" and extension.get("submitted") is not True
