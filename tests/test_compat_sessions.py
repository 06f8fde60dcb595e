"""The original app's real session and results files (../shared/compat/quizpython) resume and parse.

Those files are not part of the project: the tests run when the folder is next to the repository and
skip, saying so, when it is not (in CI they fail). Nothing here copies or writes them.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from run_flags import COMPAT

from quiz_widgets.exam import Exam, load_exam
from quiz_widgets.kernel.protocol import map_payload, question_payload
from quiz_widgets.quiz.codec import EXTENSION_KEY, from_session, to_session
from quiz_widgets.quiz.results import (
    aggregate_all_incorrect_answers,
    build_study_exam,
    incorrect_answers,
)

# Without the folder these tests skip, or fail in CI: the rule is in run_flags.py (via conftest.py).
pytestmark = pytest.mark.compat


def _files(folder: str) -> list[Path]:
    return sorted((COMPAT / folder).glob("*.json")) if (COMPAT / folder).is_dir() else []


SESSIONS = _files("sessions")
RESULTS = _files("results")
# Collected by name so each file is its own test; when absent, one placeholder keeps the skip visible.
SESSION_PARAMS = [pytest.param(p, id=p.name) for p in SESSIONS] or [pytest.param(None, id="no-compat")]
RESULT_PARAMS = [pytest.param(p, id=p.name) for p in RESULTS] or [pytest.param(None, id="no-compat")]


@pytest.fixture(scope="module")
def exams_by_title() -> dict[str, Exam]:
    exams = [load_exam(path) for path in _files("exams")]
    return {exam.title: exam for exam in exams}


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _stand_in_exam(title: str, count: int) -> Exam:
    """For sessions whose exam is not among the compat files: an exam of the saved size."""
    return load_exam(
        {
            "title": title,
            "questions": [
                {"id": i, "question": f"Stand-in question {i}", "options": ["yes", "no"], "answer": "A"}
                for i in range(1, max(count, 1) + 1)
            ],
        }
    )


def test_all_ten_session_files_are_present() -> None:
    assert len(SESSIONS) == 10, [p.name for p in SESSIONS]
    assert len(RESULTS) == 3, [p.name for p in RESULTS]


@pytest.mark.parametrize("path", SESSION_PARAMS)
def test_session_file_resumes(path: Path, exams_by_title: dict[str, Exam]) -> None:
    data = _read(path)
    data["_filepath"] = str(path)
    saved = data["quiz_mode"]
    timer = data.get("timer_data", {})
    exam = exams_by_title.get(data["exam_title"]) or _stand_in_exam(
        data["exam_title"], data["total_questions"]
    )
    assert EXTENSION_KEY not in data  # these are original-app files

    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        state = from_session(data, exam)
    messages = [str(w.message) for w in record]

    answered = saved["total_answered"]
    expected_index = min(answered, len(exam))
    if answered > len(exam):
        assert any(f"total_answered is {answered}" in m for m in messages), messages
    else:
        assert not any("total_answered" in m for m in messages), messages
    assert state.order == [q.id for q in exam.questions]
    assert state.current_index == expected_index
    if expected_index < len(exam):
        # The seed: resume at question total_answered + 1 of the exam order.
        assert state.current_question is exam.questions[expected_index]
        assert state.current_question.number == answered + 1
    else:
        assert state.current_question is None and state.completed
    assert state.score == saved["score"]
    assert state.wrong_answers == saved["wrong_answers"]
    assert state.elapsed_seconds == float(timer.get("elapsed_seconds", 0))
    assert state.quit_by_user == timer.get("quit_by_user", False)
    assert state.session_date == data["session_date"]

    # What we write back keeps every field the original app reads, with the same meaning.
    written = json.loads(json.dumps(to_session(state, auto_saved=True), allow_nan=False))
    assert {"session_date", "exam_title", "total_questions", "quiz_mode", "timer_data"} <= set(written)
    assert written["quiz_mode"]["score"] == saved["score"]
    assert written["quiz_mode"]["total_answered"] == expected_index
    assert written["quiz_mode"]["wrong_answers"] == saved["wrong_answers"]
    assert written["timer_data"]["elapsed_seconds"] == timer.get("elapsed_seconds", 0)
    again = from_session(written, exam)
    assert (again.score, again.total_answered, again.wrong_answers) == (
        state.score,
        state.total_answered,
        state.wrong_answers,
    )


@pytest.mark.parametrize("path", SESSION_PARAMS)
def test_the_map_claims_no_outcome_the_file_does_not_record(
    path: Path, exams_by_title: dict[str, Exam]
) -> None:
    # The file keeps a count, a score and the wrong answers, not which question got which answer: the map
    # may say "right" and "wrong" no more often than the file does, and the rest is only "answered".
    data = _read(path)
    saved = data["quiz_mode"]
    exam = exams_by_title.get(data["exam_title"]) or _stand_in_exam(
        data["exam_title"], data["total_questions"]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        state = from_session(data, exam)
    statuses = [row["status"] for row in map_payload(state, graded=True, on_screen=state.position)]
    answered = min(saved["total_answered"], len(exam))
    assert statuses.count("right") <= saved["score"]
    assert statuses.count("wrong") <= max(
        0, answered - saved["score"]
    )  # a file may hold more score than questions
    assert len(statuses) - statuses.count("unanswered") == answered
    if 0 < answered < len(exam):
        question = question_payload(state.question(state.order[0]), 0, state=state)
        assert question["carried"] is True


def test_sessions_with_their_real_exam(exams_by_title: dict[str, Exam]) -> None:
    titled = {_read(p)["exam_title"] for p in SESSIONS}
    assert {"Practice Exam 1", "TDojo Exam 2"} <= titled & set(exams_by_title)


def test_practice_exam_1_session_continues(exams_by_title: dict[str, Exam]) -> None:
    data = _read(COMPAT / "sessions" / "session_20251101_215142.json")
    state = from_session(data, exams_by_title["Practice Exam 1"])
    assert state.current_question.id == 2
    state.answer("D")  # the right answer to question 2
    assert (state.score, state.total_answered, len(state.wrong_answers)) == (1, 2, 1)


def test_review_mode_session_against_a_study_exam(exams_by_title: dict[str, Exam]) -> None:
    """'Practice Exam 1 - Review Mode' (21 questions) is the wrong answers of the first results file."""
    results = _read(COMPAT / "results" / "quiz_results_20251031_111509.json")
    study = build_study_exam([results], exams_by_title.values())
    assert study.title == "Practice Exam 1 - Study Wrong Answers" and len(study) == 21
    data = _read(COMPAT / "sessions" / "session_20251101_201052.json")
    with pytest.warns(UserWarning, match="Review Mode"):
        state = from_session(data, study)
    assert state.current_question is study.questions[0]
    assert state.elapsed_seconds == 13075.0


@pytest.mark.parametrize("path", RESULT_PARAMS)
def test_results_file_parses(path: Path) -> None:
    data = _read(path)
    entries = incorrect_answers(data)
    assert len(entries) == data["performance"]["incorrect_count"]
    for entry in entries:
        assert set(entry) == {"question_id", "question", "your_answer", "correct_answer"}
        assert isinstance(entry["your_answer"], str) and isinstance(entry["correct_answer"], str)
        assert entry["question"]


def test_results_aggregate_and_study_exam(exams_by_title: dict[str, Exam]) -> None:
    all_results = [_read(p) for p in RESULTS]
    entries = aggregate_all_incorrect_answers(all_results)
    assert len(entries) == sum(len(incorrect_answers(r)) for r in all_results)
    assert all(e["exam_file_path"] for e in entries)
    # Practice Exam 4 is not among the compat exams: its questions are skipped with a warning.
    with pytest.warns(UserWarning, match="Practice Exam 4"):
        study = build_study_exam(all_results, exams_by_title.values())
    assert study.title == "Practice Exam 1 - Study Wrong Answers"
    # The study round's misses (8, 31, 32, 44) were all missed in the full exam too: no new question.
    full = incorrect_answers(_read(COMPAT / "results" / "quiz_results_20251031_111509.json"))
    assert [q.id for q in study.questions] == [e["question_id"] for e in full]
