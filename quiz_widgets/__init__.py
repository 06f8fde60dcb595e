"""Practice quizzes and exams in Jupyter notebooks that never lose an answer."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Imported on first use so that `quiz-widgets validate` and the storage layer do not pay for
# importing ipywidgets/anywidget, and so a broken front-end install cannot stop a CLI rescue.
_EXPORTS = {
    "QuizWidget": "quiz_widgets.ui.quiz_widget",
    "SessionBrowser": "quiz_widgets.ui.session_browser",
    "SessionManager": "quiz_widgets.store.manager",
    "load_exam": "quiz_widgets.exam",
    "Exam": "quiz_widgets.exam",
    "Question": "quiz_widgets.exam",
    "ExamError": "quiz_widgets.errors",
    "AnswerError": "quiz_widgets.errors",
    "SessionError": "quiz_widgets.errors",
    "QuizState": "quiz_widgets.quiz.state",
    "ClassReport": "quiz_widgets.teaching.report",
    "ClassView": "quiz_widgets.ui.class_view",
    "my_progress": "quiz_widgets.review.progress",
    "ReviewDeck": "quiz_widgets.ui.review_deck",
}

__all__ = [
    "AnswerError",
    "ClassReport",
    "ClassView",
    "Exam",
    "ExamError",
    "Question",
    "QuizState",
    "QuizWidget",
    "ReviewDeck",
    "SessionBrowser",
    "SessionError",
    "SessionManager",
    "__version__",
    "load_exam",
    "my_progress",
]

if TYPE_CHECKING:
    from quiz_widgets.errors import AnswerError, ExamError, SessionError
    from quiz_widgets.exam import Exam, Question, load_exam
    from quiz_widgets.quiz.state import QuizState
    from quiz_widgets.review.progress import my_progress
    from quiz_widgets.store.manager import SessionManager
    from quiz_widgets.teaching.report import ClassReport
    from quiz_widgets.ui.class_view import ClassView
    from quiz_widgets.ui.quiz_widget import QuizWidget
    from quiz_widgets.ui.review_deck import ReviewDeck
    from quiz_widgets.ui.session_browser import SessionBrowser


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'quiz_widgets' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext quiz_widgets`` registers the ``%%quiz`` cell magic (quiz_widgets/magics.py)."""
    from quiz_widgets.magics import load_ipython_extension as load

    load(ipython)
