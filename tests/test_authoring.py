"""Quizzes written in a notebook (from_questions, the %%quiz line) and the import/export commands."""

from __future__ import annotations

import json
import os
import re
import warnings
from pathlib import Path

import pytest

from quiz_widgets import ExamError, QuizWidget, load_exam
from quiz_widgets.cli import main
from quiz_widgets.exam.inline import exam_from_questions
from quiz_widgets.exam.kinds import KINDS
from quiz_widgets.magics import parse_quiz_line

FIXTURES = Path(__file__).resolve().parent / "fixtures"

YAML_QUESTIONS = """\
- question: What is $2 + 2$?
  type: numeric
  answer: 4
  explanation: Count on your fingers.
- question: Which of these is a Python keyword?
  options: [lambda, function, def_]
  answer: A
  feedback:
    B: That is JavaScript.
"""


@pytest.fixture
def quiz_dir(tmp_path: Path, recording_comms) -> Path:
    return tmp_path


def test_from_questions_takes_a_plain_list_and_numbers_the_ids(quiz_dir: Path) -> None:
    quiz = QuizWidget.from_questions(
        [
            {"question": "2 + 2?", "type": "numeric", "answer": 4},
            {"id": "capital", "question": "Capital of France?", "type": "text", "answer": "Paris"},
        ],
        title="Warm-up",
        base_dir=quiz_dir,
        autosave_interval=0,
    )
    try:
        assert quiz.exam_title == "Warm-up" and quiz.total == 2
        assert [q.id for q in quiz.state.exam] == [1, "capital"]
        assert quiz.answer(4) is True
        assert quiz.state.exam.source is None
    finally:
        quiz.close()


def test_from_questions_reads_yaml_text_and_an_exam_dict(quiz_dir: Path) -> None:
    quiz = QuizWidget.from_questions(YAML_QUESTIONS, title="Check 1", base_dir=quiz_dir, autosave_interval=0)
    try:
        assert quiz.total == 2 and quiz.question["kind"] == "numeric"
        quiz.answer(5)
        assert quiz.feedback["explanation"]
    finally:
        quiz.close()
    exam = exam_from_questions("title: From the dict\nquestions:\n" + _indented(YAML_QUESTIONS))
    assert exam.title == "From the dict" and len(exam) == 2
    assert exam_from_questions(
        {"title": "T", "questions": []} | {"questions": [_q()]}, title="Given"
    ).title == ("Given")


def test_from_questions_default_title_and_jupyterquiz_lists() -> None:
    assert exam_from_questions([_q()]).title == "Quiz"
    exam = exam_from_questions(
        [
            {
                "type": "multiple_choice",
                "question": "Pick a",
                "answers": [{"answer": "a", "correct": True}, {"answer": "b", "correct": False}],
            }
        ],
        title="Theirs",
    )
    assert exam.title == "Theirs" and exam.questions[0].kind == "singleChoice"


def test_from_questions_errors_name_the_question_line_and_field() -> None:
    text = YAML_QUESTIONS + "- question: Broken\n  type: singleChoice\n  options: [a, b]\n  answer: Z\n"
    with pytest.raises(ExamError) as err:
        exam_from_questions(text, title="T", source="%%quiz cell")
    message = str(err.value)
    assert "%%quiz cell: line 10: question 3 (id 3): field 'answer': found 'Z'" in message
    with pytest.raises(ExamError, match=r"<YAML text>: line 2 column 1: invalid YAML"):
        exam_from_questions("- question: [unclosed\n")
    with pytest.raises(ExamError, match="expected a list of questions"):
        exam_from_questions("just a sentence")
    with pytest.raises(ExamError, match=r"<questions>: question 1 \(id 1\): field 'type': found 'essay'"):
        exam_from_questions([{"question": "x", "type": "essay", "answer": "y"}])
    with pytest.raises(ExamError, match="title"):
        exam_from_questions([_q()], title="   ")


def test_from_questions_copies_the_callers_list() -> None:
    questions = [_q()]
    exam = exam_from_questions(questions)
    questions[0]["question"] = "changed"
    assert exam.questions[0].text == "2 + 2?" and "id" not in questions[0]


def test_a_bad_cell_leaves_no_widget_open(quiz_dir: Path, recording_comms) -> None:
    with pytest.raises(ExamError):
        QuizWidget.from_questions("- question: x\n  type: nope\n", base_dir=quiz_dir)
    assert recording_comms == []


