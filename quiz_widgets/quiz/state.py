"""The quiz as plain Python: AnswerResult and QuizState (answers, score and time).

Nothing here touches files, widgets or the event loop, so every rule about scoring and resuming can be
tested with a fake clock. The session dict is built in codec.py and read back by session_record.py (one
checked record) and restore.py, which builds a state through the public carry_over() / restore_answer() /
restore_progress() / mark_restored() methods; this module never imports them. Moving between questions and marking them is navigation.py's (a base class of
QuizState); the clocks and the seconds per question are timing.py's.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from quiz_widgets.errors import AnswerError, SessionError, shown
from quiz_widgets.exam import Exam, Question, kinds
from quiz_widgets.quiz import arrange
from quiz_widgets.quiz import confidence as levels
from quiz_widgets.quiz.navigation import Navigation
from quiz_widgets.quiz.session_fields import field_error
from quiz_widgets.quiz.timing import Clock, QuestionTimes, check_time_limit

# Clock and field_error are re-exported: they lived here first, and callers import them from here.
__all__ = ["MODES", "AnswerResult", "Clock", "QuizState", "copy_answer", "field_error"]


def copy_answer(value: Any) -> Any:
    return list(value) if isinstance(value, (list, tuple)) else value


# What copy.deepcopy gives back as it is (immutable): an entry's ids, flags and most answers are these.
_SHARED = frozenset({str, int, float, bool, type(None)})


def _copy_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of a saved entry: copy.deepcopy of its few values, only where they are containers (an
    answer's list or mapping). A deepcopy of every entry on every save was a tenth of an answer's handling
    with 200 questions, growing with each answer."""
    return {key: value if type(value) in _SHARED else _copy_value(value) for key, value in entry.items()}


def _copy_value(value: Any) -> Any:
    if type(value) is list and all(type(item) in _SHARED for item in value):
        return list(value)  # the usual container: a multiple choice's keys
    return copy.deepcopy(value)


MODES = ("practice", "exam", "study")


@dataclass(frozen=True)
class AnswerResult:
    question: Question
    normalized: Any
    correct: bool
    index: int  # position of the question in the quiz order
    credit: float = 0.0  # share of the question's points, 0..1 (1.0 when correct)
    confidence: int | None = None  # how sure the learner said they were (1-3), None when not asked


