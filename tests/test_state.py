"""Unit tests for quiz_widgets.quiz.state: Clock, QuizState, and the session dict in and out."""

from __future__ import annotations

import copy
import inspect
import json
import time
import warnings
from pathlib import Path

import pytest
from fake_time import FakeTime

from quiz_widgets.errors import AnswerError, SessionError
from quiz_widgets.exam import Exam, load_exam
from quiz_widgets.quiz.codec import EXTENSION_KEY, FORMAT_VERSION, from_session, to_session
from quiz_widgets.quiz.state import AnswerResult, Clock, QuizState

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "state"
SEED_KEYS = {"session_date", "exam_title", "total_questions", "quiz_mode", "timer_data"}
TIMER_KEYS = {"elapsed_seconds", "completed", "auto_saved", "emergency_saved", "quit_by_user"}


@pytest.fixture
def exam() -> Exam:
    return load_exam(FIXTURES / "mixed_exam.json")


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime(1000.0)


def original_session() -> dict:
    return json.loads((FIXTURES / "original_session.json").read_text(encoding="utf-8"))


def roundtrip(state: QuizState, **kwargs) -> QuizState:
    data = json.loads(json.dumps(to_session(state), allow_nan=False))
    return from_session(data, state.exam, **kwargs)


def changed_exam(exam: Exam, mutate) -> Exam:
    data = exam.to_dict()
    mutate(data)
    return load_exam(data)


# ------------------------------------------------------------------------------------------ Clock
class TestClock:
    def test_counts_only_while_running(self, fake: FakeTime) -> None:
        clock = Clock(now=fake)
        fake.advance(5)
        assert clock.elapsed == 0.0 and not clock.running
        clock.start()
        fake.advance(2.5)
        assert clock.running and clock.elapsed == pytest.approx(2.5)
        clock.stop()
        fake.advance(100)
        assert clock.elapsed == pytest.approx(2.5)

    def test_start_and_stop_are_idempotent(self, fake: FakeTime) -> None:
        clock = Clock(now=fake)
        assert clock.start() is True
        fake.advance(1)
        assert clock.start() is False  # a second start must not reset the start time
        fake.advance(1)
        assert clock.elapsed == pytest.approx(2.0)
        assert clock.stop() is True
        assert clock.stop() is False
        assert clock.elapsed == pytest.approx(2.0)
        assert clock.transitions == 2

    def test_restored_elapsed_is_an_offset(self, fake: FakeTime) -> None:
        clock = Clock(1845.0, now=fake)
        assert clock.elapsed == 1845.0
        clock.start()
        fake.advance(10)
        assert clock.elapsed == pytest.approx(1855.0)

    def test_time_never_runs_backwards(self, fake: FakeTime) -> None:
        clock = Clock(3.0, now=fake)
        clock.start()
        fake.advance(-50)
        assert clock.elapsed == 3.0

    @pytest.mark.parametrize("bad", [-1, float("nan"), float("inf")])
    def test_bad_elapsed_refused(self, bad: float) -> None:
        with pytest.raises(ValueError):
            Clock(bad)

    def test_non_number_elapsed_refused(self) -> None:
        with pytest.raises(TypeError):
            Clock("12")  # type: ignore[arg-type]

    def test_default_is_monotonic(self) -> None:
        # The wall clock jumps (NTP, suspend, DST); the learner's time must not.
        assert inspect.signature(Clock).parameters["now"].default is time.monotonic
        before = time.monotonic()
        clock = Clock()
        clock.start()
        after = time.monotonic()
        while time.monotonic() <= after:  # let the monotonic clock move on
            pass
        low = time.monotonic() - after
        elapsed = clock.elapsed
        high = time.monotonic() - before
        # Bounds from the readings around start() and around the read: no duration is assumed.
        assert low <= elapsed <= high, (low, elapsed, high)
        assert elapsed > 0.0


