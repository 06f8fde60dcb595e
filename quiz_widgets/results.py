"""Results files in the original app's layout, the wrong answers gathered from them, and study exams.

Results files outlive the exams and app versions that wrote them: old ones hold option letters or
lists where newer ones hold option texts, and some keys may be missing. Readers here accept all of
those and refuse only shapes that cannot be a results file (with a SessionError that says where).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path, PurePath
from typing import Any

from quiz_widgets.errors import ExamError, SessionError, shown
from quiz_widgets.exam import Exam, load_exam
from quiz_widgets.state import EXTENSION_KEY, FORMAT_VERSION, QuizState

__all__ = [
    "GENERAL_TOPIC",
    "STUDY_SUFFIX",
    "aggregate_all_incorrect_answers",
    "build_results",
    "build_study_exam",
    "format_duration",
    "incorrect_answers",
    "topic_breakdown",
]

GENERAL_TOPIC = "General"
STUDY_SUFFIX = " - Study Wrong Answers"


def _bad(source: str, field: str, found: object, expected: str) -> SessionError:
    return SessionError(f"{source}: field {field!r}: found {shown(found)}, expected {expected}")


def format_duration(seconds: float) -> str:
    """ "HH:MM:SS" as the original app writes time_taken; hours keep counting past 24."""
    total = int(seconds) if math.isfinite(seconds) and seconds > 0 else 0
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


def topic_breakdown(state: QuizState) -> list[dict[str, Any]]:
    """Correct and answered counts per topic, topics in quiz order; no topic counts as "General".

    ``total`` counts answered questions: a quiz quit early reports on what was actually attempted.
    Progress carried over from an original-app session has no per-answer detail; those questions count
    as correct unless their id is among the saved wrong answers.
    """
    exam = state.exam
    counts: dict[str, list[int]] = {}

    def add(question_id: Any, correct: bool) -> None:
        question = exam.by_id(question_id)
        if question is None:
            return
        bucket = counts.setdefault(question.topic or GENERAL_TOPIC, [0, 0])
        bucket[0] += int(correct)
        bucket[1] += 1

    carried = state.carried_over
    if carried is not None:
        wrong_ids = {str(entry.get("question_id")) for entry in carried["wrong_answers"]}
        for qid in state.order[: carried["total_answered"]]:
            add(qid, str(qid) not in wrong_ids)
    for entry in state.answers:
        add(entry["question_id"], bool(entry["correct"]))
    return [{"topic": topic, "correct": c, "total": t} for topic, (c, t) in counts.items()]


def build_results(state: QuizState, *, completion_date: str | None = None) -> dict[str, Any]:
    """A results dict in the original app's layout, plus the ``"quiz_widgets"`` extension key."""
    exam = state.exam
    total = len(state.order)
    answered = state.total_answered
    score = state.score
    wrong = [
        {
            "question_id": entry.get("question_id"),
            "question": entry.get("question"),
            "your_answer": entry.get("your_answer"),
            "correct_answer": entry.get("correct_answer"),
        }
        for entry in state.wrong_answers
    ]
    elapsed = state.elapsed_seconds
    return {
        "exam_info": {
            "title": exam.title,
            "total_questions": total,
            # The original app's flag: was the question order shuffled?
            "shuffle_enabled": list(state.order) != [q.id for q in exam.questions],
            "exam_file_path": str(exam.source) if exam.source is not None else None,
        },
        "session_info": {
            "completion_date": completion_date or datetime.now().isoformat(),
            "time_taken": format_duration(elapsed),
            "time_taken_seconds": int(elapsed),
        },
        "performance": {
            "score": score,
            "total_answered": answered,
            "accuracy_percentage": round(100.0 * score / answered, 2) if answered else 0.0,
            "completion_percentage": round(100.0 * answered / total, 2) if total else 0.0,
            "incorrect_count": len(wrong),
        },
        "detailed_results": {
            "correct_answers": score,
            "incorrect_answers": wrong,
            # Also written by the original app: positions answered and the ids answered wrongly.
            "questions_answered": list(range(answered)),
            "incorrect_question_ids": [entry["question_id"] for entry in wrong],
        },
        EXTENSION_KEY: {
            "format_version": FORMAT_VERSION,
            "exam_fingerprint": exam.fingerprint,
            "session_date": state.session_date,
            "elapsed_seconds": elapsed,
            "quit_by_user": state.quit_by_user,
            "topics": topic_breakdown(state),
        },
    }


