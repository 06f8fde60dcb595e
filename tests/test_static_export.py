"""A notebook exported to a static page (nbconvert's HTML, and so a Jupyter Book page) shows, where a quiz
was, what it is and that it runs in Jupyter; the exam's title is text there, never markup.

Executed by nbclient in a real kernel, as JupyterLab saves it (no widget state: nbconvert then skips the
widget view and shows the next type of the output), then exported with nbconvert's HTML exporter.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from kernel_utils import shutdown_now, start_kernel

# Real kernels, nbclient and nbconvert: not in the lowest-versions run (-m "not kernel"), which has no
# notebook tools, so they are imported where used.
pytestmark = pytest.mark.kernel

HOSTILE_TITLE = 'Week 1 <script>alert("title")</script><img src=x onerror=alert(2)> & more'
EXAM = {
    "title": HOSTILE_TITLE,
    "questions": [
        {"id": n, "question": f"Question {n}", "options": {"A": "a", "B": "b"}, "answer": "A"}
        for n in (1, 2, 3)
    ],
}


def executed_notebook(folder: Path, cells: list[str]):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    km, kc = start_kernel(folder)
    try:
        client = NotebookClient(nb, km=km, timeout=120, store_widget_state=False, resources={})
        client.execute()
    finally:
        shutdown_now(km, kc)
    return nb


def exported_html(nb) -> str:
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_notebook_node(nb)
    return body


def outside_scripts(page: str) -> str:
    """The page without its own <script> elements (nbconvert's MathJax, the widget view's JSON...)."""
    return re.sub(r"<script\b.*?</script>", "", page, flags=re.S | re.I)


@pytest.fixture
def quiz_page(tmp_path: Path) -> str:
    (tmp_path / "exam.json").write_text(json.dumps(EXAM))
    nb = executed_notebook(
        tmp_path,
        [
            "from quiz_widgets import QuizWidget\n"
            "quiz = QuizWidget('exam.json', base_dir='.', autosave_interval=0)\n"
            "quiz.answer('A')\n"
            "quiz.next()\n"
            "quiz",
        ],
    )
    return exported_html(nb)


def test_an_exported_quiz_shows_its_title_progress_and_where_it_runs(quiz_page: str) -> None:
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", outside_scripts(quiz_page)))
    assert "Quiz: Week 1" in text
    assert "3 questions, 1 answered" in text
    assert "open this notebook in Jupyter to take the quiz" in text


def test_the_exam_title_is_text_on_the_page_never_markup(quiz_page: str) -> None:
    page = outside_scripts(quiz_page)
    assert "Week 1 &lt;script&gt;alert(" in page
    assert "&lt;img src=x onerror=alert(2)&gt; &amp; more" in page
    assert "<img" not in page
    # Nor is it in any script of the page (nbconvert keeps some outputs' JSON in script elements).
    assert "<script>alert" not in quiz_page


def test_the_session_browser_says_what_it_is_on_a_static_page(tmp_path: Path) -> None:
    nb = executed_notebook(
        tmp_path, ["from quiz_widgets import SessionBrowser\nSessionBrowser(base_dir='.')"]
    )
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", outside_scripts(exported_html(nb))))
    assert "Previous quiz sessions" in text
    assert "open this notebook in Jupyter" in text


def test_the_class_view_says_what_it_is_on_a_static_page(tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    nb = executed_notebook(tmp_path, ["from quiz_widgets import ClassView\nClassView('store')"])
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", outside_scripts(exported_html(nb))))
    assert "Class view" in text and "0 learners, 0 quizzes when the notebook ran" in text
    assert "open this notebook in Jupyter" in text