def test_the_magic_line_gives_the_title_and_quiz_options() -> None:
    assert parse_quiz_line("Warm-up quiz") == ("Warm-up quiz", {})
    assert parse_quiz_line("") == (None, {})
    assert parse_quiz_line('"Week 2: loops" --attempt new --autosave-interval 5') == (
        "Week 2: loops",
        {"attempt": "new", "autosave_interval": 5},
    )
    assert parse_quiz_line("T --base_dir=/tmp/x") == ("T", {"base_dir": "/tmp/x"})
    with pytest.raises(
        ExamError, match=r"option --colour: found an unknown option, expected one of .*--attempt"
    ):
        parse_quiz_line("T --colour red")
    with pytest.raises(ExamError, match="cannot be read"):
        parse_quiz_line('T "unclosed')


def test_bad_attempt_value_is_refused(quiz_dir: Path) -> None:
    with pytest.raises(ValueError, match="attempt: found 'again'"):
        QuizWidget.from_questions([_q()], base_dir=quiz_dir, attempt="again")


def test_yaml_numbers_are_option_texts() -> None:
    exam = exam_from_questions("- question: Which is prime?\n  options: [1, 2, 4.5]\n  answer: B\n")
    question = exam.questions[0]
    assert [o.text for o in question.options] == ["1", "2", "4.5"]
    assert question.is_correct(question.normalize("2"))  # the learner may name it by its text too
    assert load_exam({"title": "T", "questions": [{"id": 1, "question": "Q", "options": {"A": 0, "B": 10},
                                                    "answer": "A"}]}).questions[0].options[1].text == "10"  # fmt: skip
    with pytest.raises(ExamError, match=r"field 'options.B': found True, expected the option text"):
        exam_from_questions("- question: Sure?\n  options: [maybe, yes]\n  answer: A\n")


def test_a_yaml_file_with_the_cells_questions_and_no_ids_passes_validate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # One rule for ids: where a question has none, its position (1..n) is its id, in files and cells alike.
    listed = tmp_path / "warm-up.yaml"
    listed.write_text(YAML_QUESTIONS, encoding="utf-8")
    titled = tmp_path / "titled.yaml"
    titled.write_text("title: Warm-up\nquestions:\n" + _indented(YAML_QUESTIONS), encoding="utf-8")
    assert main(["validate", str(listed), str(titled)]) == 0
    out = capsys.readouterr().out
    assert f"OK   {listed}: 2 questions" in out and f"OK   {titled}: 2 questions" in out
    inline = exam_from_questions(YAML_QUESTIONS, title="Warm-up")
    for path in (listed, titled):
        exam = load_exam(path)
        assert [q.id for q in exam] == [q.id for q in inline] == [1, 2]
        assert [q.raw for q in exam] == [q.raw for q in inline]
    assert load_exam(titled).fingerprint == inline.fingerprint
    assert load_exam(listed).title == "Warm up"  # a list has no title: the file's name gives it