# ------------------------------------------------------------------------------------- QuizState
class TestNewState:
    def test_initial_state(self, exam: Exam) -> None:
        state = QuizState(exam)
        assert state.order == [1, 2, 3, 7, 9]
        assert state.current_index == 0
        assert state.current_question is exam.questions[0]
        assert (state.score, state.total_answered, state.answers, state.wrong_answers) == (0, 0, [], [])
        assert state.revision == 0 and not state.completed and not state.quit_by_user
        assert state.elapsed_seconds == 0.0
        assert "T" in state.session_date  # ISO timestamp

    def test_custom_order_and_session_date(self, exam: Exam) -> None:
        state = QuizState(exam, order=[9, 7, 3, 2, 1], session_date="2024-01-01T00:00:00")
        assert state.current_question.id == 9
        assert state.session_date == "2024-01-01T00:00:00"

    def test_order_ids_resolved_as_strings(self, exam: Exam) -> None:
        state = QuizState(exam, order=["9", 7, 3, 2, 1])
        assert state.order == [9, 7, 3, 2, 1]

    @pytest.mark.parametrize(
        ("order", "words"),
        [
            ([1, 2, 3, 7], "missing"),
            ([1, 2, 3, 7, 9, 9], "once"),
            ([1, 2, 3, 7, 42], "42"),
            ("12379", "list"),
            ([1, 2, 3, 7, None], "None"),
        ],
    )
    def test_bad_order_refused(self, exam: Exam, order, words: str) -> None:
        with pytest.raises(SessionError, match="question_order") as info:
            QuizState(exam, order=order)
        assert words in str(info.value)


class TestAnswer:
    def test_correct_answer(self, exam: Exam) -> None:
        state = QuizState(exam)
        result = state.answer("b")
        assert isinstance(result, AnswerResult)
        assert result.correct and result.normalized == "B" and result.index == 0
        assert result.question is exam.questions[0]
        assert state.score == 1 and state.total_answered == 1 and state.current_index == 1
        assert state.answers == [{"question_id": 1, "answer": "B", "correct": True}]
        assert state.wrong_answers == []
        assert state.revision == 1
        assert state.current_question.id == 2

    def test_wrong_answer_entry_uses_option_texts(self, exam: Exam) -> None:
        state = QuizState(exam)
        state.answer("Virtual machines")
        state.answer([1, "a"])  # index and letter mixed -> ["A", "B"]
        assert state.answers[1] == {"question_id": 2, "answer": ["A", "B"], "correct": False}
        assert state.wrong_answers == [
            {
                "question_id": 1,
                "question": "Which service runs code without managing servers?",
                "your_answer": "Virtual machines",
                "correct_answer": "Serverless functions",
            },
            {
                "question_id": 2,
                "question": "Which are object or archive storage classes? (Choose TWO)",
                "your_answer": "Standard; Block volume",
                "correct_answer": "Standard; Archive",
            },
        ]
        assert state.score == 0

    def test_all_kinds(self, exam: Exam) -> None:
        state = QuizState(exam)
        assert state.answer(1).correct  # index 1 -> B
        assert state.answer("C, A").correct
        assert state.answer(True).correct
        assert state.answer("3.145").correct  # within tolerance 0.01
        assert state.answer("  paris ").correct
        assert state.score == 5 and state.completed

    def test_numeric_and_text_wrong_entries(self, exam: Exam) -> None:
        state = QuizState(exam, order=[7, 9, 1, 2, 3])
        state.answer(2.5)
        state.answer("Lyon")
        wrong = state.wrong_answers
        assert [w["your_answer"] for w in wrong] == ["2.5", "Lyon"]
        assert [w["correct_answer"] for w in wrong] == ["3.14", "Paris"]

    @pytest.mark.parametrize("bad", ["Z", 17, -1, None, [], {"a": 1}, 1.5, ""])
    def test_invalid_answer_changes_nothing(self, exam: Exam, fake: FakeTime, bad) -> None:
        state = QuizState(exam, clock=Clock(now=fake))
        state.answer("B")
        before = (to_session(state), state.revision)
        with pytest.raises(AnswerError):
            state.answer(bad)
        assert (to_session(state), state.revision) == before

    def test_answer_result_normalized_is_a_copy(self, exam: Exam) -> None:
        state = QuizState(exam, order=[2, 1, 3, 7, 9])
        result = state.answer(["A", "C"])
        result.normalized.append("E")
        assert state.answers[0]["answer"] == ["A", "C"]

    def test_answers_property_is_a_copy(self, exam: Exam) -> None:
        state = QuizState(exam)
        state.answer("A")
        state.answers.clear()
        state.wrong_answers.clear()
        assert len(state.answers) == 1 and len(state.wrong_answers) == 1

    def test_last_answer_completes_and_stops_clock(self, exam: Exam, fake: FakeTime) -> None:
        state = QuizState(exam, clock=Clock(now=fake))
        state.clock.start()
        for value in ["B", ["A", "C"], "True", 3.14]:
            state.answer(value)
            fake.advance(1)
        assert state.clock.running and not state.completed
        state.answer("Paris")
        assert state.completed and not state.clock.running
        assert state.current_question is None and state.current_index == 5
        fake.advance(60)
        assert state.elapsed_seconds == pytest.approx(4.0)

    def test_answer_after_completion_refused(self, exam: Exam) -> None:
        state = QuizState(exam)
        for value in ["A", "A", "A", 0, "x"]:
            state.answer(value)
        with pytest.raises(SessionError, match="quiz is finished"):
            state.answer("A")

    def test_answer_after_finish_refused(self, exam: Exam) -> None:
        state = QuizState(exam)
        state.answer("A")
        state.finish()
        revision = state.revision
        with pytest.raises(SessionError, match="quiz is finished"):
            state.answer("B")
        assert state.total_answered == 1 and state.revision == revision


