"""What the quiz's screens say is true (issue 17 items 1, 3, 4, 5 and parts of 13), checked on the payloads
kernel/protocol.py builds for the page and on the results file (quiz/results.py):

- exam text the learner chose or should have chosen is rich text (math as MathML) wherever it is shown; a
  typed answer stays the learner's own text;
- partly right answers keep their points and their own group on the finish screen;
- a timed exam that runs out scores every question of the attempt (2 right of 8 is 25%), in the view, the
  results file and the class report;
- questions an original-app session counts as answered, without saying how, are "answered" only.
"""

from __future__ import annotations

import json

import pytest
from fake_time import FakeTime

from quiz_widgets.exam import load_exam
from quiz_widgets.kernel import protocol
from quiz_widgets.quiz.codec import EXTENSION_KEY, from_session
from quiz_widgets.quiz.results import build_results, topic_breakdown
from quiz_widgets.quiz.review import review_rows
from quiz_widgets.quiz.state import Clock, QuizState
from quiz_widgets.teaching.records import parse_attempt

MATH = {
    "title": "Derivatives",
    "questions": [
        {
            "id": 1,
            "question": "The derivative of $x^3$?",
            "options": {"A": "$3x^2$", "B": "$x^2$", "C": "$3x$"},
            "answer": "A",
            "explanation": "Power rule: $\\frac{d}{dx}x^n = nx^{n-1}$.",
            "feedback": {"B": "You dropped the factor $3$."},
            "topic": "Rules",
        },
        {
            "id": 2,
            "question": "Which are linear in $x$? (Choose all that apply)",
            "type": "multiChoice",
            "options": {"A": "$2x + 1$", "B": "$x^2$", "C": "$-x$"},
            "answer": ["A", "C"],
            "topic": "Rules",
        },
        {"id": 3, "question": "Type $x^2$ as text", "type": "text", "answer": "x^2"},
    ],
}


def math_state(**kwargs) -> QuizState:
    return QuizState(load_exam(MATH), **kwargs)


# ------------------------------------------------------------------------------------ 1: rich text
def test_feedback_names_the_chosen_and_the_right_options_as_rendered_math() -> None:
    state = math_state()
    result = state.answer("B")
    payload = protocol.feedback_payload(result, state=state)
    (yours,) = payload["your_answer_items"]
    (right,) = payload["correct_answer_items"]
    assert (yours["key"], yours["text"]) == ("B", "$x^2$")
    assert "<math" in yours["html"] and "$" not in yours["html"]
    assert (right["key"], right["text"]) == ("A", "$3x^2$")
    assert "<math" in right["html"] and "<msup>" in right["html"]


def test_shuffled_options_are_named_by_the_letters_on_screen() -> None:
    state = math_state(option_orders={1: ("C", "B", "A")})
    result = state.answer("A")  # on screen: A is "$3x$"
    payload = protocol.feedback_payload(result, state=state)
    assert [(i["key"], i["text"]) for i in payload["your_answer_items"]] == [("A", "$3x$")]
    assert [(i["key"], i["text"]) for i in payload["correct_answer_items"]] == [("C", "$3x^2$")]


def test_several_right_options_are_listed_one_by_one() -> None:
    state = math_state()
    state.goto(2)
    result = state.answer(["A", "B"])
    payload = protocol.feedback_payload(result, state=state)
    assert [i["text"] for i in payload["correct_answer_items"]] == ["$2x + 1$", "$-x$"]
    assert [i["text"] for i in payload["your_answer_items"]] == ["$2x + 1$", "$x^2$"]
    assert all("<math" in i["html"] for i in payload["correct_answer_items"])


def test_a_typed_answer_is_the_learners_own_text_never_rendered() -> None:
    state = math_state()
    state.goto(3)
    typed = "**x**^2 <b>x</b>"
    payload = protocol.feedback_payload(state.answer(typed), state=state)
    assert payload["your_answer"] == typed
    assert payload["your_answer_items"] == [] and payload["correct_answer_items"] == []


