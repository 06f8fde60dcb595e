"""Property tests: any quiz state survives the session file, and bad answers never change a state."""

from __future__ import annotations

import json
import warnings

from fake_time import FakeTime
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz_widgets.errors import AnswerError, ExamError, SessionError
from quiz_widgets.exam import Exam, load_exam
from quiz_widgets.quiz.arrange import arrange
from quiz_widgets.quiz.codec import EXTENSION_KEY, from_session, to_session
from quiz_widgets.quiz.state import MODES, Clock, QuizState

KINDS = ("singleChoice", "multiChoice", "trueFalse", "numeric", "text")
LETTERS = "ABCDE"


@st.composite
def questions(draw: st.DrawFn, qid: int | str) -> dict:
    kind = draw(st.sampled_from(KINDS))
    question: dict = {"id": qid, "question": f"Question {qid}?", "type": kind}
    if draw(st.booleans()):
        question["topic"] = draw(st.sampled_from(["Compute", "Storage", "Networking"]))
    if kind in ("singleChoice", "multiChoice"):
        count = draw(st.integers(min_value=2, max_value=5))
        keys = LETTERS[:count]
        question["options"] = {key: f"Option {key} of {qid}" for key in keys}
        if kind == "singleChoice":
            question["answer"] = draw(st.sampled_from(keys))
        else:
            question["answer"] = sorted(draw(st.sets(st.sampled_from(keys), min_size=1)))
    elif kind == "trueFalse":
        question["answer"] = draw(st.sampled_from("AB"))
    elif kind == "numeric":
        question["answer"] = draw(st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: round(v, 3)))
        question["tolerance"] = draw(st.sampled_from([0, 0.01, 0.5]))
    else:
        question["answer"] = draw(
            st.lists(st.sampled_from(["Paris", "Lyon", "Nice", "a b"]), min_size=1, unique=True)
        )
    return question


@st.composite
def exams(draw: st.DrawFn) -> Exam:
    count = draw(st.integers(min_value=1, max_value=7))
    string_ids = draw(st.booleans())
    ids = draw(st.lists(st.integers(1, 500), min_size=count, max_size=count, unique=True))
    qs = [draw(questions(f"q{i}" if string_ids else i)) for i in ids]
    return load_exam({"title": draw(st.sampled_from(["Exam A", "Exam B"])), "questions": qs})


# Valid-looking and junk values alike: the state must take the valid ones and refuse the rest.
answer_values = st.one_of(
    st.sampled_from(list("ABCDEFabcz")),
    st.integers(-2, 6),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["Paris", " paris ", "Lyon", "", "  ", "3.5", "A, C", "BE", "True", "x" * 1001]),
    st.text(max_size=12),
    st.lists(st.one_of(st.sampled_from(list("ABCDEa")), st.integers(-1, 5)), max_size=4),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)

actions = st.lists(
    st.one_of(
        st.tuples(st.just("answer"), answer_values),
        # Listed several times: one_of picks branches evenly, and quizzes should get far.
        *[st.tuples(st.just("valid"), st.integers(0, 4))] * 5,
        st.tuples(st.just("tick"), st.floats(0, 5000, allow_nan=False)),
        st.tuples(st.just("start"), st.none()),
        st.tuples(st.just("stop"), st.none()),
        st.tuples(st.just("finish"), st.booleans()),
        # Study modes: navigation (in and out of range), flags, submit and show_answer.
        st.tuples(st.just("goto"), st.integers(-1, 9)),
        st.tuples(st.just("flag"), st.tuples(st.one_of(st.none(), st.integers(0, 8)), st.booleans())),
        st.tuples(st.just("submit"), st.none()),
        st.tuples(st.just("reveal"), st.none()),
    ),
    min_size=4,
    max_size=30,
)


