"""The exam model: Option, Question, Exam (and the answer entries of numeric and text questions, which
live with their kinds in kinds/ and are re-exported here).

No I/O here: loading.py reads files and builds these classes (after checks.py has checked the raw data),
and grading.py grades one answer for one question (Question's methods delegate there, and it to the
question's kind).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from quiz_widgets.exam import grading, kinds
from quiz_widgets.exam.kinds import KINDS
from quiz_widgets.exam.kinds.numeric import NumericEntry
from quiz_widgets.exam.kinds.text import TextEntry

__all__ = [
    "FORMATS",
    "KINDS",
    "Exam",
    "NumericEntry",
    "Option",
    "Question",
    "TextEntry",
]

CHOICE_KINDS = tuple(name for name, kind in kinds.REGISTRY.items() if kind.choice)
FORMATS = ("markdown", "html", "plain")


@dataclass(frozen=True)
class Option:
    key: str
    text: str
    feedback: str | None = None
    # Moodle's fraction in percent (-100..100); None when the question grades by the exact set.
    weight: float | None = None


@dataclass(frozen=True)
class Question:
    id: int | str
    number: int
    text: str
    kind: str
    options: tuple[Option, ...]
    answer: tuple[str, ...] | float
    tolerance: float = 0.0
    explanation: str | None = None
    topic: str | None = None
    # The question as read; not compared or hashed because it is a plain dict. Treat as read-only.
    raw: Mapping = field(default_factory=dict, compare=False, repr=False)
    # Extensions for other tools' banks (GIFT, jupyterquiz). The defaults are class attributes, which the
    # fast build path of exam_checks relies on: a question of the original format sets none of them.
    # numeric/text: the graded entries in order (a plain `answer` given beside them is appended last).
    answers: tuple[NumericEntry | TextEntry, ...] = ()
    precision: int | None = None  # numeric: significant digits the learner's number is rounded to
    match_case: bool = False
    fuzzy_threshold: float | None = None
    incorrect_feedback: str | None = None
    format: str = "markdown"
    title: str | None = None
    # matching: the left items, in order (options are the right-hand choices; answer a key per left item).
    left: tuple[str, ...] = ()

    def label(self) -> str:
        return question_label(self.number, self.id)

    def normalize(self, value: object) -> str | list[str] | float:
        return grading.normalize(self, value)

    def is_correct(self, normalized: object) -> bool:
        """Fully right: credit above 99.9999% (Moodle's rounding of 3 x 33.33333%)."""
        return grading.is_correct(self, normalized)

    def credit(self, normalized: object) -> float:
        """The share of the question's points an answer earns, 0..1."""
        return grading.credit(self, normalized)

    def feedback_for(self, normalized: object) -> str | None:
        """The matched entry's feedback, the chosen options' feedback, or incorrect_feedback."""
        return grading.feedback_for(self, normalized)

    @property
    def weights(self) -> dict[str, float] | None:
        """{option key: percent} when the options carry Moodle weights, else None."""
        if not any(o.weight is not None for o in self.options):
            return None
        return {o.key: o.weight or 0.0 for o in self.options}

    def describe(self, normalized: object) -> str:
        return grading.describe(self, normalized)

    def correct_normalized(self) -> str | list[str] | float:
        return grading.correct_normalized(self)

    def correct_text(self) -> str:
        return self.describe(self.correct_normalized())


@dataclass(frozen=True)
class Exam:
    title: str
    questions: tuple[Question, ...]
    description: str | None = None
    source: Path | None = None
    fingerprint: str = ""
    format: str | None = None  # the exam-level default text format, as written (None: not given)
    # Generated questions (exam/generated.py), by position: built from Python only, never from a file.
    generators: Mapping[int, Any] = field(default_factory=dict, compare=False, repr=False)
    # The seed the generated questions' variants came from (None: the probe variants, or none generated).
    variant_seed: int | None = None

    def __len__(self) -> int:
        return len(self.questions)

    def __iter__(self) -> Iterator[Question]:
        return iter(self.questions)

    @cached_property
    def _index(self) -> tuple[dict, dict]:
        # cached_property writes to __dict__ directly, so it works on a frozen dataclass.
        exact: dict = {}
        as_str: dict = {}
        for q in self.questions:
            exact.setdefault(q.id, q)
            as_str.setdefault(str(q.id), q)
        return exact, as_str

    def by_id(self, qid: object) -> Question | None:
        exact, as_str = self._index
        try:
            if qid in exact and not isinstance(qid, bool):
                return exact[qid]
        except TypeError:  # unhashable id
            return None
        return as_str.get(str(qid))

    def to_dict(self) -> dict:
        data: dict[str, Any] = {"title": self.title}
        if self.description is not None:
            data["description"] = self.description
        if self.format is not None:
            data["format"] = self.format
        data["questions"] = [copy.deepcopy(dict(q.raw)) if q.raw else _question_dict(q) for q in self]
        return data


def question_label(number: int, qid: object = None) -> str:
    return f"question {number}" if qid is None else f"question {number} (id {qid})"


def _question_dict(q: Question) -> dict:
    """Original-format dict for a Question built in code (no raw)."""
    d: dict[str, Any] = {"id": q.id, "question": q.text}
    kind = kinds.get(q.kind)
    if q.options and kind.choice:
        d["options"] = {o.key: o.text for o in q.options}
    d["type"] = q.kind
    d.update(kind.answer_dict(q))
    feedback = {o.key: o.feedback for o in q.options if o.feedback is not None}
    if feedback:
        d["feedback"] = feedback
    for key, value in (("explanation", q.explanation), ("topic", q.topic)):
        if value is not None:
            d[key] = value
    weights = q.weights
    if weights is not None:
        d["weights"] = weights
    if q.answers:
        # The entries hold everything (a plain answer given beside them was appended to them).
        d.pop("answer")
        d.pop("tolerance", None)
        d["answers"] = [kind.entry_dict(e) for e in q.answers]
    for key, value, default in (
        ("precision", q.precision, None),
        ("match_case", q.match_case, False),
        ("fuzzy_threshold", q.fuzzy_threshold, None),
        ("incorrect_feedback", q.incorrect_feedback, None),
        ("format", q.format, "markdown"),
        ("title", q.title, None),
    ):
        if value != default:
            d[key] = value
    return d
