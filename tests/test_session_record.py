"""Issue 20: a session dict is read into one checked record before any state is built
(quiz/session_record.py), then the state is built from the record (quiz/restore.py)."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path

import pytest

from quiz_widgets.errors import SessionError
from quiz_widgets.exam import Exam, load_exam
from quiz_widgets.quiz.codec import EXTENSION_KEY, from_session, to_session
from quiz_widgets.quiz.restore import build_state
from quiz_widgets.quiz.session_record import SessionRecord, read_session
from quiz_widgets.quiz.state import QuizState

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "state"


@pytest.fixture
def exam() -> Exam:
    return load_exam(FIXTURES / "mixed_exam.json")


def saved(exam: Exam) -> dict:
    state = QuizState(exam, mode="exam", time_limit=600, confidence=True)
    state.answer("B", confidence=3)
    state.flag()
    return json.loads(json.dumps(to_session(state), allow_nan=False))


def test_our_file_is_read_without_the_exam_into_a_frozen_record(exam: Exam) -> None:
    data = saved(exam)
    data["_filepath"] = "/x/session_1.json"
    record = read_session(data)
    assert isinstance(record, SessionRecord) and record.source == "/x/session_1.json"
    assert record.original is None and record.ours is not None
    assert record.ours.mode == "exam" and record.ours.time_limit == 600 and record.ours.confidence is True
    assert record.ours.order == [1, 2, 3, 7, 9] and record.ours.answers[0]["confidence"] == 3
    assert record.ours.flags == [2]
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.learner = "someone else"  # type: ignore[misc]


def test_original_file_is_read_into_carried_progress() -> None:
    data = json.loads((FIXTURES / "original_session.json").read_text(encoding="utf-8"))
    record = read_session(data, "original.json")
    assert record.ours is None and record.source == "original.json"
    assert record.original is not None
    assert (record.original.score, record.original.answered) == (1, 2)
    assert record.elapsed == 1845.0


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("mode",), "cram", "quiz_widgets.mode"),
        (("seconds",), {"1": -1}, "quiz_widgets.seconds.1"),
        (("flags",), "1", "quiz_widgets.flags"),
        (("confidence",), "maybe", "quiz_widgets.confidence"),
        (("answers", 0, "confidence"), 7, "quiz_widgets.answers[0].confidence"),
        (("carried_over",), {"score": -1}, "quiz_widgets.carried_over.score"),
    ],
)
def test_a_bad_field_is_refused_before_any_exam_is_read(exam: Exam, path, value, field) -> None:
    data = saved(exam)
    target = data[EXTENSION_KEY]
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(SessionError) as info:
        read_session(data, "s.json")
    assert str(info.value).startswith(f"s.json: field {field!r}: found ")


def test_building_from_the_record_is_from_session(exam: Exam) -> None:
    data = saved(exam)
    built = build_state(exam, read_session(copy.deepcopy(data)))
    resumed = from_session(data, exam)
    assert to_session(built) == to_session(resumed)
    assert built.flagged_ids == [2] and built.confidence_of(1) == 3 and built.mode == "exam"


def test_a_field_only_the_exam_can_check_names_file_and_field_while_building(exam: Exam) -> None:
    data = saved(exam)
    data[EXTENSION_KEY]["flags"] = [42]
    record = read_session(data, "s.json")  # a list of ids: fine without the exam
    with pytest.raises(SessionError, match=r"^s\.json: field 'quiz_widgets\.flags\[0\]': found 42"):
        build_state(exam, record)
