"""The session dict: what to_session(state) writes and from_session(data, exam) reads.

The dict keeps the original app's fields exactly (that app must still be able to read what we write)
and adds one namespaced key, ``"quiz_widgets"``, that makes resume exact. from_session() reads our files
and the original app's, checking every field and naming the file and field in each SessionError. This
module holds the original app's fields; our key is extension.py's, and the field checks session_fields.py's.

The state is restored through its public methods (carry_over, restore_answer, mark_restored): the codec
knows the state, the state does not know the codec.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Mapping
from typing import Any

from quiz_widgets.exam import Exam
from quiz_widgets.quiz.extension import (
    EXTENSION_KEY,
    FORMAT_VERSION,
    SETTINGS,
    from_extension,
    to_extension,
)
from quiz_widgets.quiz.session_fields import (
    bool_field,
    count_field,
    field_error,
    mapping_field,
    number_field,
    source_name,
    wrong_list,
)
from quiz_widgets.quiz.state import QuizState
from quiz_widgets.quiz.timing import Clock

__all__ = ["EXTENSION_KEY", "FORMAT_VERSION", "LEARNER_KEY", "SETTINGS", "from_session", "to_session"]

LEARNER_KEY = "learner"


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

    ``clock_now`` is the monotonic clock the restored Clock continues on from the saved time.
    """

    def new_clock(elapsed: float) -> Clock:
        return Clock(elapsed, now=clock_now)

    source = source_name(data)
    if not isinstance(data, Mapping):
        raise field_error(source, "<session>", data, "a JSON object (dict) with the session fields")
    session_date = data.get("session_date")
    if session_date is not None and not isinstance(session_date, str):
        raise field_error(source, "session_date", session_date, "an ISO date string")
    timer = mapping_field(data, "timer_data", source)
    quiz_mode = mapping_field(data, "quiz_mode", source)
    quit_flag = bool_field(timer, "quit_by_user", "timer_data.quit_by_user", source)
    bool_field(timer, "completed", "timer_data.completed", source)
    saved_elapsed = number_field(timer, "elapsed_seconds", "timer_data.elapsed_seconds", source)
    title = data.get("exam_title")
    if title is not None and not isinstance(title, str):
        raise field_error(source, "exam_title", title, "the exam title (a string)")

    extension = data.get(EXTENSION_KEY)
    if extension is None:
        state = _from_original(data, exam, quiz_mode, source, new_clock, saved_elapsed)
    else:
        if not isinstance(extension, Mapping):
            raise field_error(source, EXTENSION_KEY, extension, "an object with the quiz_widgets fields")
        state = from_extension(extension, exam, source, new_clock)
    if session_date is not None:
        state.session_date = session_date
    learner = data.get(LEARNER_KEY)
    if learner is not None and not isinstance(learner, str):
        raise field_error(source, LEARNER_KEY, learner, "the learner's name (a string)")
    # Kept as saved: a resumed attempt stays the attempt of whoever started it.
    state.learner = learner or None  # type: ignore[attr-defined]
    if title is not None and title != exam.title and extension is None:
        warnings.warn(
            f"{source}: the session was saved for exam {title!r}, resuming it with exam {exam.title!r}",
            UserWarning,
            stacklevel=3,
        )
    # A quiz the user quit stays finished when reloaded (the finish screen shows), as it was saved.
    state.mark_restored(quit_by_user=quit_flag)
    if timer.get("completed") is True and not state.completed:
        warnings.warn(
            f"{source}: timer_data.completed is true but only {state.total_answered} of "
            f"{len(state.order)} questions are answered; the quiz continues",
            UserWarning,
            stacklevel=3,
        )
    return state


def _from_original(
    data: Mapping[str, Any],
    exam: Exam,
    quiz_mode: Mapping[str, Any],
    source: str,
    new_clock: Callable[[float], Clock],
    saved_elapsed: float,
) -> QuizState:
    # As the seed's QuizState does: exam order, current index = total_answered, score, wrong answers
    # and time as saved; which answer went to which question is not in these files.
    state = QuizState(exam, clock=new_clock(saved_elapsed))
    score = count_field(quiz_mode, "score", "quiz_mode.score", source)
    answered = count_field(quiz_mode, "total_answered", "quiz_mode.total_answered", source)
    wrong = wrong_list(quiz_mode, "quiz_mode.wrong_answers", source)
    total = data.get("total_questions")
    if total is not None and (isinstance(total, bool) or not isinstance(total, int) or total < 0):
        raise field_error(source, "total_questions", total, "a whole number >= 0")
    if total is not None and total != len(exam):
        warnings.warn(
            f"{source}: the session was saved for {total} questions, exam {exam.title!r} has {len(exam)}",
            UserWarning,
            stacklevel=4,
        )
    if answered > len(exam):
        warnings.warn(
            f"{source}: quiz_mode.total_answered is {answered} but exam {exam.title!r} has only "
            f"{len(exam)} questions; resuming as {len(exam)} answered",
            UserWarning,
            stacklevel=4,
        )
        answered = len(exam)
    state.carry_over(answered, score, wrong)
    state.restore_progress()
    return state
