"""The readiness forecast: per exam and topic, recall now and in 7 days, and a predicted score with a band.

How (the README's "Spaced review" says it for learners):
- a question answered before counts with FSRS's recall probability R of its card at the time (the power
  forgetting curve of the card's stability, as fsrs computes it);
- a question of the exam never answered counts with the learner's first-sight accuracy over the whole deck
  (right first answers + 1) / (first answers + 2);
- predicted_score is the mean of those over the topic's questions in the exam as it is today: the expected
  share right if the exam were taken now;
- lower / upper: a 90% band made of two parts. The model's own doubt: each card's R recomputed with its
  stability divided and multiplied by e^0.5 (FSRS's default parameters are not fitted to this learner),
  and the first-sight accuracy moved by 1.645 of its standard error. Then the luck of one sitting: 1.645
  standard deviations of the number right (a sum of independent yes/no answers, sqrt(sum p(1-p)) / n).
It is not a pass probability, not a mark the exam's graders would give (no partial credit, no weights),
and it knows nothing of questions outside the exam files or of how the real exam picks its questions.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from quiz_widgets.quiz.results import GENERAL_TOPIC

if TYPE_CHECKING:
    from quiz_widgets.exam import Exam, Question
    from quiz_widgets.review.deck import CardInfo, Deck

__all__ = ["COLUMNS", "MODEL_SPREAD", "Z", "forecast_rows"]

COLUMNS = (
    "exam",
    "topic",
    "seen",
    "retrievability_now",
    "retrievability_7d",
    "predicted_score",
    "lower",
    "upper",
)
Z = 1.645  # a two-sided 90% band
MODEL_SPREAD = 0.5  # stability divided / multiplied by e^0.5 for the model's band


def _clip(x: float) -> float:
    return min(1.0, max(0.0, x))


def forecast_rows(
    deck: Deck, live: list[tuple[CardInfo, Exam, Question]], now: datetime
) -> list[dict[str, Any]]:
    """One row per exam (with at least one card) and topic, in exam then question order."""
    firsts = [info.first_right for info, _, _ in live]
    prior = (sum(firsts) + 1) / (len(firsts) + 2)
    prior_se = math.sqrt(prior * (1 - prior) / (len(firsts) + 3))
    prior_low, prior_high = _clip(prior - Z * prior_se), _clip(prior + Z * prior_se)
    later = now + timedelta(days=7)
    low_k, high_k = math.exp(-MODEL_SPREAD), math.exp(MODEL_SPREAD)

    seen_by_exam: dict[str, dict[str, CardInfo]] = {}
    exams: dict[str, Exam] = {}
    for info, exam, question in live:
        seen_by_exam.setdefault(exam.title, {})[str(question.id)] = info
        exams[exam.title] = exam
    rows = []
    for title in sorted(exams):
        exam = exams[title]
        topics: dict[str, list[Question]] = {}
        for question in exam.questions:
            topics.setdefault(question.topic or GENERAL_TOPIC, []).append(question)
        for topic, questions in topics.items():
            p, lo, hi, r7 = [], [], [], []
            for question in questions:
                info = seen_by_exam[title].get(str(question.id))
                if info is None:
                    p.append(prior)
                    lo.append(prior_low)
                    hi.append(prior_high)
                    continue
                p.append(deck.retrievability(info, now))
                lo.append(deck.retrievability(info, now, low_k))
                hi.append(deck.retrievability(info, now, high_k))
                r7.append(deck.retrievability(info, later))
            seen = len(r7)
            n = len(questions)
            seen_now = [p[i] for i, q in enumerate(questions) if str(q.id) in seen_by_exam[title]]
            luck = math.sqrt(sum(x * (1 - x) for x in p)) / n
            predicted = sum(p) / n
            rows.append(
                {
                    "exam": title,
                    "topic": topic,
                    "seen": seen,
                    "retrievability_now": sum(seen_now) / seen if seen else None,
                    "retrievability_7d": sum(r7) / seen if seen else None,
                    "predicted_score": predicted,
                    "lower": min(predicted, _clip(sum(lo) / n - Z * luck)),
                    "upper": max(predicted, _clip(sum(hi) / n + Z * luck)),
                }
            )
    return rows
