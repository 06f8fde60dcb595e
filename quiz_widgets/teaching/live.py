"""What the live class view shows: who started and finished each quiz, and the hardest questions so far.

Read from the same store the quizzes collect into: completed attempts through ClassReport, and the
progress records quizzes send when ``collect_answers=True``: one per learner and attempt, rewritten at
each answer (``<learner>/progress_<attempt>.json``, every answer so far in ``answers``), and the one
record per answer that earlier versions wrote, which stores still hold. A learner counts as started by
one progress record or one finished attempt, so the view works (with "started" equal to "finished") for
quizzes that send no progress records.

A ``LiveClass`` keeps what it read: each snapshot lists the store once and reads only the files that are
new or changed since (incremental.py), so a quiet refresh costs one listing.

The same answer may be in a progress record and in the finished attempt's results: answers are keyed by
(learner, exam, session start, question), and a finished attempt's outcomes replace its progress records.
Within a session, records are ordered by how many answers the quiz held when it wrote them, then by
their date: a resumed session in a kernel whose clock is behind still replaces the answers before it.
"""

from __future__ import annotations

import datetime as _dt
import os
import warnings
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from quiz_widgets.errors import shown
from quiz_widgets.store.atomic import parse_json_bytes
from quiz_widgets.teaching.incremental import StoreReader, is_url
from quiz_widgets.teaching.quiz_link import PROGRESS_KIND, PROGRESS_PREFIX
from quiz_widgets.teaching.records import MAX_COUNT, MAX_ID_CHARS
from quiz_widgets.teaching.report_sources import classify_results, parse_file

__all__ = ["HARDEST_SHOWN", "LiveClass", "class_snapshot", "read_progress"]

HARDEST_SHOWN = 5
# The snapshot names this many skipped files (with why); the count covers them all.
SKIPPED_NAMED = 20
_ID_LIMIT = 10**MAX_ID_CHARS


def _classify(parts: tuple[str, ...]) -> str | None:
    name = parts[-1]
    if name.startswith(PROGRESS_PREFIX) and name.endswith(".json"):
        return "progress"
    return classify_results(parts)


def _parse(kind: str, name: str, content: bytes | BaseException, folder: str | None) -> Any:
    """A results file as report.parse_file reads it; a progress record as its answers (one dict each), or
    why it is not counted."""
    if kind == "results":
        return parse_file(kind, name, content, folder)
    try:
        if isinstance(content, BaseException):
            raise content
        record = parse_json_bytes(bytes(content), f"progress record {name}")
    except (ValueError, OSError) as err:
        return str(err) or type(err).__name__
    why = _refused(record, folder or "")
    if why:
        return f"progress record {name}: {why}"
    return _progress_of(record)


class Progress(NamedTuple):
    """One counted progress record: whose, which attempt, and its answers (question id, correct, text)."""

    learner: str
    exam: str
    session: str
    # How many answers the quiz held when it wrote this: the order of a session's records, which a
    # kernel's clock (skewed, or wound back) cannot scramble.
    answered: int
    date: str
    answers: list[tuple[str, bool, str]]
    total: Any

    def rows(self) -> list[dict[str, Any]]:
        """One dict per answer, as read_progress returns them."""
        base = {"kind": PROGRESS_KIND, "learner": self.learner, "exam": self.exam, "session_date": self.session,
                "answered": self.answered, "date": self.date, "total": self.total}  # fmt: skip
        return [{**base, "question_id": q, "correct": c, "question": t} for q, c, t in self.answers]


def _progress_of(record: dict[str, Any]) -> Progress:
    """A record per attempt (``answers``) or an older record per answer, checked by _refused."""
    answered = record.get("answered")
    entries = record.get("answers", [record])
    return Progress(
        record["learner"],
        record["exam"],
        str(record.get("session_date") or ""),
        answered if type(answered) is int and 0 <= answered <= MAX_COUNT else 0,
        str(record.get("date") or ""),
        [
            (str(e["question_id"]), e["correct"], q if isinstance(q := e.get("question"), str) else "")
            for e in entries
        ],
        record.get("total"),
    )


def read_progress(
    source: str | os.PathLike[str], storage_options: Mapping[str, Any] | None = None
) -> tuple[list[dict[str, Any]], int]:
    """Every answer in the progress records under *source* (a folder or an fsspec URL), one dict each,
    and how many records were unreadable.

    The learner is the record's own ``learner``, which must match the folder it sits in: a record in
    another learner's folder is not counted (it would let one learner count as another).
    """
    live = LiveClass(source, storage_options)
    live.reader.refresh()
    records, skipped = live.progress()
    return [row for record in records for row in record.rows()], len(skipped)


def _refused(record: object, folder: str) -> str:
    """Why a progress record is not counted ("" when it is)."""
    if not isinstance(record, dict) or record.get("kind") != PROGRESS_KIND:
        return f"not a progress record (expected kind {PROGRESS_KIND!r})"
    if record.get("learner") != folder:
        return (
            f"field 'learner' is {shown(record.get('learner'))}; expected {folder!r}, whose folder holds it"
        )
    if not isinstance(record.get("exam"), str):
        return f"field 'exam' is {shown(record.get('exam'))}; expected the exam title"
    if "answers" in record:
        answers = record["answers"]
        if not isinstance(answers, list) or len(answers) > MAX_COUNT:
            return f"field 'answers' is {shown(answers)}; expected a list of at most {MAX_COUNT:,} answers"
        for i, entry in enumerate(answers):
            why = _refused_answer(entry, f"answers[{i}].")
            if why:
                return why
        return ""
    return _refused_answer(record, "")


