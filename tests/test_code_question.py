"""Code questions (issue 20.6) in one process: the question's checks, the answer run once and kept, the page
(no cases before the answer, the rows after), exam mode (nothing of the expected values before submit), the
session and results files, the class report and a regrade that never runs a learner's code."""

from __future__ import annotations

import io
import json
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from widget_utils import page_message, recording_comms  # noqa: F401

from quiz_widgets import QuizWidget
from quiz_widgets.errors import AnswerError, ExamError
from quiz_widgets.exam import load_exam, validate_exam
from quiz_widgets.exam.inline import exam_from_questions
from quiz_widgets.kernel.controller import VIEW_TRAITS
from quiz_widgets.quiz.codec import from_session, to_session
from quiz_widgets.teaching.item_stats import item_rows
from quiz_widgets.teaching.records import parse_attempt
from quiz_widgets.teaching.regrade import regrade_attempts

pytestmark = pytest.mark.usefixtures("recording_comms")

AREA = {
    "id": "area",
    "type": "code",
    "question": "Write `area(r)`: the area of a circle of radius r.",
    "function": "area",
    "cases": [[[1], 3.14159], [[2], 12.56637], [[0], 0]],
    "tolerance": 1e-3,
    "starter": "def area(r):\n    ...",
    "solution": "import math\n\ndef area(r):\n    return math.pi * r * r",
}
CAPITAL = {"id": "cap", "question": "Capital of France?", "type": "text", "answer": "Paris"}
RIGHT = "import math\ndef area(r):\n    return math.pi * r * r\n"
HALF_WRONG = "def area(r):\n    return 3.14159 * r * r if r < 2 else 0\n"


def quiz(tmp_path: Path, questions: list | None = None, **kwargs: Any) -> QuizWidget:
    kwargs.setdefault("learner", "ada")
    kwargs.setdefault("attempt", "new")
    return QuizWidget.from_questions(
        questions or [AREA, CAPITAL], title="Circles", base_dir=tmp_path, autosave_interval=0, **kwargs
    )


# ---------------------------------------------------------------------------------------- the exam
def test_a_code_question_is_checked_like_any_other() -> None:
    exam = load_exam({"title": "t", "questions": [AREA]})
    spec = exam.questions[0].answer
    assert spec.function == "area" and spec.time_limit == 2.0 and exam.questions[0].tolerance == 1e-3
    problems = validate_exam(
        {
            "title": "t",
            "questions": [
                {"type": "code", "question": "q", "function": "not a name", "cases": [[[1], 1]]},
                {"type": "code", "question": "q", "function": "f", "cases": [[1, 2, 3]], "time_limit": 0},
                {"type": "code", "question": "q", "function": "f", "cases": [[[1], 1]], "answer": "x"},
                {"type": "numeric", "question": "q", "answer": 1, "function": "f"},
            ],
        }
    )
    joined = "\n".join(problems)
    assert "question 1 (id 1): field 'function': found 'not a name'" in joined
    assert "question 2 (id 2): field 'cases[0]': found [1, 2, 3]" in joined
    assert "question 2 (id 2): field 'time_limit': found 0" in joined
    assert "question 3 (id 3): field 'answer'" in joined
    assert "question 4 (id 4): field 'function'" in joined and "only code questions" in joined


def test_a_files_cases_are_data_and_a_string_of_code_is_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    evil = f"def check(ns):\n    open({str(marker)!r}, 'w').write('x')\n    return []"
    path = tmp_path / "exam.json"
    path.write_text(json.dumps({"title": "t", "questions": [dict(AREA, cases=evil)]}), "utf-8")
    with pytest.raises(ExamError) as caught:
        load_exam(path)
    assert "field 'cases'" in str(caught.value) and "never code" in str(caught.value)
    assert not marker.exists()


def test_a_checker_callable_from_python_grades_and_keeps_a_stable_fingerprint() -> None:
    def check(ns: dict) -> list:
        f = ns["area"]
        return [(abs(f(1) - 3.14159) < 1e-3, "area(1) is pi"), (f(-1) == 0, "area(-1) is 0")]

    exam = exam_from_questions([dict(AREA, cases=check)], title="t")
    again = exam_from_questions([dict(AREA, cases=check)], title="t")
    assert exam.fingerprint == again.fingerprint  # the checker by its name, not its address
    question = exam.questions[0]
    value = question.normalize(RIGHT)
    assert [c["input"] for c in value["run"]["cases"]] == ["area(1) is pi", "area(-1) is 0"]
    assert question.credit(value) == 0.5


