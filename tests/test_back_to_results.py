"""The way back from a study quiz to the finished attempt it was made from, and how a view that takes no
more answers is told so (issue 17 items 9 and 13), driving widgets in this process.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from widget_utils import page_message

from quiz_widgets import QuizWidget, SessionError

QUESTIONS = [
    {"question": "2 + 2?", "type": "numeric", "answer": 4},
    {"question": "Capital of France?", "type": "text", "answer": "Paris"},
    {"question": "3 * 3?", "type": "numeric", "answer": 9},
]


def make(base: Path, **kw) -> QuizWidget:
    return QuizWidget.from_questions(QUESTIONS, title="Warm-up", base_dir=base, autosave_interval=0, **kw)


def replies(quiz: QuizWidget) -> list[dict]:
    return [
        m["data"]["content"]
        for m in quiz.comm.sent
        if isinstance(m["data"], dict) and m["data"].get("method") == "custom"
    ]


@pytest.fixture
def finished(tmp_path: Path, recording_comms) -> QuizWidget:
    """A finished attempt: 1 right, 2 wrong."""
    quiz = make(tmp_path, attempt="new")
    for value in (4, "Rome", 8):
        quiz.answer(value)
        quiz.next()
    assert quiz.phase == "finished" and quiz.score == 1
    yield quiz
    quiz.close()


def test_back_to_results_from_the_study_quiz_shows_the_finished_attempt_again(finished: QuizWidget) -> None:
    results_file = finished.session_path
    assert finished.can_go_back is False
    page_message(finished, {"type": "study", "request": "v1-1"})
    study_file_count = len(list((results_file.parent).glob("session_*.json")))
    # `quiz` is the study quiz now, and the view offers the way back.
    assert finished.error == "" and finished.total == 2 and finished.phase == "question"
    assert finished.can_go_back is True
    assert finished.answer("Paris") is True  # one study answer: the study quiz gets its file
    study_file = finished.session_path
    assert study_file != results_file

    page_message(finished, {"type": "back_to_results", "request": "v1-2"})
    assert replies(finished)[-1] == {"type": "reply", "request": "v1-2", "ok": True, "error": ""}
    # `quiz` names what is on screen again: the finished attempt, its finish screen, its score and file.
    assert finished.phase == "finished" and finished.total == 3 and finished.score == 1
    assert finished.session_path == results_file and finished.summary["score"] == 1
    assert finished.can_go_back is False
    # The study quiz was saved as it was and resumes later.
    saved = json.loads(study_file.read_text())
    assert saved["quiz_mode"]["total_answered"] == 1 and not saved["quiz_mode"].get("quit_by_user")
    assert len(list(results_file.parent.glob("session_*.json"))) == study_file_count + 1
    # And the study quiz is offered again from the finish screen.
    finished.study_wrong_answers()
    assert finished.total == 2 and finished.can_go_back is True


def test_back_to_results_needs_a_study_quiz_made_from_results(finished: QuizWidget) -> None:
    with pytest.raises(SessionError, match="no results to go back to"):
        finished.back_to_results()
    page_message(finished, {"type": "back_to_results", "request": "v1-1"})
    assert "no results to go back to" in finished.error
    assert replies(finished)[-1]["ok"] is False
    assert finished.phase == "finished" and finished.total == 3


def test_the_python_call_goes_back_as_the_button_does(finished: QuizWidget) -> None:
    assert finished.study_wrong_answers() is finished
    assert finished.back_to_results() is finished
    assert finished.phase == "finished" and finished.score == 1 and finished.total == 3


def test_a_widget_replaced_by_a_rerun_cell_names_the_file_not_its_path_nor_an_id(
    tmp_path: Path, recording_comms
) -> None:
    first = make(tmp_path)
    first.answer(4)
    path = first.session_path
    assert first.closed is False
    again = make(tmp_path)  # the learner runs the cell again
    try:
        assert again.session_path == path
        # The old view looks inactive, and its banner says which file in words a learner reads.
        assert first.closed is True and again.closed is False
        assert path.name in first.warning
        assert str(path.parent) not in first.warning
        assert again.model_id[:8] not in first.warning
        assert "run this cell again" in first.warning
    finally:
        again.close()


def test_studying_again_after_going_back_goes_on_with_the_same_study_quiz(finished: QuizWidget) -> None:
    finished.study_wrong_answers()
    assert finished.answer("Paris") is True
    study_file = finished.session_path
    finished.back_to_results()
    finished.study_wrong_answers()
    # Not a second study quiz (and a second study exam file): the one left, where it was.
    assert finished.session_path == study_file and finished.total_answered == 1 and finished.total == 2
    assert len(list((finished._live.manager.base_dir / "data" / "exams" / "study").glob("*.json"))) == 1
    finished.answer(9)
    finished.next()
    assert finished.phase == "finished"
    # A finished study quiz is not taken up again: going back and studying once more starts a new one.
    finished.back_to_results()
    finished.study_wrong_answers()
    assert finished.total_answered == 0 and finished.session_path is None
