"""ClassReport's four tables as rows of dicts, from a class's attempts: one row per attempt, per exam and
question (share right, discrimination, the most chosen wrong answer), per topic and per learner; their
columns, and the cells as the CSV files write them. No pandas here: report.py makes the DataFrames."""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

from quiz_widgets.teaching.records import Attempt, Outcome, counted_wrong, id_order

__all__ = [
    "ATTEMPT_COLUMNS",
    "LEARNER_COLUMNS",
    "QUESTION_COLUMNS",
    "TOPIC_COLUMNS",
    "attempt_rows",
    "csv_value",
    "infer_outcomes",
    "learner_rows",
    "point_biserial",
    "question_rows",
    "topic_rows",
]

ATTEMPT_COLUMNS = (
    "learner",
    "exam",
    "date",
    "score",
    "total",
    "accuracy",
    "elapsed_seconds",
    "answered",
    "source",
)
QUESTION_COLUMNS = (
    "exam",
    "question_id",
    "attempts",
    "correct_share",
    "discrimination",
    "most_chosen_wrong",
    "mean_seconds",
    "question",
    "topic",
)
TOPIC_COLUMNS = ("topic", "answered", "correct", "accuracy", "learners")
LEARNER_COLUMNS = (
    "learner",
    "attempts",
    "exams",
    "mean_accuracy",
    "best_accuracy",
    "last_accuracy",
    "total_seconds",
)


def point_biserial(items: list[int], rest: list[float]) -> float:
    """Pearson correlation of a 0/1 item with the rest score; NaN when either does not vary."""
    n = len(items)
    if n < 2:
        return math.nan
    mx = sum(items) / n
    my = sum(rest) / n
    sxx = sum((x - mx) ** 2 for x in items)
    syy = sum((y - my) ** 2 for y in rest)
    if sxx == 0 or syy == 0:
        return math.nan
    sxy = sum((x - mx) * (y - my) for x, y in zip(items, rest, strict=True))
    return sxy / math.sqrt(sxx * syy)


def infer_outcomes(attempts: list[Attempt]) -> None:
    """Complete attempts from files that list only wrong answers: every other question the exam is
    known to have (from any attempt) was answered right."""
    known: dict[str, set[str]] = defaultdict(set)
    for a in attempts:
        known[a.exam].update(a.outcomes)
    for a in attempts:
        if a.detailed or not a.complete:
            continue
        for qid in known[a.exam] - set(a.outcomes):
            a.outcomes[qid] = Outcome(qid, True)


def attempt_rows(attempts: list[Attempt]) -> list[dict[str, Any]]:
    return [
        {
            "learner": a.learner,
            "exam": a.exam,
            "date": a.date,
            "score": a.score,
            "total": a.total,
            "accuracy": a.accuracy,
            "elapsed_seconds": a.elapsed_seconds if a.elapsed_seconds is not None else math.nan,
            "answered": a.answered,
            "source": a.source,
        }
        for a in attempts
    ]


def question_rows(attempts: list[Attempt], exams: Mapping[str, Any]) -> list[dict[str, Any]]:
    """*exams*: {title: Exam} known to the report (a regrade's), whose options name a wrong answer."""
    groups: dict[tuple[str, str], list[tuple[Attempt, Outcome]]] = defaultdict(list)
    for a in attempts:
        for qid, outcome in a.outcomes.items():
            groups[(a.exam, qid)].append((a, outcome))
    rows = []
    for (exam, qid), pairs in groups.items():
        items = [int(o.correct) for _, o in pairs]
        rest = [a.score - x for (a, _), x in zip(pairs, items, strict=True)]
        known = exams[exam].by_id(qid) if exam in exams else None
        wrong = Counter(counted_wrong(o, known) for _, o in pairs if not o.correct and o.answer)
        # Most common first; ties go to the alphabetically first text so the report is stable.
        top = min(wrong.items(), key=lambda kv: (-kv[1], kv[0]))[0] if wrong else None
        times = [o.seconds for _, o in pairs if o.seconds is not None]
        text = next((o.question for _, o in pairs if o.question), "")
        topic = next((o.topic for _, o in pairs if o.topic), None)
        rows.append(
            {
                "exam": exam,
                "question_id": qid,
                "attempts": len(items),
                "correct_share": sum(items) / len(items),
                "discrimination": point_biserial(items, rest),
                "most_chosen_wrong": top,
                "mean_seconds": statistics.fmean(times) if times else math.nan,
                "question": text,
                "topic": topic,
            }
        )
    rows.sort(key=lambda r: (r["exam"], id_order(r["question_id"])))
    return rows


def topic_rows(attempts: list[Attempt]) -> list[dict[str, Any]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    learners: dict[str, set[str]] = defaultdict(set)
    for a in attempts:
        with_topic = [o for o in a.outcomes.values() if o.topic]
        if a.detailed and with_topic:
            for o in with_topic:
                counts[o.topic][0] += 1  # type: ignore[index]
                counts[o.topic][1] += int(o.correct)  # type: ignore[index]
                learners[o.topic].add(a.learner)  # type: ignore[index]
        else:
            for t in a.topics:
                counts[t["topic"]][0] += t["total"]
                counts[t["topic"]][1] += t["correct"]
                learners[t["topic"]].add(a.learner)
    return [
        {
            "topic": topic,
            "answered": n,
            "correct": c,
            "accuracy": c / n if n else math.nan,
            "learners": len(learners[topic]),
        }
        for topic, (n, c) in sorted(counts.items())
    ]


def learner_rows(attempts: list[Attempt]) -> list[dict[str, Any]]:
    """*attempts* sorted by date: a learner's last accuracy is their last attempt's."""
    by_learner: dict[str, list[Attempt]] = defaultdict(list)
    for a in attempts:
        by_learner[a.learner].append(a)
    rows = []
    for learner, theirs in sorted(by_learner.items()):
        acc = [a.accuracy for a in theirs if not math.isnan(a.accuracy)]
        secs = [a.elapsed_seconds for a in theirs if a.elapsed_seconds is not None]
        rows.append(
            {
                "learner": learner,
                "attempts": len(theirs),
                "exams": len({a.exam for a in theirs}),
                "mean_accuracy": statistics.fmean(acc) if acc else math.nan,
                "best_accuracy": max(acc) if acc else math.nan,
                "last_accuracy": theirs[-1].accuracy,
                "total_seconds": sum(secs) if secs else math.nan,
            }
        )
    return rows


def csv_value(value: Any) -> Any:
    """A cell as the CSV files write it: NaN and None empty, floats to 6 decimals."""
    if isinstance(value, float):
        return "" if math.isnan(value) else round(value, 6)
    return "" if value is None else value
