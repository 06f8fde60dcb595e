"""ClassReport: every attempt of a class read from folders, URLs and results files, as four tables.

``report.attempts``, ``.questions``, ``.topics`` and ``.learners`` are pandas DataFrames (pandas is an
optional extra, imported on first use); ``attempt_rows()`` and friends give the same rows as dicts, and
``to_csv(folder)`` writes them with the csv module, so a report works without pandas.

The report is built from three parts: report_sources.py reads the sources (folders, URLs, files, dicts)
into attempts, deciding whose attempt a file holds by where it was read from and skipping files that are
not results files with one warning each; report_tables.py makes the tables' rows from the attempts; this
module holds the public class, its DataFrames and its files (CSV, HTML, gradebook). Reading from an object
store sends the GETs concurrently (reading.py). Every number in a file is bounded before use (records.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from quiz_widgets.store.atomic import atomic_write_bytes
from quiz_widgets.store.csv_cells import csv_text
from quiz_widgets.teaching import report_tables as tables
from quiz_widgets.teaching.incremental import ReadStats
from quiz_widgets.teaching.records import Attempt
from quiz_widgets.teaching.report_sources import attempts_from_items, read_sources

# Taken from here before the split (live.py did): still importable from this module.
from quiz_widgets.teaching.report_sources import classify_results as classify_results
from quiz_widgets.teaching.report_sources import parse_file as parse_file
from quiz_widgets.teaching.report_tables import (
    ATTEMPT_COLUMNS,
    LEARNER_COLUMNS,
    QUESTION_COLUMNS,
    TOPIC_COLUMNS,
    point_biserial,
)

__all__ = [
    "ATTEMPT_COLUMNS",
    "LEARNER_COLUMNS",
    "QUESTION_COLUMNS",
    "TOPIC_COLUMNS",
    "ClassReport",
    "point_biserial",
]


class ClassReport:
    """Attempts of a class and the tables built from them; build with ``ClassReport.load(...)``."""

    def __init__(self, attempts: Iterable[Attempt], skipped: Iterable[tuple[str, str]] = ()) -> None:
        self._attempts = sorted(attempts, key=lambda a: (a.date, a.learner, a.exam, a.source))
        self.skipped: list[tuple[str, str]] = list(skipped)  # (file, why) of files not read
        self.read_stats = ReadStats()  # load(): files read, and kept from an earlier load of the store
        self.exams: dict[str, Any] = {}  # {title: Exam} known to the report (regrade): options for items
        self.regrade_summary: Any = None  # regrade(): what the regrade changed (regrade.RegradeSummary)
        tables.infer_outcomes(self._attempts)

    # -- loading (report_sources.py) ---------------------------------------------------------------

    @classmethod
    def load(
        cls,
        *sources: Any,
        storage_options: Mapping[str, Any] | None = None,
        cache: str | os.PathLike[str] | None = None,
    ) -> ClassReport:
        """Read folders (walked recursively), fsspec URLs (``s3://bucket/course``), results files, results
        dicts, or lists of them. Files that are not results files are skipped with a warning each.

        A folder or URL read before in this process is listed again and only its new or changed files are
        read (incremental.py); *cache* names a file that keeps the same between processes. ``read_stats``
        on the report says how many files were read and how many were known already."""
        items, stats = read_sources(sources, dict(storage_options or {}), cache)
        report = cls._from_items(items)
        report.read_stats = stats
        return report

    @classmethod
    def _from_items(cls, items: list[tuple[str, Attempt | str, str | None]]) -> ClassReport:
        """The report of read files: (shown name, its Attempt or why it was skipped, learner folder)."""
        return cls(*attempts_from_items(items))

    # -- the tables (report_tables.py) -------------------------------------------------------------

    @property
    def attempt_list(self) -> list[Attempt]:
        return list(self._attempts)

    def attempt_rows(self) -> list[dict[str, Any]]:
        return tables.attempt_rows(self._attempts)

    def question_rows(self) -> list[dict[str, Any]]:
        return tables.question_rows(self._attempts, self.exams)

    def topic_rows(self) -> list[dict[str, Any]]:
        return tables.topic_rows(self._attempts)

    def learner_rows(self) -> list[dict[str, Any]]:
        return tables.learner_rows(self._attempts)

    # -- pandas ------------------------------------------------------------------------------------

    @staticmethod
    def _frame(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> Any:
        try:
            import pandas as pd
        except ImportError as err:
            raise ImportError(
                "ClassReport tables as DataFrames need pandas: pip install 'quiz_widgets[report]' "
                "(without it, use attempt_rows(), question_rows()... or to_csv())"
            ) from err
        return pd.DataFrame(rows, columns=list(columns))

    @property
    def attempts(self) -> Any:
        """DataFrame: learner, exam, date, score, total, accuracy (0-1), elapsed_seconds, answered, source."""
        return self._frame(self.attempt_rows(), ATTEMPT_COLUMNS)

    @property
    def questions(self) -> Any:
        """DataFrame: exam, question_id, attempts, correct_share, discrimination, most_chosen_wrong,
        mean_seconds, question, topic."""
        return self._frame(self.question_rows(), QUESTION_COLUMNS)

    @property
    def topics(self) -> Any:
        return self._frame(self.topic_rows(), TOPIC_COLUMNS)

    @property
    def learners(self) -> Any:
        return self._frame(self.learner_rows(), LEARNER_COLUMNS)

    # -- grades out (issue 21): gradebook.py, item_stats.py, regrade.py --------------------------

    def item_rows(self, which: str = "first") -> list[dict[str, Any]]:
        """Moodle's item statistics per question (item_stats.py), on each learner's *which* attempt
        ("first", "last" or "all")."""
        from quiz_widgets.teaching.item_stats import item_rows

        return item_rows(self._attempts, which=which, exams=self.exams)

    def reliability_rows(self, which: str = "first") -> list[dict[str, Any]]:
        from quiz_widgets.teaching.item_stats import reliability_rows

        return reliability_rows(self._attempts, which=which)

    @property
    def items(self) -> Any:
        """DataFrame per question: exam, question_id, attempts, facility, sd, discrimination_index,
        discriminative_efficiency, point_biserial, most_chosen_wrong, look_at (what to check), question (first attempts)."""
        from quiz_widgets.teaching.item_stats import ITEM_COLUMNS

        return self._frame(self.item_rows(), ITEM_COLUMNS)

    @property
    def reliability(self) -> Any:
        """DataFrame per exam: exam, attempts, questions, alpha (Cronbach's, on first attempts)."""
        from quiz_widgets.teaching.item_stats import RELIABILITY_COLUMNS

        return self._frame(self.reliability_rows(), RELIABILITY_COLUMNS)

    def to_gradebook(
        self,
        lms: str,
        path: str | os.PathLike[str],
        *,
        roster: str | os.PathLike[str] | Iterable[Any] | None = None,
        attempt: str = "best",
        assignment_ids: Mapping[str, str | int] | None = None,
    ) -> Any:
        """Write the gradebook CSV *lms* imports ("canvas" or "moodle"); returns a gradebook.Gradebook
        (rows, and learners missing from the roster or roster learners without an attempt)."""
        from quiz_widgets.teaching.gradebook import build_gradebook, read_roster

        people = read_roster(roster) if isinstance(roster, (str, os.PathLike)) else roster
        book = build_gradebook(
            self._attempts, lms, roster=people, attempt=attempt, assignment_ids=assignment_ids
        )
        book.path = Path(path)
        write_text_atomic(book.path, book.csv())
        return book

    def regrade(self, exam: Any) -> ClassReport:
        """A new report: every attempt of *exam* (matched by title) scored again against it, by question
        id (regrade.py); ``regrade_summary`` on the new report says what changed."""
        from quiz_widgets.teaching.regrade import regrade_attempts

        attempts, summary = regrade_attempts(self._attempts, exam)
        report = ClassReport(attempts, self.skipped)
        report.read_stats = self.read_stats
        report.exams = {**self.exams, exam.title: exam}
        report.regrade_summary = summary
        return report

    # -- output ------------------------------------------------------------------------------------

    def to_csv(self, folder: str | os.PathLike[str]) -> list[Path]:
        """Write attempts.csv, questions.csv, topics.csv and learners.csv (csv module, no pandas)."""
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, rows, columns in (
            ("attempts", self.attempt_rows(), ATTEMPT_COLUMNS),
            ("questions", self.question_rows(), QUESTION_COLUMNS),
            ("topics", self.topic_rows(), TOPIC_COLUMNS),
            ("learners", self.learner_rows(), LEARNER_COLUMNS),
        ):
            text = csv_text(columns, ([tables.csv_value(row[k]) for k in columns] for row in rows))
            path = out / f"{name}.csv"
            write_text_atomic(path, text)
            written.append(path)
        return written

    def to_html(
        self, path: str | os.PathLike[str], *, title: str | None = None, lang: str | None = None
    ) -> Path:
        """The self-contained HTML report (tables and inline SVG plots); see html.py. Its headings, columns
        and notes in ``lang`` ("de", "es", "fr"; English by default), the class's data as it is; ``title``
        defaults to "Class report" in that language."""
        from quiz_widgets.teaching.html import render_report

        target = Path(path)
        write_text_atomic(target, render_report(self, title=title, lang=lang))
        return target

    def __repr__(self) -> str:
        learners = len({a.learner for a in self._attempts})
        return f"<ClassReport: {len(self._attempts)} attempts by {learners} learners, {len(self.skipped)} skipped>"


def write_text_atomic(path: Path, text: str) -> None:
    """The whole file or none of it (store.atomic), in a folder made first: a reader never sees half a
    report, and the file gets the mode any new file gets (a report is meant to be shared)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, text.encode("utf-8"))