class QuizState(Navigation):
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
        confidence: bool | str = False,
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
        self.time_limit = check_time_limit(time_limit, mode)
        # Whether each answer also says how sure (True), and is scored by certainty-based marking ("cbm").
        self.confidence: bool | str = levels.check_setting(confidence)
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
        self._times = QuestionTimes()
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

    def is_carried(self, qid: Any) -> bool:
        """Answered in an original-app session, whose file keeps no answer per question (only a count)."""
        return qid not in self._answers and qid in self.order[: self._carried_answered]

    def carried_status(self, qid: Any) -> str | None:
        """A question answered in an original-app session: "wrong" when its saved wrong answers name it,
        "right" when they name every wrong one of those questions (so the others were right), else
        "answered": the file does not say (an id missing or outside the first questions of this order).
        None for a question not carried over."""
        if not self.is_carried(qid):
            return None
        wrong_ids = {str(entry.get("question_id")) for entry in self._carried_wrong}
        if str(qid) in wrong_ids:
            return "wrong"
        named = sum(1 for other in self.order[: self._carried_answered] if str(other) in wrong_ids)
        return "right" if named == self._carried_answered - self._carried_score else "answered"

    @property
    def unanswered_ids(self) -> list[Any]:
        """The questions of this attempt not answered, in quiz order."""
        return [qid for qid in self.order if not self.is_answered(qid)]

    @property
    def out_of(self) -> int:
        """What the score is out of: every question of a completed attempt (a submitted exam's unanswered
        questions count as not right), else the answered ones (a quiz quit early reports on what was tried).
        """
        return len(self.order) if self.completed else self.total_answered

    def answer_of(self, qid: Any) -> dict[str, Any] | None:
        """The saved entry {question_id, answer, correct} of one question (None: unanswered or carried)."""
        entry = self._answers.get(qid)
        return _copy_entry(entry) if entry is not None else None

    def correct_of(self, qid: Any) -> bool | None:
        """Whether the saved answer to ``qid`` is right; None: unanswered or carried. (No copy of the entry:
        the question map asks this of every question on every redraw.)"""
        entry = self._answers.get(qid)
        return None if entry is None else bool(entry["correct"])

    def confidence_of(self, qid: Any) -> int | None:
        """How sure the learner said they were of their answer to ``qid`` (1-3); None when not said."""
        entry = self._answers.get(qid)
        return entry.get("confidence") if entry is not None else None

    @property
    def cbm_score(self) -> float:
        """Moodle's certainty-based marks summed (quiz/confidence.py): an answer without a level, and
        each right answer carried over from an original-app file, counts at C=1; unanswered ones 0."""
        marks = sum(
            levels.cbm_mark(self._credits.get(qid, 0.0), entry.get("confidence"))
            for qid, entry in self._answers.items()
        )
        return round(self._carried_score * levels.RIGHT_MARKS[levels.DEFAULT_LEVEL] + marks, 6)

    def credit_of(self, qid: Any) -> float | None:
        if qid in self._credits:
            return self._credits[qid]
        return None

    def shown_question(self, question: Question) -> Question:
        """The question as the learner sees it (options in their shuffled order, lettered by place)."""
        return arrange.shown_question(question, self.option_orders.get(question.id))

    @property
    def answers(self) -> list[dict[str, Any]]:
        """A copy of every saved entry, in the order answered (each save copies them all)."""
        return [_copy_entry(entry) for entry in self._answers.values()]

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

    def question_seconds(self) -> dict[Any, float]:
        """Seconds each question was on screen while the clock ran (the one on screen counted up to now)."""
        return self._times.seconds(self.clock.elapsed)

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
    def answer(self, value: Any, confidence: int | None = None) -> AnswerResult:
        """Grade ``value`` for the question on screen and move on to the next unanswered one.

        Letters and indexes mean the options as shown. ``confidence``: how sure (1 guessing, 2 fairly
        sure, 3 sure) when the quiz asks (``self.confidence``); None gives no level. Raises AnswerError for
        a value the question cannot take or a bad level (nothing changes) and SessionError when the quiz
        is finished or (outside exam mode) the question is already answered.
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
        level = self._checked_level(question, confidence)
        # Only a choice kind's answer names options by their letters on screen; the others name texts.
        option_order = self.option_orders.get(question.id) if kinds.get(question.kind).choice else None
        normalized = arrange.original_answer(self.shown_question(question).normalize(value), option_order)
        credit = float(question.credit(normalized))
        correct = bool(question.is_correct(normalized))
        index = self.position
        self._record(question, normalized, correct, credit, level)
        self._changes += 1
        self._move_on()
        if self.completed:
            self._stop_clocks()
        return AnswerResult(question, copy_answer(normalized), correct, index, credit, level)

    def _checked_level(self, question: Question, confidence: object) -> int | None:
        if confidence is None:
            return None
        if not self.confidence:
            raise AnswerError(
                f"{question.label()}: confidence={shown(confidence)} given, but this quiz does not ask how "
                "sure (QuizWidget(exam, confidence=True) asks it)"
            )
        try:
            return levels.check_level(confidence, question.label())
        except ValueError as exc:
            raise AnswerError(str(exc)) from None

    def submit(self) -> None:
        """End the attempt and grade it (timer_data.completed); answers are final from here."""
        if self.submitted:
            return
        self._times.commit(self.clock.elapsed)
        self.submitted = True
        self._finished = True
        self.quit_by_user = False
        self._stop_clocks()
        self._changes += 1

    def finish(self, *, quit_by_user: bool = True) -> None:
        """End the quiz: stop the clock, refuse further answers; quit_by_user only if not completed."""
        changed = not self._finished
        self._times.commit(self.clock.elapsed)
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
        self._times.show(qid if qid in self._by_id else None, self.clock.elapsed)

    def _stop_clocks(self) -> None:
        self._times.commit(self.clock.elapsed)
        self.clock.stop()
        if self.timer is not None:
            self.timer.stop()

    def _record(
        self, question: Question, normalized: Any, correct: bool, credit: float, level: int | None = None
    ) -> None:
        entry = {"question_id": question.id, "answer": copy_answer(normalized), "correct": correct}
        if level is not None:
            entry["confidence"] = level
        self._answers[question.id] = entry
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

    # -- restoring saved progress (restore.py) ------------------------------------------------------
    def carry_over(self, answered: int, score: int, wrong: list[dict[str, Any]]) -> None:
        """Progress from an original-app session: how many were answered, the score and the wrong answers,
        but not which answer went to which question."""
        self._carried = True
        self._carried_answered = answered
        self._carried_score = score
        self._carried_wrong = wrong

    def restore_answer(self, question: Question, normalized: Any, confidence: int | None = None) -> bool:
        """Put back one saved answer (already normalized, the exam's keys) and its level; returns correct."""
        correct = bool(question.is_correct(normalized))
        self._record(question, normalized, correct, float(question.credit(normalized)), confidence)
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
        self._times.restore({qid: s for qid, s in (seconds or {}).items() if qid in self._by_id})
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
        self._times.restart(self.clock.elapsed)
        self.show(self.current_id)
        self._set_bases()