class TestFinishAndRevision:
    def test_finish_sets_quit_and_stops_clock(self, exam: Exam, fake: FakeTime) -> None:
        state = QuizState(exam, clock=Clock(now=fake))
        state.clock.start()
        fake.advance(3)
        state.finish()
        assert state.quit_by_user and state.finished and not state.clock.running
        fake.advance(3)
        assert state.elapsed_seconds == pytest.approx(3.0)
        assert not state.completed

    def test_finish_without_quit(self, exam: Exam) -> None:
        state = QuizState(exam)
        state.finish(quit_by_user=False)
        assert state.finished and not state.quit_by_user

    def test_finish_after_completion_is_not_a_quit(self, exam: Exam) -> None:
        state = QuizState(exam)
        for value in ["A", "A", "A", 0, "x"]:
            state.answer(value)
        state.finish(quit_by_user=True)
        assert state.completed and not state.quit_by_user

    def test_revision_counts_every_change(self, exam: Exam, fake: FakeTime) -> None:
        state = QuizState(exam, clock=Clock(now=fake))
        assert state.revision == 0
        state.clock.start()
        assert state.revision == 1
        state.clock.start()  # no change, no bump
        assert state.revision == 1
        state.answer("B")
        assert state.revision == 2
        state.clock.stop()
        assert state.revision == 3
        state.finish()
        assert state.revision == 4
        state.finish()  # already finished with the same flag
        assert state.revision == 4

    def test_revision_ignores_transitions_before_the_state(self, fake: FakeTime, exam: Exam) -> None:
        clock = Clock(now=fake)
        clock.start()
        clock.stop()
        assert QuizState(exam, clock=clock).revision == 0


