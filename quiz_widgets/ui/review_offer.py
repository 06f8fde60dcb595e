"""The review deck on a quiz's finish screen: how many questions are due, the forecast of the exam, the
review quiz started in place of the finished attempt, and the schedule kept up with its answers.

QuizWidget asks ``offer()`` once per finish screen (kernel/live_quiz.py calls it through the callable the
widget gives it: the kernel layer may not import review/); ``start_review`` and ``follow`` are what its
page's "Review now" and ReviewDeck.quiz() share.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from quiz_widgets.exam import Exam, load_exam
from quiz_widgets.quiz.state import QuizState
from quiz_widgets.quiz.study import save_study_exam
from quiz_widgets.review.deck import Deck
from quiz_widgets.review.history import REVIEW_TITLE, card_of, is_review

if TYPE_CHECKING:
    from quiz_widgets.ui.quiz_widget import QuizWidget

__all__ = ["exam_titles", "follow", "offer", "review_exam_file"]


def exam_titles(exam: Exam) -> list[str]:
    """The exams whose cards a quiz at ``exam`` reviews: its own (a study quiz's source exam), or for a
    review quiz every exam its questions come from."""
    titles: list[str] = []
    for question in exam.questions if exam.title == REVIEW_TITLE else exam.questions[:1]:
        card = card_of(exam.title, question.id)
        if card is not None and card[0] not in titles:
            titles.append(card[0])
    return titles


def _round(value: Any) -> Any:
    # The finish screen shows whole percents; JSON has no NaN.
    if isinstance(value, float):
        return round(value, 4) if math.isfinite(value) else None
    return value


def _tomorrow() -> datetime:
    # FSRS's recall is 1 at the moment of a review, right or wrong: a forecast "now", a second after the
    # answers, predicted 100% to a learner who had just missed every question. Readiness after a session
    # is about the next day; deck.forecast() and my_progress() keep "now" for whenever they are asked.
    return datetime.now(timezone.utc) + timedelta(days=1)


def offer(deck: Deck, state: QuizState) -> dict[str, Any]:
    """The finish screen's ``spaced_review``: ``{"due": n, "forecast": [rows of this quiz's exams]}``, the
    forecast as of tomorrow (retrievability_now is tomorrow's, retrievability_7d a week after that)."""
    with warnings.catch_warnings():
        # An exam of an older session that is not found is the deck's to say (due(), forecast()), not the
        # finish screen's at every quiz.
        warnings.simplefilter("ignore")
        due = len(deck.due())
        titles = set(exam_titles(state.exam))
        rows = [r for r in deck.forecast_rows(now=_tomorrow()) if r["exam"] in titles]
    return {"due": due, "forecast": [{k: _round(v) for k, v in row.items()} for row in rows]}


def review_exam_file(deck: Deck, limit: int | None) -> Exam:
    """The review quiz's exam (the due questions), saved as a study exam is so its session resumes."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exam = deck.review_exam(limit)
    return load_exam(save_study_exam(exam, deck.base_dir))


def follow(deck: Deck, widget: QuizWidget) -> None:
    """Each answer of a review quiz in ``widget`` reschedules its card at once (the widget's observe API:
    its answered count, and the phase for an exam's submit); answers of other quizzes are left to the
    next deck, which reads their session files."""
    done: set[tuple[str, str]] = set()

    def answered(_change: dict[str, Any]) -> None:
        try:
            _take_answers(deck, widget, done)
        except Exception as exc:  # the answer is saved in the session file; the next deck reads it
            warnings.warn(f"ReviewDeck: the schedule missed an answer: {exc}", stacklevel=2)

    widget.observe(answered, names=["answered", "phase"])


def _take_answers(deck: Deck, widget: QuizWidget, done: set[tuple[str, str]]) -> None:
    state = widget.state
    if not is_review(state.exam.title) or (state.mode == "exam" and not state.submitted):
        return  # an exam's answers may still change until submit
    seconds = state.question_seconds()
    for entry in _entries(state.answers):
        qid = entry["question_id"]
        key = (state.session_date, str(qid))
        card = card_of(state.exam.title, qid)
        if key in done or card is None:
            continue
        done.add(key)
        deck.record(
            card[0],
            card[1],
            bool(entry["correct"]),
            seconds.get(qid),
            session_file=widget.session_path,
            attempt=f"{REVIEW_TITLE}|{state.session_date}",
            confidence=entry.get("confidence"),
        )


def _entries(answers: Iterable[Any]) -> list[dict[str, Any]]:
    return [entry for entry in answers if isinstance(entry, dict)]