@st.composite
def played_states(draw: st.DrawFn) -> tuple[QuizState, FakeTime]:
    exam = draw(exams())
    ids = [q.id for q in exam.questions]
    order = draw(st.permutations(ids)) if draw(st.booleans()) else None
    fake = FakeTime()
    start = draw(st.floats(0, 1e6, allow_nan=False))
    mode = draw(st.sampled_from(MODES))
    limit = draw(st.sampled_from([None, 100.0, 5000.0])) if mode == "exam" else None
    shuffled = arrange(exam, shuffle_options=draw(st.booleans()), seed=draw(st.integers(0, 9)))
    state = QuizState(
        exam,
        order=order,
        clock=Clock(start, now=fake),
        mode=mode,
        time_limit=limit,
        option_orders=shuffled.option_orders,
    )
    if state.timer is not None and draw(st.booleans()):
        state.timer.start()
    for kind, value in draw(actions):
        if kind == "tick":
            fake.now += value
        elif kind == "start":
            state.clock.start()
        elif kind == "stop":
            state.clock.stop()
        elif kind == "finish":
            state.finish(quit_by_user=value)
        elif kind == "valid":
            question = state.current_question
            final = state.mode != "exam" and question is not None and state.is_answered(question.id)
            if question is not None and not state.finished and not final:
                state.answer(valid_value(question, value))
        elif kind in ("goto", "flag", "submit", "reveal"):
            before = (json.dumps(to_session(state), sort_keys=True), state.revision)
            try:
                if kind == "goto":
                    state.goto(value)
                elif kind == "flag":
                    state.flag(*value)
                elif kind == "submit":
                    state.submit()
                else:
                    state.reveal()
            except (ExamError, SessionError):
                after = (json.dumps(to_session(state), sort_keys=True), state.revision)
                assert after == before, f"a refused {kind} changed the state"
        else:
            before = (json.dumps(to_session(state), sort_keys=True), state.revision)
            try:
                state.answer(value)
            except (AnswerError, SessionError):
                after = (json.dumps(to_session(state), sort_keys=True), state.revision)
                assert after == before, "a refused answer changed the state"
    return state, fake


def valid_value(question, pick: int):
    """An accepted answer (right or wrong) for the question, so quizzes get well into their order."""
    if question.kind == "numeric":
        return [question.answer, question.answer + 1, str(question.answer)][pick % 3]
    if question.kind == "text":
        return ["Paris", "lyon", "Nowhere"][pick % 3]
    keys = [o.key for o in question.options]
    if question.kind == "multiChoice":
        return keys[: 1 + pick % len(keys)]
    return [keys[pick % len(keys)], pick % len(keys), question.options[pick % len(keys)].text][pick % 3]


def snapshot(state: QuizState) -> dict:
    return {
        "score": state.score,
        "total_answered": state.total_answered,
        "wrong_answers": state.wrong_answers,
        "answers": state.answers,
        "order": state.order,
        "current_index": state.current_index,
        "current_question": state.current_question,
        "completed": state.completed,
        "quit_by_user": state.quit_by_user,
        "session_date": state.session_date,
        "mode": state.mode,
        "flags": state.flags,
        "revealed": state.revealed_ids,
        "submitted": state.submitted,
        "points": state.points,
        "option_orders": state.option_orders,
        "time_left": None if state.time_left is None else round(state.time_left, 3),
        "seconds": {qid: round(s, 3) for qid, s in state.question_seconds().items()},
    }


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(played_states())
def test_any_state_survives_the_session_file(played: tuple[QuizState, FakeTime]) -> None:
    state, fake = played
    text = json.dumps(to_session(state, auto_saved=True), allow_nan=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # our own file for the same exam: no warning at all
        restored = from_session(json.loads(text), state.exam, clock_now=fake)
    assert snapshot(restored) == snapshot(state)
    assert abs(restored.elapsed_seconds - state.elapsed_seconds) <= 1e-3
    assert restored.finished == (state.completed or state.quit_by_user)
    # And once more: a restored state writes the same file (bar the save flags).
    assert to_session(restored, auto_saved=True) == json.loads(text)


@SETTINGS
@given(played_states())
def test_original_app_view_of_our_file_resumes_as_the_seed_says(played: tuple[QuizState, FakeTime]) -> None:
    state, _ = played
    data = json.loads(json.dumps(to_session(state), allow_nan=False))
    del data[EXTENSION_KEY]  # what the original app reads
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        restored = from_session(data, state.exam)
    assert restored.score == state.score
    assert restored.total_answered == state.total_answered
    assert restored.wrong_answers == state.wrong_answers
    # The seed's rule: the current index is the answered count (whatever question was on screen).
    assert restored.current_index == state.total_answered
    assert restored.elapsed_seconds == int(state.elapsed_seconds)
    # The seed's rule again: every question answered is a completed quiz, never a quit one. Our exam mode can
    # quit with all answered but not submitted (timer_data.completed false); the original app cannot say so.
    all_answered = state.total_answered == len(state.order)
    assert restored.quit_by_user == (state.quit_by_user and not all_answered)


@SETTINGS
@given(exams(), st.lists(answer_values, max_size=10))
def test_invalid_answers_never_change_state(exam: Exam, values: list) -> None:
    state = QuizState(exam)
    for value in values:
        before = (to_session(state), state.revision, state.answers)
        try:
            result = state.answer(value)
        except (AnswerError, SessionError):
            assert (to_session(state), state.revision, state.answers) == before
        else:
            assert state.revision == before[1] + 1
            assert state.answers[-1] == {
                "question_id": result.question.id,
                "answer": result.normalized,
                "correct": result.correct,
            }
            assert state.score + len(state.wrong_answers) == state.total_answered