# ------------------------------------------------------------------------------------ to_session
class TestToSession:
    def test_seed_fields_exactly_plus_extension(self, exam: Exam, fake: FakeTime) -> None:
        state = QuizState(exam, clock=Clock(12.75, now=fake), session_date="2024-11-01T20:05:08.123456")
        state.answer("B")
        state.answer("AB")
        data = to_session(state, auto_saved=True)
        assert set(data) == SEED_KEYS | {EXTENSION_KEY}
        assert data["session_date"] == "2024-11-01T20:05:08.123456"
        assert data["exam_title"] == "Mixed Kinds Exam"
        assert data["total_questions"] == 5
        assert set(data["quiz_mode"]) == {"score", "total_answered", "wrong_answers"}
        assert data["quiz_mode"]["score"] == 1 and data["quiz_mode"]["total_answered"] == 2
        assert set(data["timer_data"]) == TIMER_KEYS
        assert data["timer_data"] == {
            "elapsed_seconds": 12,
            "completed": False,
            "auto_saved": True,
            "emergency_saved": False,
            "quit_by_user": False,
        }
        assert type(data["timer_data"]["elapsed_seconds"]) is int
        ext = data[EXTENSION_KEY]
        assert ext == {
            "format_version": 2,
            "exam_path": str(exam.source),
            "exam_fingerprint": exam.fingerprint,
            "question_order": [1, 2, 3, 7, 9],
            "answers": [
                {"question_id": 1, "answer": "B", "correct": True},
                {"question_id": 2, "answer": ["A", "B"], "correct": False},
            ],
            "elapsed_seconds": 12.75,
            # Study-mode fields (format 2): a plain practice quiz in exam order, on its third question.
            "mode": "practice",
            "position": 2,
            "flags": [],
            "revealed": [],
            "submitted": False,
            "points": 1.0,
            "seconds": {},
            "option_orders": {},
            "drawn": False,
            "time_limit": None,
            "time_left": None,
        }
        json.dumps(data, allow_nan=False)

    def test_emergency_flag_and_exam_without_path(self) -> None:
        exam = load_exam(
            {"title": "T", "questions": [{"id": 1, "question": "Q", "options": ["x", "y"], "answer": "A"}]}
        )
        data = to_session(QuizState(exam), emergency_saved=True)
        assert data["timer_data"]["emergency_saved"] is True
        assert data[EXTENSION_KEY]["exam_path"] is None

    def test_to_session_is_a_snapshot(self, exam: Exam) -> None:
        state = QuizState(exam)
        state.answer("A")
        data = to_session(state)
        data["quiz_mode"]["wrong_answers"].clear()
        data[EXTENSION_KEY]["answers"].clear()
        data[EXTENSION_KEY]["question_order"].clear()
        assert len(state.wrong_answers) == 1 and len(state.answers) == 1 and len(state.order) == 5

    def test_completed_and_quit_flags(self, exam: Exam) -> None:
        state = QuizState(exam)
        state.finish()
        assert to_session(state)["timer_data"]["quit_by_user"] is True
        done = QuizState(exam)
        for value in ["A", "A", "A", 0, "x"]:
            done.answer(value)
        assert to_session(done)["timer_data"]["completed"] is True


