"""The finish screen's "Study wrong answers" quiz is a session like any other: it resumes later.

The study quiz is started the way the page starts it (a "study" message on the finish screen), answered
once, and then resumed by its session file alone in a real kernel, as a learner would the next day.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from widget_utils import page_message

from quiz_widgets import QuizWidget

EXAM = {
    "title": "Study Drill",
    "questions": [
        {"id": 1, "question": "Pick B", "options": {"A": "a", "B": "b", "C": "c"}, "answer": "B"},
        {"id": 2, "question": "Pick C", "options": {"A": "a", "B": "b", "C": "c"}, "answer": "C"},
        {"id": 3, "question": "3 + 3?", "type": "numeric", "answer": 6},
    ],
}
STUDY_TITLE = "Study Drill - Study Wrong Answers"


def _study_session(base: Path) -> Path:
    """Finish a quiz with two wrong answers, start its study quiz from the page, answer one question."""
    quiz = QuizWidget(EXAM, base_dir=base, autosave_interval=0)
    try:
        quiz.answer("A")  # wrong
        quiz.next()
        quiz.answer("C")  # right
        quiz.next()
        quiz.answer(7)  # wrong
        quiz.next()
        assert quiz.phase == "finished"
        page_message(quiz, {"type": "study"})
        assert quiz.error == ""
        assert quiz.exam_title == STUDY_TITLE and quiz.total == 2
        quiz.answer("B")  # question 1 again, right this time
        return quiz.session_path
    finally:
        quiz.close()


def test_study_session_records_a_saved_exam(tmp_path: Path, recording_comms) -> None:
    path = _study_session(tmp_path)
    data = json.loads(path.read_text())
    assert data["exam_title"] == STUDY_TITLE
    exam_path = data["quiz_widgets"].get("exam_path")
    assert exam_path, f"the study session {path.name} records no exam path: it could never resume"
    saved = Path(exam_path)
    assert saved.is_file(), f"the recorded study exam {saved} does not exist"
    assert saved.parent == (tmp_path / "data" / "exams" / "study").resolve()
    assert json.loads(saved.read_text())["title"] == STUDY_TITLE


def test_study_session_resumes_in_a_fresh_widget(tmp_path: Path, recording_comms) -> None:
    path = _study_session(tmp_path)
    again = QuizWidget.resume(path)
    try:
        assert again.exam_title == STUDY_TITLE
        assert (again.total, again.total_answered, again.score) == (2, 1, 1)
        assert again.session_path == path
        assert again.question["id"] == 3  # the second wrong answer is next
        assert again.answer(6) is True
        assert json.loads(path.read_text())["quiz_mode"]["total_answered"] == 2
    finally:
        again.close()


@pytest.mark.kernel
def test_study_session_resumes_in_a_fresh_kernel(tmp_path: Path, recording_comms, kernel) -> None:
    path = _study_session(kernel.cwd)
    stdout, _, _ = kernel.execute(
        "from quiz_widgets import QuizWidget\n"
        f"q = QuizWidget.resume({str(path)!r})\n"
        "print(q.exam_title, q.total, q.total_answered, q.score, q.question['id'], sep='|')\n"
        "print(q.answer(6), q.total_answered, sep='|')\n"
        "q.close()\n"
    )
    first, second = stdout.strip().splitlines()[-2:]
    assert first == f"{STUDY_TITLE}|2|1|1|3"
    assert second == "True|2"
    assert json.loads(path.read_text())["quiz_mode"]["total_answered"] == 2
