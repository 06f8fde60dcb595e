"""The exam model: Option, Question, Exam, and load_exam() as the entry point.

Reading exam files lives in exam_files.py, checking raw exam data in exam_checks.py (they build these
classes, so they import this module; the functions here that need them import them when called). Grading of one answer
lives in grading.py.
"""

from __future__ import annotations

import copy
import gc
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from quiz_widgets import grading

__all__ = ["KINDS", "Exam", "Option", "Question", "exam_schema", "load_exam", "validate_exam"]

KINDS = ("singleChoice", "multiChoice", "trueFalse", "numeric", "text")
CHOICE_KINDS = ("singleChoice", "multiChoice", "trueFalse")


@dataclass(frozen=True)
class Option:
    key: str
    text: str
    feedback: str | None = None


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

    def label(self) -> str:
        return question_label(self.number, self.id)

    def normalize(self, value: object) -> str | list[str] | float:
        return grading.normalize(self, value)

    def is_correct(self, normalized: object) -> bool:
        return grading.is_correct(self, normalized)

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
        data["questions"] = [copy.deepcopy(dict(q.raw)) if q.raw else _question_dict(q) for q in self]
        return data


def question_label(number: int, qid: object = None) -> str:
    return f"question {number}" if qid is None else f"question {number} (id {qid})"


def _question_dict(q: Question) -> dict:
    """Original-format dict for a Question built in code (no raw)."""
    d: dict[str, Any] = {"id": q.id, "question": q.text}
    if q.options:
        d["options"] = {o.key: o.text for o in q.options}
    d["type"] = q.kind
    if q.kind == "singleChoice" or q.kind == "trueFalse":
        d["answer"] = q.answer[0]  # type: ignore[index]
    elif q.kind == "numeric":
        d["answer"] = q.answer
        if q.tolerance:
            d["tolerance"] = q.tolerance
    else:
        d["answer"] = list(q.answer)  # type: ignore[arg-type]
    feedback = {o.key: o.feedback for o in q.options if o.feedback is not None}
    if feedback:
        d["feedback"] = feedback
    for key, value in (("explanation", q.explanation), ("topic", q.topic)):
        if value is not None:
            d[key] = value
    return d


def load_exam(source: str | os.PathLike | Mapping | Exam) -> Exam:
    """An Exam from a path (.json, .yaml/.yml, .md), a dict in the exam format, or an Exam."""
    if isinstance(source, Exam):
        return source
    # Parsing and building tens of thousands of small objects triggers repeated full GC passes that
    # can double the load time; nothing here creates reference cycles.
    from quiz_widgets import exam_files

    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return exam_files.read_exam(source)
    finally:
        if gc_was_enabled:
            gc.enable()


def validate_exam(data: object, source: str = "<dict>") -> list[str]:
    """Every problem of an exam given as parsed data ([] when it is fine)."""
    from quiz_widgets import exam_checks

    return exam_checks.validate_exam(data, source)


def exam_schema() -> dict:
    """The shipped JSON Schema of the exam format (original app format plus extensions)."""
    from quiz_widgets import exam_files

    return exam_files.exam_schema()
