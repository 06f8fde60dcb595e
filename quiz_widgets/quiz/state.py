"""The quiz as plain Python: Clock, AnswerResult and QuizState (answers, score and time).

Nothing here touches files, widgets or the event loop, so every rule about scoring and resuming can be
tested with a fake clock. The session dict is built and read in codec.py, which restores a state through
the public carry_over() / restore_answer() / mark_restored() methods; this module never imports the codec.
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from quiz_widgets.errors import SessionError, shown
from quiz_widgets.exam import Exam, Question

__all__ = ["AnswerResult", "Clock", "QuizState", "copy_answer", "field_error"]


def field_error(source: str, field: str, found: object, expected: str) -> SessionError:
    return SessionError(f"{source}: field {field!r}: found {shown(found)}, expected {expected}")


def copy_answer(value: Any) -> Any:
    return list(value) if isinstance(value, (list, tuple)) else value


class Clock:
    """Elapsed quiz time on a monotonic clock, counting only while running.

    A resumed session passes its saved time as ``elapsed``: the clock continues from that offset, so
    wall-clock jumps (NTP, suspend, DST) never change the time a learner took.
    """

    def __init__(self, elapsed: float = 0.0, *, now: Callable[[], float] = time.monotonic) -> None:
        if isinstance(elapsed, bool) or not isinstance(elapsed, (int, float)):
            raise TypeError(f"elapsed must be a number of seconds, got {shown(elapsed)}")
        if not math.isfinite(elapsed) or elapsed < 0:
            raise ValueError(f"elapsed must be a finite number >= 0, got {shown(elapsed)}")
        self._offset = float(elapsed)
        self._now = now
        self._started_at: float | None = None
        # Counts start/stop transitions so QuizState.revision sees clock changes made directly on the
        # clock (the widget starts/stops it) without the clock having to know about the state.
        self.transitions = 0

    @property
    def running(self) -> bool:
        return self._started_at is not None

    @property
    def elapsed(self) -> float:
        if self._started_at is None:
            return self._offset
        # max(): a misbehaving injected clock must never make time run backwards.
        return self._offset + max(0.0, self._now() - self._started_at)

    def start(self) -> bool:
        """Start counting; returns False (and changes nothing) when already running."""
        if self._started_at is not None:
            return False
        self._started_at = self._now()
        self.transitions += 1
        return True

    def stop(self) -> bool:
        """Stop counting; returns False (and changes nothing) when already stopped."""
        if self._started_at is None:
            return False
        self._offset = self.elapsed
        self._started_at = None
        self.transitions += 1
        return True

    def __repr__(self) -> str:
        return f"Clock(elapsed={self.elapsed:.3f}, running={self.running})"


@dataclass(frozen=True)
class AnswerResult:
    question: Question
    normalized: Any
    correct: bool
    index: int  # position of the question in the quiz order


class QuizState:
    """One learner's pass through an exam.

    As in the original app, the current question is ``order[total_answered]``: answering moves the quiz
    on. Sessions resumed from original-app files only know how many questions were answered, the score and
    the wrong answers; those are kept as "carried over" progress and new answers are added on top.
    """

    def __init__(
        self,
        exam: Exam,
        *,
        order: Sequence[Any] | None = None,
        clock: Clock | None = None,
        session_date: str | None = None,
    ) -> None:
        self.exam = exam
        self._by_id: dict[Any, Question] = {q.id: q for q in exam.questions}
        self.order: list[Any] = self.check_order(order, "<order>") if order is not None else list(self._by_id)
        self.clock = clock if clock is not None else Clock()
        self.session_date = session_date if session_date is not None else datetime.now().isoformat()
        self._answers: list[dict[str, Any]] = []
        self._wrong: list[dict[str, Any]] = []
        self._score = 0
        # Progress carried over from an original-app session: answered count, score and wrong answers
        # are known, but not which answer was given to which question.
        self._carried_answered = 0
        self._carried_score = 0
        self._carried_wrong: list[dict[str, Any]] = []
        self._carried = False
        self.quit_by_user = False
        self._finished = False
        self._changes = 0
        self._clock_base = self.clock.transitions

    # -- reading ---------------------------------------------------------------------------------
    def check_order(self, order: Sequence[Any], source: str) -> list[Any]:
        """``order`` checked as a permutation of the exam's question ids (SessionError naming ``source``)."""
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
        if len(result) != len(self._by_id):
            missing = [qid for qid in self._by_id if qid not in result]
            raise field_error(
                source, "question_order", list(order), f"every question id, missing {shown(missing)}"
            )
        return result

    @property
    def total_questions(self) -> int:
        return len(self.order)

    @property
    def total_answered(self) -> int:
        return self._carried_answered + len(self._answers)

    @property
    def current_index(self) -> int:
        return self.total_answered

    @property
    def current_question(self) -> Question | None:
        index = self.total_answered
        return self._by_id[self.order[index]] if index < len(self.order) else None

    @property
    def answers(self) -> list[dict[str, Any]]:
        return copy.deepcopy(self._answers)

    @property
    def score(self) -> int:
        return self._carried_score + self._score

    @property
    def wrong_answers(self) -> list[dict[str, Any]]:
        return copy.deepcopy(self._carried_wrong + self._wrong)

    @property
    def carried_over(self) -> dict[str, Any] | None:
        """Progress restored from an original-app file (no per-answer detail), or None."""
        if not self._carried:
            return None
        return {
            "score": self._carried_score,
            "total_answered": self._carried_answered,
            "wrong_answers": copy.deepcopy(self._carried_wrong),
        }

    @property
    def elapsed_seconds(self) -> float:
        return self.clock.elapsed

    @property
    def completed(self) -> bool:
        return self.total_answered >= len(self.order)

    @property
    def finished(self) -> bool:
        """No more answers accepted: every question answered, or finish() was called."""
        return self._finished or self.completed

    @property
    def revision(self) -> int:
        return self._changes + (self.clock.transitions - self._clock_base)

    # -- changing --------------------------------------------------------------------------------
    def answer(self, value: Any) -> AnswerResult:
        """Grade ``value`` for the current question and move on.

        Raises AnswerError for a value the question cannot take (nothing changes) and SessionError
        when the quiz is finished.
        """
        question = self.current_question
        if question is None or self._finished:
            raise SessionError(
                f"quiz is finished: exam {self.exam.title!r}, {self.total_answered} of "
                f"{len(self.order)} questions answered; no more answers are accepted"
            )
        # Everything that can raise runs before anything changes, so a bad value leaves no trace.
        normalized = question.normalize(value)
        correct = bool(question.is_correct(normalized))
        wrong = None if correct else self._wrong_entry(question, normalized)
        index = self.total_answered
        self._answers.append(
            {"question_id": question.id, "answer": copy_answer(normalized), "correct": correct}
        )
        if correct:
            self._score += 1
        else:
            self._wrong.append(wrong)
        self._changes += 1
        if self.completed:
            self.clock.stop()
        return AnswerResult(
            question=question, normalized=copy_answer(normalized), correct=correct, index=index
        )

    def finish(self, *, quit_by_user: bool = True) -> None:
        """End the quiz: stop the clock, refuse further answers; quit_by_user only if not completed."""
        changed = not self._finished
        self._finished = True
        quit_flag = bool(quit_by_user) and not self.completed
        if quit_flag != self.quit_by_user:
            self.quit_by_user = quit_flag
            changed = True
        self.clock.stop()
        if changed:
            self._changes += 1

    @staticmethod
    def _wrong_entry(question: Question, normalized: Any) -> dict[str, Any]:
        return {
            "question_id": question.id,
            "question": question.text,
            "your_answer": question.describe(normalized),
            "correct_answer": question.correct_text(),
        }

    # -- restoring saved progress (quiz.codec) -----------------------------------------------------
    def carry_over(self, answered: int, score: int, wrong: list[dict[str, Any]]) -> None:
        """Progress from an original-app session: how many were answered, the score and the wrong answers,
        but not which answer went to which question."""
        self._carried = True
        self._carried_answered = answered
        self._carried_score = score
        self._carried_wrong = wrong

    def restore_answer(self, question: Question, normalized: Any) -> bool:
        """Put back one saved answer (already normalized) as the next answered question; returns correct."""
        correct = bool(question.is_correct(normalized))
        self._answers.append(
            {"question_id": question.id, "answer": copy_answer(normalized), "correct": correct}
        )
        if correct:
            self._score += 1
        else:
            self._wrong.append(self._wrong_entry(question, normalized))
        return correct

    def mark_restored(self, *, quit_by_user: bool) -> None:
        """The end of a restore: a quit quiz stays finished; the revision starts from here (unchanged)."""
        self.quit_by_user = quit_by_user and not self.completed
        self._finished = self.quit_by_user
        self._changes = 0
        self._clock_base = self.clock.transitions
