"""Which saved session a new quiz of an exam continues (QuizWidget's ``attempt="continue"``).

Re-running a notebook cell must pick up where the learner was, and must never mix two quizzes. So a session
continues only an attempt at **the same exam**, which means:

- the same title (exactly, after the loader's strip), so a pre-test and a post-test that share questions
  but not a title never share a file; and
- the same questions: the session's exam fingerprint (sha256 of the questions as written, exam/loading.py)
  equals the exam's. An exam loaded from a file is also the same exam after its questions were edited in
  that file (the session records the file's path): its answers are then matched by question id, as on any
  resume (quiz/changes.py), and one warning says what changed. A quiz written in a cell has no file, so
  editing its questions makes a new exam and a new attempt (two quizzes in one notebook differ in title or
  questions, and never share a file).

Of those, the newest unfinished one is continued: not completed, not quit, not submitted. Sessions written
by the original app (no fingerprint) are never continued implicitly; QuizWidget.resume opens them.

And only the learner's own: a session that names another learner is never continued, so two learners of
one project folder (visitors of one `marimo run` app, a shared course folder) each get their own attempt,
and neither quiz takes the other's file over. A session that names no learner is anyone's, as before.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from pathlib import Path

from quiz_widgets.exam import Exam
from quiz_widgets.quiz.codec import EXTENSION_KEY
from quiz_widgets.store.manager import SessionManager

__all__ = ["attempt_number", "find_attempt_to_continue", "same_exam", "unfinished"]


def same_exam(entry: Mapping, exam: Exam) -> bool:
    """True if a saved session (a listing entry or a whole session dict) is an attempt at ``exam``."""
    if entry.get("exam_title") != exam.title:
        return False
    ours = entry.get(EXTENSION_KEY)
    if not isinstance(ours, Mapping):
        return False
    if ours.get("exam_fingerprint") == exam.fingerprint:
        return True
    recorded = ours.get("exam_path")
    return exam.source is not None and isinstance(recorded, str) and _same_file(recorded, exam.source)


def unfinished(entry: Mapping) -> bool:
    """Not completed, not quit by the user (a quiz that was submitted or timed out is completed)."""
    timer = entry.get("timer_data")
    if not isinstance(timer, Mapping):
        return True
    return timer.get("completed") is not True and timer.get("quit_by_user") is not True


def find_attempt_to_continue(manager: SessionManager, exam: Exam, learner: str | None = None) -> Path | None:
    """The newest unfinished session of ``exam`` under ``manager``'s folder (of ``learner``, when given: see
    the module's docstring), or None.

    Unreadable session files are skipped silently here (the Previous Sessions browser and
    ``quiz-widgets sessions list`` name them): a quiz must open whatever else lies in the folder.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        entries = manager.find_study_sessions()  # newest first
    for entry in entries:
        if same_exam(entry, exam) and unfinished(entry) and _learners_own(entry, learner):
            return Path(entry["_filepath"])
    return None


def attempt_number(manager: SessionManager, exam: Exam, learner: str | None = None) -> int:
    """The number a new attempt at ``exam`` by ``learner`` gets: 1 + the attempts saved under the folder.

    Part of a generated question's seed (exam/generated.py), so each new attempt asks a new variant."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        entries = manager.find_study_sessions()
    return 1 + sum(1 for entry in entries if same_exam(entry, exam) and _learners_own(entry, learner))


def _learners_own(entry: Mapping, learner: str | None) -> bool:
    recorded = entry.get("learner")
    return learner is None or not isinstance(recorded, str) or recorded == learner


def _same_file(recorded: str, source: Path) -> bool:
    try:
        return Path(recorded).resolve() == source.resolve()
    except (OSError, ValueError):
        return False
