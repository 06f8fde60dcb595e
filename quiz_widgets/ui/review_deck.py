"""ReviewDeck: the review deck (review/deck.py) plus quiz(), a QuizWidget of the due questions.

The widget is an ordinary QuizWidget; the deck hears each answer through the widget's public ``observe``
API (its ``answered`` count, ui/review_offer.follow) and reschedules that card at once, so a learner who
stops after three answers has those three in the schedule. The answers are also in the quiz's session file
like any other, which the next deck reads (keeping the times taken here).
"""

from __future__ import annotations

import os
from typing import Any

from quiz_widgets.review.deck import Deck
from quiz_widgets.ui.quiz_widget import QuizWidget
from quiz_widgets.ui.review_offer import follow, review_exam_file

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
        exams), its exam saved in data/exams/study/ and its session under the deck's base_dir; each answer
        reschedules its card as it is given (rating from right or wrong, the seconds it took and the
        confidence level when asked). ``options``: QuizWidget's (mode, shuffle_options...).
        SessionError when nothing is due (it says when the next question is)."""
        exam = review_exam_file(self, limit)
        options.setdefault("attempt", "new")  # the due questions change: an older review is not this one
        widget = QuizWidget(exam, base_dir=self.base_dir, learner=self.learner, **options)
        follow(self, widget)
        return widget
