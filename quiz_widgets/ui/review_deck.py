"""ReviewDeck: the review deck (review/deck.py) plus quiz(), a QuizWidget of the due questions.

The widget is an ordinary QuizWidget; the deck hears each answer through the widget's public ``observe``
API (its ``answered`` count) and reschedules that card at once, so a learner who stops after three answers
has those three in the schedule. The answers are also in the quiz's session file like any other, which the
next deck reads (keeping the times taken here).
"""

from __future__ import annotations

import os
import warnings
from typing import Any

from quiz_widgets.quiz.study import save_study_exam
from quiz_widgets.review.deck import Deck
from quiz_widgets.review.history import REVIEW_TITLE, card_of
from quiz_widgets.ui.quiz_widget import QuizWidget

__all__ = ["ReviewDeck"]


class ReviewDeck(Deck):
    """Every question answered under ``base_dir`` (every session and results file, ours and the original
    app's), each a card scheduled by FSRS; ``learner``: that learner's files and those naming nobody.

    ``due()``: the questions due now; ``quiz(limit=20)``: a QuizWidget of them whose answers update the
    schedule; ``forecast()``: recall and a predicted score per exam and topic.
    """

    def __init__(self, base_dir: str | os.PathLike[str] = ".", learner: str | None = None) -> None:
        super().__init__(base_dir, learner)

    def quiz(self, limit: int | None = 20, **options: Any) -> QuizWidget:
        """A QuizWidget of the questions due now (at most ``limit``, most overdue first, mixed across
        exams), its exam saved in data/exams/study/ and its session under the deck's base_dir; each answer reschedules its card as it is given (rating
        from right or wrong and the seconds it took). ``options``: QuizWidget's (mode, shuffle_options...).
        SessionError when nothing is due (it says when the next question is)."""
        exam = self.review_exam(limit)
        # Saved like a study exam, so its session records the file and resumes from the session list.
        path = save_study_exam(exam, self.base_dir)
        options.setdefault("attempt", "new")  # the due questions change: an older review is not this one
        widget = QuizWidget(path, base_dir=self.base_dir, learner=self.learner, **options)
        done: set[tuple[str, str]] = set()

        def answered(_change: dict[str, Any]) -> None:
            try:
                self._take_answers(widget, done)
            except Exception as exc:  # the answer is saved in the session file; the next deck reads it
                warnings.warn(f"ReviewDeck: the schedule missed an answer: {exc}", stacklevel=2)

        widget.observe(answered, names=["answered", "phase"])  # phase: an exam's submit
        return widget

    def _take_answers(self, widget: QuizWidget, done: set[tuple[str, str]]) -> None:
        state = widget.state
        if state.mode == "exam" and not state.submitted:
            return  # an exam's answers may still change until submit
        seconds = state.question_seconds()
        for entry in state.answers:
            qid = entry["question_id"]
            key = (state.session_date, str(qid))
            card = card_of(REVIEW_TITLE, qid)
            if key in done or card is None:
                continue
            done.add(key)
            self.record(
                card[0],
                card[1],
                bool(entry["correct"]),
                seconds.get(qid),
                session_file=widget.session_path,
                attempt=f"{REVIEW_TITLE}|{state.session_date}",
                confidence=entry.get("confidence"),
            )