# ---------------------------------------------------------------------------------------- answering
def test_the_answer_runs_once_and_credit_is_the_share_of_cases(tmp_path: Path) -> None:
    q = quiz(tmp_path)
    assert q.question["starter"] == AREA["starter"] and q.question["function"] == "area"
    assert "cases" not in json.dumps(q.question) and "12.56637" not in json.dumps(q.question)
    assert q.answer(HALF_WRONG) is False
    assert q.state.credit_of("area") == pytest.approx(2 / 3)
    code = q.feedback["code"]
    assert [(c["input"], c["passed"]) for c in code["cases"]] == [
        ("area(1)", True),
        ("area(2)", False),
        ("area(0)", True),
    ]
    assert code["cases"][1]["expected"] == "12.56637" and code["cases"][1]["got"] == "0"
    assert code["solution"] == AREA["solution"] and q.feedback["partial"] is True


def test_syntax_error_and_runaway_loop_are_feedback(tmp_path: Path) -> None:
    q = quiz(tmp_path, [AREA, dict(AREA, id="again"), CAPITAL])
    assert q.answer("def area(r):\n    x = (\n    return r\n") is False
    assert q.feedback["code"]["error"].startswith("line 2:") and q.feedback["code"]["cases"] == []
    q.next()
    started = time.monotonic()
    assert q.answer("def area(r):\n    while True:\n        pass\n") is False
    took = time.monotonic() - started
    assert took < 5 + 1, took  # three cases, 2 s each at most, 5 s for the answer
    rows = q.feedback["code"]["cases"]
    assert [c["timeout"] for c in rows[:2]] == [2.0, 2.0] and 0.5 < rows[2]["timeout"] < 1.1
    q.next()
    assert q.answer("Paris") is True  # the kernel goes on


def test_the_page_sends_source_text_only(tmp_path: Path) -> None:
    q = quiz(tmp_path)
    page_message(
        q, {"type": "answer", "value": {"source": "x", "run": {"cases": [], "total": 1}}, "request": "v-1"}
    )
    assert q.state.total_answered == 0
    page_message(q, {"type": "answer", "value": "x" * 30_000, "request": "v-2"})
    assert q.state.total_answered == 0
    page_message(q, {"type": "answer", "value": RIGHT, "request": "v-3"})
    assert q.state.total_answered == 1 and q.feedback["correct"] is True


def test_an_empty_answer_is_refused(tmp_path: Path) -> None:
    q = quiz(tmp_path)
    with pytest.raises(AnswerError):
        q.answer("   ")
    assert q.state.total_answered == 0


# ---------------------------------------------------------------------------------------- files
def test_the_session_keeps_the_source_and_the_run_without_running_again(tmp_path: Path) -> None:
    q = quiz(tmp_path)
    marker = tmp_path / "ran"
    source = f"open({str(marker)!r}, 'a').write('x')\n" + HALF_WRONG
    q.answer(source)
    assert marker.read_text() == "x"
    data = to_session(q.state)
    state = from_session(json.loads(json.dumps(data)), q.state.exam)
    assert marker.read_text() == "x"  # read back, not run again
    entry = state.answer_of("area")
    assert entry["answer"]["source"] == source and state.credit_of("area") == pytest.approx(2 / 3)


def test_results_and_class_report_name_the_failed_case(tmp_path: Path) -> None:
    results = []
    for n, source in enumerate([HALF_WRONG, HALF_WRONG, "def area(r):\n    return 1 / 0\n", RIGHT]):
        q = quiz(tmp_path / str(n), learner=f"l{n}")
        q.answer(source)
        q.answer("Paris")
        path = Path(q.results_path)
        data = json.loads(path.read_text("utf-8"))
        kept = next(a for a in data["quiz_widgets"]["answers"] if a["question_id"] == "area")
        assert kept["your_answer"] == source
        results.append(parse_attempt(data, str(path), folder=f"l{n}"))
    rows = {r["question_id"]: r for r in item_rows(results)}
    assert rows["area"]["most_chosen_wrong"] == "area(2)"
    # A regrade never runs a learner's code (it would run in the instructor's kernel): grades kept.
    stricter = exam_from_questions([dict(AREA, cases=[[[1], 99]]), CAPITAL], title="Circles")
    with pytest.warns(UserWarning, match="4 answer.s. to code questions of 'Circles' keep their old grade"):
        again, summary = regrade_attempts(results, stricter)
    assert [a.score for a in again] == [a.score for a in results] and summary.code == 4


