"""A learner's own progress from their results folder: scores over attempts per exam, accuracy per topic.

``learner_progress`` (public as ``quiz_widgets.my_progress``, which review/progress.py adds the review
deck's forecast to) is the one call a learner makes in a cell;
``own_progress`` is the same for one exam, shaped for the quiz's finish screen (JSON-safe: no NaN).
"""

from __future__ import annotations

import math
import os
import warnings
from pathlib import Path
from typing import Any

__all__ = ["learner_progress", "my_progress", "own_progress"]

# The finish screen shows the latest attempts only; the whole history is one learner_progress() away.
MAX_SHOWN_ATTEMPTS = 20


def _report(base_dir: str | os.PathLike[str], learner: str | None) -> Any:
    from quiz_widgets.teaching.report import ClassReport

    folder = Path(base_dir) / "results"
    files = sorted(folder.glob("quiz_results_*.json")) if folder.is_dir() else []
    with warnings.catch_warnings():
        # Everything here is one learner's own files, so "found twice" cannot mean two learners.
        warnings.filterwarnings("ignore", message="class report: .* found twice")
        report = ClassReport.load(files) if files else ClassReport([])
    if learner is not None:
        # A shared machine's results folder may hold other learners' files; the original app's files
        # name no learner and count as this learner's.
        kept = [a for a in report.attempt_list if a.learner in (learner, "", "unknown")]
        report = ClassReport(kept, report.skipped)
    return report


def learner_progress(
    base_dir: str | os.PathLike[str] = ".", *, exam: str | None = None, learner: str | None = None
) -> dict[str, Any]:
    """``{"attempts": n, "exams": {title: [{date, score, answered, total, accuracy}, ...oldest first]},
    "topics": [{topic, answered, correct, accuracy}], "calibration": [...], "skipped": [(file, why)]}``
    from ``<base_dir>/results``; *exam* keeps one exam title, *learner* one learner's files (and the
    original app's, which name nobody). Bad files are skipped with a warning each; no results folder gives
    zeros.

    ``calibration``: per topic, how often the learner was right when sure, fairly sure and guessing, over
    every answer given with a level (quizzes made with confidence=True or "cbm"): ``[{"topic", "levels":
    [{"level": 3, "name": "sure", "answered", "right"}, {2, "fairly sure" ...}, {1, "guessing" ...}]}]``;
    topics sorted, [] when no answer had a level."""
    report = _report(base_dir, learner)
    if exam is not None:
        from quiz_widgets.teaching.report import ClassReport

        report = ClassReport([a for a in report.attempt_list if a.exam == exam], report.skipped)
    exams: dict[str, list[dict[str, Any]]] = {}
    for row in report.attempt_rows():
        exams.setdefault(row["exam"], []).append(
            {k: row[k] for k in ("date", "score", "answered", "total", "accuracy")}
        )
    topics = [{k: t[k] for k in ("topic", "answered", "correct", "accuracy")} for t in report.topic_rows()]
    return {
        "attempts": len(report.attempt_rows()),
        "exams": exams,
        "topics": topics,
        "calibration": _calibration(report),
        "skipped": report.skipped,
    }


def _calibration(report: Any) -> list[dict[str, Any]]:
    from quiz_widgets.quiz.confidence import calibration_rows
    from quiz_widgets.quiz.results import GENERAL_TOPIC

    answers = [
        (outcome.topic or GENERAL_TOPIC, outcome.confidence, outcome.correct)
        for attempt in report.attempt_list
        for outcome in attempt.outcomes.values()
        if outcome.confidence is not None
    ]
    return calibration_rows(sorted(answers, key=lambda row: row[0]))


my_progress = learner_progress


def _safe(value: Any) -> Any:
    # Traits travel as JSON, and NaN is not JSON: an attempt with nothing answered has no accuracy.
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def own_progress(base_dir: str | os.PathLike[str], state: Any) -> dict[str, Any]:
    """The finish screen's progress for *state*'s exam: ``{"exam", "attempts": [{date, score, answered,
    total, accuracy}] (latest MAX_SHOWN_ATTEMPTS, oldest first), "count", "topics": [...]}``; {} when the
    learner has no results of this exam yet. Unreadable files are left out (a warning each)."""
    title = state.exam.title
    data = learner_progress(base_dir, exam=title, learner=getattr(state, "learner", None))
    attempts = data["exams"].get(title, [])
    if not attempts:
        return {}
    return {
        "exam": title,
        "count": len(attempts),
        "attempts": [{k: _safe(v) for k, v in a.items()} for a in attempts[-MAX_SHOWN_ATTEMPTS:]],
        "topics": [{k: _safe(v) for k, v in t.items()} for t in data["topics"]],
    }
