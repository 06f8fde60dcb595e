"""Moving through a quiz and marking its questions: the question order (checked), the question on screen,
goto, flags, revealed answers.

A base class of QuizState, kept apart from state.py so answering and scoring read on their own: nothing
here grades an answer. It works on the state's own fields, set by QuizState.__init__ (declared below), and
calls its ``finished``, ``is_answered()`` and ``show()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from quiz_widgets.errors import ExamError, SessionError, shown
from quiz_widgets.quiz.session_fields import field_error

if TYPE_CHECKING:
    from quiz_widgets.exam import Exam, Question

__all__ = ["Navigation"]


class Navigation:
    """The question on screen is ``order[position]``; flags and revealed answers are ordered sets of ids."""

    exam: Exam
    mode: str
    order: list[Any]
    position: int
    finished: bool
    _by_id: dict[Any, Question]
    _flags: dict[Any, None]
    _revealed: dict[Any, None]
    _changes: int

    if TYPE_CHECKING:  # QuizState's, in state.py

        def is_answered(self, qid: Any) -> bool: ...
        def show(self, qid: Any) -> None: ...

    def check_order(self, order: Sequence[Any], source: str, *, complete: bool = True) -> list[Any]:
        """``order`` checked as a permutation of the exam's question ids (SessionError naming ``source``);
        ``complete=False``: of some of them (a drawn quiz), at least one."""
        if isinstance(order, (str, bytes)) or not isinstance(order, Sequence):
            raise field_error(source, "question_order", order, "a list of question ids")
        result: list[Any] = []
        seen: set[Any] = set()
        for qid in order:
            question = (
                self.exam.by_id(qid) if isinstance(qid, (int, str)) and not isinstance(qid, bool) else None
            )
            if question is None:
                raise field_error(source, "question_order", qid, f"a question id of exam {self.exam.title!r}")
            if question.id in seen:
                raise field_error(source, "question_order", qid, "each question id once")
            seen.add(question.id)
            result.append(question.id)
        if complete and len(result) != len(self._by_id):
            missing = [qid for qid in self._by_id if qid not in result]
            raise field_error(
                source, "question_order", list(order), f"every question id, missing {shown(missing)}"
            )
        if not result:
            raise field_error(source, "question_order", list(order), "at least one question id")
        return result

    @property
    def current_index(self) -> int:
        return self.position

    @property
    def current_id(self) -> Any:
        return self.order[self.position] if self.position < len(self.order) else None

    @property
    def current_question(self) -> Question | None:
        qid = self.current_id
        return self._by_id[qid] if qid is not None else None

    @property
    def flags(self) -> set[int]:
        """Flagged questions by number (1-based, this quiz's order)."""
        return {self.order.index(qid) + 1 for qid in self._flags}

    @property
    def flagged_ids(self) -> list[Any]:
        return list(self._flags)

    @property
    def revealed_ids(self) -> list[Any]:
        return list(self._revealed)

    def goto(self, number: int) -> Question:
        """Show question ``number`` (1-based, this quiz's order). ExamError when out of range."""
        self._check_number(number, "goto")
        if self.finished:
            raise SessionError(f"quiz is finished: exam {self.exam.title!r}; review() shows every question")
        if self.position != number - 1:
            self.position = number - 1
            self._changes += 1
            self.show(self.current_id)
        return self._by_id[self.order[number - 1]]

    def flag(self, number: int | None = None, flagged: bool = True) -> None:
        """Mark a question (the one on screen when ``number`` is None) for review, or unmark it."""
        if not isinstance(flagged, bool):
            raise SessionError(f"flag: 'flagged' found {shown(flagged)}, expected True or False")
        if number is None:
            qid = self.current_id
            if qid is None:
                raise SessionError("flag: no question is on screen; give its number, flag(n)")
        else:
            self._check_number(number, "flag")
            qid = self.order[number - 1]
        if flagged == (qid in self._flags):
            return
        if flagged:
            self._flags[qid] = None
        else:
            del self._flags[qid]
        self._changes += 1

    def reveal(self) -> Question:
        """Study mode: the question on screen, recorded as revealed (its answer and explanation shown)."""
        if self.mode != "study":
            raise SessionError(f"show_answer() is for study mode; this quiz is in {self.mode} mode")
        question = self.current_question
        if question is None or self.finished:
            raise SessionError("show_answer(): no question is on screen")
        if question.id not in self._revealed:
            self._revealed[question.id] = None
            self._changes += 1
        return question

    def _check_number(self, number: object, what: str) -> None:
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= len(self.order):
            raise ExamError(
                f"{what}: question number {shown(number)} is out of range; this quiz has questions "
                f"1..{len(self.order)}"
            )

    def _move_on(self) -> None:
        """After an answer: the next unanswered question in order, wrapping round."""
        total = len(self.order)
        for step in range(1, total + 1):
            index = (self.position + step) % total
            if not self.is_answered(self.order[index]):
                self.position = index
                self.show(self.current_id)
                return
        if self.mode != "exam":
            self.position = total  # the original app's "current index == total" when all are answered
            self.show(None)