def test_review_rows_and_the_finish_list_carry_rendered_options() -> None:
    state = math_state()
    state.answer("B")
    state.finish()
    (row, *_) = protocol.review_payload(review_rows(state), state, None)
    assert "<math" in row["your_answer_items"][0]["html"]
    assert "<math" in row["correct_answer_items"][0]["html"]
    summary = protocol.summary_payload(state)
    (wrong,) = summary["wrong"]
    assert wrong["number"] == 1 and "<math" in wrong["question_html"]
    assert "<math" in wrong["your_answer_items"][0]["html"]
    assert "<math" in wrong["correct_answer_items"][0]["html"]


# ------------------------------------------------------------------------------ 13: feedback once
def test_the_chosen_options_feedback_is_said_once() -> None:
    state = math_state()
    payload = protocol.feedback_payload(state.answer("B"), state=state)
    assert payload["option_feedback"] == {"B": "You dropped the factor $3$."}
    # The same words are not repeated as the answer's own feedback in the same box.
    assert payload["feedback"] == "" and payload["feedback_html"] == ""


def test_feedback_the_options_do_not_say_is_kept() -> None:
    exam = load_exam(
        {
            "title": "Incorrect feedback",
            "questions": [
                {
                    "id": 1,
                    "question": "Pick A",
                    "options": ["a", "b"],
                    "answer": "A",
                    "incorrect_feedback": "Read the question again.",
                }
            ],
        }
    )
    state = QuizState(exam)
    payload = protocol.feedback_payload(state.answer("B"), state=state)
    assert payload["feedback"] == "Read the question again."


# ----------------------------------------------------------------------------- 3: partial credit
HALVES = {
    "title": "Halves",
    "questions": [
        {
            "id": n,
            "question": f"Which are even? ({n})",
            "type": "multiChoice",
            "options": {"A": "2", "B": "4", "C": "5"},
            "answer": ["A", "B"],
            "weights": {"A": 50, "B": 50, "C": -100},
        }
        for n in (1, 2)
    ],
}


def test_partly_right_answers_keep_their_points_and_their_own_group() -> None:
    state = QuizState(load_exam(HALVES))
    state.answer(["A"])
    state.answer(["B"])
    summary = protocol.summary_payload(state)
    assert summary["score"] == 0 and summary["points"] == 1.0 and summary["partial_credit"] is True
    assert summary["wrong"] == []
    assert [(row["number"], row["credit"]) for row in summary["partial"]] == [(1, 50.0), (2, 50.0)]
    statuses = [row["status"] for row in protocol.map_payload(state, graded=True, on_screen=0)]
    assert statuses == ["partial", "partial"]


def test_no_partial_credit_no_points_line() -> None:
    state = math_state()
    state.answer("A")
    assert protocol.summary_payload(state)["partial_credit"] is False


# -------------------------------------------------------------------------------- 4: time runs out
EIGHT = {
    "title": "Eight",
    "questions": [
        {"id": n, "question": f"{n} + 1?", "options": [str(n + 1), str(n)], "answer": "A", "topic": "Sums"}
        for n in range(1, 9)
    ],
}


def timed_out_state() -> QuizState:
    fake = FakeTime(100.0)
    state = QuizState(load_exam(EIGHT), mode="exam", time_limit=60, clock=Clock(now=fake))
    state.clock.start()
    state.timer.start()
    state.answer("A")
    state.answer("A")
    fake.advance(61)
    assert state.timed_out
    state.submit()  # what the controller's deadline does
    return state


def test_a_timed_out_exam_is_scored_over_every_question_on_the_finish_screen() -> None:
    summary = protocol.summary_payload(timed_out_state())
    assert summary["timed_out"] is True
    assert (summary["score"], summary["answered"], summary["out_of"]) == (2, 2, 8)
    assert summary["accuracy"] == 25.0
    assert [row["number"] for row in summary["unanswered"]] == [3, 4, 5, 6, 7, 8]
    assert summary["topics"] == [{"topic": "Sums", "correct": 2, "total": 8}]


