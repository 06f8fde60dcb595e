"""A numeric question's right answer is shown with its tolerance, as Moodle shows it ("3.14 ± 0.01"), on every
screen that shows it (feedback, Show answer, review, finish), checked on the payloads kernel/protocol.py builds
for the page; the session and results files keep the number alone (their format is the original app's)."""

from __future__ import annotations

from quiz_widgets.exam import load_exam
from quiz_widgets.kernel import protocol
from quiz_widgets.quiz.results import build_results
from quiz_widgets.quiz.review import review_rows
from quiz_widgets.quiz.state import QuizState

PI = {"id": 1, "question": "$\\pi$ to two decimals?", "type": "numeric", "answer": 3.14, "tolerance": 0.01}
FOUR = {"id": 2, "question": "2 + 2?", "type": "numeric", "answer": 4}


def state_of(*questions: dict) -> QuizState:
    return QuizState(load_exam({"title": "Numbers", "questions": list(questions)}))


def test_the_feedback_shows_the_right_number_with_its_tolerance() -> None:
    state = state_of(PI)
    payload = protocol.feedback_payload(state.answer(3.0), state=state)
    assert payload["correct"] is False
    assert payload["correct_answer"] == "3.14 ± 0.01"
    assert payload["your_answer"] == "3"


def test_a_number_without_tolerance_is_shown_alone() -> None:
    state = state_of(FOUR)
    assert protocol.feedback_payload(state.answer(5), state=state)["correct_answer"] == "4"


def test_show_answer_review_and_finish_show_the_tolerance_too() -> None:
    state = state_of(PI, FOUR)
    assert protocol.revealed_payload(state.question(1), state=state)["correct_answer"] == "3.14 ± 0.01"
    state.answer(3.0)
    state.finish()
    (first, second) = protocol.review_payload(review_rows(state), state, None)
    assert first["correct_answer"] == "3.14 ± 0.01" and second["correct_answer"] == "4"
    (wrong,) = protocol.summary_payload(state)["wrong"]
    assert wrong["correct_answer"] == "3.14 ± 0.01"


def test_the_session_and_results_files_keep_the_number_alone() -> None:
    state = state_of(PI, FOUR)
    state.answer(3.0)
    state.answer(4)
    (entry,) = state.wrong_answers
    assert entry["correct_answer"] == "3.14"
    results = build_results(state)
    (incorrect,) = results["detailed_results"]["incorrect_answers"]
    assert incorrect["correct_answer"] == "3.14"


def test_answer_entries_show_each_fully_right_value_with_its_own_tolerance() -> None:
    roots = {
        "id": 3,
        "question": "$\\sqrt 2$?",
        "type": "numeric",
        "answers": [
            {"value": 1.414, "tolerance": 0.001},
            {"value": 1.41421356, "tolerance": 0},
            {"value": 1.4, "tolerance": 0.05, "credit": 50, "feedback": "Closer."},
        ],
    }
    state = state_of(roots)
    payload = protocol.feedback_payload(state.answer(1.4), state=state)
    assert payload["credit"] == 50.0
    # The fully right values, each with its tolerance; a half-credit entry is not "the correct answer".
    assert payload["correct_answer"] == "1.414 ± 0.001; 1.41421356"


def test_a_range_is_shown_as_its_interval_not_its_midpoint() -> None:
    ranged = {
        "id": 4,
        "question": "A number from 1 up to (not including) 2?",
        "type": "numeric",
        "answers": [{"min": 1, "max": 2, "max_exclusive": True}],
    }
    closed = {"id": 5, "question": "At least 10?", "type": "numeric", "answers": [{"min": 10}]}
    state = state_of(ranged, closed)
    assert protocol.feedback_payload(state.answer(3), state=state)["correct_answer"] == "[1, 2)"
    assert protocol.feedback_payload(state.answer(3), state=state)["correct_answer"] == "≥ 10"


def test_a_cloze_numerical_blank_shows_its_right_number_with_its_tolerance() -> None:
    cloze = {"id": 6, "type": "cloze", "question": "Ohm: {1:NUMERICAL:=4.5:0.5} and {1:NM:=2}."}
    state = state_of(cloze)
    blanks = protocol.feedback_payload(state.answer([3, 1]), state=state)["blanks"]
    assert [row["right_answer"] for row in blanks] == ["4.5 ± 0.5", "2"]
