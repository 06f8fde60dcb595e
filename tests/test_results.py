"""Unit tests for quiz_widgets.quiz.results: results files, wrong answers, study exams, topics."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from quiz_widgets.errors import ExamError, SessionError
from quiz_widgets.exam import Exam, load_exam
from quiz_widgets.quiz.codec import EXTENSION_KEY, from_session
from quiz_widgets.quiz.results import (
    aggregate_all_incorrect_answers,
    build_results,
    build_study_exam,
    format_duration,
    incorrect_answers,
    topic_breakdown,
)
from quiz_widgets.quiz.state import Clock, QuizState

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "state"


@pytest.fixture
def exam() -> Exam:
    return load_exam(FIXTURES / "mixed_exam.json")


def other_exam() -> Exam:
    return load_exam(
        {
            "title": "Networking Basics",
            "questions": [
                {"id": 1, "question": "Port of HTTPS?", "type": "numeric", "answer": 443, "topic": "Net"},
                {"id": 2, "question": "Is UDP connectionless?", "type": "trueFalse", "answer": "A"},
            ],
        }
    )


def letters_results() -> dict:
    return json.loads((FIXTURES / "original_results_letters.json").read_text(encoding="utf-8"))


def finished_state(
    exam: Exam, values=("A", "AC", "True", 2.0, "Paris"), elapsed: float = 3725.4
) -> QuizState:
    state = QuizState(exam, clock=Clock(elapsed), session_date="2024-01-02T03:04:05")
    for value in values:
        state.answer(value)
    return state


# --------------------------------------------------------------------------------- build_results
def test_build_results_layout(exam: Exam) -> None:
    state = finished_state(exam)
    results = build_results(state, completion_date="2024-01-02T04:06:10.5")
    assert set(results) == {"exam_info", "session_info", "performance", "detailed_results", EXTENSION_KEY}
    assert results["exam_info"] == {
        "title": "Mixed Kinds Exam",
        "total_questions": 5,
        "shuffle_enabled": False,
        "exam_file_path": str(exam.source),
    }
    assert results["session_info"] == {
        "completion_date": "2024-01-02T04:06:10.5",
        "time_taken": "01:02:05",
        "time_taken_seconds": 3725,
    }
    assert results["performance"] == {
        "score": 3,
        "total_answered": 5,
        "accuracy_percentage": 60.0,
        "completion_percentage": 100.0,
        "incorrect_count": 2,
        "points": 3.0,
    }
    detailed = results["detailed_results"]
    assert detailed["correct_answers"] == 3
    assert detailed["incorrect_answers"] == [
        {
            "question_id": 1,
            "question": "Which service runs code without managing servers?",
            "your_answer": "Virtual machines",
            "correct_answer": "Serverless functions",
        },
        {
            "question_id": 7,
            "question": "What is pi to two decimals?",
            "your_answer": "2",
            "correct_answer": "3.14",
        },
    ]
    assert detailed["questions_answered"] == [0, 1, 2, 3, 4]
    assert detailed["incorrect_question_ids"] == [1, 7]
    ext = results[EXTENSION_KEY]
    assert ext["exam_fingerprint"] == exam.fingerprint
    assert ext["topics"] == [
        {"topic": "Compute", "correct": 0, "total": 2},
        {"topic": "Storage", "correct": 1, "total": 1},
        {"topic": "General", "correct": 2, "total": 2},
    ]
    json.dumps(results, allow_nan=False)


def test_percentages_have_two_decimals(exam: Exam) -> None:
    state = QuizState(exam)
    for value in ("B", "AC", "False"):
        state.answer(value)
    performance = build_results(state)["performance"]
    assert performance["accuracy_percentage"] == 66.67
    assert performance["completion_percentage"] == 60.0


def test_nothing_answered(exam: Exam) -> None:
    results = build_results(QuizState(exam))
    assert results["performance"]["accuracy_percentage"] == 0.0
    assert results["performance"]["completion_percentage"] == 0.0
    assert results["detailed_results"]["incorrect_answers"] == []
    assert results["session_info"]["completion_date"]  # defaults to now


def test_shuffle_flag(exam: Exam) -> None:
    state = QuizState(exam, order=[9, 7, 3, 2, 1])
    assert build_results(state)["exam_info"]["shuffle_enabled"] is True


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "00:00:00"), (59.9, "00:00:59"), (3338, "00:55:38"), (9445, "02:37:25"), (879692, "244:21:32")],
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


def test_build_results_from_resumed_original_session(exam: Exam) -> None:
    data = json.loads((FIXTURES / "original_session.json").read_text(encoding="utf-8"))
    state = from_session(data, exam)
    state.answer("True")
    results = build_results(state)
    assert results["performance"]["score"] == 2
    assert results["performance"]["incorrect_count"] == 1
    # Carried-over questions 1 (right, not in wrong answers) and 2 (wrong) count in their topics.
    assert topic_breakdown(state) == [
        {"topic": "Compute", "correct": 1, "total": 1},
        {"topic": "Storage", "correct": 0, "total": 1},
        {"topic": "General", "correct": 1, "total": 1},
    ]


# ------------------------------------------------------------------------------- topic_breakdown
def test_topic_breakdown_follows_quiz_order(exam: Exam) -> None:
    state = QuizState(exam, order=[9, 2, 1, 3, 7])
    state.answer("Rome")
    state.answer("AC")
    assert topic_breakdown(state) == [
        {"topic": "General", "correct": 0, "total": 1},
        {"topic": "Storage", "correct": 1, "total": 1},
    ]
    assert topic_breakdown(QuizState(exam)) == []


# ---------------------------------------------------------------------------- incorrect_answers
def test_incorrect_answers_old_letters_and_lists() -> None:
    entries = incorrect_answers(letters_results())
    assert entries[0] == {
        "question_id": 1,
        "question": "Which service runs code without managing servers?",
        "your_answer": "D",
        "correct_answer": "B",
    }
    assert entries[1]["your_answer"] == "A; B" and entries[1]["correct_answer"] == "A; C"
    assert [e["question_id"] for e in entries] == [1, 2, 9]


def test_incorrect_answers_new_results(exam: Exam) -> None:
    results = build_results(finished_state(exam))
    assert incorrect_answers(results) == results["detailed_results"]["incorrect_answers"]


def test_incorrect_answers_tolerates_missing_keys() -> None:
    assert incorrect_answers({}) == []
    assert incorrect_answers({"detailed_results": {}}) == []
    entries = incorrect_answers({"detailed_results": {"incorrect_answers": [{}, {"your_answer": 3}]}})
    assert entries == [
        {"question_id": None, "question": "", "your_answer": "", "correct_answer": ""},
        {"question_id": None, "question": "", "your_answer": "3", "correct_answer": ""},
    ]


@pytest.mark.parametrize(
    ("results", "field"),
    [
        ({"detailed_results": []}, "detailed_results"),
        ({"detailed_results": {"incorrect_answers": {"a": 1}}}, "detailed_results.incorrect_answers"),
        ({"detailed_results": {"incorrect_answers": ["x"]}}, "incorrect_answers[0]"),
        (
            {"detailed_results": {"incorrect_answers": [{"question_id": [1]}]}},
            "incorrect_answers[0].question_id",
        ),
        (
            {"detailed_results": {"incorrect_answers": [{"question_id": True}]}},
            "incorrect_answers[0].question_id",
        ),
        ({"detailed_results": {"incorrect_answers": [{"question": 5}]}}, "incorrect_answers[0].question"),
        ({"detailed_results": {"incorrect_answers": [{"your_answer": {"A": 1}}]}}, "[0].your_answer"),
        ({"detailed_results": {"incorrect_answers": [{"correct_answer": [["A"]]}]}}, "[0].correct_answer[0]"),
    ],
)
def test_incorrect_answers_wrong_shapes(results: dict, field: str) -> None:
    with pytest.raises(SessionError) as info:
        incorrect_answers(results)
    assert field in str(info.value) and "expected" in str(info.value)


def test_incorrect_answers_names_the_file() -> None:
    with pytest.raises(SessionError, match=r"quiz_results_1\.json"):
        incorrect_answers({"_filepath": "results/quiz_results_1.json", "detailed_results": 3})


@pytest.mark.parametrize("results", [None, [], "x"])
def test_incorrect_answers_not_a_mapping(results) -> None:
    with pytest.raises(SessionError):
        incorrect_answers(results)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------- aggregate
def test_aggregate_unique_by_exam_and_question(exam: Exam) -> None:
    first = letters_results()
    second = build_results(finished_state(exam))  # wrong: ids 1 and 7
    third = build_results(finished_state(other_exam(), values=(80, "B")))
    entries = aggregate_all_incorrect_answers([first, second, third])
    assert [(e["exam_title"], e["question_id"]) for e in entries] == [
        ("Mixed Kinds Exam", 1),
        ("Mixed Kinds Exam", 2),
        ("Mixed Kinds Exam", 9),
        ("Mixed Kinds Exam", 7),
        ("Networking Basics", 1),
        ("Networking Basics", 2),
    ]
    assert entries[0]["exam_file_path"] == "exams/mixed_exam.json"
    assert entries[0]["your_answer"] == "D"  # first seen kept
    assert entries[3]["exam_file_path"] == str(exam.source)
    assert entries[4]["exam_file_path"] is None


def test_aggregate_accepts_one_results_dict_and_empty() -> None:
    assert len(aggregate_all_incorrect_answers(letters_results())) == 3
    assert aggregate_all_incorrect_answers([]) == []


def test_aggregate_bad_exam_info() -> None:
    with pytest.raises(SessionError, match="exam_info"):
        aggregate_all_incorrect_answers([{"exam_info": "Mixed"}])
    with pytest.raises(SessionError, match=r"exam_info\.title"):
        aggregate_all_incorrect_answers([{"exam_info": {"title": 3}}])


# ----------------------------------------------------------------------------- build_study_exam
def test_study_exam_from_one_exam(exam: Exam) -> None:
    study = build_study_exam([letters_results()], [other_exam(), exam])
    assert isinstance(study, Exam)
    assert study.title == "Mixed Kinds Exam - Study Wrong Answers"
    assert [q.id for q in study.questions] == [1, 2, 9]
    # Questions are copied whole from their source exam: answer key, topic, explanation.
    original = exam.by_id(1)
    copied = study.by_id(1)
    assert (copied.text, copied.answer, copied.topic, copied.explanation) == (
        original.text,
        original.answer,
        original.topic,
        original.explanation,
    )
    assert study.by_id(9).answer == exam.by_id(9).answer


def test_study_exam_from_a_quiz_state(exam: Exam) -> None:
    study = build_study_exam([build_results(finished_state(exam))], [exam])
    assert [q.id for q in study.questions] == [1, 7]
    QuizState(study).answer("B")  # a usable exam


def test_study_exam_from_several_exams_renumbers_clashing_ids(exam: Exam) -> None:
    results = [letters_results(), build_results(finished_state(other_exam(), values=(80, "B")))]
    study = build_study_exam(results, [exam, other_exam()])
    assert study.title == "Study Wrong Answers (2 exams)"
    assert [q.text for q in study.questions][-2:] == ["Port of HTTPS?", "Is UDP connectionless?"]
    assert [q.id for q in study.questions] == [1, 2, 3, 4, 5]
    assert "Mixed Kinds Exam" in study.description and "Networking Basics" in study.description


def test_study_exam_matched_by_file_name(exam: Exam) -> None:
    results = letters_results()
    results["exam_info"]["title"] = "Renamed Exam"
    results["exam_info"]["exam_file_path"] = "QuizPython/fixtures/mixed_exam.json"
    study = build_study_exam([results], [exam])
    assert len(study) == 3


def test_study_exam_of_a_study_exam_uses_the_base_title(exam: Exam) -> None:
    results = letters_results()
    results["exam_info"]["title"] = "Mixed Kinds Exam - Study Wrong Answers"
    results["exam_info"]["exam_file_path"] = None
    study = build_study_exam([results], [exam])
    assert study.title == "Mixed Kinds Exam - Study Wrong Answers"


def test_study_exam_skips_unknown_questions_with_warning(exam: Exam) -> None:
    results = letters_results()
    results["detailed_results"]["incorrect_answers"].append({"question_id": 404, "question": "gone"})
    other = letters_results()
    other["exam_info"] = {"title": "Unknown Exam", "exam_file_path": "exams/unknown.json"}
    with pytest.warns(UserWarning) as record:
        study = build_study_exam([results, other], [exam])
    message = " ".join(str(w.message) for w in record)
    assert "404" in message and "Unknown Exam" in message
    assert [q.id for q in study.questions] == [1, 2, 9]


def test_study_exam_with_nothing_to_study(exam: Exam) -> None:
    results = build_results(finished_state(exam, values=("B", "AC", "True", 3.14, "Paris")))
    with pytest.raises(ExamError, match="no incorrect answers"):
        build_study_exam([results], [exam])
    with (
        warnings.catch_warnings(),
        pytest.raises(ExamError, match="none of their questions was found"),
    ):
        warnings.simplefilter("ignore")
        build_study_exam([letters_results()], [other_exam()])