def _answer_text(value: object, source: str, field: str) -> str:
    """Old files hold letters or lists of letters/texts; new ones hold option texts: all become str."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return str(value) if not isinstance(value, float) or math.isfinite(value) else ""
    if isinstance(value, (list, tuple)):
        parts = []
        for i, item in enumerate(value):
            if isinstance(item, (list, tuple, Mapping)):
                raise _bad(source, f"{field}[{i}]", item, "a string or number")
            parts.append(_answer_text(item, source, f"{field}[{i}]"))
        return "; ".join(parts)
    raise _bad(source, field, value, "a string, a number or a list of strings")


def _source(results: object) -> str:
    if isinstance(results, Mapping):
        path = results.get("_filepath")
        if isinstance(path, (str, PurePath)) and str(path):
            return str(path)
    return "<dict>"


def incorrect_answers(results: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The wrong answers of one results dict as ``{question_id, question, your_answer, correct_answer}``
    with string answers; missing keys become None/"" and a wrong shape raises SessionError."""
    source = _source(results)
    if not isinstance(results, Mapping):
        raise _bad(source, "<results>", results, "a JSON object (dict) with the results fields")
    detailed = results.get("detailed_results")
    if detailed is None:
        return []
    if not isinstance(detailed, Mapping):
        raise _bad(source, "detailed_results", detailed, "an object")
    entries = detailed.get("incorrect_answers")
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise _bad(source, "detailed_results.incorrect_answers", entries, "a list of objects")
    normalized = []
    for i, entry in enumerate(entries):
        field = f"detailed_results.incorrect_answers[{i}]"
        if not isinstance(entry, Mapping):
            raise _bad(source, field, entry, "an object {question_id, question, your_answer, correct_answer}")
        qid = entry.get("question_id")
        if qid is not None and (isinstance(qid, bool) or not isinstance(qid, (int, str))):
            raise _bad(source, field + ".question_id", qid, "a question id (int or string)")
        question = entry.get("question", "")
        if question is None:
            question = ""
        if not isinstance(question, str):
            raise _bad(source, field + ".question", question, "the question text (a string)")
        normalized.append(
            {
                "question_id": qid,
                "question": question,
                "your_answer": _answer_text(entry.get("your_answer"), source, field + ".your_answer"),
                "correct_answer": _answer_text(
                    entry.get("correct_answer"), source, field + ".correct_answer"
                ),
            }
        )
    return normalized


def _exam_info(results: Mapping[str, Any], source: str) -> tuple[str, str | None]:
    info = results.get("exam_info", {})
    if info is None:
        info = {}
    if not isinstance(info, Mapping):
        raise _bad(source, "exam_info", info, "an object {title, total_questions, ...}")
    title = info.get("title", "")
    if title is None:
        title = ""
    if not isinstance(title, str):
        raise _bad(source, "exam_info.title", title, "the exam title (a string)")
    path = info.get("exam_file_path")
    if path is not None and not isinstance(path, str):
        raise _bad(source, "exam_info.exam_file_path", path, "a path string or null")
    return title, path


