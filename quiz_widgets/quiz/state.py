"""The quiz as plain Python: Clock, AnswerResult and QuizState (answers, score and time).

Nothing here touches files, widgets or the event loop, so every rule about scoring and resuming can be
tested with a fake clock. The session dict is built and read in codec.py, which restores a state through
the public carry_over() / restore_answer() / mark_restored() methods; this module never imports the codec.
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from quiz_widgets.errors import ExamError, SessionError, shown
from quiz_widgets.exam import Exam, Question
from quiz_widgets.quiz import arrange

__all__ = ["MODES", "AnswerResult", "Clock", "QuizState", "copy_answer", "field_error"]


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


MODES = ("practice", "exam", "study")


@dataclass(frozen=True)
class AnswerResult:
    question: Question
    normalized: Any
    correct: bool
    index: int  # position of the question in the quiz order
    credit: float = 0.0  # share of the question's points, 0..1 (1.0 when correct)


def _time_limit(value: object, mode: str) -> float | None:
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value <= 0
    ):
        raise SessionError(f"time_limit: found {shown(value)}, expected a number of seconds > 0 or None")
    if mode != "exam":
        raise SessionError(f"time_limit: found {shown(value)} in {mode} mode; a time limit needs mode='exam'")
    return float(value)


class QuizState:
    """One learner's attempt at an exam (or at the questions drawn from it).

    The question on screen is ``order[position]``. Answering moves on to the next unanswered question in
    order (wrapping round), so answering in a row keeps the original app's rule, current index =
    total_answered. Sessions resumed from original-app files only know how many questions were answered,
    the score and the wrong answers; those are kept as "carried over" progress (the first questions of the
    order) and new answers are added on top.

    Modes: practice (feedback after each answer), exam (answers change until submit(); the key stays in
    the kernel until then; an optional time limit counts down on ``timer``) and study (show_answer()).
    """

    def __init__(
        self,
        exam: Exam,
        *,
        order: Sequence[Any] | None = None,
        clock: Clock | None = None,
        session_date: str | None = None,
        mode: str = "practice",
        time_limit: float | None = None,
        option_orders: Mapping[Any, Sequence[str]] | None = None,
        settings: Mapping[str, Any] | None = None,
        drawn: bool = False,
        timer: Clock | None = None,
    ) -> None:
        if mode not in MODES:
            raise SessionError(f"mode: found {shown(mode)}, expected one of {', '.join(MODES)}")
        self.exam = exam
        self._by_id: dict[Any, Question] = {q.id: q for q in exam.questions}
        self.drawn = bool(drawn)
        self.order: list[Any] = (
            self.check_order(order, "<order>", complete=not drawn) if order is not None else list(self._by_id)
        )
        self.clock = clock if clock is not None else Clock()
        self.session_date = session_date if session_date is not None else datetime.now().isoformat()
        self.mode = mode
        self.time_limit = _time_limit(time_limit, mode)
        # The countdown runs whenever the kernel does (no pause), unlike ``clock``, which counts study time.
        self.timer: Clock | None = None
        if self.time_limit is not None:
            self.timer = timer if timer is not None else Clock(now=self.clock._now)
        # How the quiz was arranged (shuffle, shuffle_options, draw, seed), kept for the session file.
        self.settings: dict[str, Any] = dict(settings or {})
        self.option_orders: dict[Any, tuple[str, ...]] = {
            qid: tuple(keys) for qid, keys in (option_orders or {}).items() if qid in self._by_id
        }
        self._answers: dict[Any, dict[str, Any]] = {}  # question id -> entry, in first-answer order
        self._credits: dict[Any, float] = {}
        self._flags: dict[Any, None] = {}  # ordered sets of question ids
        self._revealed: dict[Any, None] = {}
        self.position = 0
        self.submitted = False
        self._seconds: dict[Any, float] = {}
        self._shown: Any = None
        self._mark = 0.0
        # Progress carried over from an original-app session: answered count, score and wrong answers
        # are known, but not which answer was given to which question.
        self._carried_answered = 0
        self._carried_score = 0
        self._carried_wrong: list[dict[str, Any]] = []
        self._carried = False
        self.quit_by_user = False
        self._finished = False
        self._changes = 0
        self._set_bases()
        self.show(self.current_id)

    # -- reading ---------------------------------------------------------------------------------
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

    def question(self, qid: Any) -> Question:
        return self._by_id[qid]

    @property
    def total_questions(self) -> int:
        return len(self.order)

    @property
    def total_answered(self) -> int:
        return self._carried_answered + len(self._answers)

    @property
    def all_answered(self) -> bool:
        return self.total_answered >= len(self.order)

    def is_answered(self, qid: Any) -> bool:
        return qid in self._answers or qid in self.order[: self._carried_answered]

    def answer_of(self, qid: Any) -> dict[str, Any] | None:
        """The saved entry {question_id, answer, correct} of one question (None: unanswered or carried)."""
        entry = self._answers.get(qid)
        return copy.deepcopy(entry) if entry is not None else None

    def credit_of(self, qid: Any) -> float | None:
        if qid in self._credits:
            return self._credits[qid]
        return None

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

    def shown_question(self, question: Question) -> Question:
        """The question as the learner sees it (options in their shuffled order, lettered by place)."""
        return arrange.shown_question(question, self.option_orders.get(question.id))

    @property
    def answers(self) -> list[dict[str, Any]]:
        return copy.deepcopy(list(self._answers.values()))

    @property
    def score(self) -> int:
        return self._carried_score + sum(1 for entry in self._answers.values() if entry["correct"])

    @property
    def points(self) -> float:
        """Sum of the credits earned (a fully right answer 1, a partly right one its fraction)."""
        return round(self._carried_score + sum(self._credits.values()), 6)

    @property
    def wrong_answers(self) -> list[dict[str, Any]]:
        mine = [
            self._wrong_entry(self._by_id[qid], entry["answer"])
            for qid, entry in self._answers.items()
            if not entry["correct"]
        ]
        return copy.deepcopy(self._carried_wrong) + mine

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
    def flags(self) -> set[int]:
        """Flagged questions by number (1-based, this quiz's order)."""
        return {self.order.index(qid) + 1 for qid in self._flags}

    @property
    def flagged_ids(self) -> list[Any]:
        return list(self._flags)

    @property
    def revealed_ids(self) -> list[Any]:
        return list(self._revealed)

    def question_seconds(self) -> dict[Any, float]:
        """Seconds each question was on screen while the clock ran (the one on screen counted up to now)."""
        seconds = dict(self._seconds)
        if self._shown is not None:
            extra = self.clock.elapsed - self._mark
            if extra > 0:
                seconds[self._shown] = seconds.get(self._shown, 0.0) + extra
        return seconds

    @property
    def elapsed_seconds(self) -> float:
        return self.clock.elapsed

    @property
    def time_left(self) -> float | None:
        if self.timer is None or self.time_limit is None:
            return None
        return max(0.0, self.time_limit - self.timer.elapsed)

    @property
    def timed_out(self) -> bool:
        """The time limit ran out and the attempt is not yet submitted (the controller submits it)."""
        left = self.time_left
        return left is not None and left <= 0 and not self.finished

    @property
    def completed(self) -> bool:
        """Submitted, or (practice and study) every question answered; an exam completes by submit()."""
        return self.submitted or (self.mode != "exam" and self.all_answered)

    @property
    def finished(self) -> bool:
        """No more answers accepted: completed, or finish() was called."""
        return self._finished or self.completed

    @property
    def revision(self) -> int:
        changes = self._changes + (self.clock.transitions - self._clock_base)
        if self.timer is not None:
            # The time left is saved in whole seconds, like the clock: each one is a change to save.
            changes += self.timer.transitions - self._timer_base + int(self.timer.elapsed) - self._timer_secs
        return changes

    # -- changing --------------------------------------------------------------------------------
    def answer(self, value: Any) -> AnswerResult:
        """Grade ``value`` for the question on screen and move on to the next unanswered one.

        Letters and indexes mean the options as shown. Raises AnswerError for a value the question cannot
        take (nothing changes) and SessionError when the quiz is finished or (outside exam mode) the
        question is already answered.
        """
        question = self.current_question
        if question is None or self.finished:
            raise SessionError(
                f"quiz is finished: exam {self.exam.title!r}, {self.total_answered} of "
                f"{len(self.order)} questions answered; no more answers are accepted"
            )
        if self.mode != "exam" and self.is_answered(question.id):
            raise SessionError(
                f"{question.label()} is already answered; in {self.mode} mode an answer is final "
                "(go to an unanswered question)"
            )
        # Everything that can raise runs before anything changes, so a bad value leaves no trace.
        option_order = self.option_orders.get(question.id)
        normalized = arrange.original_answer(self.shown_question(question).normalize(value), option_order)
        credit = float(question.credit(normalized))
        correct = bool(question.is_correct(normalized))
        index = self.position
        self._record(question, normalized, correct, credit)
        self._changes += 1
        self._move_on()
        if self.completed:
            self._stop_clocks()
        return AnswerResult(question, copy_answer(normalized), correct, index, credit)

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

    def submit(self) -> None:
        """End the attempt and grade it (timer_data.completed); answers are final from here."""
        if self.submitted:
            return
        self._commit_time()
        self.submitted = True
        self._finished = True
        self.quit_by_user = False
        self._stop_clocks()
        self._changes += 1

    def finish(self, *, quit_by_user: bool = True) -> None:
        """End the quiz: stop the clock, refuse further answers; quit_by_user only if not completed."""
        changed = not self._finished
        self._commit_time()
        self._finished = True
        quit_flag = bool(quit_by_user) and not self.completed
        if quit_flag != self.quit_by_user:
            self.quit_by_user = quit_flag
            changed = True
        self._stop_clocks()
        if changed:
            self._changes += 1

    def show(self, qid: Any) -> None:
        """The question whose time now counts (the controller's feedback screen shows the answered one)."""
        self._commit_time()
        self._shown = qid if qid in self._by_id else None

    def _commit_time(self) -> None:
        now = self.clock.elapsed
        if self._shown is not None and now > self._mark:
            self._seconds[self._shown] = self._seconds.get(self._shown, 0.0) + (now - self._mark)
        self._mark = now

    def _stop_clocks(self) -> None:
        self._commit_time()
        self.clock.stop()
        if self.timer is not None:
            self.timer.stop()

    def _check_number(self, number: object, what: str) -> None:
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= len(self.order):
            raise ExamError(
                f"{what}: question number {shown(number)} is out of range; this quiz has questions "
                f"1..{len(self.order)}"
            )

    def _move_on(self) -> None:
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

    def _record(self, question: Question, normalized: Any, correct: bool, credit: float) -> None:
        self._answers[question.id] = {
            "question_id": question.id,
            "answer": copy_answer(normalized),
            "correct": correct,
        }
        self._credits[question.id] = credit

    @staticmethod
    def _wrong_entry(question: Question, normalized: Any) -> dict[str, Any]:
        return {
            "question_id": question.id,
            "question": question.text,
            "your_answer": question.describe(normalized),
            "correct_answer": question.correct_text(),
        }

    def _set_bases(self) -> None:
        self._clock_base = self.clock.transitions
        self._timer_base = self.timer.transitions if self.timer is not None else 0
        self._timer_secs = int(self.timer.elapsed) if self.timer is not None else 0

    # -- restoring saved progress (quiz.codec) -----------------------------------------------------
    def carry_over(self, answered: int, score: int, wrong: list[dict[str, Any]]) -> None:
        """Progress from an original-app session: how many were answered, the score and the wrong answers,
        but not which answer went to which question."""
        self._carried = True
        self._carried_answered = answered
        self._carried_score = score
        self._carried_wrong = wrong

    def restore_answer(self, question: Question, normalized: Any) -> bool:
        """Put back one saved answer (already normalized, the exam's keys); returns correct."""
        correct = bool(question.is_correct(normalized))
        self._record(question, normalized, correct, float(question.credit(normalized)))
        return correct

    def restore_progress(
        self,
        *,
        position: int | None = None,
        flags: Sequence[Any] = (),
        revealed: Sequence[Any] = (),
        seconds: Mapping[Any, float] | None = None,
        submitted: bool = False,
    ) -> None:
        """Put back where the learner was: the question on screen, flags, revealed ids, time per question.
        ``position`` None: the first unanswered question (the original app's current index)."""
        self._flags = {qid: None for qid in flags if qid in self.order}
        self._revealed = {qid: None for qid in revealed if qid in self._by_id}
        self._seconds = {qid: float(s) for qid, s in (seconds or {}).items() if qid in self._by_id}
        self.submitted = bool(submitted)
        if position is None or not 0 <= position <= len(self.order):
            position = next(
                (i for i, qid in enumerate(self.order) if not self.is_answered(qid)),
                len(self.order) if self.mode != "exam" else 0,
            )
        if position == len(self.order) and self.mode == "exam" and self.order:
            position = 0
        self.position = position

    def mark_restored(self, *, quit_by_user: bool) -> None:
        """The end of a restore: a quit quiz stays finished; the revision starts from here (unchanged)."""
        self.quit_by_user = quit_by_user and not self.completed
        self._finished = self.quit_by_user or self.submitted
        if self.finished:
            self.clock.stop()
            if self.timer is not None:
                self.timer.stop()
        self._changes = 0
        self._mark = self.clock.elapsed
        self._shown = None
        self.show(self.current_id)
        self._set_bases()
