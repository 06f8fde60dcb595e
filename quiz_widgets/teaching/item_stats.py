"""Moodle's item statistics for each question, and Cronbach's alpha per exam.

Computed as Moodle's quiz statistics report does (question/classes/statistics/questions/calculator.php,
docs "Quiz statistics calculations"), on each learner's first attempt of an exam by default (what
Moodle reports first: later attempts are practice on known questions). A question's mark is 1 or 0
(the results files keep right/wrong per question); Moodle shows percentages, the report fractions 0-1.

- facility: the mean mark (share of attempts that got it right);
- sd: the marks' sample standard deviation (n - 1);
- discrimination_index: mean mark of the top 27% of attempts by score minus that of the bottom 27%
  (Kelley's groups; -1..1);
- point_biserial: the correlation of the mark with the rest of the attempt's score (score minus this
  question): what Moodle's report calls its discrimination index;
- discriminative_efficiency: the covariance of mark and rest over the largest covariance the same marks
  and rests could have (both sorted), as Moodle computes it;
- most_chosen_wrong: the wrong answer given most often. A generated question (issue 20.5) asks each learner
  its own variant, so a number is read against its own variant's key ("0.001 times the key": the same slip,
  amperes for milliamperes, in every variant); its other answers (an option's text) as given.

Only attempts whose every outcome is known count (ours list every answer; an original-app file only
when complete, its right answers inferred), so a missing answer is never mistaken for a wrong one.
Cronbach's alpha (Moodle's coefficient of internal consistency): k/(k-1) * (1 - sum of the questions'
mark variances / variance of the scores), over the attempts that hold every question of the exam.

Flags name what a reviewer should look at: negative discrimination, facility near 0 or 1, an option of
the exam nobody picked (when the exam is known), and a wrong answer the top group picks more than the
bottom group does.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from quiz_widgets.exam import kinds
from quiz_widgets.i18n import JoinedWords, Words
from quiz_widgets.teaching.records import Attempt, counted_wrong, id_order
from quiz_widgets.teaching.regrade import kept_answer

__all__ = [
    "ITEM_COLUMNS",
    "RELIABILITY_COLUMNS",
    "cronbach_alpha",
    "item_rows",
    "reliability_rows",
    "top_bottom",
]

ITEM_COLUMNS = (
    "exam",
    "question_id",
    "attempts",
    "facility",
    "sd",
    "discrimination_index",
    "discriminative_efficiency",
    "point_biserial",
    "most_chosen_wrong",
    "look_at",
    "question",
)
RELIABILITY_COLUMNS = ("exam", "attempts", "questions", "alpha")
GROUP_SHARE = 0.27
# Moodle's docs call a facility below 5% or above 95% a question that tells little; 10/90 leaves room
# for a small class, where one learner moves the facility by several points.
FACILITY_LOW = 0.1
FACILITY_HIGH = 0.9


def _known(a: Attempt) -> bool:
    return a.detailed or a.complete


def pick_attempts(attempts: Iterable[Attempt], which: str = "first") -> list[Attempt]:
    """Each learner's first (or last, or every: "all") attempt of each exam whose outcomes are known."""
    if which not in ("first", "last", "all"):
        raise ValueError(f"item statistics: found attempt {which!r}, expected first, last or all")
    usable = sorted((a for a in attempts if _known(a)), key=lambda a: a.date)
    if which == "all":
        return usable
    chosen: dict[tuple[str, str], Attempt] = {}
    for a in usable:
        if which == "last" or (a.learner, a.exam) not in chosen:
            chosen[(a.learner, a.exam)] = a
    return list(chosen.values())


def _sample_variance(values: list[float]) -> float:
    return statistics.variance(values) if len(values) > 1 else math.nan


def top_bottom(scores: list[float]) -> tuple[list[int], list[int]]:
    """Indexes of the top and bottom 27% by score (at least one each); ties broken by position."""
    n = len(scores)
    size = max(1, round(GROUP_SHARE * n))
    order = sorted(range(n), key=lambda i: (scores[i], i))
    return order[n - size :], order[:size]


def _discriminative_efficiency(marks: list[float], rests: list[float]) -> float:
    n = len(marks)
    if n < 2:
        return math.nan
    mm, mr = statistics.fmean(marks), statistics.fmean(rests)
    cov = sum((x - mm) * (y - mr) for x, y in zip(marks, rests, strict=True)) / (n - 1)
    cov_max = sum((x - mm) * (y - mr) for x, y in zip(sorted(marks), sorted(rests), strict=True)) / (n - 1)
    return cov / cov_max if cov_max else math.nan


def _correlation(marks: list[float], rests: list[float]) -> float:
    n = len(marks)
    if n < 2:
        return math.nan
    mm, mr = statistics.fmean(marks), statistics.fmean(rests)
    sxx = sum((x - mm) ** 2 for x in marks)
    syy = sum((y - mr) ** 2 for y in rests)
    if sxx == 0 or syy == 0:
        return math.nan
    return sum((x - mm) * (y - mr) for x, y in zip(marks, rests, strict=True)) / math.sqrt(sxx * syy)


def _chosen_texts(question: Any, text: str) -> list[str]:
    # A multiple-choice answer is its options' texts joined by "; ", read as the regrade reads it.
    value = kept_answer(question, text)
    return value if isinstance(value, list) else [value]


