"""Resuming a session whose exam changed since it was saved (the fingerprints differ).

Answers are matched by question id: answers to removed questions, second answers and answers that no
longer fit their question are dropped; the saved order is merged with the exam's current questions.
Every such change is added to ``notes``, which restore.py reports in one warning (it calls these
functions while it builds a state from our key). It reads a state but never imports state.py at run time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from quiz_widgets.errors import AnswerError, shown
from quiz_widgets.exam import Exam, Question

if TYPE_CHECKING:
    from quiz_widgets.quiz.state import QuizState

__all__ = ["carried_head", "changed_message", "matching_answers", "merge_order", "note_regraded"]


def carried_head(exam: Exam, order: list[Any], answered: int, notes: list[str]) -> list[Any]:
    """Carried-over progress covers the first questions of the saved order; removed ones drop out.
    Returns the ids (as the exam now has them) of those still in the exam."""
    head = [qid for qid in order[:answered] if exam.by_id(qid) is not None]
    if len(head) != answered:
        notes.append(f"carried-over answered count cut from {answered} to {len(head)}")
    return [exam.by_id(qid).id for qid in head]  # type: ignore[union-attr]


def matching_answers(
    state: QuizState, answers: list[Any], notes: list[str]
) -> list[tuple[Question, Mapping[str, Any]]]:
    """Changed exam: keep the answers whose question id still exists and whose value still fits."""
    valid: list[tuple[Question, Mapping[str, Any]]] = []
    seen: set[Any] = set(state.order[: _carried_count(state)])
    for entry in answers:
        question = state.exam.by_id(entry["question_id"])
        if question is None:
            notes.append(f"answer to question id {entry['question_id']!r} dropped (question removed)")
            continue
        if question.id in seen:
            notes.append(f"second answer to {question.label()} dropped")
            continue
        try:
            question.normalize(entry["answer"])
        except AnswerError:
            notes.append(f"answer to {question.label()} dropped (it no longer fits the question)")
            continue
        seen.add(question.id)
        valid.append((question, entry))
    return valid


def merge_order(state: QuizState, order: list[Any], answered: list[Any], notes: list[str]) -> list[Any]:
    """Order for a changed exam: carried-over head, then the kept answers (the current index is the
    answered count), then the rest of the saved order that still exists, then new questions."""
    head = list(state.order[: _carried_count(state)])
    placed = set(head) | set(answered)
    rest: list[Any] = []
    gone: list[Any] = []
    for qid in order:
        question = state.exam.by_id(qid)
        if question is None:
            gone.append(qid)
        elif question.id not in placed:
            placed.add(question.id)
            rest.append(question.id)
    new = [q.id for q in state.exam.questions if q.id not in placed]
    if gone:
        notes.append(f"question ids no longer in the exam: {shown(gone)}")
    if new:
        notes.append(f"new question ids added at the end: {shown(new)}")
    return head + list(answered) + rest + new


def note_regraded(question: Question, entry: Mapping[str, Any], correct: bool, notes: list[str]) -> None:
    """Note a kept answer whose saved grade differs from its grade against the changed exam."""
    if "correct" in entry and entry["correct"] != correct:
        notes.append(f"{question.label()} regraded as {'correct' if correct else 'wrong'}")


def changed_message(source: str, exam: Exam, saved_fingerprint: str, notes: list[str]) -> str:
    """The text of the one warning about a changed exam (the caller warns, at its own stack level)."""
    detail = "; ".join(notes) if notes else "no answered question was affected"
    return (
        f"{source}: exam {exam.title!r} changed since the session was saved (fingerprint "
        f"{saved_fingerprint[:12]!r} -> {exam.fingerprint[:12]!r}); answers matched by question id: "
        f"{detail}"
    )


def _carried_count(state: QuizState) -> int:
    carried = state.carried_over
    return carried["total_answered"] if carried else 0
