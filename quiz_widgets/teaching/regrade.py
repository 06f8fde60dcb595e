"""Every collected attempt of an exam scored again against a corrected exam (a fixed key, a dropped
question), question by question by id; attempts of other exams are kept as they are.

What a results file keeps of each answer is its text (``your_answer``: the option's text, the options'
texts joined by "; ", the number or the typed text; records.py), which the corrected question reads
back as an answer and grades. Where no answer text is there to grade (an original-app file lists only
wrong answers; a right one is known to be right but not what it was), the old grade stays and the
regrade says how many such answers it kept. An answer the corrected question cannot read (its option's
text was changed too) also keeps its old grade, with a warning naming the file and question. A question
no longer in the exam is dropped from every attempt: its mark leaves the score and the exam's total.
A generated question's answer keeps its grade too (``variants``): the learner answered their own variant,
not the one the corrected exam holds.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from quiz_widgets.errors import AnswerError
from quiz_widgets.exam import kinds
from quiz_widgets.teaching.records import Attempt, Outcome

__all__ = ["RegradeSummary", "kept_answer", "regrade_attempts"]


@dataclass
class RegradeSummary:
    exam: str
    attempts: int = 0  # attempts of the exam scored again
    changed: int = 0  # attempts whose score changed
    dropped: list[str] = field(default_factory=list)  # question ids no longer in the exam
    kept: int = 0  # answers without a text to grade again: their old grade kept
    variants: int = 0  # answers to a generated question's own variant: their old grade kept
    code: int = 0  # answers to code questions: their old grade kept (a learner's code never runs here)
    unreadable: list[str] = field(default_factory=list)  # "file: question id: why"


def kept_answer(question: Any, text: str) -> object:
    """A kept answer (the text a results file holds: grading.describe) as the question's kind reads it."""
    return kinds.get(question.kind).read_described(question, text)


def _regrade_one(a: Attempt, exam: Any, dropped: set[str], summary: RegradeSummary) -> Attempt:
    outcomes: dict[str, Outcome] = {}
    delta = 0
    for qid, o in a.outcomes.items():
        question = exam.by_id(qid)
        if question is None:
            delta -= int(o.correct)
            continue
        correct = o.correct
        if o.variant_key:
            summary.variants += 1
        elif not kinds.get(question.kind).regradable:  # code: never run a learner's code here
            summary.code += 1
        elif o.answer:
            try:
                correct = question.is_correct(question.normalize(kept_answer(question, o.answer)))
            except AnswerError as err:
                summary.unreadable.append(f"{a.source}: question {qid}: {err}")
        else:
            summary.kept += 1
        delta += int(correct) - int(o.correct)
        outcomes[qid] = dataclasses.replace(o, correct=correct)
    answered = max(0, a.answered - (len(a.outcomes) - len(outcomes)))
    score = min(answered, max(0, a.score + delta))
    total = max(answered, a.total - len(dropped))
    if score != a.score:
        summary.changed += 1
    return dataclasses.replace(
        a, outcomes=outcomes, score=score, answered=answered, total=total, topics=list(a.topics)
    )


def regrade_attempts(attempts: Iterable[Attempt], exam: Any) -> tuple[list[Attempt], RegradeSummary]:
    """New attempts (the given ones are not changed) and what the regrade did. ValueError when no
    attempt is of *exam* (matched by title), naming the titles found."""
    attempts = list(attempts)
    mine = [a for a in attempts if a.exam == exam.title]
    if not mine:
        titles = sorted({a.exam for a in attempts})
        raise ValueError(
            f"regrade: no attempt of exam {exam.title!r}; the report holds "
            + (", ".join(repr(t) for t in titles) if titles else "no attempts")
        )
    known = {qid for a in mine for qid in a.outcomes}
    dropped = {qid for qid in known if exam.by_id(qid) is None}
    summary = RegradeSummary(exam.title, attempts=len(mine), dropped=sorted(dropped))
    # Attempts of other exams are copied too: the new report fills in outcomes of its own attempts.
    out = [
        _regrade_one(a, exam, dropped, summary)
        if a.exam == exam.title
        else dataclasses.replace(a, outcomes=dict(a.outcomes), topics=list(a.topics))
        for a in attempts
    ]
    for problem in summary.unreadable:
        warnings.warn(f"regrade: old grade kept: {problem}", UserWarning, stacklevel=3)
    if summary.code:
        warnings.warn(
            f"regrade: {summary.code} answer(s) to code questions of {exam.title!r} keep their old grade: a "
            "learner's code is never run where the report is read",
            UserWarning,
            stacklevel=3,
        )
    if summary.kept:
        warnings.warn(
            f"regrade: {summary.kept} answer(s) of {exam.title!r} carry no answer text (original-app files "
            "list wrong answers only); their old grade is kept",
            UserWarning,
            stacklevel=3,
        )
    return out, summary