def item_rows(
    attempts: Iterable[Attempt],
    *,
    which: str = "first",
    exams: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """One row per exam and question (ITEM_COLUMNS). *exams*: {title: Exam} for the options' texts."""
    chosen = pick_attempts(attempts, which)
    groups: dict[tuple[str, str], list[tuple[Attempt, Any]]] = defaultdict(list)
    for a in chosen:
        for qid, outcome in a.outcomes.items():
            groups[(a.exam, qid)].append((a, outcome))
    rows = []
    for (exam, qid), pairs in groups.items():
        marks = [1.0 if o.correct else 0.0 for _, o in pairs]
        rests = [a.score - m for (a, _), m in zip(pairs, marks, strict=True)]
        scores = [float(a.score) for a, _ in pairs]
        n = len(marks)
        facility = statistics.fmean(marks)
        sd = math.sqrt(_sample_variance(marks)) if n > 1 else math.nan
        top, bottom = top_bottom(scores)
        di = (
            statistics.fmean(marks[i] for i in top) - statistics.fmean(marks[i] for i in bottom)
            if n > 1
            else math.nan
        )
        known = _question(exams, exam, qid)
        wrong = Counter(counted_wrong(o, known) for _, o in pairs if not o.correct and o.answer)
        top_wrong = min(wrong.items(), key=lambda kv: (-kv[1], kv[0]))[0] if wrong else None
        row = {
            "exam": exam,
            "question_id": qid,
            "attempts": n,
            "facility": facility,
            "sd": sd,
            "discrimination_index": di,
            "discriminative_efficiency": _discriminative_efficiency(marks, rests),
            "point_biserial": _correlation(marks, rests),
            "most_chosen_wrong": top_wrong,
            "question": next((o.question for _, o in pairs if o.question), ""),
        }
        question = _question(exams, exam, qid)
        row["look_at"] = _flags(row, pairs, top, bottom, question)
        rows.append(row)
    rows.sort(key=lambda r: (r["exam"], id_order(r["question_id"])))
    return rows


def _question(exams: Mapping[str, Any] | None, exam: str, qid: str) -> Any:
    found = (exams or {}).get(exam)
    return found.by_id(qid) if found is not None else None


def _flags(row: dict[str, Any], pairs: list, top: list[int], bottom: list[int], question: Any) -> str:
    flags: list[str] = []
    if row["discrimination_index"] < 0 or (row["point_biserial"] or 0) < 0:
        flags.append(Words("negative discrimination"))
    if row["facility"] <= FACILITY_LOW:
        flags.append(Words("almost nobody right"))
    elif row["facility"] >= FACILITY_HIGH and row["attempts"] > 1:
        flags.append(Words("almost everybody right"))
    kind = kinds.REGISTRY.get(getattr(question, "kind", ""))
    # Options the author wrote (not trueFalse's two fixed words): one nobody picks is worth a look.
    if question is not None and kind is not None and kind.choice and kind.default_options() is None:
        right = {o.text for o in question.options if o.key in question.answer}
        picked: Counter = Counter()
        for _, o in pairs:
            picked.update(_chosen_texts(question, o.answer) if o.answer else ())
        unpicked = [t for t in (o.text for o in question.options) if t not in right and not picked[t]]
        if unpicked and row["attempts"] >= 5:  # with a handful of learners, an unpicked option says little
            flags.append(Words("nobody picks {options}", options=", ".join(repr(t) for t in unpicked)))
    if len(pairs) >= 4:

        def wrong_in(group: list[int]) -> Counter:
            return Counter(
                pairs[i][1].answer for i in group if not pairs[i][1].correct and pairs[i][1].answer
            )

        strong, weak = wrong_in(top), wrong_in(bottom)
        lures = sorted(answer for answer, count in strong.items() if count > weak.get(answer, 0))
        if lures:
            flags.append(Words("strong learners pick {answers}", answers=", ".join(repr(t) for t in lures)))
    # One str for the tables and CSV; the HTML report says each flag in its language.
    return JoinedWords("; ", flags) if flags else ""


def cronbach_alpha(matrix: list[list[float]]) -> float:
    """Alpha of rows of marks (one row per attempt, one column per question); NaN when undefined."""
    if len(matrix) < 2 or not matrix[0] or len(matrix[0]) < 2:
        return math.nan
    k = len(matrix[0])
    item_var = sum(statistics.variance(col) for col in zip(*matrix, strict=True))
    total_var = statistics.variance([sum(row) for row in matrix])
    if total_var == 0:
        return math.nan
    return k / (k - 1) * (1 - item_var / total_var)


def reliability_rows(attempts: Iterable[Attempt], *, which: str = "first") -> list[dict[str, Any]]:
    """Per exam: attempts used, questions, Cronbach's alpha (RELIABILITY_COLUMNS)."""
    by_exam: dict[str, list[Attempt]] = defaultdict(list)
    for a in pick_attempts(attempts, which):
        by_exam[a.exam].append(a)
    rows = []
    for exam, group in sorted(by_exam.items()):
        questions = sorted({qid for a in group for qid in a.outcomes}, key=id_order)
        full = [a for a in group if all(q in a.outcomes for q in questions)]
        matrix = [[1.0 if a.outcomes[q].correct else 0.0 for q in questions] for a in full]
        rows.append(
            {
                "exam": exam,
                "attempts": len(full),
                "questions": len(questions),
                "alpha": cronbach_alpha(matrix),
            }
        )
    return rows
