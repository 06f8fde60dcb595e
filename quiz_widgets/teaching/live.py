"""What the live class view shows: who started and finished each quiz, and the hardest questions so far.

Read from the same store the quizzes collect into: completed attempts through ClassReport, and the
progress records quizzes send per answer when ``collect_answers=True`` (``<learner>/progress_*.json``).
A learner counts as started by one progress record or one finished attempt, so the view works (with
"started" equal to "finished") for quizzes that send no progress records.

The same answer may be in a progress record and in the finished attempt's results: answers are keyed by
(learner, exam, session start, question), and a finished attempt's outcomes replace its progress records.
"""

from __future__ import annotations

import datetime as _dt
import os
import warnings
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from quiz_widgets.errors import shown
from quiz_widgets.store.atomic import parse_json_bytes
from quiz_widgets.teaching.quiz_link import PROGRESS_KIND, PROGRESS_PREFIX
from quiz_widgets.teaching.reading import read_local, read_objects

__all__ = ["HARDEST_SHOWN", "class_snapshot", "read_progress"]

HARDEST_SHOWN = 5
# The snapshot names this many skipped files (with why); the count covers them all.
SKIPPED_NAMED = 20


def _is_url(text: str) -> bool:
    return "://" in text and not text.startswith("file://")


def _progress_name(name: str) -> bool:
    return name.startswith(PROGRESS_PREFIX) and name.endswith(".json")


def read_progress(
    source: str | os.PathLike[str], storage_options: Mapping[str, Any] | None = None
) -> tuple[list[dict[str, Any]], int]:
    """Every progress record under *source* (a folder or an fsspec URL) and how many were unreadable.

    The learner is the record's own ``learner``, which must match the folder it sits in: a record in
    another learner's folder is not counted (it would let one learner count as another).
    """
    records, skipped = _progress(source, storage_options)
    return records, len(skipped)


def _progress(
    source: str | os.PathLike[str], storage_options: Mapping[str, Any] | None
) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """read_progress's records, and (file, why) for each record left out."""
    text = os.fspath(source)
    found: list[tuple[str, str, bytes | BaseException]] = []  # (shown name, path below the source, content)
    if _is_url(text):
        import fsspec.core

        fs, root = fsspec.core.url_to_fs(text, **dict(storage_options or {}))
        root = root.rstrip("/")
        if fs.isdir(root):
            protocol = text.partition("://")[0]
            contents = read_objects(fs, root, lambda p: _progress_name(p.rsplit("/", 1)[-1]))
            found = [(f"{protocol}://{p}", p[len(root) :].strip("/"), c) for p, c in contents.items()]
    else:
        base = Path(text.removeprefix("file://"))
        if not base.is_dir():
            raise FileNotFoundError(f"class view: {base} is not a folder")
        # Learner folders as they are: a symlinked folder is some other folder, not a learner's own.
        for folder in sorted(base.iterdir()):
            if folder.name.startswith(".") or not folder.is_dir() or folder.is_symlink():
                continue
            for path in sorted(folder.glob(f"{PROGRESS_PREFIX}*.json")):
                found.append((str(path), path.relative_to(base).as_posix(), read_local(path)))
    records: list[dict[str, Any]] = []
    skipped: list[tuple[str, str]] = []
    for name, rel, content in found:
        folder = rel.split("/")[0] if "/" in rel else ""
        try:
            if isinstance(content, BaseException):
                raise content
            record = parse_json_bytes(bytes(content), f"progress record {name}")
        except (ValueError, OSError) as err:
            skipped.append((name, str(err) or type(err).__name__))
            continue
        why = _refused(record, folder)
        if why:
            skipped.append((name, f"progress record {name}: {why}"))
            continue
        records.append(record)
    return records, skipped


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
    if not isinstance(record.get("correct"), bool):
        return f"field 'correct' is {shown(record.get('correct'))}; expected true or false"
    return ""


def class_snapshot(
    source: str | os.PathLike[str], storage_options: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """``{"updated", "learners", "quizzes": [{exam, started, finished, attempts}], "hardest": [{exam,
    question_id, question, answers, correct_share}], "skipped", "skipped_files": [{file, why}]}``;
    JSON-safe, for the ClassView trait. "skipped" counts every file left out, "skipped_files" names the
    first SKIPPED_NAMED of them."""
    from quiz_widgets.teaching.report import ClassReport

    with warnings.catch_warnings():
        # A live view re-reads every few seconds: one warning per bad file per refresh would flood the log.
        # The count of skipped files is shown instead.
        warnings.simplefilter("ignore")
        report = ClassReport.load(source, storage_options=storage_options)
    records, bad = _progress(source, storage_options)

    started: dict[str, set[str]] = defaultdict(set)
    finished: dict[str, set[str]] = defaultdict(set)
    attempts: dict[str, int] = defaultdict(int)
    # (learner, exam, session start) -> question id -> (correct, question text)
    answers: dict[tuple[str, str, str], dict[str, tuple[bool, str]]] = defaultdict(dict)
    for record in sorted(records, key=lambda r: str(r.get("date", ""))):
        key = (record["learner"], record["exam"], str(record.get("session_date", "")))
        started[record["exam"]].add(record["learner"])
        answers[key][str(record.get("question_id"))] = (record["correct"], str(record.get("question") or ""))
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
