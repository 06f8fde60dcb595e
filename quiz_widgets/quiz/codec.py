"""The session dict: what to_session(state) writes and from_session(data, exam) reads.

The dict keeps the original app's fields exactly (that app must still be able to read what we write)
and adds one namespaced key, ``"quiz_widgets"``, that makes resume exact. from_session() reads our files
and the original app's in two steps: session_record.read_session() checks every field into one frozen
SessionRecord (a SessionError names the file and field), then restore.build_state() builds the state from
it in one pass. This module writes the original app's fields; extension.py writes our key.

The state is restored through its public methods (carry_over, restore_answer, mark_restored): the codec
knows the state, the state does not know the codec.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from quiz_widgets.exam import Exam
from quiz_widgets.quiz.extension import to_extension
from quiz_widgets.quiz.restore import build_state
from quiz_widgets.quiz.session_record import (
    EXTENSION_KEY,
    FORMAT_VERSION,
    LEARNER_KEY,
    SETTINGS,
    read_session,
)
from quiz_widgets.quiz.state import QuizState

__all__ = ["EXTENSION_KEY", "FORMAT_VERSION", "LEARNER_KEY", "SETTINGS", "from_session", "to_session"]


def to_session(
    state: QuizState, *, auto_saved: bool = False, emergency_saved: bool = False
) -> dict[str, Any]:
    """The seed's session fields exactly, plus the ``"quiz_widgets"`` key for an exact resume."""
    elapsed = state.elapsed_seconds
    extension = to_extension(state, elapsed)
    session: dict[str, Any] = {
        "session_date": state.session_date,
        "exam_title": state.exam.title,
        "total_questions": len(state.order),
        "quiz_mode": {
            "score": state.score,
            "total_answered": state.total_answered,
            "wrong_answers": state.wrong_answers,
        },
        "timer_data": {
            # The original app writes whole seconds; the exact float lives in the extension.
            "elapsed_seconds": int(elapsed),
            "completed": state.completed,
            "auto_saved": bool(auto_saved),
            "emergency_saved": bool(emergency_saved),
            "quit_by_user": state.quit_by_user,
        },
        EXTENSION_KEY: extension,
    }
    # A top-level key (not in the extension): the class tools read it from session, results and collected
    # files alike, and the original app ignores keys it does not know.
    learner = getattr(state, "learner", None)
    if learner:
        session[LEARNER_KEY] = learner
    return session


def from_session(
    data: Mapping[str, Any], exam: Exam, *, clock_now: Callable[[], float] = time.monotonic
) -> QuizState:
    """Rebuild a state from a session dict (ours, or one written by the original app).

    The dict is read into one checked record first (session_record.read_session: a SessionError names
    the file and field), then the state is built from it (restore.build_state). ``clock_now`` is the
    monotonic clock the restored Clock continues on from the saved time.
    """
    return build_state(exam, read_session(data), clock_now=clock_now)
