"""Building a state from a checked SessionRecord (session_record.py), in one pass (issue 20).

The order: the kept variants go back into the exam first (generated.restore(), before anything reads the
exam), then the state is made with its mode, clocks and arrangement; for an exam changed since the save
(the fingerprints differ) changes.py merges the saved order and answers with the exam's questions before
anything is put into the state; then answers, option orders, flags, revealed ids, time per question and
the question on screen go in, and the state is marked restored. What only the exam can check (an id of
this quiz, an answer that still fits) is a SessionError naming the file and field, as reading is.
The state is restored through its public methods: state.py never imports this module.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Mapping
from typing import Any

from quiz_widgets.errors import AnswerError
from quiz_widgets.exam import Exam, Question, generated
from quiz_widgets.quiz import arrange
from quiz_widgets.quiz import changes as exam_changes
from quiz_widgets.quiz.confidence import saved_level
from quiz_widgets.quiz.session_fields import field_error
from quiz_widgets.quiz.session_record import OurFields, SessionRecord
from quiz_widgets.quiz.state import QuizState
from quiz_widgets.quiz.timing import Clock

__all__ = ["build_state"]

# Warnings point where they did before the record: past codec.from_session() and its caller (the stack
# from a _build_* function: itself, build_state, from_session, the caller, the caller's caller).
_STACK = 5


def build_state(
    exam: Exam, record: SessionRecord, *, clock_now: Callable[[], float] = time.monotonic
) -> QuizState:
    """The state ``record`` saved, for ``exam`` (``clock_now``: the monotonic clock time goes on from)."""
    if record.ours is None:
        state = _build_original(exam, record, clock_now)
    else:
        state = _build_ours(exam, record.ours, record.source, clock_now)
    if record.session_date is not None:
        state.session_date = record.session_date
    # Kept as saved: a resumed attempt stays the attempt of whoever started it.
    state.learner = record.learner  # type: ignore[attr-defined]
    if record.exam_title is not None and record.exam_title != exam.title and record.ours is None:
        warnings.warn(
            f"{record.source}: the session was saved for exam {record.exam_title!r}, resuming it with exam "
            f"{exam.title!r}",
            UserWarning,
            stacklevel=_STACK - 1,
        )
    # A quiz the user quit stays finished when reloaded (the finish screen shows), as it was saved.
    state.mark_restored(quit_by_user=record.quit_by_user)
    if record.completed and not state.completed:
        warnings.warn(
            f"{record.source}: timer_data.completed is true but only {state.total_answered} of "
            f"{len(state.order)} questions are answered; the quiz continues",
            UserWarning,
            stacklevel=_STACK - 1,
        )
    return state


def _build_original(exam: Exam, record: SessionRecord, clock_now: Callable[[], float]) -> QuizState:
    # As the seed's QuizState does: exam order, current index = total_answered, score, wrong answers
    # and time as saved; which answer went to which question is not in these files.
    assert record.original is not None
    source, carried = record.source, record.original
    state = QuizState(exam, clock=Clock(record.elapsed, now=clock_now))
    total = record.total_questions
    if total is not None and total != len(exam):
        warnings.warn(
            f"{source}: the session was saved for {total} questions, exam {exam.title!r} has {len(exam)}",
            UserWarning,
            stacklevel=_STACK,
        )
    answered = carried.answered
    if answered > len(exam):
        warnings.warn(
            f"{source}: quiz_mode.total_answered is {answered} but exam {exam.title!r} has only "
            f"{len(exam)} questions; resuming as {len(exam)} answered",
            UserWarning,
            stacklevel=_STACK,
        )
        answered = len(exam)
    state.carry_over(answered, carried.score, carried.wrong)
    state.restore_progress()
    return state


def _build_ours(exam: Exam, ours: OurFields, source: str, clock_now: Callable[[], float]) -> QuizState:
    prefix = ours.prefix
    # Before anything reads the exam: the variants this attempt asked replace the generators' probes.
    exam = generated.restore(exam, ours.variants, ours.variant_seed, source, prefix + "variants")
    timer = None
    if ours.time_limit is not None:
        timer = Clock(ours.time_limit - (ours.time_left or 0.0), now=clock_now)
    state = QuizState(
        exam,
        clock=Clock(ours.elapsed, now=clock_now),
        mode=ours.mode,
        time_limit=ours.time_limit,
        timer=timer,
        settings=ours.settings,
        drawn=ours.drawn,
        confidence=ours.confidence,
    )
    changed = ours.fingerprint != exam.fingerprint
    notes: list[str] = []
    order = ours.order
    if ours.carried is not None:
        answered = ours.carried.answered
        if changed:
            state.order = exam_changes.carried_head(exam, order, answered, notes)
            answered = len(state.order)
        else:
            state.order = list(order)
        state.carry_over(answered, ours.carried.score, ours.carried.wrong)
    if changed:
        valid = exam_changes.matching_answers(state, ours.answers, notes)
        merged = exam_changes.merge_order(state, order, [q.id for q, _ in valid], notes)
        if state.drawn:  # a drawn quiz asks what it drew; questions new to the exam are not among them
            kept = {exam.by_id(qid).id for qid in order if exam.by_id(qid) is not None}
            merged = [qid for qid in merged if qid in kept]
        state.order = merged
    else:
        state.order = state.check_order(order, source, complete=not state.drawn)
        valid = _strict_answers(state, ours.answers, source, prefix)
    for question, entry in valid:
        correct = state.restore_answer(question, question.normalize(entry["answer"]), saved_level(entry))
        if changed:
            exam_changes.note_regraded(question, entry, correct, notes)
    _restore_progress(state, ours, source, changed, notes)
    if changed:
        warnings.warn(
            exam_changes.changed_message(source, exam, ours.fingerprint, notes),
            UserWarning,
            stacklevel=_STACK,
        )
    return state


def _restore_progress(
    state: QuizState, ours: OurFields, source: str, changed: bool, notes: list[str]
) -> None:
    """Option orders, flags, revealed ids, time per question and the question on screen.

    Same exam: anything that does not fit is a SessionError. Changed exam: what no longer fits is dropped
    (with a note) and the quiz opens on the first unanswered question.
    """
    exam, prefix = state.exam, ours.prefix

    def ids(key: str, value: list[Any]) -> list[Any]:
        found = []
        for i, qid in enumerate(value):
            question = exam.by_id(qid) if isinstance(qid, (int, str)) and not isinstance(qid, bool) else None
            if question is None or question.id not in state.order:
                if not changed:
                    raise field_error(source, f"{prefix}{key}[{i}]", qid, "a question id of this quiz")
                notes.append(f"{key}: question id {qid!r} dropped (not in the quiz)")
                continue
            found.append(question.id)
        return found

    option_orders: dict[Any, tuple[str, ...]] = {}
    for key, keys in ours.option_orders.items():
        question = exam.by_id(key)
        checked = arrange.check_option_order(question, keys) if question is not None else None
        if checked is None:
            if not changed:
                raise field_error(
                    source, f"{prefix}option_orders.{key}", keys, "the question's option keys, each once"
                )
            notes.append(f"option order of question id {key!r} dropped (its options changed)")
            continue
        option_orders[question.id] = checked  # type: ignore[union-attr]
    state.option_orders = option_orders
    seconds: dict[Any, float] = {}
    for key, value in ours.seconds.items():
        question = exam.by_id(key)
        if question is not None:
            seconds[question.id] = value
    position = ours.position
    if position is not None and (
        isinstance(position, bool) or not isinstance(position, int) or not 0 <= position <= len(state.order)
    ):
        raise field_error(source, prefix + "position", position, f"a whole number 0..{len(state.order)}")
    state.restore_progress(
        position=None if changed else position,
        flags=ids("flags", ours.flags),
        revealed=ids("revealed", ours.revealed),
        seconds=seconds,
        submitted=ours.submitted,
    )


def _strict_answers(
    state: QuizState, answers: list[Mapping[str, Any]], source: str, prefix: str
) -> list[tuple[Question, Mapping[str, Any]]]:
    """Same exam: every answer must belong to a question of the order not yet answered, and still be valid.

    Answers may come in any order (a learner navigates); version 1 files have them in question order."""
    valid: list[tuple[Question, Mapping[str, Any]]] = []
    carried = state.carried_over
    offset = carried["total_answered"] if carried else 0
    open_ids = set(state.order[offset:])
    for i, entry in enumerate(answers):
        field = f"{prefix}answers[{i}]"
        question = state.exam.by_id(entry["question_id"])
        if question is None or question.id not in open_ids:
            raise field_error(
                source,
                field + ".question_id",
                entry["question_id"],
                "an id of question_order not answered before (one answer per question)",
            )
        open_ids.discard(question.id)
        try:
            question.normalize(entry["answer"])
        except AnswerError as exc:
            raise field_error(source, field + ".answer", entry["answer"], f"a valid answer ({exc})") from None
        valid.append((question, entry))
    return valid
