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
    """unanswered, right, partial or wrong; "answered" for a question of an original-app file whose
    outcome that file does not record (QuizState.carried_status)."""
    correct = state.correct_of(qid)
    if correct is not None:
        if correct:
            return "right"
        credit = state.credit_of(qid)
        return "partial" if credit else "wrong"
    return state.carried_status(qid) or "unanswered"


def _carried_answer(state: QuizState, qid: Any) -> str:
    """What an original-app file says was answered to ``qid``: only its wrong answers name one."""
    for entry in (state.carried_over or {}).get("wrong_answers", []):
        if str(entry.get("question_id")) == str(qid):
            answer = entry.get("your_answer", "")
            return "; ".join(map(str, answer)) if isinstance(answer, list) else str(answer or "")
    return ""


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
                "your_answer": question.describe(entry["answer"])
                if entry is not None
                else _carried_answer(state, qid),
                # Answered in an original-app session, whose file keeps no answer per question.
                "carried": state.is_carried(qid),
                "correct_answer": question.correct_text(),
                "explanation": question.explanation or "",
                "flagged": qid in flagged,
                "revealed": qid in revealed,
                "seconds": round(seconds.get(qid, 0.0), 3),
            }
        )
        if state.confidence:
            rows[-1]["confidence"] = state.confidence_of(qid)  # how sure (1-3); None when not said
    return rows
