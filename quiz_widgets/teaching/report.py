"""ClassReport: every attempt of a class read from folders, URLs and results files, as four tables.

``report.attempts``, ``.questions``, ``.topics`` and ``.learners`` are pandas DataFrames (pandas is an
optional extra, imported on first use); ``attempt_rows()`` and friends give the same rows as dicts, and
``to_csv(folder)`` writes them with the csv module, so a report works without pandas.

Reading from an object store sends the GETs concurrently (reading.py: one batch of ranged GETs, never
more than the size cap). Files that are not results files are skipped with one warning each naming the
file and why.

Whose attempt a file holds is decided by where it was read from, never by the file: a file below a
source folder belongs to the first folder (object prefix) under it (``<root>/ada/...`` is Ada's), and a
file there naming another learner is skipped. Every number in a file is bounded before use (records.py).
"""

from __future__ import annotations

import dataclasses
import math
import os
import statistics
import tempfile
import warnings
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from quiz_widgets.store.atomic import NEW_FILE_MODE, parse_json_bytes
from quiz_widgets.store.csv_cells import csv_text
from quiz_widgets.teaching.incremental import ReadStats
from quiz_widgets.teaching.incremental import is_url as _is_url
from quiz_widgets.teaching.quiz_link import PROGRESS_PREFIX
from quiz_widgets.teaching.reading import read_local
from quiz_widgets.teaching.records import Attempt, Outcome, counted_wrong, parse_attempt

