"""A learner's own progress from their results folder: scores over attempts per exam, accuracy per topic."""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

__all__ = ["learner_progress"]


def learner_progress(base_dir: str | os.PathLike[str] = ".") -> dict[str, Any]:
    """``{"attempts": n, "exams": {title: [{date, score, answered, total, accuracy}, ...oldest first]},
    "topics": [{topic, answered, correct, accuracy}], "skipped": [(file, why)]}`` from
    ``<base_dir>/results``. Bad files are skipped with a warning each; no results folder gives zeros."""
    from quiz_widgets.teaching.report import ClassReport

    folder = Path(base_dir) / "results"
    files = sorted(folder.glob("quiz_results_*.json")) if folder.is_dir() else []
    with warnings.catch_warnings():
        # Everything here is one learner's own files, so "found twice" cannot mean two learners.
        warnings.filterwarnings("ignore", message="class report: .* found twice")
        report = ClassReport.load(files) if files else ClassReport([])
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
        "skipped": report.skipped,
    }
