"""Study modes (issue 12) in one kernel process: navigation, flags, exam mode and its time limit, study mode,
shuffle and draw, review, time per question, partial credit and rich text; through the QuizWidget's Python
API and the page's messages (a recording comm stands in for the front end)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from fake_time import FakeTime
from widget_utils import page_message, recording_comms  # noqa: F401

from quiz_widgets import QuizWidget, SessionManager
from quiz_widgets.errors import ExamError, SessionError
from quiz_widgets.exam import load_exam
from quiz_widgets.kernel.controller import VIEW_TRAITS
from quiz_widgets.quiz.codec import EXTENSION_KEY, from_session, to_session
from quiz_widgets.quiz.state import Clock, QuizState

QUESTIONS = [
    {
        "id": 10,
        "question": "Which service runs code without servers?",
        "options": {"A": "Virtual machines", "B": "Serverless functions", "C": "Block storage", "D": "DNS"},
        "answer": "B",
        "explanation": "Functions scale to zero.",
        "topic": "Compute",
    },
    {
        "id": 11,
        "question": "Pick the two storage services (Choose TWO)",
        "type": "multiChoice",
        "options": {"A": "Object storage", "B": "Load balancer", "C": "File storage", "D": "CDN"},
        "answer": ["A", "C"],
        "topic": "Storage",
    },
    {"id": 12, "question": "Is DNS a naming service?", "type": "trueFalse", "answer": "A"},
    {"id": 13, "question": "Port of HTTPS?", "type": "numeric", "answer": 443, "topic": "Net"},
    {"id": 14, "question": "Capital of France?", "type": "text", "answer": "Paris"},
]


def make_exam(tmp_path: Path, questions: list[dict] | None = None, name: str = "exam.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"title": "Cloud Basics", "questions": questions or QUESTIONS}), "utf-8")
    return path


@pytest.fixture
def exam_path(tmp_path: Path) -> Path:
    return make_exam(tmp_path)


def quiz_of(exam_path: Path, **kwargs: Any) -> QuizWidget:
    return QuizWidget(exam_path, base_dir=exam_path.parent, autosave_interval=0, attempt="new", **kwargs)


def session_of(quiz: QuizWidget) -> dict:
    assert quiz.session_path is not None
    return json.loads(quiz.session_path.read_text("utf-8"))


# ------------------------------------------------------------------------------------------- navigation
def test_answer_moves_on_to_the_next_unanswered_question(exam_path: Path) -> None:
    quiz = quiz_of(exam_path)
    quiz.goto(3)
    assert quiz.answer("True") is True
    assert quiz.index == 2 and quiz.phase == "feedback"  # the answered question's feedback stays on screen
    quiz.next()
    assert quiz.question["number"] == 4
    quiz.answer(443)
    quiz.next()
    quiz.answer("Paris")
    quiz.next()
    # Wraps round to the first unanswered question.
    assert quiz.question["number"] == 1
    assert quiz.answer("A") is False
    assert quiz.answer(["A", "C"]) is True  # answer(); answer() answers two questions
    assert quiz.total_answered == 5 and quiz.completed and quiz.phase == "feedback"
    assert quiz.score == 4
    assert [w["question_id"] for w in quiz.wrong_answers] == [10]
    data = session_of(quiz)
    assert data["quiz_mode"]["total_answered"] == 5 and data["quiz_mode"]["score"] == 4
    assert data["timer_data"]["completed"] is True


def test_goto_out_of_range_names_the_number_and_range(exam_path: Path) -> None:
    quiz = quiz_of(exam_path)
    for bad in (0, 6, -1, "2", True):
        with pytest.raises(ExamError, match=r"question number .* out of range.*1\.\.5"):
            quiz.goto(bad)
    assert quiz.question["number"] == 1


def test_previous_next_and_revisiting_an_answer_shows_its_feedback(exam_path: Path) -> None:
    quiz = quiz_of(exam_path)
    quiz.answer("B")
    quiz.next()
    quiz.next()  # from question 2 on to question 3 without answering
    assert quiz.question["number"] == 3 and quiz.phase == "question"
    quiz.previous()
    quiz.previous()
    assert quiz.phase == "feedback" and quiz.feedback["correct"] is True and quiz.index == 0
    with pytest.raises(SessionError, match="already answered"):
        quiz.answer("A")
    quiz.next()
    assert quiz.question["number"] == 2 and quiz.phase == "question"


def test_flags_by_number_and_on_screen(exam_path: Path) -> None:
    quiz = quiz_of(exam_path)
    quiz.flag()
    quiz.flag(5)
    quiz.flag(3)
    quiz.flag(3, False)
    assert quiz.flags == {1, 5}
    marks = {row["number"]: row["flagged"] for row in quiz.question_map}
    assert marks == {1: True, 2: False, 3: False, 4: False, 5: True}
    with pytest.raises(ExamError, match="out of range"):
        quiz.flag(9)
    # A flag alone is worth a session file (the quiz creates its file lazily otherwise).
    assert session_of(quiz)[EXTENSION_KEY]["flags"] == [10, 14]


def test_page_messages_for_navigation_and_flags(exam_path: Path, recording_comms) -> None:  # noqa: F811
    quiz = quiz_of(exam_path)
    page_message(quiz, {"type": "goto", "number": 4, "request": "v1-1"})
    assert quiz.question["number"] == 4 and quiz.error == ""
    page_message(quiz, {"type": "flag", "flagged": True, "request": "v1-2"})
    page_message(quiz, {"type": "previous", "request": "v1-3"})
    assert quiz.question["number"] == 3
    page_message(quiz, {"type": "goto", "number": 99, "request": "v1-4"})
    assert "out of range" in quiz.error and quiz.question["number"] == 3
    page_message(quiz, {"type": "flag", "flagged": "yes", "request": "v1-5"})
    assert "flagged" in quiz.error and quiz.flags == {4}
    replies = [m["data"] for m in recording_comms[-1].sent if m["data"].get("method") == "custom"]
    assert [r["content"]["request"] for r in replies] == ["v1-1", "v1-2", "v1-3", "v1-4", "v1-5"]
    assert [r["content"]["ok"] for r in replies] == [True, True, True, False, False]


def test_map_statuses_in_practice(exam_path: Path) -> None:
    quiz = quiz_of(exam_path)
    quiz.answer("B")
    quiz.answer("A")
    statuses = [row["status"] for row in quiz.question_map]
    assert statuses[:3] == ["right", "wrong", "unanswered"]


# -------------------------------------------------------------------------------------------- exam mode
def test_exam_mode_hides_correctness_until_submit(exam_path: Path) -> None:
    quiz = quiz_of(exam_path, mode="exam")
    assert quiz.answer("B") is None  # right or wrong only after submit, in Python as on the page
    assert quiz.phase == "question" and quiz.feedback == {} and quiz.score == 0
    assert quiz.question["number"] == 2 and "choose" not in quiz.question
    quiz.goto(1)
    assert quiz.question["given"] == {"keys": ["B"]}
    quiz.answer("A")  # changed before submit
    assert {row["status"] for row in quiz.question_map} <= {"answered", "unanswered"}
    assert quiz.summary == {}
    data = session_of(quiz)
    assert data["quiz_mode"]["score"] == 0 and data["quiz_mode"]["total_answered"] == 1
    assert data["timer_data"]["completed"] is False
    quiz.submit()
    assert quiz.phase == "finished" and quiz.completed
    assert quiz.summary["answered"] == 1 and quiz.summary["total"] == 5 and quiz.summary["submitted"]
    data = session_of(quiz)
    assert data["timer_data"]["completed"] is True and data[EXTENSION_KEY]["submitted"] is True
    assert quiz.results_path is not None and quiz.results_path.exists()
    with pytest.raises(SessionError, match="finished"):
        quiz.answer("B")


def test_exam_view_state_does_not_depend_on_the_key(tmp_path: Path) -> None:
    keys_b = [dict(q) for q in QUESTIONS]
    keys_b[0]["answer"] = "D"
    keys_b[1]["answer"] = ["B"]
    keys_b[2]["answer"] = "B"
    keys_b[3]["answer"] = 80
    keys_b[4]["answer"] = "Lyon"
    keys_b[0]["explanation"] = "Another explanation."
    one, two = tmp_path / "a", tmp_path / "b"
    one.mkdir()
    two.mkdir()
    quizzes = [
        quiz_of(make_exam(folder, qs), mode="exam") for folder, qs in ((one, QUESTIONS), (two, keys_b))
    ]

    def seen(quiz: QuizWidget) -> dict:
        return {name: getattr(quiz, name) for name in VIEW_TRAITS if name not in ("elapsed", "clock_running")}

    steps = [("answer", "B"), ("flag", None), ("answer", ["A", "C"]), ("goto", 1), ("answer", "D")]
    steps += [("goto", 4), ("answer", 443), ("previous", None), ("next", None)]
    for name, arg in steps:
        for quiz in quizzes:
            method = getattr(quiz, name)
            method() if arg is None else method(arg)
        assert seen(quizzes[0]) == seen(quizzes[1]), name
    for quiz in quizzes:
        quiz.submit()
    assert quizzes[0].score != quizzes[1].score  # and now they differ


def test_submit_in_practice_is_finish_when_all_answered(exam_path: Path) -> None:
    quiz = quiz_of(exam_path)
    for value in ("B", ["A", "C"], "A", 443, "Paris"):
        quiz.answer(value)
    path = quiz.results_path
    quiz.submit()
    assert quiz.phase == "finished" and quiz.results_path == path
    assert session_of(quiz)["timer_data"]["completed"] is True


# ------------------------------------------------------------------------------------------- time limit
def test_time_limit_runs_out_and_submits(exam_path: Path) -> None:
    fake = FakeTime(1000.0)
    exam = load_exam(exam_path)
    state = QuizState(exam, mode="exam", time_limit=60, clock=Clock(now=fake))
    quiz = QuizWidget(exam, base_dir=exam_path.parent, autosave_interval=0, _state=state)
    assert quiz.countdown_running and quiz.time_limit == 60
    fake.now += 20
    quiz.answer("B")
    assert session_of(quiz)[EXTENSION_KEY]["time_left"] == 40.0
    with pytest.raises(SessionError, match="cannot be paused"):
        quiz.pause()
    fake.now += 45
    with pytest.raises(SessionError, match="time limit ran out"):
        quiz.answer("A")
    assert quiz.completed and quiz.phase == "finished" and quiz.time_remaining == 0.0
    data = session_of(quiz)
    assert data["timer_data"]["completed"] is True and data[EXTENSION_KEY]["time_left"] == 0.0
    assert data["quiz_mode"]["total_answered"] == 1
    assert quiz.results_path is not None and quiz.results_path.exists()


def test_timed_attempt_resumes_with_the_time_left_at_the_last_save(exam_path: Path) -> None:
    fake = FakeTime(1000.0)
    exam = load_exam(exam_path)
    state = QuizState(exam, mode="exam", time_limit=100, clock=Clock(now=fake))
    state.timer.start()
    fake.now += 30.5
    data = json.loads(json.dumps(to_session(state)))
    fake.now += 1000  # the kernel is dead: this time is not counted
    restored = from_session(data, exam, clock_now=fake)
    assert restored.time_left == pytest.approx(69.5)
    assert restored.mode == "exam" and restored.time_limit == 100


def test_time_limit_needs_exam_mode(exam_path: Path) -> None:
    with pytest.raises(SessionError, match="needs mode='exam'"):
        quiz_of(exam_path, time_limit=60)
    with pytest.raises(SessionError, match="mode"):
        quiz_of(exam_path, mode="cram")


# ------------------------------------------------------------------------------------------- study mode
def test_show_answer_in_study_mode(exam_path: Path) -> None:
    quiz = quiz_of(exam_path, mode="study")
    assert quiz.show_answer() == "Serverless functions"
    assert quiz.phase == "feedback" and quiz.feedback["revealed"] is True
    assert quiz.feedback["correct_keys"] == ["B"] and "scale to zero" in quiz.feedback["explanation_html"]
    assert session_of(quiz)[EXTENSION_KEY]["revealed"] == [10]
    quiz.next()
    assert quiz.question["number"] == 2
    with pytest.raises(SessionError, match="study mode"):
        quiz_of(exam_path).show_answer()


# ---------------------------------------------------------------------------------------------- review
def test_review_lists_every_question(exam_path: Path) -> None:
    quiz = quiz_of(exam_path, mode="exam")
    with pytest.raises(SessionError, match="not finished"):
        quiz.review()
    quiz.answer("A")
    quiz.flag(3)
    quiz.submit()
    rows = quiz.review()
    assert quiz.phase == "review" and len(quiz.review_rows) == 5
    assert [r["status"] for r in rows] == ["wrong", "unanswered", "unanswered", "unanswered", "unanswered"]
    first = rows[0]
    assert first["your_answer"] == "Virtual machines" and first["correct_answer"] == "Serverless functions"
    assert first["explanation"] == "Functions scale to zero."
    assert [r["number"] for r in rows if r["flagged"]] == [3]
    quiz.next()
    assert quiz.phase == "finished"


def test_review_of_a_resumed_attempt(exam_path: Path) -> None:
    quiz = quiz_of(exam_path)
    quiz.answer("B")
    quiz.finish()
    path = quiz.session_path
    quiz.close()
    again = QuizWidget.resume(path)
    assert [r["status"] for r in again.review()][:2] == ["right", "unanswered"]


# ------------------------------------------------------------------------------------------ shuffle/draw
def test_shuffled_options_answer_as_shown_and_files_name_texts(exam_path: Path) -> None:
    quiz = quiz_of(exam_path, shuffle=True, shuffle_options=True, seed=7)
    state = quiz.state
    assert sorted(state.order) == [10, 11, 12, 13, 14]
    quiz.goto(state.order.index(10) + 1)
    shown = quiz.question["options"]
    assert [o["key"] for o in shown] == ["A", "B", "C", "D"]
    assert sorted(o["text"] for o in shown) == sorted(o.text for o in state.exam.by_id(10).options)
    letter = {o["text"]: o["key"] for o in shown}
    assert quiz.answer(letter["Serverless functions"]) is True
    assert quiz.feedback["chosen"] == [letter["Serverless functions"]] == quiz.feedback["correct_keys"]
    quiz.goto(state.order.index(11) + 1)
    letter = {o["text"]: o["key"] for o in quiz.question["options"]}
    assert quiz.answer([letter["Object storage"], letter["CDN"]]) is False
    assert quiz.wrong_answers[0]["your_answer"] == "Object storage; CDN"
    data = session_of(quiz)
    ext = data[EXTENSION_KEY]
    assert ext["seed"] == 7 and ext["shuffle"] is True and ext["question_order"] == state.order
    assert set(ext["option_orders"]) == {"10", "11"}
    assert [a["answer"] for a in ext["answers"]] == ["B", ["A", "D"]]  # the exam's own keys


def test_shuffled_wrong_answer_names_the_original_text(exam_path: Path) -> None:
    exam = load_exam(exam_path)
    state = QuizState(exam, option_orders={10: ("D", "C", "B", "A")})
    assert state.answer("A").correct is False  # "A" as shown is the exam's D
    assert state.wrong_answers[0]["your_answer"] == "DNS"
    assert state.answers[0]["answer"] == "D"
    state.goto(1)
    with pytest.raises(SessionError, match="already answered"):
        state.answer("C")


def test_draw_picks_n_questions_and_resumes_them(exam_path: Path) -> None:
    quiz = quiz_of(exam_path, draw=3, seed=1)
    assert quiz.total == 3 and len(quiz.state.order) == 3
    quiz.answer(quiz.state.current_question.correct_normalized())
    quiz.flag(2)
    quiz.goto(3)
    data = session_of(quiz)
    assert data["total_questions"] == 3
    path = quiz.session_path
    quiz.close()
    again = QuizWidget.resume(path)
    assert again.state.order == data[EXTENSION_KEY]["question_order"]
    assert again.question["number"] == 3 and again.flags == {2} and again.total_answered == 1


def test_draw_per_topic_and_bad_draws(exam_path: Path) -> None:
    quiz = quiz_of(exam_path, draw={"Compute": 1, "General": 2}, seed=3)
    exam = quiz.state.exam
    topics = sorted(exam.by_id(qid).topic or "General" for qid in quiz.state.order)
    assert topics == ["Compute", "General", "General"]
    with pytest.raises(ExamError, match="draw"):
        quiz_of(exam_path, draw=6)
    with pytest.raises(ExamError, match="topic 'Nope'"):
        quiz_of(exam_path, draw={"Nope": 1})


# ----------------------------------------------------------------------------------- time per question
def test_seconds_per_question_count_only_on_screen(exam_path: Path) -> None:
    fake = FakeTime(1000.0)
    exam = load_exam(exam_path)
    state = QuizState(exam, clock=Clock(now=fake))
    state.clock.start()
    fake.now += 10
    state.answer("B")  # 10 s on question 1
    fake.now += 4
    state.clock.stop()
    fake.now += 500  # the quiz is not on screen: not counted
    state.clock.start()
    fake.now += 6
    state.goto(3)  # 10 s on question 2
    fake.now += 2
    seconds = state.question_seconds()
    assert seconds == {10: 10.0, 11: 10.0, 12: 2.0}
    data = json.loads(json.dumps(to_session(state)))
    assert data[EXTENSION_KEY]["seconds"] == {"10": 10.0, "11": 10.0, "12": 2.0}
    restored = from_session(data, exam, clock_now=fake)
    assert restored.question_seconds() == seconds and restored.current_index == 2


def test_results_file_has_seconds_answers_and_points(exam_path: Path) -> None:
    quiz = quiz_of(exam_path)
    for value in ("A", ["A", "C"], "A", 443, "Paris"):
        quiz.answer(value)
    results = json.loads(quiz.results_path.read_text("utf-8"))
    answers = results[EXTENSION_KEY]["answers"]
    assert [a["question_id"] for a in answers] == [10, 11, 12, 13, 14]
    assert set(answers[0]) == {
        "question_id",
        "question",
        "topic",
        "correct",
        "credit",
        "your_answer",
        "seconds",
    }
    assert answers[0]["your_answer"] == "Virtual machines" and answers[0]["correct"] is False
    assert all(isinstance(a["seconds"], float) for a in answers)
    assert "seconds" in results["detailed_results"]["incorrect_answers"][0]
    assert results["performance"]["points"] == 4.0
    from quiz_widgets.teaching.records import parse_attempt

    attempt = parse_attempt(results, "r.json")
    assert attempt.detailed and attempt.outcomes["10"].answer == "Virtual machines"


# -------------------------------------------------------------------------------------- partial credit
def test_partial_credit_counts_in_points_not_score(tmp_path: Path) -> None:
    questions = [
        {
            "id": 1,
            "question": "Pick the primes",
            "type": "multiChoice",
            "options": {"A": "2", "B": "3", "C": "4", "D": "5"},
            "weights": {"A": 33.33333, "B": 33.33333, "C": -100, "D": 33.33333},
            "answer": ["A", "B", "D"],
        },
        {"id": 2, "question": "2 + 2?", "type": "numeric", "answer": 4},
    ]
    quiz = quiz_of(make_exam(tmp_path, questions))
    assert quiz.answer(["A", "B"]) is False
    assert quiz.feedback["partial"] is True and quiz.feedback["credit"] == pytest.approx(66.7)
    assert quiz.question_map[0]["status"] == "partial"
    quiz.next()
    assert quiz.answer(4) is True
    assert quiz.score == 1 and quiz.points == pytest.approx(1.666667, abs=1e-5)
    assert session_of(quiz)[EXTENSION_KEY]["points"] == pytest.approx(1.666667, abs=1e-5)


# ------------------------------------------------------------------------------------------- rich text
def test_question_text_reaches_the_page_as_sanitized_html(tmp_path: Path) -> None:
    questions = [
        {
            "id": 1,
            "question": "What does `print(1)` show? <script>alert(1)</script>",
            "options": ["**1**", "2"],
            "answer": "A",
            "explanation": "It prints $x^2$.",
        }
    ]
    quiz = quiz_of(make_exam(tmp_path, questions))
    html = quiz.question["html"]
    assert "<code>print(1)</code>" in html and "<script" not in html
    assert "<strong>1</strong>" in quiz.question["options"][0]["html"]
    quiz.answer("A")
    assert "<math" in quiz.feedback["explanation_html"]
    plain = quiz_of(make_exam(tmp_path, QUESTIONS, "plain.json"))
    assert plain.question["html"] == "Which service runs code without servers?"


# -------------------------------------------------------------------------------- original-app sessions
def test_original_app_session_resumes_at_total_answered(exam_path: Path) -> None:
    exam = load_exam(exam_path)
    data = {
        "session_date": "2024-11-01T20:05:08",
        "exam_title": "Cloud Basics",
        "total_questions": 5,
        "quiz_mode": {"score": 1, "total_answered": 2, "wrong_answers": []},
        "timer_data": {"elapsed_seconds": 40, "completed": False},
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        state = from_session(data, exam)
    assert state.current_index == 2 and state.current_question.id == 12
    state.answer("True")
    assert state.total_answered == 3 and state.current_index == 3


def test_mode_survives_the_session_file(exam_path: Path) -> None:
    quiz = quiz_of(exam_path, mode="study")
    quiz.answer("B")
    path = quiz.session_path
    quiz.close()
    again = QuizWidget.resume(path)
    assert again.mode == "study" and again.state.mode == "study"
    assert SessionManager(exam_path.parent).load_session(path)[EXTENSION_KEY]["mode"] == "study"
