"""The wrong answers of results files, read as dicts (the original app's layout and ours).

Results files outlive the exams and app versions that wrote them: old ones hold option letters or lists
where newer ones hold option texts, and some keys may be missing. Readers here accept all of those and
refuse only shapes that cannot be a results file (with a SessionError that says where). They work on dicts
alone, so the SessionManager can aggregate without the exam model.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from pathlib import PurePath
from typing import Any

from quiz_widgets.errors import SessionError, shown

__all__ = ["aggregate_all_incorrect_answers", "incorrect_answers"]


def _bad(source: str, field: str, found: object, expected: str) -> SessionError:
    return SessionError(f"{source}: field {field!r}: found {shown(found)}, expected {expected}")


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