# ---------------------------------------------------------------------- from_session (our files)
class TestFromOurSession:
    def test_exact_roundtrip(self, exam: Exam, fake: FakeTime) -> None:
        state = QuizState(exam, order=[3, 1, 9, 2, 7], clock=Clock(now=fake))
        state.clock.start()
        fake.advance(61.2345)
        state.answer("False")
        state.answer("B")
        state.answer("Paris, France")
        restored = roundtrip(state, clock_now=fake)
        for name in ("score", "total_answered", "wrong_answers", "answers", "order", "current_index"):
            assert getattr(restored, name) == getattr(state, name), name
        assert restored.current_question is state.current_question
        assert restored.elapsed_seconds == pytest.approx(61.2345, abs=1e-9)
        assert restored.session_date == state.session_date
        assert not restored.clock.running and restored.revision == 0
        # The restored clock runs on the injected time source.
        restored.clock.start()
        fake.advance(1)
        assert restored.elapsed_seconds == pytest.approx(62.2345)

    def test_score_and_wrong_answers_recomputed_from_answers(self, exam: Exam) -> None:
        state = QuizState(exam)
        state.answer("A")
        data = to_session(state)
        data["quiz_mode"]["score"] = 99
        data["quiz_mode"]["wrong_answers"] = []
        data[EXTENSION_KEY]["answers"][0]["correct"] = True
        restored = from_session(data, exam)
        assert restored.score == 0 and len(restored.wrong_answers) == 1
        assert restored.answers[0]["correct"] is False

    def test_quit_session_restored_finished(self, exam: Exam) -> None:
        state = QuizState(exam)
        state.answer("B")
        state.finish()
        restored = roundtrip(state)
        assert restored.quit_by_user and restored.finished and not restored.completed
        with pytest.raises(SessionError, match="quiz is finished"):
            restored.answer("A")

    def test_completed_session_restored(self, exam: Exam) -> None:
        state = QuizState(exam)
        for value in ["A", "A", "A", 0, "x"]:
            state.answer(value)
        restored = roundtrip(state)
        assert restored.completed and restored.current_question is None and not restored.quit_by_user

    def test_resumed_state_continues(self, exam: Exam) -> None:
        state = QuizState(exam)
        state.answer("B")
        restored = roundtrip(state)
        assert restored.answer(["A", "C"]).index == 1
        assert restored.score == 2

    def test_filepath_named_in_errors(self, exam: Exam) -> None:
        data = to_session(QuizState(exam))
        data["_filepath"] = "/tmp/session_x.json"
        data[EXTENSION_KEY]["elapsed_seconds"] = "soon"
        with pytest.raises(SessionError, match=r"session_x\.json"):
            from_session(data, exam)

    def test_newer_format_refused(self, exam: Exam) -> None:
        data = to_session(QuizState(exam))
        data[EXTENSION_KEY]["format_version"] = FORMAT_VERSION + 1
        with pytest.raises(SessionError, match="newer"):
            from_session(data, exam)


def _set(path: tuple, value):
    def apply(data: dict) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return apply


def _delete(path: tuple):
    def apply(data: dict) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return apply


EXT = EXTENSION_KEY
MALFORMED = [
    ("session_date", _set(("session_date",), 20240101), "session_date"),
    ("exam_title", _set(("exam_title",), ["x"]), "exam_title"),
    ("timer_data", _set(("timer_data",), [1, 2]), "timer_data"),
    ("quiz_mode", _set(("quiz_mode",), "full"), "quiz_mode"),
    ("quit flag", _set(("timer_data", "quit_by_user"), "yes"), "timer_data.quit_by_user"),
    ("completed flag", _set(("timer_data", "completed"), 1), "timer_data.completed"),
    ("timer elapsed", _set(("timer_data", "elapsed_seconds"), "ten"), "timer_data.elapsed_seconds"),
    ("extension", _set((EXT,), "v1"), EXT),
    ("version missing", _delete((EXT, "format_version")), f"{EXT}.format_version"),
    ("version", _set((EXT, "format_version"), "1"), f"{EXT}.format_version"),
    ("exam path", _set((EXT, "exam_path"), 3), f"{EXT}.exam_path"),
    ("fingerprint", _set((EXT, "exam_fingerprint"), None), f"{EXT}.exam_fingerprint"),
    ("ext elapsed missing", _delete((EXT, "elapsed_seconds")), f"{EXT}.elapsed_seconds"),
    ("ext elapsed negative", _set((EXT, "elapsed_seconds"), -3), f"{EXT}.elapsed_seconds"),
    ("ext elapsed bool", _set((EXT, "elapsed_seconds"), True), f"{EXT}.elapsed_seconds"),
    ("order type", _set((EXT, "question_order"), {"1": 1}), f"{EXT}.question_order"),
    ("order item", _set((EXT, "question_order", 0), [1]), f"{EXT}.question_order[0]"),
    ("order unknown id", _set((EXT, "question_order", 0), 404), "question_order"),
    ("order short", _set((EXT, "question_order"), [1, 2]), "question_order"),
    ("answers type", _set((EXT, "answers"), None), f"{EXT}.answers"),
    ("answer entry", _set((EXT, "answers", 0), "B"), f"{EXT}.answers[0]"),
    ("answer no id", _delete((EXT, "answers", 0, "question_id")), f"{EXT}.answers[0]"),
    ("answer no value", _delete((EXT, "answers", 0, "answer")), f"{EXT}.answers[0]"),
    ("answer id type", _set((EXT, "answers", 0, "question_id"), 1.0), f"{EXT}.answers[0].question_id"),
    (
        "second answer to a question",
        _set((EXT, "answers"), [{"question_id": 1, "answer": "B"}, {"question_id": 1, "answer": "A"}]),
        f"{EXT}.answers[1].question_id",
    ),
    (
        "answer outside the order",
        _set((EXT, "answers", 0, "question_id"), 99),
        f"{EXT}.answers[0].question_id",
    ),
    ("unknown mode", _set((EXT, "mode"), "cram"), f"{EXT}.mode"),
    ("time left above the limit", _set((EXT, "time_limit"), 5), f"{EXT}.time_limit"),
    ("flag of no question", _set((EXT, "flags"), [42]), f"{EXT}.flags[0]"),
    ("bad option order", _set((EXT, "option_orders"), {"1": ["A", "A", "B", "C"]}), f"{EXT}.option_orders.1"),
    ("position past the end", _set((EXT, "position"), 6), f"{EXT}.position"),
    ("negative seconds", _set((EXT, "seconds"), {"1": -1}), f"{EXT}.seconds.1"),
    ("answer value", _set((EXT, "answers", 0, "answer"), "Z"), f"{EXT}.answers[0].answer"),
    ("answer correct", _set((EXT, "answers", 0, "correct"), "yes"), f"{EXT}.answers[0].correct"),
    ("carried", _set((EXT, "carried_over"), 5), f"{EXT}.carried_over"),
]


