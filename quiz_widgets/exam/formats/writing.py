"""What the GIFT, Moodle XML and QTI writers share: the walk over the questions, their options and answer."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from quiz_widgets.errors import ExamError, shown
from quiz_widgets.exam.formats.common import LETTERS

__all__ = ["TrueFalse", "Writer", "for_type", "options", "true_false"]

T = TypeVar("T")


class Writer:
    """A writer's warnings, each naming the question it was writing."""

    # Question types the format has no way to say: left out with a warning naming the question.
    not_written: Mapping[str, str] = {}

    def __init__(self, exam: Mapping) -> None:
        self.exam = exam
        self.warnings: list[str] = []
        self.where = ""

    def warn(self, message: str) -> None:
        self.warnings.append(f"{self.where}: {message}")

    def questions(self) -> Iterator[tuple[int, Mapping, str]]:
        """(number, question, its format) for each question, with `where` naming the one yielded."""
        questions = self.exam.get("questions")
        if not isinstance(questions, Sequence) or isinstance(questions, str):
            raise ExamError(f"<exam>: questions: found {shown(questions)}, expected a list of questions")
        default_format = self.exam.get("format") or "markdown"
        for number, q in enumerate(questions, 1):
            if not isinstance(q, Mapping):
                raise ExamError(f"<exam>: question {number}: found {shown(q)}, expected a question object")
            self.where = f"question {number} (id {q.get('id', number)})"
            if q.get("type") in self.not_written:
                self.warn(f"left out: {self.not_written[q.get('type')]}")
                continue
            yield number, q, q.get("format") or default_format


def for_type(q: Mapping, where: str, by_type: Mapping[str, T]) -> T:
    """The writer's entry for the question's type (a missing type is singleChoice, as in the exam model)."""
    kind = q.get("type") or "singleChoice"
    found = by_type.get(kind)
    if found is None:
        raise ExamError(f"<exam>: {where}: type: found {shown(kind)}, expected a question type")
    return found


def options(q: Mapping, where: str) -> list[tuple[str, str]]:
    """The question's (key, text) options; a list is keyed A, B, C... as the exam model keys it."""
    found = q.get("options")
    if isinstance(found, Mapping):
        return [(str(k), str(v)) for k, v in found.items()]
    if isinstance(found, Sequence) and not isinstance(found, str):
        return list(zip(LETTERS, (str(v) for v in found), strict=False))
    raise ExamError(f"<exam>: {where}: options: found {shown(found)}, expected options")


@dataclass(frozen=True)
class TrueFalse:
    """A true/false question read for writing: which option key stands for True, which for False."""

    pairs: list[tuple[str, str]]
    true_key: str
    false_key: str
    right: bool  # whether the statement is true
    named: bool  # whether the options say True and False (else their own texts are lost)


def true_false(q: Mapping, where: str) -> TrueFalse:
    # An item may name its options anything: the ones saying "true"/"false" win, else the first and last.
    pairs = options(q, where) if q.get("options") else [("A", "True"), ("B", "False")]
    texts = {k: t.strip().casefold() for k, t in pairs}
    true_key = next((k for k, t in texts.items() if t == "true"), pairs[0][0])
    false_key = next((k for k, t in texts.items() if t == "false"), pairs[-1][0])
    named = {texts.get(true_key), texts.get(false_key)} == {"true", "false"}
    answer = q.get("answer")
    if isinstance(answer, str):
        # The answer may be the word itself or an option key.
        folded = answer.strip().casefold()
        answer = folded == "true" if folded in ("true", "false") else answer.strip().upper() == true_key
    return TrueFalse(pairs, true_key, false_key, bool(answer), named)
