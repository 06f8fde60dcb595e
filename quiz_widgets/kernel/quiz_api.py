"""QuizAPI: the Python API of a live quiz, what the view's buttons do: QuizWidget's answer(), goto(),
submit(), save() ... and its read-only properties (state, score details, session and results files).

A mixin, so these stay QuizWidget's own methods (``quiz.answer("B")`` in a notebook) while the widget
module keeps only traits and wiring. Each method is one intent of the QuizController behind the LiveQuiz,
then ``_publish()``, which the widget supplies: the changed state goes to the page in one message. Those
wrapped in ``_then_publish`` publish even when the intent was refused, so the page shows why.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from quiz_widgets.kernel.static_page import static_text, with_static_text

if TYPE_CHECKING:
    from quiz_widgets.kernel.controller import QuizController
    from quiz_widgets.kernel.live_quiz import LiveQuiz
    from quiz_widgets.quiz.state import QuizState

__all__ = ["QuizAPI"]

R = TypeVar("R")


def _then_publish(method: Callable[..., R]) -> Callable[..., R]:
    """Publish the state after ``method``, even when it raised (a refused answer still shows its error)."""

    @functools.wraps(method)
    def wrapper(self: QuizAPI, *args: Any, **kwargs: Any) -> R:
        try:
            return method(self, *args, **kwargs)
        finally:
            self._publish()

    return wrapper


class QuizAPI:
    """The quiz's Python API over ``self._live`` (a LiveQuiz); mixed into QuizWidget."""

    @_then_publish
    def answer(self, value: object, confidence: int | None = None) -> bool | None:
        """Answer the current question (letter, option text, index, list, number or text); True if correct.

        In exam mode None: whether it is right is known only after submit(), in Python as on the page.
        ``confidence``: how sure, 1 guessing, 2 fairly sure, 3 sure, for a quiz made with confidence=True
        or "cbm"; left out, the answer has no level (CBM counts it as 1, as Moodle does; calibration leaves
        it out). A bad level, or one given to a quiz that does not ask, raises AnswerError.
        """
        result = self._ctl.answer(value, confidence)
        return result.correct if self._ctl.graded else None

    @property
    def cbm_score(self) -> float | None:
        """Moodle's certainty-based marks summed (C=1: +1/0, C=2: +2/-2, C=3: +3/-6; partly right answers
        their share of the right mark) for a quiz made with confidence="cbm"; None otherwise, and in exam
        mode before submit (it comes from the key)."""
        state = self._ctl.state
        if state.confidence != "cbm" or not self._ctl.graded:
            return None
        return state.cbm_score

    def next(self) -> None:
        """Leave the feedback and show the next question (or the finish screen)."""
        self._ctl.next()
        self._publish()

    def previous(self) -> None:
        """Show the question before the one on screen."""
        self._ctl.previous()
        self._publish()

    @_then_publish
    def goto(self, number: int) -> None:
        """Show question ``number`` (1-based, this quiz's order); ExamError (a ValueError) when out of range."""
        self._ctl.goto(number)

    @_then_publish
    def flag(self, number: int | None = None, flagged: bool = True) -> None:
        """Flag the question on screen (or question ``number``) for review; flagged=False removes the flag."""
        self._ctl.flag(number, flagged)

    @property
    def flags(self) -> set[int]:
        """The flagged questions' numbers (1-based, this quiz's order)."""
        return self._ctl.state.flags

    @_then_publish
    def submit(self) -> None:
        """End the attempt: graded, results written, the results shown (exam mode shows nothing before)."""
        self._ctl.submit()

    @_then_publish
    def show_answer(self) -> str:
        """Study mode: reveal the question's right answer and explanation (recorded in the session)."""
        return self._ctl.show_answer().correct_text()

    @_then_publish
    def review(self) -> list[dict[str, Any]]:
        """Every question of the finished attempt: your answer, the right one, the explanation, flagged,
        seconds. The view shows the review screen (filters: wrong, flagged; "Study wrong answers")."""
        return self._ctl.review()

    @property
    def points(self) -> float:
        """Sum of the credits earned: 1 per fully right answer plus each partly right one's fraction."""
        return self._ctl.state.points

    @property
    def time_remaining(self) -> float | None:
        """Seconds left of a timed exam (None without a time limit)."""
        return self._ctl.state.time_left

    def pause(self) -> None:
        """Hide the question and stop the clock."""
        self._ctl.pause()
        self._publish()

    def unpause(self) -> None:
        self._ctl.unpause()
        self._publish()

    def finish(self) -> None:
        """Quit the quiz now: saved with quit_by_user=True, the finish screen shown."""
        self._ctl.finish()
        self._publish()

    def save(self) -> Path:
        """Save now and return the session file. Raises if the save fails (the state is kept)."""
        writer = self._ctl.writer
        writer.require_writable()
        path = writer.save(create=True)
        self._publish()
        if path is None:
            writer.require_writable()  # the save found the file taken by another kernel
            raise OSError(writer.last_error)
        return path

    # -- what the quiz holds ---------------------------------------------------------------------------
    @property
    def state(self) -> QuizState:
        return self._ctl.state

    @property
    def total_answered(self) -> int:
        return self._ctl.state.total_answered

    @property
    def wrong_answers(self) -> list[dict]:
        return [dict(entry) for entry in self._ctl.state.wrong_answers]

    @property
    def elapsed_seconds(self) -> float:
        return self._ctl.state.elapsed_seconds

    @property
    def completed(self) -> bool:
        return self._ctl.state.completed

    @property
    def session_path(self) -> Path | None:
        return self._ctl.writer.path

    @property
    def results_path(self) -> Path | None:
        return self._ctl.results_path

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        # Beside the widget view: what a static page (nbconvert, Jupyter Book) shows in its place.
        bundle = super()._repr_mimebundle_(**kwargs)  # type: ignore[misc]
        # In the language of lang= (a static page has no view to tell the page's); English without.
        words = self._static_words()
        _ = words.gettext
        heading = _("Quiz")
        note = _("This quiz runs in Jupyter: open this notebook in Jupyter to take the quiz.")
        live = self.__dict__.get("_live")
        if live is None or live.controller is None:
            return with_static_text(bundle, static_text(heading, "", [], note))
        state = live.controller.state
        total = len(state.order)
        progress = words.ngettext(
            "{total} question, {answered} answered", "{total} questions, {answered} answered", total
        ).format(total=total, answered=state.total_answered)
        return with_static_text(bundle, static_text(heading, state.exam.title, [progress], note))

    def _static_words(self) -> gettext.NullTranslations:
        return gettext.NullTranslations()  # QuizWidget: the catalogue of its lang=

    # -- what the widget supplies ---------------------------------------------------------------------
    _live: LiveQuiz

    def _publish(self) -> None:
        raise NotImplementedError  # QuizWidget: the state to the page, in one message

    @property
    def _ctl(self) -> QuizController:
        if self._live.controller is None:
            raise RuntimeError("QuizWidget is not started")
        return self._live.controller