# ---------------------------------------------------------------------------------------- modes
def test_exam_mode_shows_nothing_of_the_expected_values_before_submit(tmp_path: Path) -> None:
    other = dict(
        AREA, cases=[[[1], 3.0], [[2], 12.0], [[0], 1]], solution="def area(r):\n    return 3 * r * r"
    )
    other_solution_same = dict(other, solution=AREA["solution"])
    quizzes = [
        quiz(tmp_path / n, [question, CAPITAL], mode="exam")
        for n, question in (("a", AREA), ("b", other_solution_same))
    ]

    def seen(q: QuizWidget) -> dict:
        return {n: getattr(q, n) for n in VIEW_TRAITS if n not in ("elapsed", "clock_running")}

    assert seen(quizzes[0]) == seen(quizzes[1])
    for name, arg in [
        ("answer", HALF_WRONG),
        ("next", None),
        ("answer", "Paris"),
        ("goto", 1),
        ("answer", RIGHT),
    ]:
        for q in quizzes:
            getattr(q, name)() if arg is None else getattr(q, name)(arg)
        assert seen(quizzes[0]) == seen(quizzes[1]), name
    assert quizzes[0].question["given"] == {"value": RIGHT}  # the source to go on editing, not the run
    for q in quizzes:
        q.submit()
    assert quizzes[0].summary != quizzes[1].summary  # the keys show once submitted: the check can fail


def test_study_show_answer_gives_the_model_solution(tmp_path: Path) -> None:
    q = quiz(tmp_path, mode="study")
    q.show_answer()
    assert q.feedback["revealed"] is True and q.feedback["code"]["solution"] == AREA["solution"]


# ---------------------------------------------------------------------------------------- schema, CLI
def test_the_schema_and_quiz_widgets_validate_know_code_questions(tmp_path: Path, capsys) -> None:
    import jsonschema

    from quiz_widgets.cli import main
    from quiz_widgets.exam import exam_schema

    validator = jsonschema.Draft202012Validator(exam_schema())
    good = {"title": "t", "questions": [AREA, dict(AREA, id=2, cases=[{"args": [1], "expected": 3.14159}])]}
    assert list(validator.iter_errors(good)) == []
    for bad in (dict(AREA, cases="def check(ns): ..."), dict(AREA, answer="x"), dict(AREA, function=None)):
        assert not validator.is_valid({"title": "t", "questions": [bad]}), bad
    assert not validator.is_valid({"title": "t", "questions": [dict(CAPITAL, starter="x")]})
    path = tmp_path / "code.json"
    path.write_text(json.dumps(good), "utf-8")
    assert main(["validate", str(path)]) == 0
    path.write_text(json.dumps({"title": "t", "questions": [dict(AREA, cases="print(1)")]}), "utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "field 'cases'" in out and "never code" in out


def test_review_shows_each_case_of_the_kept_run(tmp_path: Path) -> None:
    q = quiz(tmp_path)
    q.answer(HALF_WRONG)
    q.answer("Paris")
    q.review()
    row = next(r for r in q.review_rows if r["question_id"] == "area")
    assert row["code"]["source"] == HALF_WRONG and row["code"]["passed"] == 2
    assert [c["input"] for c in row["code"]["cases"] if not c["passed"]] == ["area(2)"]
    assert "code" not in next(r for r in q.review_rows if r["question_id"] == "cap")


def test_gift_moodle_xml_and_qti_leave_a_code_question_out_with_a_warning() -> None:
    from quiz_widgets.exam.export import exam_gift, exam_moodle_xml, exam_qti, exam_yaml

    exam = load_exam({"title": "t", "questions": [AREA, CAPITAL]})
    assert load_exam({"title": "t", **_yaml(exam_yaml(exam))}).questions == exam.questions
    for write in (exam_gift, exam_moodle_xml, exam_qti):
        out, problems = write(exam)
        assert any(
            p.startswith("question 1 (id area): left out: ") and "no code question" in p for p in problems
        )
        if isinstance(out, bytes):  # QTI: a Canvas export zip
            with zipfile.ZipFile(io.BytesIO(out)) as z:
                out = "".join(z.read(name).decode("utf-8") for name in z.namelist())
        text = out
        assert "Capital of France" in text and "area(r)" not in text, write.__name__


def _yaml(text: str) -> dict:
    import yaml

    data = yaml.safe_load(text)
    data.pop("title", None)
    return data


def test_studying_wrong_answers_leaves_out_a_question_checked_by_a_function(tmp_path: Path) -> None:
    # A study exam is saved to a file, which cannot keep a checker function: that question is left out
    # with a warning naming it (a TypeError from the JSON writer before).
    def check(ns: dict) -> list:
        return [(ns["area"](1) == 3, "area(1) is 3")]

    q = quiz(tmp_path, [dict(AREA, cases=check), CAPITAL, dict(AREA, id="data")])
    q.answer("def area(r):\n    return 2\n")
    q.answer("Rome")
    q.answer(HALF_WRONG)
    with pytest.warns(UserWarning, match="question id 'area' .*checked by a Python function"):
        q.study_wrong_answers()
    assert [question.id for question in q.state.exam] == ["cap", "data"]
    assert q.answer("Paris") is True

    only = quiz(tmp_path / "only", [dict(AREA, cases=check), CAPITAL])
    only.answer("def area(r):\n    return 2\n")
    only.answer("Paris")
    with pytest.warns(UserWarning), pytest.raises(ExamError, match="cannot build a study exam"):
        only.study_wrong_answers()