__all__ = [
    "ATTEMPT_COLUMNS",
    "LEARNER_COLUMNS",
    "QUESTION_COLUMNS",
    "TOPIC_COLUMNS",
    "ClassReport",
    "point_biserial",
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
UNKNOWN_LEARNER = "unknown"


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


def _wanted(name: str) -> bool:
    # Dot names are temp files and hidden folders; session files sit beside results in a learner's folder
    # but are not attempts.
    # Progress records (one per answer, for the live class view) are not attempts either.
    return (
        name.endswith(".json")
        and not name.startswith(".")
        and not name.startswith("session_")
        and not name.startswith(PROGRESS_PREFIX)
    )


def classify_results(parts: tuple[str, ...]) -> str | None:
    """ "results" for a file below a source that may be an attempt (incremental.py's classify). The review
    deck's state (``data/review/deck*.json``, written at each finish screen) sits in a learner's home too."""
    if parts[-3:-1] == ("data", "review"):
        return None
    return "results" if _wanted(parts[-1]) else None


def parse_file(
    _kind: str, name: str, content: bytes | BaseException | Mapping, folder: str | None
) -> Attempt | str:
    """One results file as an Attempt, or why it is skipped. *folder*: the first folder under the source
    that holds it (``<root>/ada/x.json``, ``<root>/ada/results/x.json``), whose attempt it is; None for a
    file directly in the source folder or named directly."""
    try:
        if isinstance(content, BaseException):
            raise content
        data = (
            content
            if isinstance(content, Mapping)
            else parse_json_bytes(bytes(content), f"results file {name}")
        )
        return parse_attempt(data, name, folder=folder)
    except (ValueError, OSError) as err:
        return str(err) or type(err).__name__


class ClassReport:
    """Attempts of a class and the tables built from them; build with ``ClassReport.load(...)``."""

    def __init__(self, attempts: Iterable[Attempt], skipped: Iterable[tuple[str, str]] = ()) -> None:
        self._attempts = sorted(attempts, key=lambda a: (a.date, a.learner, a.exam, a.source))
        self.skipped: list[tuple[str, str]] = list(skipped)  # (file, why) of files not read
        self.read_stats = ReadStats()  # load(): files read, and kept from an earlier load of the store
        self.exams: dict[str, Any] = {}  # {title: Exam} known to the report (regrade): options for items
        self.regrade_summary: Any = None  # regrade(): what the regrade changed (regrade.RegradeSummary)
        self._infer_outcomes()

    # -- loading -----------------------------------------------------------------------------------

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
        options = dict(storage_options or {})
        items: list[tuple[str, Attempt | str, str | None]] = []
        stats = ReadStats()
        cache_file = None
        if cache is not None:
            from quiz_widgets.teaching.report_cache import ReportCacheFile

            cache_file = ReportCacheFile(cache)
        for source in sources:
            cls._gather(source, options, items, stats, cache_file)
        if cache_file is not None:
            cache_file.save()
        report = cls._from_items(items)
        report.read_stats = stats
        return report

    @classmethod
    def _from_items(cls, items: list[tuple[str, Attempt | str, str | None]]) -> ClassReport:
        """The report of read files: (shown name, its Attempt or why it was skipped, learner folder)."""
        attempts: list[Attempt] = []
        skipped: list[tuple[str, str]] = []
        seen: set[tuple[str, str, str, str]] = set()
        duplicates = 0
        # Files read from a learner's folder first: when the same attempt is also found where no folder
        # vouches for it (a file named directly, one at the top of the store), the folder's copy is kept.
        for name, value, _folder in sorted(items, key=lambda item: item[2] is None):
            if isinstance(value, str):
                skipped.append((name, value))
                warnings.warn(f"class report: skipped {name}: {value}", UserWarning, stacklevel=3)
                continue
            # A copy: the reader keeps its attempts for the next load, and a report fills in outcomes.
            attempt = dataclasses.replace(value, outcomes=dict(value.outcomes), topics=list(value.topics))
            if not attempt.learner:
                attempt.learner = UNKNOWN_LEARNER
            # The same attempt reached twice (a collected copy and the learner's own results file).
            key = (attempt.learner, attempt.exam, attempt.date, str(attempt.score))
            if attempt.date and key in seen:
                duplicates += 1
                continue
            seen.add(key)
            attempts.append(attempt)
        if duplicates:
            warnings.warn(
                f"class report: {duplicates} attempt(s) found twice (same learner, exam, date and score) "
                "counted once",
                UserWarning,
                stacklevel=3,
            )
        return cls(attempts, skipped)

    @classmethod
    def _gather(
        cls, source: Any, options: dict[str, Any], items: list, stats: ReadStats, cache_file: Any
    ) -> None:
        if isinstance(source, Mapping):
            name = str(source.get("_filepath", "<dict>"))
            items.append((name, parse_file("results", name, source, None), None))
        elif isinstance(source, (list, tuple, set, frozenset)):
            for item in source:
                cls._gather(item, options, items, stats, cache_file)
        elif isinstance(source, (str, os.PathLike)):
            text = os.fspath(source)
            path = Path(text.removeprefix("file://"))
            if not _is_url(text):
                if not os.path.lexists(path):
                    raise FileNotFoundError(f"ClassReport.load: {path} does not exist")
                if not path.is_dir():
                    # Named by the instructor: a symlink may lead to it, but only a regular file is read.
                    items.append(
                        (
                            str(path),
                            parse_file("results", str(path), read_local(path, follow=True), None),
                            None,
                        )
                    )
                    return
            from quiz_widgets.teaching.report_cache import process_reader

            reader = process_reader(text, options, classify_results, parse_file)
            if cache_file is not None:
                cache_file.fill(reader)
            stats.add(reader.refresh())
            if cache_file is not None:
                cache_file.keep(reader)
            items.extend((name, value, folder) for name, _kind, folder, value in reader.items())
        else:
            raise TypeError(
                f"ClassReport.load: found {type(source).__name__}; expected a folder, a URL, a results file, "
                "a results dict or a list of them"
            )

    # -- derived data ------------------------------------------------------------------------------

    def _infer_outcomes(self) -> None:
        """Complete attempts from files that list only wrong answers: every other question the exam is
        known to have (from any attempt) was answered right."""
        known: dict[str, set[str]] = defaultdict(set)
        for a in self._attempts:
            known[a.exam].update(a.outcomes)
        for a in self._attempts:
            if a.detailed or not a.complete:
                continue
            for qid in known[a.exam] - set(a.outcomes):
                a.outcomes[qid] = Outcome(qid, True)

    @property
    def attempt_list(self) -> list[Attempt]:
        return list(self._attempts)

    def attempt_rows(self) -> list[dict[str, Any]]:
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
            for a in self._attempts
        ]

    def question_rows(self) -> list[dict[str, Any]]:
        groups: dict[tuple[str, str], list[tuple[Attempt, Outcome]]] = defaultdict(list)
        for a in self._attempts:
            for qid, outcome in a.outcomes.items():
                groups[(a.exam, qid)].append((a, outcome))
        rows = []
        for (exam, qid), pairs in groups.items():
            items = [int(o.correct) for _, o in pairs]
            rest = [a.score - x for (a, _), x in zip(pairs, items, strict=True)]
            known = self.exams[exam].by_id(qid) if exam in self.exams else None
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
        rows.sort(key=lambda r: (r["exam"], _id_order(r["question_id"])))
        return rows

    def topic_rows(self) -> list[dict[str, Any]]:
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        learners: dict[str, set[str]] = defaultdict(set)
        for a in self._attempts:
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

    def learner_rows(self) -> list[dict[str, Any]]:
        by_learner: dict[str, list[Attempt]] = defaultdict(list)
        for a in self._attempts:
            by_learner[a.learner].append(a)
        rows = []
        for learner, attempts in sorted(by_learner.items()):
            acc = [a.accuracy for a in attempts if not math.isnan(a.accuracy)]
            secs = [a.elapsed_seconds for a in attempts if a.elapsed_seconds is not None]
            rows.append(
                {
                    "learner": learner,
                    "attempts": len(attempts),
                    "exams": len({a.exam for a in attempts}),
                    "mean_accuracy": statistics.fmean(acc) if acc else math.nan,
                    "best_accuracy": max(acc) if acc else math.nan,
                    "last_accuracy": attempts[-1].accuracy,  # attempts are sorted by date
                    "total_seconds": sum(secs) if secs else math.nan,
                }
            )
        return rows

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
            text = csv_text(columns, ([_csv_value(row[k]) for k in columns] for row in rows))
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


def _id_order(qid: str) -> tuple[int, int | str]:
    # isdigit() alone accepts "²", which int() refuses; ids are at most 200 characters (records.py).
    return (0, int(qid)) if qid.isascii() and qid.isdigit() else (1, qid)


def _csv_value(value: Any) -> Any:
    if isinstance(value, float):
        return "" if math.isnan(value) else round(value, 6)
    return "" if value is None else value


def write_text_atomic(path: Path, text: str) -> None:
    """Temp file in the same folder, fsync, rename: a reader never sees half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, NEW_FILE_MODE)  # mkstemp makes 0600; a report is meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
