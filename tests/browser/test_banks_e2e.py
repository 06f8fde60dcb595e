"""Other tools' banks and inline quizzes as a learner and an author see them in JupyterLab (Chromium):
a jupyterquiz bank's HTML and math drawn as jupyterquiz draws them, a %%quiz mistake shown as one line.

Every widget locator is scoped to ``.jp-OutputArea-output``: JupyterLab has buttons of its own.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .lab_utils import open_notebook, output_locator, run_all, write_notebook

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

BANK = [
    {
        "question": "Is <b>this</b> $x^2$? See [the docs](https://example.org).",
        "type": "multiple_choice",
        "code": "print(2 ** 2)",
        "answers": [
            {"answer": "<i>yes</i>", "correct": True, "feedback": "Right: $$x^2 = 4$$ at 2."},
            {"answer": "no", "correct": False},
        ],
    },
    {
        "question": "6 / 15?",
        "type": "numeric",
        "answers": [{"type": "value", "correct": 0.4, "value": 0.4, "feedback": "Yes."}],
    },
]


def test_a_jupyterquiz_bank_shows_its_html_and_math(page, lab, lab_dir):
    (lab_dir.path / "notebooks" / "bank.json").write_text(json.dumps(BANK), encoding="utf-8")
    write_notebook(
        lab_dir.path / "notebooks" / "bank.ipynb",
        ["from quiz_widgets import QuizWidget\nquiz = QuizWidget('bank.json', attempt='new')\nquiz"],
    )
    open_notebook(page, lab, lab_dir.notebook("bank.ipynb"))
    run_all(page)
    root = output_locator(page, ".qw-root").first
    text = root.locator(".qw-question-text")
    text.locator("b").filter(has_text="this").wait_for()
    assert "<b>" not in text.inner_text()  # a tag is markup, not text
    assert text.locator("math msup").count() == 1
    assert text.locator("a[href='https://example.org']").inner_text() == "the docs"
    assert text.locator("pre code").inner_text() == "print(2 ** 2)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    root.screenshot(path=str(ARTIFACTS / "jupyterquiz-bank.png"))
    option = root.locator(".qw-question .qw-option").first
    assert option.locator("i").inner_text() == "yes"
    option.click()
    feedback = root.locator(".qw-feedback-region")
    feedback.locator("math[display='block']").wait_for()
    root.get_by_role("button", name="Next", exact=True).click()
    root.locator("input").first.fill("0.4")
    root.get_by_role("button", name="Submit").click()
    feedback.get_by_text("Yes.").wait_for()  # correct: 0.4 is a right answer, as in jupyterquiz
    assert "Correct" in feedback.locator(".qw-verdict").inner_text()


def test_a_quiz_cell_mistake_is_one_line_naming_the_cells_line(page, lab, lab_dir):
    write_notebook(
        lab_dir.path / "notebooks" / "broken.ipynb",
        ["%load_ext quiz_widgets", "%%quiz Broken\n- question: Pick one\n  options: [1, 2]\n  answer: Z\n"],
    )
    open_notebook(page, lab, lab_dir.notebook("broken.ipynb"))
    errors = run_all(page, raise_on_error=False)
    assert len(errors) == 1
    shown = page.locator(".jp-OutputArea-output").filter(has_text="ExamError")
    assert shown.count() == 1
    lines = [line for line in shown.inner_text().splitlines() if line.strip()]
    assert lines == [
        "ExamError: %%quiz cell: line 2: question 1 (id 1): field 'answer': found 'Z', "
        "expected one of the option letters A, B"
    ]
