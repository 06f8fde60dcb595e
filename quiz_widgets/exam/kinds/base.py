"""The interface of a kind of question: everything one kind does lives in one object of this class.

A kind (``"numeric"``, ``"matching"`` ...) is one module under exam/kinds/ holding one subclass of Kind, and
one line in kinds/__init__.py's registry. The rest of the package asks the registry (``kinds.get(name)``)
instead of testing type names, so a new kind touches no other module of the exam, quiz or kernel layers:

- its fields and checks: ``choice`` (lettered options, with option feedback and weights), ``own_keys`` (the
  keys only this kind accepts, e.g. numeric's ``tolerance``), ``check_fields`` (those keys, checked),
  ``check_answer`` (the ``answer`` key, checked into the stored key), and for kinds with graded entries
  (``answers``) ``check_entry``, ``derived_answer`` and ``candidates``;
- how it grades: ``normalize`` (any accepted form of an answer -> one canonical, JSON-able value; raises
  AnswerError naming the question), ``credit`` (0..1, Moodle's fraction), ``feedback_for``;
- what the page gets: ``page_fields`` before any answer (never the key: in exam mode not before submit
  either), ``from_page`` (the page's message value -> a value for normalize), ``given`` (exam mode: the
  answer so far, to change it), ``page_marks`` after the answer (which shown keys were chosen / right);
- files: the session keeps the normalized value as JSON and reads it back through ``normalize``; results
  files and the class report keep ``describe`` (the answer as text, which names a wrong answer in
  ``most_chosen_wrong``), read back by ``read_described``; ``answer_dict`` writes the key of a Question
  built in code back as exam fields.

Methods take the Question (duck-typed: this package imports nothing of model.py, which imports it).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from quiz_widgets.errors import AnswerError, shown
from quiz_widgets.i18n import Words

__all__ = [
    "FULL_CREDIT",
    "MAX_TEXT_ANSWER",
    "MISSING",
    "Kind",
    "PageValueError",
    "clamp",
    "fail",
    "finite",
    "good_text",
    "slack",
]

MAX_TEXT_ANSWER = 1000
# Moodle counts an answer as right above this fraction, so 3 x 33.33333% is fully right.
FULL_CREDIT = 0.999999
# A key that is absent, told apart from one whose value is None.
MISSING: Any = object()


class PageValueError(ValueError):
    """A value from the page that does not fit the question; the kernel's protocol refuses the message."""


def fail(q: Any, value: object, expected: str) -> AnswerError:
    return AnswerError(f"{q.label()}: answer: found {shown(value)}, expected {expected}")


def clamp(percent: float) -> float:
    return min(1.0, max(0.0, percent / 100.0))


def slack(bound: float) -> float:
    # A hair of slack so 3.24 vs 3.14 +- 0.1 is not lost to binary floating point.
    return 1e-9 * max(1.0, abs(bound))