def test_a_timed_out_exams_results_file_counts_every_question() -> None:
    state = timed_out_state()
    results = json.loads(json.dumps(build_results(state)))
    performance = results["performance"]
    # The original app writes results only for attempts with every question answered: total_answered is
    # every question and score + incorrect_count adds up to it. A submitted exam keeps those meanings.
    assert performance["score"] == 2 and performance["total_answered"] == 8
    assert performance["accuracy_percentage"] == 25.0 and performance["incorrect_count"] == 6
    detailed = results["detailed_results"]
    assert detailed["incorrect_question_ids"] == [3, 4, 5, 6, 7, 8]
    assert {entry["your_answer"] for entry in detailed["incorrect_answers"]} == {""}
    assert results[EXTENSION_KEY]["answered"] == 2
    assert results[EXTENSION_KEY]["unanswered"] == [3, 4, 5, 6, 7, 8]
    attempt = parse_attempt(results, "timed.json")
    assert attempt.accuracy == 0.25 and attempt.complete
    assert sum(o.correct for o in attempt.outcomes.values()) == 2 and len(attempt.outcomes) == 8


def test_a_quiz_quit_early_still_reports_on_what_was_attempted() -> None:
    state = QuizState(load_exam(EIGHT))
    state.answer("A")
    state.answer("B")
    state.finish()
    summary = protocol.summary_payload(state)
    assert (summary["out_of"], summary["accuracy"], summary["unanswered"]) == (2, 50.0, [])
    assert summary["timed_out"] is False


# ---------------------------------------------------------------------- 5: original-app sessions
def original_session(score: int, answered: int, wrong_ids: list[int]) -> dict:
    return {
        "session_date": "2025-11-01T20:05:08.464061",
        "exam_title": "Eight",
        "total_questions": 8,
        "quiz_mode": {
            "score": score,
            "total_answered": answered,
            "wrong_answers": [
                {
                    "question_id": qid,
                    "question": f"{qid} + 1?",
                    "your_answer": str(qid),
                    "correct_answer": "x",
                }
                for qid in wrong_ids
            ],
        },
        "timer_data": {
            "elapsed_seconds": 600,
            "completed": False,
            "auto_saved": True,
            "emergency_saved": False,
        },
    }


def test_questions_whose_outcome_the_file_does_not_record_are_answered_only() -> None:
    # Score 4 of 5 answered, and the one wrong answer names question 7 (the original app shuffled): which
    # of questions 1-5 was wrong is not in the file.
    state = from_session(original_session(4, 5, [7]), load_exam(EIGHT))
    statuses = [row["status"] for row in protocol.map_payload(state, graded=True, on_screen=5)]
    assert statuses[:5] == ["answered"] * 5 and statuses[5:] == ["unanswered"] * 3
    state.goto(2)
    question = protocol.question_payload(state.current_question, 1, state=state)
    assert question["answered"] is True and question["carried"] is True
    assert topic_breakdown(state) == []
    summary = protocol.summary_payload(state)
    assert summary["not_recorded"] == 5 and summary["score"] == 4
    state.finish()
    rows = review_rows(state)
    assert [row["status"] for row in rows[:5]] == ["answered"] * 5
    assert all(row["carried"] and not row["correct"] for row in rows[:5])


def test_outcomes_the_file_does_record_are_shown() -> None:
    # 1 of 2 right and the wrong one named among them: the other one was right.
    state = from_session(original_session(1, 2, [2]), load_exam(EIGHT))
    statuses = [row["status"] for row in protocol.map_payload(state, graded=True, on_screen=2)]
    assert statuses[:3] == ["right", "wrong", "unanswered"]
    state.finish()
    assert review_rows(state)[1]["your_answer"] == "2"  # the wrong answer the file saved


def test_a_question_answered_here_is_not_carried() -> None:
    state = from_session(original_session(1, 2, [2]), load_exam(EIGHT))
    state.answer("A")
    question = protocol.question_payload(state.question(4), 3, state=state)
    assert question["carried"] is False


@pytest.mark.parametrize("mode", ["practice", "study"])
def test_a_fresh_question_is_not_carried(mode: str) -> None:
    state = QuizState(load_exam(EIGHT), mode=mode)
    assert protocol.question_payload(state.current_question, 0, state=state)["carried"] is False
