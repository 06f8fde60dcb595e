"""The review of a finished attempt: one row per question of the quiz, answered or not.

Rows name option texts (as results files do), so a shuffled attempt reads like any other. The view filters
them (wrong, flagged) itself; it gets them only once the attempt is over, when the key may be shown.
"""

from __future__ import annotations

from typing import Any

from quiz_widgets.errors import SessionError
from quiz_widgets.quiz.state import QuizState

__all__ = ["review_rows", "row_status"]


def row_status(state: QuizState, qid: Any) -> str:
    """unanswered, right, partial or wrong (carried-over answers of original-app files: right unless
    listed among their wrong answers)."""
    entry = state.answer_of(qid)
    if entry is not None:
        if entry["correct"]:
            return "right"
        credit = state.credit_of(qid)
        return "partial" if credit else "wrong"
    if not state.is_answered(qid):
        return "unanswered"
    carried = state.carried_over or {}
    wrong_ids = {str(w.get("question_id")) for w in carried.get("wrong_answers", [])}
    return "wrong" if str(qid) in wrong_ids else "right"


def review_rows(state: QuizState) -> list[dict[str, Any]]:
    """Every question of the attempt with the answer given, the right one, the explanation and more.

    SessionError while the attempt is still running: in exam mode the key must stay in the kernel.
    """
    if not state.finished:
        raise SessionError(
            f"review(): the attempt at {state.exam.title!r} is not finished; submit() or finish() it first"
        )
    seconds = state.question_seconds()
    flagged = set(state.flagged_ids)
    revealed = set(state.revealed_ids)
    rows = []
    for number, qid in enumerate(state.order, start=1):
        question = state.question(qid)
        entry = state.answer_of(qid)
        credit = state.credit_of(qid)
        status = row_status(state, qid)
        rows.append(
            {
                "number": number,
                "question_id": qid,
                "question": question.text,
                "topic": question.topic or "",
                "status": status,
                "answered": status != "unanswered",
                "correct": status == "right",
                "credit": round(credit if credit is not None else float(status == "right"), 6),
                "your_answer": question.describe(entry["answer"]) if entry is not None else "",
                "correct_answer": question.correct_text(),
                "explanation": question.explanation or "",
                "flagged": qid in flagged,
                "revealed": qid in revealed,
                "seconds": round(seconds.get(qid, 0.0), 3),
            }
        )
    return rows