def _refused_answer(entry: object, where: str) -> str:
    if not isinstance(entry, dict):
        return f"field '{where.rstrip('.')}' is {shown(entry)}; expected an object"
    qid = entry.get("question_id")
    kind = type(qid)  # exact types: bool is an int, and no id
    # An int is bounded as an int: str() of a 5,000-digit int raises.
    fits = 0 < len(qid) <= MAX_ID_CHARS if kind is str else kind is int and -_ID_LIMIT < qid < _ID_LIMIT
    if not fits:
        return f"field '{where}question_id' is {shown(qid)}; expected a question id"
    if type(entry.get("correct")) is not bool:
        return f"field '{where}correct' is {shown(entry.get('correct'))}; expected true or false"
    return ""


class LiveClass:
    """ClassView's reading of one store, kept between refreshes: each ``snapshot()`` lists the store and
    reads only the records and results that are new or changed since the last one (incremental.py)."""

    def __init__(
        self, source: str | os.PathLike[str], storage_options: Mapping[str, Any] | None = None
    ) -> None:
        text = os.fspath(source)
        if not is_url(text) and not Path(text.removeprefix("file://")).is_dir():
            raise FileNotFoundError(f"class view: {text} is not a folder")
        self.reader = StoreReader(text, _classify, _parse, dict(storage_options or {}))

    def progress(self) -> tuple[list[Progress], list[tuple[str, str]]]:
        """Every progress record counted in the last read, and (file, why) for each one left out."""
        records: list[Progress] = []
        skipped: list[tuple[str, str]] = []
        for name, kind, _folder, value in self.reader.items():
            if kind != "progress":
                continue
            if isinstance(value, str):
                skipped.append((name, value))
            else:
                records.append(value)
        return records, skipped

    def snapshot(self) -> dict[str, Any]:
        """Read what changed and count: see class_snapshot."""
        from quiz_widgets.teaching.report import ClassReport

        stats = self.reader.refresh()
        items = [(n, v, f) for n, kind, f, v in self.reader.items() if kind == "results"]
        with warnings.catch_warnings():
            # A live view re-reads every few seconds: one warning per bad file per refresh would flood the
            # log. The count of skipped files is shown instead (ClassView warns once per file).
            warnings.simplefilter("ignore")
            report = ClassReport._from_items(items)
        records, bad = self.progress()
        snap = _count(report, records, bad)
        snap["read"] = {"listed": stats.listed, "fetched": stats.fetched, "requests": stats.requests}
        return snap


def class_snapshot(
    source: str | os.PathLike[str], storage_options: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """``{"updated", "learners", "quizzes": [{exam, started, finished, attempts}], "hardest": [{exam,
    question_id, question, answers, correct_share}], "skipped", "skipped_files": [{file, why}], "read":
    {listed, fetched, requests}}``; JSON-safe, for the ClassView trait. "skipped" counts every file left
    out, "skipped_files" names the first SKIPPED_NAMED of them. A ``LiveClass`` kept between calls reads
    only what changed."""
    return LiveClass(source, storage_options).snapshot()


def _count(report: Any, records: list[Progress], bad: list[tuple[str, str]]) -> dict[str, Any]:
    started: dict[str, set[str]] = defaultdict(set)
    finished: dict[str, set[str]] = defaultdict(set)
    attempts: dict[str, int] = defaultdict(int)
    # (learner, exam, session start) -> question id -> (correct, question text)
    answers: dict[tuple[str, str, str], dict[str, tuple[bool, str]]] = defaultdict(dict)
    # A session's answers in the order the quiz took them (a later answer to a question replaces one before).
    for record in sorted(records, key=lambda r: (r.answered, r.date)):
        started[record.exam].add(record.learner)
        held = answers[(record.learner, record.exam, record.session)]
        for qid, correct, text in record.answers:
            held[qid] = (correct, text)
    for a in report.attempt_list:
        started[a.exam].add(a.learner)
        if a.complete:
            finished[a.exam].add(a.learner)
        attempts[a.exam] += 1
        # The finished attempt's own outcomes are the final word on its answers.
        answers[(a.learner, a.exam, a.session_date or a.source)] = {
            qid: (o.correct, o.question) for qid, o in a.outcomes.items()
        }

    per_question: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    texts: dict[tuple[str, str], str] = {}
    for (_learner, exam, _session), by_question in answers.items():
        for qid, (correct, text) in by_question.items():
            counts = per_question[(exam, qid)]
            counts[0] += 1
            counts[1] += int(correct)
            if text:
                texts[(exam, qid)] = text
    hardest = sorted(
        (
            {
                "exam": exam,
                "question_id": qid,
                "question": texts.get((exam, qid), ""),
                "answers": n,
                "correct_share": right / n,
            }
            for (exam, qid), (n, right) in per_question.items()
        ),
        key=lambda r: (r["correct_share"], -r["answers"], r["exam"], r["question_id"]),
    )[:HARDEST_SHOWN]
    exams = sorted(set(started) | set(finished))
    return {
        "updated": _dt.datetime.now().isoformat(timespec="seconds"),
        "learners": len(set().union(*started.values())) if started else 0,
        "quizzes": [
            {
                "exam": exam,
                "started": len(started[exam]),
                "finished": len(finished[exam]),
                "attempts": attempts[exam],
            }
            for exam in exams
        ],
        "hardest": hardest,
        "skipped": len(report.skipped) + len(bad),
        "skipped_files": [{"file": f, "why": why} for f, why in [*report.skipped, *bad][:SKIPPED_NAMED]],
    }