def test_validate_lists_the_skipped_gift_items_under_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bank = tmp_path / "runs.gift"
    bank.write_text("Q1 {=a ~b}\nQ2 {=c ~d}\n\nQ3 {T}\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # said in the report, not as a Python warning
        assert main(["validate", str(bank)]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0] == f"OK   {bank}: 1 question"
    assert (
        lines[1].startswith(f"  - skipped: {bank}, line 2: skipped a question") and "blank line" in lines[1]
    )
    assert captured.err == ""


def test_a_position_id_that_clashes_with_a_given_id_is_named() -> None:
    questions = [{"id": 2, **_q()}, _q()]
    message = "question 2 (id 2): field 'id': found nothing, expected a unique id (without one a question's id is its position, 2, which question 1 has as its id)"
    for run in (
        lambda: exam_from_questions(questions),
        lambda: load_exam({"title": "T", "questions": questions}),
    ):
        with pytest.raises(ExamError, match=re.escape(message)):
            run()


def test_magic_errors_show_one_line_and_count_lines_as_the_cell_does(kernel) -> None:
    kernel.execute("%load_ext quiz_widgets")
    result = kernel.execute("%%quiz Broken\n- question: x\n  type: nope\n", allow_error=True)
    assert result.error is not None and result.error["ename"] == "ExamError"
    # The %%quiz line is line 1, so the question starts on line 2.
    assert result.error["traceback"] == [
        "ExamError: %%quiz cell: line 2: question 1 (id 1): field 'type': found 'nope', expected one of "
        + ", ".join(KINDS)
    ]
    result = kernel.execute(
        "%%quiz T\n- question: ok\n  answer: 1\n- question: [unclosed\n", allow_error=True
    )
    assert result.error is not None
    assert result.error["traceback"] == [f"ExamError: {result.error['evalue']}"]
    assert "%%quiz cell: line 5 column 1: invalid YAML" in result.error["evalue"]
    result = kernel.execute("%%quiz T --colour red\n- question: ok\n", allow_error=True)
    assert result.error is not None and len(result.error["traceback"]) == 1
    assert "option --colour" in result.error["traceback"][0]
    assert "magics.py" not in "\n".join(result.error["traceback"])


def test_a_bad_option_value_in_the_magic_shows_one_line(kernel) -> None:
    kernel.execute("%load_ext quiz_widgets")
    result = kernel.execute(
        "%%quiz T --attempt again\n- question: ok\n  type: numeric\n  answer: 1\n", allow_error=True
    )
    assert result.error is not None and len(result.error["traceback"]) == 1
    assert "attempt: found 'again'" in result.error["traceback"][0]
    assert result.error["traceback"][0].startswith("ValueError: %%quiz cell: ")


# -- import / export --------------------------------------------------------------------------------------


def test_import_gift_lists_skipped_items_with_lines_and_writes_yaml_that_loads_the_same(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bank.yaml"
    assert main(["import", str(FIXTURES / "gift" / "bank.gift"), "-o", str(out)]) == 0
    captured = capsys.readouterr()
    skipped = [line for line in captured.err.splitlines() if line.startswith("skipped: ")]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        original = load_exam(FIXTURES / "gift" / "bank.gift")
    assert len(skipped) == len(caught) >= 1
    assert all("line " in line for line in skipped)
    assert [str(w.message) for w in caught] == [line.removeprefix("skipped: ") for line in skipped]
    assert f"{len(original)} questions" in captured.out
    converted = load_exam(out)
    assert converted.fingerprint == original.fingerprint
    assert [q.raw for q in converted] == [q.raw for q in original]


def test_import_jupyterquiz(tmp_path: Path) -> None:
    out = tmp_path / "jq.yaml"
    assert main(["import", str(FIXTURES / "jupyterquiz" / "python_basics.json"), "-o", str(out)]) == 0
    assert len(load_exam(out)) == len(load_exam(FIXTURES / "jupyterquiz" / "python_basics.json"))


def test_import_with_nothing_usable_exits_1_with_the_error_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bank = tmp_path / "essays.gift"
    bank.write_text("::Essay:: Write about cells. {}\n\n::Another:: And more. {}\n", encoding="utf-8")
    out = tmp_path / "out.yaml"
    assert main(["import", str(bank), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "error: " in err and str(bank) in err
    # The error says why nothing is left: every skipped item, with its line.
    assert "line 1:" in err and "line 3:" in err and "essay" in err
    assert not out.exists()


def test_export_to_gift_warns_what_gift_cannot_say(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exam = tmp_path / "exam.yaml"
    exam.write_text(
        "title: Exported\nquestions:\n"
        "- {id: 1, question: 'Capital of France?', type: text, answer: Paris, match_case: true}\n"
        "- {id: 2, question: Pick B, options: [a, b], answer: B}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.gift"
    assert main(["export", str(exam), "--to", "gift", "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert "warning: " in captured.err and "match_case" in captured.err
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        back = load_exam(out)
    assert len(back) == 2 and back.questions[1].correct_text() == "b"
    assert main(["export", str(exam)]) == 0
    assert "Pick B" in capsys.readouterr().out


def test_export_of_a_bad_exam_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exam = tmp_path / "bad.json"
    exam.write_text(json.dumps({"title": "x", "questions": [{"id": 1, "question": "q"}]}), encoding="utf-8")
    assert main(["export", str(exam), "-o", str(tmp_path / "o.gift")]) == 1
    assert "question 1 (id 1)" in capsys.readouterr().err
    assert not (tmp_path / "o.gift").exists()


def test_an_output_that_cannot_be_written_is_an_error_line_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exam = tmp_path / "exam.yaml"
    exam.write_text(
        "title: T\nquestions:\n- {id: 1, question: Pick B, options: [a, b], answer: B}\n", "utf-8"
    )
    for command in (["export", str(exam), "--to", "gift"], ["import", str(FIXTURES / "gift" / "bank.gift")]):
        out = tmp_path / "no such folder" / "out.txt"
        assert main([*command, "-o", str(out)]) == 1
        err = capsys.readouterr().err
        assert err.splitlines()[-1].startswith("error: ") and str(out) in err, err
        assert "Traceback" not in err and not out.parent.exists()
    # Written whole, with the mode any new file gets (a temp file's 0600 would hide it from a class's TA).
    out = tmp_path / "out.gift"
    assert main(["export", str(exam), "--to", "gift", "-o", str(out)]) == 0
    assert out.stat().st_mode & 0o777 == 0o666 & ~_umask()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _q() -> dict:
    return {"question": "2 + 2?", "type": "numeric", "answer": 4}


def _indented(text: str) -> str:
    return "".join("  " + line + "\n" for line in text.splitlines())
