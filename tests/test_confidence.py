"""Confidence with each answer (issue 22, item 3): the levels, Moodle's certainty-based marking, what the
session and results files keep (and resume), calibration per topic on the finish screen and in
my_progress(), and exam mode's rule that nothing derived from the key shows before submit. Through
QuizState, the QuizWidget's Python API and the page's messages (a recording comm stands in for the page).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from widget_utils import page_message, recording_comms  # noqa: F401

from quiz_widgets import QuizWidget, my_progress
from quiz_widgets.errors import AnswerError, SessionError
from quiz_widgets.exam import load_exam
from quiz_widgets.quiz.codec import EXTENSION_KEY, from_session, to_session
from quiz_widgets.quiz.results import build_results
from quiz_widgets.quiz.state import QuizState

QUESTIONS = [
    {"id": i, "question": f"Q{i}: pick {key}", "options": ["a", "b", "c"], "answer": key, "topic": topic}
    for i, key, topic in zip(
        range(1, 7), "ABCABC", ["Storage", "Storage", "Compute", "Compute", "Storage", "Compute"], strict=True
    )
]
# Moodle's weighted multi choice: two right options of three, a third each is worth half.
PARTIAL = {
    "id": 7,
    "question": "Pick the two primes",
    "type": "multiChoice",
    "options": ["2", "3", "9"],
    "weights": {"A": 50, "B": 50, "C": -100},
    "topic": "Math",
}


def exam(*extra: dict) -> object:
    return load_exam({"title": "Sure", "questions": [*QUESTIONS, *extra]})


def wrong(question: object) -> str:
    return next(o.key for o in question.options if o.key not in question.answer)


# ---------------------------------------------------------------- Moodle's marks


def test_cbm_marks_are_moodles_table_per_level() -> None:
    state = QuizState(exam(), confidence="cbm")
    marks = []
    for level, right in [(1, True), (1, False), (2, True), (2, False), (3, True), (3, False)]:
        q = state.current_question
        before = state.cbm_score
        state.answer(q.answer[0] if right else wrong(q), level)
        marks.append(state.cbm_score - before)
    assert marks == [1.0, 0.0, 2.0, -2.0, 3.0, -6.0]
    # The seed's score stays the count of right answers.
    assert state.score == 3 and state.cbm_score == -2.0


def test_partly_right_earns_its_share_of_the_right_mark_as_moodle_does() -> None:
    state = QuizState(exam(PARTIAL), order=[7], drawn=True, confidence="cbm")
    state.answer(["A"], 3)  # half right at C=3: 3 x 0.5, not the -6 of a wrong answer
    assert state.points == 0.5 and state.score == 0
    assert state.cbm_score == 1.5
    state2 = QuizState(exam(PARTIAL), order=[7], drawn=True, confidence="cbm")
    state2.answer(["A", "C"], 3)  # clamped at 0 credit: wrong, -6
    assert state2.cbm_score == -6.0


def test_an_answer_without_a_level_counts_as_c1_and_stays_out_of_calibration() -> None:
    state = QuizState(exam(), confidence="cbm")
    state.answer("A")  # right, no level: Moodle assumes C=1
    state.answer(wrong(state.current_question))  # wrong at C=1: 0
    assert state.cbm_score == 1.0
    assert all("confidence" not in entry for entry in state.answers)
    results = build_results(state)
    assert results["performance"]["cbm_score"] == 1.0
    from quiz_widgets.quiz.results import calibration

    assert calibration(state) == []


def test_a_bad_level_is_an_answer_error_naming_it_and_changes_nothing() -> None:
    state = QuizState(exam(), confidence=True)
    for bad in (0, 4, "3", 2.0, True):
        with pytest.raises(AnswerError, match=r"question 1 \(id 1\): confidence: found .*expected 1"):
            state.answer("A", bad)
    assert state.total_answered == 0 and state.revision == 0
    plain = QuizState(exam())
    with pytest.raises(AnswerError, match="does not ask how sure"):
        plain.answer("A", 2)
    assert plain.total_answered == 0


def test_a_bad_confidence_setting_is_refused_before_any_widget(tmp_path: Path) -> None:
    with pytest.raises(SessionError, match=r"confidence: found 'yes', expected False, True or 'cbm'"):
        QuizWidget(exam(), base_dir=tmp_path, confidence="yes")


# ---------------------------------------------------------------- files


def test_the_session_keeps_each_level_in_our_key_and_the_original_fields_unchanged() -> None:
    plain = QuizState(exam(), session_date="2026-12-07T01:00:00")
    sure = QuizState(exam(), confidence=True, session_date="2026-12-07T01:00:00")
    for state, levels in ((plain, (None, None)), (sure, (3, 1))):
        state.answer("A", levels[0])
        state.answer(wrong(state.current_question), levels[1])
    a, b = to_session(plain), to_session(sure)
    assert {k: v for k, v in a.items() if k != EXTENSION_KEY} == {
        k: v for k, v in b.items() if k != EXTENSION_KEY
    }
    ext = b[EXTENSION_KEY]
    assert ext["confidence"] is True
    assert [e.get("confidence") for e in ext["answers"]] == [3, 1]
    assert "confidence" not in a[EXTENSION_KEY]

    back = from_session(json.loads(json.dumps(b)), exam())
    assert back.confidence is True
    assert back.confidence_of(1) == 3 and back.confidence_of(2) == 1
    assert back.answers == sure.answers


def test_a_bad_level_in_a_session_file_names_the_field() -> None:
    state = QuizState(exam(), confidence="cbm")
    state.answer("A", 2)
    data = to_session(state)
    data[EXTENSION_KEY]["answers"][0]["confidence"] = 7
    with pytest.raises(SessionError, match=r"quiz_widgets\.answers\[0\]\.confidence.*7"):
        from_session(data, exam())
    data = to_session(state)
    data[EXTENSION_KEY]["confidence"] = "sometimes"
    with pytest.raises(SessionError, match=r"quiz_widgets\.confidence.*sometimes"):
        from_session(data, exam())


def test_results_hold_cbm_score_levels_and_the_plain_score() -> None:
    state = QuizState(exam(), confidence="cbm")
    for level, right in [(3, True), (3, False), (2, True), (1, False), (1, True), (2, True)]:
        q = state.current_question
        state.answer(q.answer[0] if right else wrong(q), level)
    results = build_results(state)
    perf = results["performance"]
    assert perf["score"] == 4 and perf["cbm_score"] == 3 - 6 + 2 + 0 + 1 + 2
    assert [r["confidence"] for r in results[EXTENSION_KEY]["answers"]] == [3, 3, 2, 1, 1, 2]
    assert results[EXTENSION_KEY]["confidence"] == "cbm"
    # A quiz with levels but no CBM writes no CBM score.
    levels_only = QuizState(exam(), confidence=True)
    levels_only.answer("A", 3)
    assert "cbm_score" not in build_results(levels_only)["performance"]


# ---------------------------------------------------------------- the widget


def _levels(summary: dict, topic: str) -> dict[int, tuple[int, int]]:
    row = next(r for r in summary["calibration"] if r["topic"] == topic)
    return {lv["level"]: (lv["right"], lv["answered"]) for lv in row["levels"]}


def test_widget_asks_scores_and_shows_calibration_per_topic(tmp_path: Path, recording_comms) -> None:  # noqa: F811
    quiz = QuizWidget(exam(), base_dir=tmp_path, confidence="cbm")
    assert quiz.confidence == "cbm"
    assert quiz.answer("A", confidence=3) is True  # Storage, sure, right
    assert quiz.feedback["confidence"] == 3 and quiz.feedback["cbm_mark"] == 3.0
    quiz.next()
    # From the page: the option index and the level.
    page_message(quiz, {"type": "answer", "value": 2, "confidence": 3, "request": "v-1"})  # Storage, wrong
    assert quiz.error == "" and quiz.feedback["cbm_mark"] == -6.0
    quiz.next()
    page_message(quiz, {"type": "answer", "value": 2, "confidence": 9, "request": "v-2"})
    assert "confidence: found 9" in quiz.error and quiz.answered == 2
    for value, level in [("C", 1), ("A", 2), ("A", 2), ("C", 3)]:
        quiz.answer(value, confidence=level)
        quiz.next()
    assert quiz.completed and quiz.phase == "finished"
    assert quiz.cbm_score == 3 - 6 + 1 + 2 - 2 + 3
    assert quiz.summary["cbm_score"] == quiz.cbm_score
    assert _levels(quiz.summary, "Storage") == {3: (1, 2), 2: (0, 1), 1: (0, 0)}
    assert _levels(quiz.summary, "Compute") == {3: (1, 1), 2: (1, 1), 1: (1, 1)}
    assert [row["confidence"] for row in quiz.review()] == [3, 3, 1, 2, 2, 3]  # the review screen's rows
    results = json.loads(quiz.results_path.read_text("utf-8"))
    assert results["performance"]["cbm_score"] == quiz.cbm_score
    assert results["performance"]["score"] == quiz.score == 4


def test_exam_mode_asks_with_the_answer_and_shows_nothing_from_the_key_before_submit(
    tmp_path: Path,
    recording_comms,  # noqa: F811
) -> None:
    quiz = QuizWidget(exam(), base_dir=tmp_path, mode="exam", confidence="cbm")
    assert quiz.answer("B", confidence=3) is None  # wrong, but not said
    assert quiz.cbm_score is None and quiz.feedback == {}
    quiz.goto(1)
    assert quiz.question["given"] == {"keys": ["B"], "confidence": 3}  # to keep or change
    quiz.finish()  # left without submitting: never graded
    assert "calibration" not in quiz.summary and "cbm_score" not in quiz.summary
    assert quiz.cbm_score is None

    quiz2 = QuizWidget(exam(), base_dir=tmp_path / "b", mode="exam", confidence="cbm")
    quiz2.answer("B", confidence=3)
    quiz2.submit()
    assert quiz2.cbm_score == -6.0
    assert _levels(quiz2.summary, "Storage")[3] == (0, 1)


def test_a_resumed_attempt_keeps_its_levels_and_setting(tmp_path: Path, recording_comms) -> None:  # noqa: F811
    quiz = QuizWidget(exam(), base_dir=tmp_path, confidence=True)
    quiz.answer("A", confidence=2)
    path = quiz.save()
    quiz.close()
    again = QuizWidget.resume(path, exam())
    assert again.confidence == "levels"
    assert again.state.confidence_of(1) == 2
    # The cell now without confidence= continues the attempt, which keeps its own setting, and says so.
    again.close()
    cont = QuizWidget(exam(), base_dir=tmp_path)
    assert cont.confidence == "levels" and "a confidence level" not in cont.continued
    assert "no confidence level" in cont.continued


def test_my_progress_returns_calibration_over_every_attempt(tmp_path: Path, recording_comms) -> None:  # noqa: F811
    for levels in ([3, 3, 1, 2, 2, 1], [3, 1, 1, 2, 3, 3]):
        quiz = QuizWidget(exam(), base_dir=tmp_path, confidence=True, attempt="new")
        for i, level in enumerate(levels):
            q = quiz.state.current_question
            quiz.answer(q.answer[0] if i % 2 == 0 else wrong(q), confidence=level)
            quiz.next()
        quiz.close()
    progress = my_progress(tmp_path)
    rows = {
        r["topic"]: {lv["level"]: (lv["right"], lv["answered"]) for lv in r["levels"]}
        for r in progress["calibration"]
    }
    # Answers 1, 3, 5 right (ids 1 Storage, 3 Compute, 5 Storage); 2, 4, 6 wrong (Storage, Compute, Compute).
    assert rows == {
        "Compute": {3: (0, 1), 2: (0, 2), 1: (2, 3)},
        "Storage": {3: (3, 4), 2: (1, 1), 1: (0, 1)},
    }
    assert [r["topic"] for r in progress["calibration"]] == ["Compute", "Storage"]


def test_a_study_quiz_asks_how_sure_as_its_attempt_did(tmp_path: Path, recording_comms) -> None:  # noqa: F811
    quiz = QuizWidget(exam(), base_dir=tmp_path, confidence="cbm")
    quiz.answer("B", confidence=1)  # wrong
    path = quiz.save()
    quiz.close()
    # Resumed without confidence=: the attempt keeps "cbm", and so does the study quiz of its wrong answers.
    again = QuizWidget.resume(path, exam())
    again.finish()
    again.study_wrong_answers()
    assert again.state.exam.title.endswith("Study Wrong Answers") and again.confidence == "cbm"
    assert again.answer("A", confidence=3) is True and again.cbm_score == 3.0
