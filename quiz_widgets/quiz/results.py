"""Results files in the original app's layout (built from a quiz state), the per-topic breakdown, and study
exams built from the wrong answers of results files (read in store/results_files.py).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path, PurePath
from typing import Any

from quiz_widgets.errors import ExamError
from quiz_widgets.exam import Exam, kinds, load_exam
from quiz_widgets.exam.generated import saved_variants
from quiz_widgets.quiz.codec import EXTENSION_KEY, FORMAT_VERSION, LEARNER_KEY
from quiz_widgets.quiz.confidence import calibration_rows
from quiz_widgets.quiz.state import QuizState
from quiz_widgets.store.results_files import aggregate_all_incorrect_answers, incorrect_answers

__all__ = [
    "GENERAL_TOPIC",
    "STUDY_SUFFIX",
    "aggregate_all_incorrect_answers",
    "answer_records",
    "build_results",
    "build_study_exam",
    "calibration",
    "format_duration",
    "incorrect_answers",
    "topic_breakdown",
]

GENERAL_TOPIC = "General"
STUDY_SUFFIX = " - Study Wrong Answers"


def format_duration(seconds: float) -> str:
    """ "HH:MM:SS" as the original app writes time_taken; hours keep counting past 24."""
    total = int(seconds) if math.isfinite(seconds) and seconds > 0 else 0
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


def topic_breakdown(state: QuizState) -> list[dict[str, Any]]:
    """Correct and counted questions per topic, topics in quiz order; no topic counts as "General".

    ``total`` counts the questions the score is out of (QuizState.out_of): a completed attempt's every
    question, its unanswered ones as not right; a quiz quit early reports on what was actually attempted.
    Progress carried over from an original-app session counts only where the file records the outcome
    (QuizState.carried_status); a question it only counts as answered is left out of every topic.
    """
    exam = state.exam
    counts: dict[str, list[int]] = {}
    answers = {entry["question_id"]: bool(entry["correct"]) for entry in state.answers}
    for qid in state.order:
        if qid in answers:
            correct = answers[qid]
        elif state.is_carried(qid):
            status = state.carried_status(qid)
            if status == "answered":
                continue
            correct = status == "right"
        elif state.completed:
            correct = False
        else:
            continue
        question = exam.by_id(qid)
        if question is None:
            continue
        bucket = counts.setdefault(question.topic or GENERAL_TOPIC, [0, 0])
        bucket[0] += int(correct)
        bucket[1] += 1
    return [{"topic": topic, "correct": c, "total": t} for topic, (c, t) in counts.items()]


def calibration(state: QuizState) -> list[dict[str, Any]]:
    """How often the learner was right when sure, fairly sure and guessing, per topic (topics in quiz
    order; no topic counts as "General"): confidence.calibration_rows over the answers given a level."""
    rows = []
    for qid in state.order:
        entry = state.answer_of(qid)
        if entry is not None:
            topic = state.question(qid).topic or GENERAL_TOPIC
            rows.append((topic, entry.get("confidence"), bool(entry["correct"])))
    return calibration_rows(rows)


def _seconds_by_id(state: QuizState) -> dict[str, float]:
    return {str(qid): round(took, 3) for qid, took in state.question_seconds().items()}


def answer_records(state: QuizState, seconds: Mapping[str, float] | None = None) -> list[dict[str, Any]]:
    """Every answer of the attempt (right ones too) for class reports: question id and text, topic,
    correct, credit, the answer as option text, and seconds on screen (teaching/records.py reads these)."""
    seconds = _seconds_by_id(state) if seconds is None else seconds
    generated_ids = {gen.id for gen in state.exam.generators.values()}
    records = []
    for entry in state.answers:
        question = state.exam.by_id(entry["question_id"])
        if question is None:
            continue
        credit = state.credit_of(question.id)
        record = {
            "question_id": question.id,
            "question": question.text,
            "topic": question.topic,
            "correct": bool(entry["correct"]),
            "credit": round(credit if credit is not None else float(entry["correct"]), 6),
            "your_answer": question.describe(entry["answer"]),
            "seconds": seconds.get(str(question.id), 0.0),
        }
        failed = kinds.get(question.kind).failed_case(entry["answer"]) if not entry["correct"] else ""
        if failed:
            record["failed_case"] = failed  # the class report's most_chosen_wrong for code questions
        if question.id in generated_ids:
            # Variants differ in their keys: the class report reads a wrong answer against its own key.
            record["variant_key"] = question.correct_text()
        if "confidence" in entry:
            record["confidence"] = entry["confidence"]
        records.append(record)
    if state.completed:
        # A submitted exam's unanswered questions count as not right: the class report sees them too.
        for qid in state.unanswered_ids:
            question = state.exam.by_id(qid)
            records.append(
                {
                    "question_id": question.id,
                    "question": question.text,
                    "topic": question.topic,
                    "correct": False,
                    "credit": 0.0,
                    "your_answer": "",
                    "answered": False,
                    "seconds": seconds.get(str(question.id), 0.0),
                }
            )
    return records


def _unanswered_entries(state: QuizState) -> list[dict[str, Any]]:
    """A completed attempt's unanswered questions as wrong answers with no answer given."""
    if not state.completed:
        return []
    entries = []
    for qid in state.unanswered_ids:
        question = state.question(qid)
        entries.append(
            {
                "question_id": question.id,
                "question": question.text,
                "your_answer": "",
                "correct_answer": question.correct_text(),
                "unanswered": True,
            }
        )
    return entries