@pytest.mark.parametrize(("case", "mutate", "field"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_session_fields(exam: Exam, case: str, mutate, field: str) -> None:
    state = QuizState(exam)
    state.answer("B")
    data = copy.deepcopy(to_session(state))
    mutate(data)
    with pytest.raises(SessionError) as info:
        from_session(data, exam)
    message = str(info.value)
    assert field in message and "found" in message and "expected" in message, message


def test_too_many_answers_refused(exam: Exam) -> None:
    state = QuizState(exam)
    for value in ["A", "A", "A", 0, "x"]:
        state.answer(value)
    data = to_session(state)
    data[EXT]["answers"].append({"question_id": 1, "answer": "A", "correct": False})
    with pytest.raises(SessionError, match="answers"):
        from_session(data, exam)


@pytest.mark.parametrize("data", [None, [], "session", 42])
def test_not_a_mapping(exam: Exam, data) -> None:
    with pytest.raises(SessionError, match="expected"):
        from_session(data, exam)  # type: ignore[arg-type]


# ----------------------------------------------------------------- from_session (original files)
class TestFromOriginalSession:
    def test_resume_as_the_seed_says(self, exam: Exam) -> None:
        state = from_session(original_session(), exam)
        assert state.order == [1, 2, 3, 7, 9]
        assert state.current_index == 2 and state.current_question.id == 3
        assert state.score == 1 and state.total_answered == 2
        assert state.wrong_answers == original_session()["quiz_mode"]["wrong_answers"]
        assert state.answers == []
        assert state.elapsed_seconds == 1845.0
        assert state.session_date == "2024-11-01T20:05:08.123456"
        assert not state.completed and not state.quit_by_user and state.revision == 0

    def test_continue_and_roundtrip_keeps_carried_progress(self, exam: Exam) -> None:
        state = from_session(original_session(), exam)
        assert state.answer("True").correct
        state.answer(1.0)
        data = json.loads(json.dumps(to_session(state), allow_nan=False))
        assert data["quiz_mode"]["score"] == 2 and data["quiz_mode"]["total_answered"] == 4
        assert len(data["quiz_mode"]["wrong_answers"]) == 2
        restored = from_session(data, exam)
        assert (restored.score, restored.total_answered) == (2, 4)
        assert restored.wrong_answers == state.wrong_answers
        assert restored.answers == state.answers
        assert restored.current_question.id == 9
        assert restored.carried_over == state.carried_over

    def test_missing_quit_flag_and_timer(self, exam: Exam) -> None:
        data = original_session()
        del data["timer_data"]["quit_by_user"]
        assert not from_session(data, exam).quit_by_user
        del data["timer_data"]
        state = from_session(data, exam)
        assert state.elapsed_seconds == 0.0 and state.current_index == 2

    def test_missing_quiz_mode_starts_at_zero(self, exam: Exam) -> None:
        data = original_session()
        del data["quiz_mode"]
        state = from_session(data, exam)
        assert (state.score, state.total_answered, state.wrong_answers) == (0, 0, [])

    def test_quit_flag_restored(self, exam: Exam) -> None:
        data = original_session()
        data["timer_data"]["quit_by_user"] = True
        state = from_session(data, exam)
        assert state.quit_by_user and state.finished

    def test_completed_session(self, exam: Exam) -> None:
        data = original_session()
        data["quiz_mode"]["total_answered"] = 5
        data["timer_data"]["completed"] = True
        state = from_session(data, exam)
        assert state.completed and state.current_question is None

    def test_total_answered_clamped_with_warning(self, exam: Exam) -> None:
        data = original_session()
        data["quiz_mode"]["total_answered"] = 21
        with pytest.warns(UserWarning, match="total_answered is 21"):
            state = from_session(data, exam)
        assert state.total_answered == 5 and state.completed

    def test_other_exam_warns(self, exam: Exam) -> None:
        data = original_session()
        data["exam_title"] = "Practice Exam 9"
        data["total_questions"] = 50
        with pytest.warns(UserWarning) as record:
            from_session(data, exam)
        text = " ".join(str(w.message) for w in record)
        assert "Practice Exam 9" in text and "50 questions" in text

    def test_matching_file_gives_no_warning(self, exam: Exam) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            from_session(original_session(), exam)

    def test_completed_flag_without_answers_warns(self, exam: Exam) -> None:
        data = original_session()
        data["timer_data"]["completed"] = True
        with pytest.warns(UserWarning, match="completed"):
            state = from_session(data, exam)
        assert not state.completed

    def test_letters_in_wrong_answers_kept_verbatim(self, exam: Exam) -> None:
        data = original_session()
        data["quiz_mode"]["wrong_answers"] = [{"question_id": 2, "question": "q", "your_answer": ["A", "B"]}]
        state = from_session(data, exam)
        assert state.wrong_answers == [{"question_id": 2, "question": "q", "your_answer": ["A", "B"]}]

    @pytest.mark.parametrize(
        ("mutate", "field"),
        [
            (_set(("quiz_mode", "score"), "3"), "quiz_mode.score"),
            (_set(("quiz_mode", "score"), -1), "quiz_mode.score"),
            (_set(("quiz_mode", "score"), True), "quiz_mode.score"),
            (_set(("quiz_mode", "total_answered"), 2.0), "quiz_mode.total_answered"),
            (_set(("quiz_mode", "wrong_answers"), {"a": 1}), "quiz_mode.wrong_answers"),
            (_set(("quiz_mode", "wrong_answers"), ["oops"]), "quiz_mode.wrong_answers[0]"),
            (_set(("quiz_mode", "wrong_answers"), [{"x": float("nan")}]), "quiz_mode.wrong_answers[0].x"),
            (_set(("total_questions",), "50"), "total_questions"),
            (_set(("timer_data", "elapsed_seconds"), float("inf")), "timer_data.elapsed_seconds"),
            (_set(("timer_data", "elapsed_seconds"), None), "timer_data.elapsed_seconds"),
        ],
    )
    def test_malformed_original_fields(self, exam: Exam, mutate, field: str) -> None:
        data = original_session()
        mutate(data)
        with pytest.raises(SessionError) as info:
            from_session(data, exam)
        assert field in str(info.value) and "expected" in str(info.value)


# -------------------------------------------------------------------------------- changed exam
class TestChangedExam:
    def test_question_removed_and_added(self, exam: Exam) -> None:
        state = QuizState(exam, order=[2, 1, 3, 7, 9])
        state.answer("AB")  # id 2, wrong
        state.answer("B")  # id 1, right
        data = to_session(state)

        def mutate(d: dict) -> None:
            d["questions"] = [q for q in d["questions"] if q["id"] != 2]
            d["questions"].append({"id": 11, "question": "New?", "options": ["yes", "no"], "answer": "A"})

        new_exam = changed_exam(exam, mutate)
        with pytest.warns(UserWarning) as record:
            restored = from_session(data, new_exam)
        message = " ".join(str(w.message) for w in record)
        assert "changed" in message and "2" in message and "11" in message
        assert restored.order == [1, 3, 7, 9, 11]
        assert restored.answers == [{"question_id": 1, "answer": "B", "correct": True}]
        assert (restored.score, restored.total_answered, restored.wrong_answers) == (1, 1, [])
        assert restored.current_question.id == 3

    def test_answer_key_changed_regrades(self, exam: Exam) -> None:
        state = QuizState(exam)
        state.answer("A")  # wrong under the old key

        def mutate(d: dict) -> None:
            d["questions"][0]["answer"] = "A"

        new_exam = changed_exam(exam, mutate)
        with pytest.warns(UserWarning, match="regraded"):
            restored = from_session(to_session(state), new_exam)
        assert restored.score == 1 and restored.wrong_answers == []

    def test_answer_no_longer_fitting_is_dropped(self, exam: Exam) -> None:
        state = QuizState(exam, order=[1, 2, 3, 7, 9])
        state.answer("D")
        state.answer("AC")

        def mutate(d: dict) -> None:
            del d["questions"][0]["options"]["D"]

        new_exam = changed_exam(exam, mutate)
        with pytest.warns(UserWarning, match="no longer fits"):
            restored = from_session(to_session(state), new_exam)
        assert restored.answers == [{"question_id": 2, "answer": ["A", "C"], "correct": True}]
        # Answered questions come first: the current question is the unanswered one.
        assert restored.order[:2] == [2, 1] and restored.current_question.id == 1

    def test_changed_exam_with_carried_progress(self, exam: Exam) -> None:
        state = from_session(original_session(), exam)
        state.answer("True")
        data = to_session(state)

        def mutate(d: dict) -> None:
            d["questions"] = [q for q in d["questions"] if q["id"] != 1]

        new_exam = changed_exam(exam, mutate)
        with pytest.warns(UserWarning, match="carried-over answered count cut from 2 to 1"):
            restored = from_session(data, new_exam)
        assert restored.order == [2, 3, 7, 9]
        assert restored.total_answered == 2 and restored.current_question.id == 7


def test_the_answers_it_gives_are_copies_down_to_a_multiple_choices_keys() -> None:
    # Each save reads state.answers: a caller (or a save) that changes what it got must not change the quiz.
    exam = load_exam(
        {
            "title": "Copies",
            "questions": [
                {"id": 1, "question": "One?", "options": ["a", "b"], "answer": "A"},
                {
                    "id": 2,
                    "type": "multiChoice",
                    "question": "Two?",
                    "options": ["a", "b", "c"],
                    "answer": ["A", "C"],
                },
            ],
        }
    )
    state = QuizState(exam)
    state.answer("A")
    state.answer(["A", "C"])
    given = state.answers
    given[1]["answer"].append("B")
    given[0]["correct"] = False
    alone = state.answer_of(2)
    alone["answer"].clear()
    assert state.answers == [
        {"question_id": 1, "answer": "A", "correct": True},
        {"question_id": 2, "answer": ["A", "C"], "correct": True},
    ]
    assert state.answer_of(2) == {"question_id": 2, "answer": ["A", "C"], "correct": True}
