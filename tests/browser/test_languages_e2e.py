"""The learner's language in a real JupyterLab + Chromium with a real kernel (issue 19.3).

A quiz with lang="de" answers and finishes in German, its exam text as written; a quiz without lang= takes
the page's language (JupyterLab's language setting is the document's lang: set here on the page, as a
language pack would, since none is installed) from the kernel once the view has reported it.
"""

from __future__ import annotations

import pytest

from .lab_utils import open_notebook, output_locator, run_all, write_notebook

pytestmark = pytest.mark.browser

EXAM = (
    '{"title": "Erdkunde", "questions": [{"id": 1, "question": "Which river flows through Paris?",'
    ' "options": ["Seine", "Rhine"], "answer": "A", "explanation": "The Seine, not the Rhine."}]}'
)
CELLS = [
    f"import json\nfrom quiz_widgets import QuizWidget\nexam = json.loads('{EXAM}')",
    'german = QuizWidget(exam, base_dir="de", lang="de")\ngerman',
    'by_page = QuizWidget(exam, base_dir="page")\nby_page',
]


def test_lang_de_and_the_page_language_in_jupyterlab(page, lab, lab_dir) -> None:
    name = f"{lab_dir.rel}/languages.ipynb"
    write_notebook(lab_dir.path / "languages.ipynb", CELLS)
    open_notebook(page, lab, name)
    # What JupyterLab does with a language pack chosen in Settings > Language.
    page.evaluate("document.documentElement.lang = 'fr-FR'")
    run_all(page)
    german, by_page = output_locator(page, ".qw-root").nth(0), output_locator(page, ".qw-root").nth(1)

    german.locator(".qw-progress-text").filter(has_text="Frage 1 von 1").wait_for()
    assert german.get_by_text("Which river flows through Paris?").is_visible()  # exam text as written
    german.get_by_role("radio", name="Seine").click()
    assert german.locator(".qw-feedback-region .qw-verdict").inner_text() == "✓ Richtig"
    assert german.get_by_text("The Seine, not the Rhine.").is_visible()
    german.get_by_role("button", name="Weiter", exact=True).click()
    german.locator(".qw-finished-title").filter(has_text="Quiz abgeschlossen").wait_for()
    assert "Punktzahl" in german.locator(".qw-facts").inner_text()

    # Without lang=: the kernel sent the French catalogue after the view reported the page's language.
    by_page.locator(".qw-progress-text").filter(has_text="Question 1 sur 1").wait_for()
    assert by_page.get_by_role("button", name="Terminer").is_visible()
    assert by_page.get_by_text("Which river flows through Paris?").is_visible()