def build_results(state: QuizState, *, completion_date: str | None = None) -> dict[str, Any]:
    """A results dict in the original app's layout, plus the ``"quiz_widgets"`` extension key.

    The original app writes a results file only once every question is answered, so there
    ``total_answered`` is every question and score + incorrect_count adds up to it. A submitted exam
    keeps that meaning: its unanswered questions are among the incorrect answers (``your_answer`` "",
    ``"unanswered": true``) and count in ``total_answered``; ``quiz_widgets.answered`` is what was answered.
    """
    exam = state.exam
    total = len(state.order)
    answered = state.out_of
    score = state.score
    seconds = _seconds_by_id(state)
    wrong = [
        {
            "question_id": entry.get("question_id"),
            "question": entry.get("question"),
            "your_answer": entry.get("your_answer"),
            "correct_answer": entry.get("correct_answer"),
        }
        for entry in state.wrong_answers
    ]
    wrong += _unanswered_entries(state)
    for entry in wrong:
        took = seconds.get(str(entry["question_id"]))
        if took is not None:
            entry["seconds"] = took
    elapsed = state.elapsed_seconds
    results: dict[str, Any] = {
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
            # Partial credit: the sum of the credits (score stays the count of fully right answers).
            "points": state.points,
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
            "answered": state.total_answered,
            "unanswered": state.unanswered_ids if state.completed else [],
            "topics": topic_breakdown(state),
            "answers": answer_records(state, seconds),
            "mode": state.mode,
            "submitted": state.submitted,
            "time_limit": state.time_limit,
            "time_left": None if state.time_left is None else round(state.time_left, 3),
            "flags": state.flagged_ids,
            "revealed": state.revealed_ids,
        },
    }
    if exam.generators:  # each generated question as this attempt asked it (its text and key)
        results[EXTENSION_KEY]["variants"] = saved_variants(exam)
        results[EXTENSION_KEY]["variant_seed"] = exam.variant_seed
    if state.confidence:
        results[EXTENSION_KEY]["confidence"] = state.confidence
    if state.confidence == "cbm":
        # Moodle's certainty-based marks; the seed's score stays the count of right answers.
        results["performance"]["cbm_score"] = state.cbm_score
    learner = getattr(state, "learner", None)
    if learner:
        results[LEARNER_KEY] = learner
    return results


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
        if not kinds.get(question.kind).in_files(question):
            missing.append(f"{label} (checked by a Python function, which a study exam file cannot keep)")
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