def aggregate_all_incorrect_answers(results: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every wrong answer across results files, once per (exam title, question id), first seen kept.

    Each entry also carries ``exam_title`` and ``exam_file_path`` so a study exam can find its source.
    """
    if isinstance(results, Mapping):  # one results dict passed on its own
        results = [results]
    seen: set[tuple[str, str]] = set()
    aggregated: list[dict[str, Any]] = []
    for item in results:
        source = _source(item)
        entries = incorrect_answers(item)
        title, path = _exam_info(item, source)
        for entry in entries:
            qid = entry["question_id"]
            # Ids compare as strings ("7" and 7 are one question); entries without an id use their text.
            key = (title, f"id:{qid}" if qid is not None else f"text:{entry['question']}")
            if key in seen:
                continue
            seen.add(key)
            aggregated.append({**entry, "exam_title": title, "exam_file_path": path})
    return aggregated


def _find_exam(title: str, path: str | None, exams: list[Exam]) -> Exam | None:
    """The source exam of a results entry: same title, then same file, then the study exam's base."""
    for exam in exams:
        if exam.title == title:
            return exam
    if path:
        wanted = PurePath(path)
        for exam in exams:
            if exam.source is not None and wanted.is_absolute() and Path(wanted) == exam.source:
                return exam
        # Results store paths relative to wherever the original app ran ("QuizPython/exams/x.json").
        for exam in exams:
            if exam.source is not None and exam.source.name == wanted.name:
                return exam
    if title.endswith(STUDY_SUFFIX):
        base = title[: -len(STUDY_SUFFIX)]
        for exam in exams:
            if exam.title == base:
                return exam
    return None


def build_study_exam(results: Iterable[Mapping[str, Any]], exams: Iterable[Exam]) -> Exam:
    """An exam of the questions answered wrongly, copied by id from their source exams.

    Title "<exam title> - Study Wrong Answers" (one source exam) or "Study Wrong Answers (N exams)".
    Questions whose source exam or id cannot be found are skipped with a warning; nothing left to
    study raises ExamError.
    """
    exam_list = [load_exam(e) if not isinstance(e, Exam) else e for e in exams]
    entries = aggregate_all_incorrect_answers(results)
    picked: list[tuple[Exam, Any]] = []  # (source exam, question) in first-wrong order
    taken: set[tuple[int, Any]] = set()
    missing: list[str] = []
    for entry in entries:
        exam = _find_exam(entry["exam_title"], entry["exam_file_path"], exam_list)
        label = f"question id {entry['question_id']!r} of {entry['exam_title']!r}"
        if exam is None:
            missing.append(f"{label} (no matching exam)")
            continue
        question = exam.by_id(entry["question_id"]) if entry["question_id"] is not None else None
        if question is None:
            missing.append(f"{label} (not in exam {exam.title!r})")
            continue
        key = (id(exam), question.id)
        if key not in taken:  # a study-exam result and its source may both list the question
            taken.add(key)
            picked.append((exam, question))
    if missing:
        warnings.warn(
            f"study exam: {len(missing)} wrong answer(s) skipped: "
            + "; ".join(missing[:10])
            + ("; ..." if len(missing) > 10 else ""),
            UserWarning,
            stacklevel=2,
        )
    if not picked:
        reason = (
            "the results hold no incorrect answers"
            if not entries
            else "none of their questions was found in the given exams (match is by exam title or file)"
        )
        raise ExamError(f"cannot build a study exam: {reason}", source="<study exam>")

    sources: list[Exam] = []
    for exam, _ in picked:
        if all(exam is not s for s in sources):
            sources.append(exam)
    as_dicts = {id(exam): exam.to_dict() for exam in sources}
    questions = [as_dicts[id(exam)]["questions"][question.number - 1] for exam, question in picked]
    if len(sources) == 1:
        title = sources[0].title + STUDY_SUFFIX
    else:
        title = f"Study Wrong Answers ({len(sources)} exams)"
        # Ids must stay unique in one exam; several sources often reuse 1, 2, 3...
        ids = [str(q.get("id")) for q in questions]
        if len(set(ids)) != len(ids):
            for number, q in enumerate(questions, start=1):
                q["id"] = number
    data: dict[str, Any] = {
        "title": title,
        "description": "Questions answered incorrectly in: " + ", ".join(e.title for e in sources),
        "questions": questions,
    }
    return load_exam(data)