def finite(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def good_text(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value.strip()) <= MAX_TEXT_ANSWER


class Kind:
    """One kind of question. Subclasses set ``name`` and override what differs; the defaults fit a kind
    without options and without graded entries."""

    name: str = ""
    # Lettered options A..Z (checks 'options', 'feedback', 'weights'; the page marks chosen/right keys).
    choice: bool = False
    # Options shuffled by shuffle_options (trueFalse keeps True before False, as Moodle does).
    shuffles_options: bool = False
    # Options always shown shuffled, seeded and kept in the session (matching's choices, ordering's items).
    shuffled_always: bool = False
    # Keys only this kind accepts (others get "no <key> (only <kinds> questions have one)").
    own_keys: frozenset[str] = frozenset()
    # Graded entries in `answers` (numeric, text): check_entry builds one.
    has_entries: bool = False
    # A kept answer can be graded again against a corrected exam (regrade); code cannot: that would run a
    # learner's code in the instructor's kernel.
    regradable: bool = True

    # ---------------------------------------------------------------- fields and checks

    def default_options(self) -> tuple | None:
        """(key, text) pairs when the question gives no options (trueFalse: True/False); None: required."""
        return None

    def option_count(self) -> int | None:
        """The exact number of options this kind needs, or None for 2..26."""
        return None

    def check_fields(self, checker: Any, raw: Mapping, where: str | None) -> dict[str, Any]:
        """This kind's own keys (``own_keys``), checked: the Question fields they set. A kind whose
        options come from its own keys (matching, ordering) returns them as "choices": ((key, text), ...)."""
        return {}

    def check_answer(self, checker: Any, raw: Mapping, where: str | None, options: tuple) -> Any:
        """The ``answer`` key, checked (checker.bad() on a problem, then None): the stored key."""
        raise NotImplementedError

    def check_entry(self, checker: Any, where: str | None, name: str, entry: object) -> Any:
        raise NotImplementedError

    def derived_answer(self, checker: Any, options: tuple, entries: tuple) -> Any:
        """``answer`` left out beside ``weights`` or ``answers``: the answer they imply."""
        raise NotImplementedError

    def candidates(self, entries: tuple) -> list:
        """Answers the full-credit entries accept, in entry order (for reachable())."""
        return []

    def with_plain_answer(self, entries: tuple, answer: Any, tolerance: float) -> tuple:
        """A plain ``answer`` given beside ``answers`` becomes their last entries."""
        return entries

    def shown_text(self, text: str, answer: Any) -> str:
        """The question's text as Question.text (shown on the page, in files and reports), given the checked
        answer: the text as written, except for a kind whose key is written in it (cloze)."""
        return text

    def candidate_answer(self, question: Any, candidate: Any) -> Any:
        """A candidate of ``candidates`` as the stored key."""
        return (candidate,)

    # ---------------------------------------------------------------- grading

    def normalize(self, q: Any, value: object) -> Any:
        raise NotImplementedError

    def credit(self, q: Any, value: Any) -> float:
        """The share of the question's points a normalized answer earns, 0..1."""
        raise NotImplementedError

    def feedback_for(self, q: Any, value: Any) -> str | None:
        """What the author wrote for this answer (entry or option feedback), or None."""
        return None

    def correct_normalized(self, q: Any) -> Any:
        raise NotImplementedError

    def learner_fix(self, q: Any) -> Words:
        """What the view tells the learner when normalize refused their answer: the fix, in their words."""
        return Words("Question {number}: choose one of its options.", number=q.number)

    # ---------------------------------------------------------------- files

    def describe(self, q: Any, value: Any) -> str:
        """The answer as text: results files, review(), the class report (names a wrong answer)."""
        return str(value)

    def shown_correct(self, q: Any) -> str:
        """The right answer as the screens show it in words (feedback, Show answer, review, finish): describe's
        text of the key by default (numeric adds its tolerance). Display only: files keep describe's text."""
        return self.describe(q, self.correct_normalized(q))

    def read_described(self, q: Any, text: str) -> object:
        """A results file's text (``describe``) as a value for normalize (regrading kept answers)."""
        return text

    def wrong_part(self, q: Any, text: str) -> str:
        """What the class report's most_chosen_wrong names of a wrong described answer (matching: the
        wrong pairs only); the whole text by default."""
        return text

    def in_files(self, q: Any) -> bool:
        """Whether the question can be written to an exam file (a study exam); code with a checker cannot."""
        return True

    def answer_dict(self, q: Any) -> dict[str, Any]:
        """The key of a Question built in code as exam fields ({'answer': ...} and the like)."""
        return {"answer": q.answer}

    def entry_dict(self, entry: Any) -> dict[str, Any]:
        return {}

    # ---------------------------------------------------------------- the page

    def answer_items(self, q: Any, value: Any, rich: Any) -> list[dict[str, Any]]:
        """An answer of a kind without lettered options as the page draws it after the answer (feedback,
        review, finish screens): [{"key": a label or "", "text", "html", "right": bool}], one line each, the
        exam text rendered by ``rich`` as the question showed it, ``right`` whether that part was right (the
        page marks the parts of an answer not wholly right). [] (the default): ``describe``'s text."""
        return []

    def page_fields(self, q: Any, shown_q: Any, rich: Any) -> dict[str, Any]:
        """Fields of the question payload beside id, text and options: never the key."""
        return {}

    def from_page(self, q: Any, value: object) -> object:
        """The page's answer value -> a value for normalize; PageValueError for anything else."""
        raise NotImplementedError

    def given(self, q: Any, shown_answer: Any) -> dict[str, Any]:
        """Exam mode: the answer given so far, as the page shows it to keep or change."""
        return {"value": shown_answer}

    def feedback_fields(self, q: Any, normalized: Any) -> dict[str, Any]:
        """Fields of the feedback payload beside the common ones, after the answer (cloze: each blank's result)."""
        return {}

    def review_fields(self, q: Any, value: Any) -> dict[str, Any]:
        """Fields of a review() row beside the common ones (code: the case rows); ``value`` None: not answered."""
        return {}

    # ---------------------------------------------------------------- an order of its own (no lettered options)

    def shuffles_itself(self, q: Any) -> bool:
        """Whether the question shuffles parts of itself in every attempt (cloze: its _S blanks' choices)."""
        return False

    def own_order(self, q: Any, rng: Any) -> tuple[str, ...]:
        """That shuffle, drawn from the attempt's ``rng`` (a random.Random) as keys kept in the session's
        option_orders, so a resume shows the same order."""
        return ()

    def check_own_order(self, q: Any, keys: Any) -> tuple[str, ...] | None:
        """A saved own_order if it fits the question (the same keys, each once), else None."""
        return None

    def with_own_order(self, q: Any, keys: tuple[str, ...]) -> Any:
        """The question as shown with its own_order."""
        return q

    def text_html(self, q: Any, html: str) -> str:
        """The question's sanitized text as read-only screens (review, finish) show it (cloze: slots for its
        blanks where the text has markers ⟦N⟧, which the page fills with the answer given)."""
        return html

    def revealed_fields(self, q: Any) -> dict[str, Any]:
        """Fields of study mode's shown answer (show_answer) beside the common ones."""
        return {}

    def failed_case(self, value: Any) -> str:
        """What the class report's most_chosen_wrong counts for a wrong answer; "" for describe()'s text."""
        return ""

    def shown_keys(self, q: Any, shown_answer: Any) -> list[str]:
        """The shown option keys an answer names (feedback marks); [] for a kind without options."""
        return []
