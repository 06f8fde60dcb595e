"""Grading of one answer for one question (the methods of ``exam.Question`` delegate here): each call goes
to the question's kind (exam/kinds/, one module per kind), so this module holds no kind's rules.

The text helpers (fold_text, levenshtein, similarity) live with the text kind and are re-exported here.
"""

from __future__ import annotations

from typing import Any

from quiz_widgets.errors import AnswerError
from quiz_widgets.exam import kinds
from quiz_widgets.exam.kinds.base import FULL_CREDIT, MAX_TEXT_ANSWER
from quiz_widgets.exam.kinds.choice import bool_key
from quiz_widgets.exam.kinds.numeric import format_number
from quiz_widgets.exam.kinds.text import fold_text, levenshtein, similarity

__all__ = [
    "FULL_CREDIT",
    "MAX_TEXT_ANSWER",
    "bool_key",
    "correct_normalized",
    "credit",
    "describe",
    "feedback_for",
    "fold_text",
    "format_number",
    "is_correct",
    "levenshtein",
    "normalize",
    "similarity",
]


def _normalized(kind: kinds.Kind, q: Any, value: object) -> Any:
    try:
        return kind.normalize(q, value)
    except AnswerError as error:
        # What the learner is told in the view: the fix in their words, not the forms a Python call accepts.
        if error.for_learner is None:
            error.for_learner = kind.learner_fix(q)
        raise


def normalize(q: Any, value: object) -> Any:
    """Canonical form of an answer (its kind's: a key, a sorted key list, a float, a trimmed text ...).
    Never mutates; AnswerError naming the question for a value the kind does not accept."""
    return _normalized(kinds.get(q.kind), q, value)


def credit(q: Any, normalized: object) -> float:
    """The share of the question's points an answer earns, 0..1 (Moodle's fraction)."""
    kind = kinds.get(q.kind)
    return kind.credit(q, _normalized(kind, q, normalized))  # idempotent on normalized values, catches misuse


def is_correct(q: Any, normalized: object) -> bool:
    return credit(q, normalized) > FULL_CREDIT


def feedback_for(q: Any, normalized: object) -> str | None:
    """The matched entry's feedback, else the chosen options' feedback, else incorrect_feedback when the
    answer is not fully right. None when there is nothing to say."""
    kind = kinds.get(q.kind)
    value = _normalized(kind, q, normalized)
    said = kind.feedback_for(q, value)
    if said:
        return said
    if q.incorrect_feedback and kind.credit(q, value) <= FULL_CREDIT:
        return q.incorrect_feedback
    return None


def describe(q: Any, normalized: object) -> str:
    """The answer as the original app writes it: option text, multi texts joined by "; ", the number."""
    kind = kinds.get(q.kind)
    return kind.describe(q, _normalized(kind, q, normalized))


def correct_normalized(q: Any) -> Any:
    return kinds.get(q.kind).correct_normalized(q)
