"""What the page sees of a QuizController's screen: the synced traits' values, built in one place.

Everything derived from the key passes ``QuizController.graded`` here (exam mode before submit shows none of
it); the widget copies these values onto its traits (ui/quiz_widget.py) and protocol.py builds each payload.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quiz_widgets.i18n import Words
from quiz_widgets.kernel import protocol
from quiz_widgets.quiz.confidence import cbm_mark
from quiz_widgets.quiz.results import calibration
from quiz_widgets.quiz.review import review_rows

if TYPE_CHECKING:
    from quiz_widgets.kernel.controller import QuizController
    from quiz_widgets.quiz.state import AnswerResult, QuizState

__all__ = ["VIEW_TRAITS", "confidence_payload", "shown_warning", "view_state"]

# The finish screen of an exam left before submit (never graded): only what does not come from the key,
# the rest neutral. A whitelist, so a field summary_payload gains later stays hidden here until added.
_NOT_FROM_KEY = (
    "mode",
    "submitted",
    "timed_out",
    "flagged",
    "answered",
    "out_of",
    "total",
    "elapsed",
    "completed",
    "quit_by_user",
)
_UNGRADED = {"score": 0, "points": 0.0, "accuracy": 0.0, "partial_credit": False, "not_recorded": 0}

# The widget's synced traits that view_state() fills, in one place for the widget and its tests.
VIEW_TRAITS = (
    "exam_title",
    "total",
    "index",
    "phase",
    "question",
    "feedback",
    "score",
    "points",
    "answered",
    "elapsed",
    "clock_running",
    "summary",
    "warning",
    "error",
    "read_only",
    "closed",
    "mode",
    "question_map",
    "time_limit",
    "time_left",
    "countdown_running",
    "review_rows",
    "confidence",
)


def confidence_payload(
    state: QuizState, question: dict[str, Any], feedback: dict[str, Any], result: AnswerResult | None
) -> None:
    """The level given with the answer on screen: in the question (exam mode: its saved answer, to keep or
    change) and in its feedback, with the answer's CBM mark when the quiz is CBM-scored."""
    qid = question.get("id")
    level = state.confidence_of(qid) if qid is not None and state.is_answered(qid) else None
    given = question.get("given")
    if isinstance(given, dict) and level is not None:
        given["confidence"] = level
    if result is not None and feedback and not feedback.get("revealed"):
        feedback["confidence"] = result.confidence
        if state.confidence == "cbm":
            feedback["cbm_mark"] = round(cbm_mark(result.credit, result.confidence), 6)


def view_state(ctl: QuizController) -> dict[str, Any]:
    """The values of ``VIEW_TRAITS`` for the controller's screen: what the page may see, and no more."""
    state = ctl.state
    feedback: dict[str, Any] = {}
    question: dict[str, Any] = {}
    index = state.current_index
    base = state.exam.source.parent if state.exam.source is not None else None
    if ctl.phase == "question":
        question = protocol.question_payload(state.current_question, index, state=state, base_dir=base)
    elif ctl.phase == "feedback" and ctl.revealed is not None:
        question = protocol.question_payload(ctl.revealed, index, state=state, base_dir=base)
        feedback = protocol.revealed_payload(ctl.revealed, state=state, base_dir=base)
    elif ctl.phase == "feedback" and ctl.last_result is not None:
        index = ctl.last_result.index
        question = protocol.question_payload(ctl.last_result.question, index, state=state, base_dir=base)
        feedback = protocol.feedback_payload(ctl.last_result, state=state, base_dir=base)
    if state.confidence:
        confidence_payload(state, question, feedback, ctl.last_result if feedback else None)
    # Exam mode: nothing derived from the key reaches the page before submit (a quit is no submit).
    graded = ctl.graded
    time_left = state.time_left
    return {
        "exam_title": state.exam.title,
        "total": len(state.order),
        "index": index,
        "phase": ctl.phase,
        "question": question,
        "feedback": feedback,
        "score": state.score if graded else 0,
        # Partial credit: the header shows the points beside the score while the quiz runs.
        "points": state.points if graded else 0.0,
        "answered": state.total_answered,
        "elapsed": round(state.elapsed_seconds, 3),
        "clock_running": state.clock.running,
        "summary": _summary(ctl) if ctl.phase in ("finished", "review") else {},
        "warning": shown_warning(ctl),
        "error": ctl.error,
        "read_only": ctl.writer.read_only,
        # Closed or handed over to a newer widget: the page shows it inactive (the warning says why).
        "closed": ctl.writer.ended is not None,
        "mode": state.mode,
        "question_map": protocol.map_payload(state, graded=graded, on_screen=index),
        "time_limit": state.time_limit or 0.0,
        "time_left": round(time_left, 3) if time_left is not None else 0.0,
        "countdown_running": state.timer is not None and state.timer.running,
        "review_rows": protocol.review_payload(review_rows(state), state, base)
        if ctl.phase == "review"
        else [],
        # "" (not asked), "levels" (how sure, with each answer) or "cbm" (and certainty-based marks).
        "confidence": "cbm" if state.confidence == "cbm" else "levels" if state.confidence else "",
    }


def _summary(ctl: QuizController) -> dict[str, Any]:
    summary = protocol.summary_payload(ctl.state)
    if ctl.state.confidence:
        # Derived from the key (right or wrong per level): the whitelist below drops it before submit.
        summary["calibration"] = calibration(ctl.state)
        if ctl.state.confidence == "cbm":
            summary["cbm_score"] = ctl.state.cbm_score
    if ctl.graded:
        return summary
    kept = {key: summary[key] for key in _NOT_FROM_KEY if key in summary}
    return {**_UNGRADED, "topics": [], "wrong": [], "partial": [], "unanswered": [], **kept}


def shown_warning(ctl: QuizController) -> str:
    # Derived from the writer, so a save that recovers clears its own warning and nothing else's.
    writer = ctl.writer
    if writer.ended is not None:
        return writer.ended
    if writer.last_error:
        return writer.last_error
    if writer.read_only and writer.path is not None:
        return writer.read_only_note or Words(
            "{name} is open in another kernel: this copy is read-only and saves nothing.",
            name=writer.path.name,
        )
    return ctl.warning
