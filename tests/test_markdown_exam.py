"""The original app's Markdown practice exams (exam_1.md style)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz_widgets.errors import ExamError
from quiz_widgets.exam import load_exam
from quiz_widgets.exam.formats.app_markdown import parse_markdown_exam

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "exams" / "practice.md"


def block(number, text, options, answer, indent="    "):
    lines = [f"{number}. {text}"]
    lines += [f"{indent}- {key}. {value}" for key, value in options.items()]
    lines += [
        "",
        f"{indent}<details markdown=1><summary markdown='span'>Answer</summary>",
        f"{indent}  Correct answer: {answer}",
        f"{indent}</details>",
        "",
    ]
    return "\n".join(lines)


ABCD = {"A": "Alpha.", "B": "Bravo.", "C": "Charlie.", "D": "Delta."}


def test_fixture_loads_like_the_original_app():
    exam = load_exam(FIXTURE)
    assert exam.title == "Garden Practice Exam"
    assert [q.id for q in exam] == [1, 2, 3]
    first, second, third = exam.questions
    assert first.kind == "singleChoice" and first.answer == ("B",)
    assert first.options[1].text == "Nitrogen."
    assert second.kind == "multiChoice" and second.answer == ("A", "C")
    assert second.text.endswith("(Choose TWO)")
    assert third.correct_text() == "Autumn."
    assert exam.source == FIXTURE


def test_parse_returns_exam_format_dict():
    data = parse_markdown_exam("# Quiz\n\n" + block(1, "Q one?", ABCD, "B, D"), "q.md")
    assert data == {
        "title": "Quiz",
        "questions": [
            {"id": 1, "question": "Q one?", "options": ABCD, "type": "multiChoice", "answer": ["B", "D"]}
        ],
    }


def test_no_title_uses_front_matter_then_file_name():
    text = "---\ntitle: From front matter\n---\n" + block(1, "Q?", ABCD, "A")
    assert parse_markdown_exam(text, "x.md")["title"] == "From front matter"
    assert parse_markdown_exam(block(1, "Q?", ABCD, "A"), "dir/my_exam.md")["title"] == "my_exam"


def test_wrapped_text_explanation_and_intro():
    text = (
        "# T\nSome intro line.\n\n1. A question that\ncontinues here?\n    - A. one\n    - B. two\n"
        "      and more\n    <details><summary>Answer</summary>\n      Correct answer: b\n"
        "      Because two is right.\n    </details>\n"
    )
    data = parse_markdown_exam(text, "t.md")
    q = data["questions"][0]
    assert data["description"] == "Some intro line."
    assert q["question"] == "A question that continues here?"
    assert q["options"]["B"] == "two and more"
    assert q["answer"] == "B"
    assert q["explanation"] == "Because two is right."


def test_html_is_plain_text():
    text = block(1, "<img src=x onerror=alert(1)> which?", {"A": "<b>bold</b>", "B": "plain"}, "A")
    q = parse_markdown_exam(text, "x.md")["questions"][0]
    assert q["question"] == "<img src=x onerror=alert(1)> which?"
    assert q["options"]["A"] == "<b>bold</b>"


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        (block(1, "Q?", ABCD, "F"), ["line 8", "question 1", "F", "not among"]),
        (block(1, "Q?", ABCD, "maybe later"), ["line 8", "'maybe later'", "option letters"]),
        (block(1, "Q?", ABCD, "A, A"), ["line 8", "repeats"]),
        (
            "1. Q?\n    - A. only\n\n    <details>\n      Correct answer: A\n    </details>\n",
            ["line 1", "found 1 options"],
        ),
        ("1. Q?\n    - A. x\n    - B. y\n", ["line 1", "no answer"]),
        (
            "1. Q?\n    - A. x\n    - B. y\n    - A. z\n    <details>\n      Correct answer: A\n    </details>",
            ["line 4", "option A appears twice"],
        ),
        ("1. Q?\n    - A. x\n    - B. y\n    <details>\n      Correct answer: A\n", ["line 4", "</details>"]),
        ("# Just a title\n", ["no questions"]),
        (block(1, "Q?", ABCD, "A") + block(1, "Again?", ABCD, "B"), ["line 10", "used twice", "line 1"]),
    ],
)
def test_problems_name_the_line(text, fragments):
    with pytest.raises(ExamError) as info:
        parse_markdown_exam(text, "bad.md")
    message = str(info.value)
    assert "bad.md" in message
    for fragment in fragments:
        assert fragment in message, message


def test_every_problem_is_reported(tmp_path):
    path = tmp_path / "two.md"
    path.write_text(block(1, "Q?", ABCD, "Z") + block(2, "Q2?", ABCD, "Y"))
    with pytest.raises(ExamError) as info:
        load_exam(path)
    assert len(info.value.problems) == 2
    assert str(info.value).splitlines()[0] == f"{path}: 2 problems"
