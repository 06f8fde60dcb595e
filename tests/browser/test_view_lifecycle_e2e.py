"""A quiz view's life in a real JupyterLab + Chromium (issue 17): after a kernel restart, after its cell ran
again, the way back from a study quiz, and the SessionBrowser's "Back to sessions" bar.

Widget locators are scoped to ``.jp-OutputArea-output``: JupyterLab has buttons of its own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .lab_utils import (
    SCREENSHOTS,
    execute_in_kernel,
    open_notebook,
    output_locator,
    restart_kernel,
    run_all,
    set_theme,
    wait_kernel_idle,
    write_notebook,
)

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = [
    {"question": "Which planet is largest?", "options": ["Mars", "Jupiter", "Venus"], "answer": "B"},
    {"question": "Which gas do plants take in?", "options": ["Oxygen", "Nitrogen", "CO2"], "answer": "C"},
    {"question": "How many legs has a spider?", "options": ["6", "8", "10"], "answer": "B"},
]


def quiz_notebook(lab_dir, name: str, extra: str = "") -> str:
    cell = (
        "from quiz_widgets import QuizWidget\n"
        f"quiz = QuizWidget.from_questions({QUESTIONS!r}, title='Science', base_dir='..'{extra})\n"
        "quiz"
    )
    write_notebook(lab_dir.path / "notebooks" / name, [cell])
    return lab_dir.notebook(name)


def cannot_send(page) -> list[str]:
    return [m for m in page.console_log if "Cannot send" in m and not m.startswith("[warning]")]


def test_after_a_kernel_restart_the_quiz_says_so_and_takes_no_clicks(page, lab, lab_dir):
    open_notebook(page, lab, quiz_notebook(lab_dir, "restart.ipynb"))
    run_all(page)
    root = output_locator(page, ".qw-root")
    option = root.get_by_role("radio", name=re.compile(r"^A\b.*Mars"))
    option.wait_for()
    assert option.is_enabled()
    restart_kernel(page)
    banner = root.get_by_role("alert").filter(has_text="The kernel was restarted")
    banner.wait_for(timeout=15_000)
    assert "Run its cell again" in banner.inner_text()
    for role, name in [
        ("radio", re.compile(r"^A\b.*Mars")),
        ("radio", re.compile(r"^B\b.*Jupiter")),
        ("button", "Finish"),
    ]:
        assert root.get_by_role(role, name=name).is_disabled(), name
    assert "qw-inactive" in root.get_attribute("class")
    # A click on the old view sends nothing, so nothing is dropped with "Cannot send".
    option.click(force=True)
    root.focus()
    page.keyboard.press("2")
    page.wait_for_timeout(500)
    assert cannot_send(page) == [], page.console_log
    assert not [m for m in page.console_log if m.startswith("[pageerror]")], page.console_log
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for theme in ("light", "dark"):
        set_theme(page, theme)
        root.screenshot(path=str(SCREENSHOTS / f"lab-kernel-restarted-{theme}.png"))
    # Running the cell again gives a working quiz.
    run_all(page)
    fresh = output_locator(page, ".qw-root")
    fresh.get_by_role("radio", name=re.compile(r"^B\b.*Jupiter")).click()
    fresh.locator(".qw-verdict").wait_for()
    assert fresh.get_by_role("alert").filter(has_text="The kernel was restarted").count() == 0
    wait_kernel_idle(page)


def test_the_back_to_sessions_bar_is_no_wider_than_the_quiz(page, lab, lab_dir):
    from .test_session_browser_e2e import QUESTIONS as CLOUD_QUESTIONS
    from .test_session_browser_e2e import make_base, make_session, open_browser_notebook

    base = make_base(lab_dir)
    make_session(base, [CLOUD_QUESTIONS[0]["answer"]])
    root = open_browser_notebook(page, lab, lab_dir, base)
    root.get_by_role("button", name=re.compile(r"^Resume ")).click()
    quiz = output_locator(page, ".qw-root")
    quiz.wait_for()
    back = output_locator(page).get_by_role("button", name="Back to sessions")
    back.wait_for()
    back_box, quiz_box = back.bounding_box(), quiz.bounding_box()
    # The bar starts where the quiz starts and ends inside it: one column, not a full-width stripe.
    assert abs(back_box["x"] - quiz_box["x"]) <= 2, (back_box, quiz_box)
    assert back_box["x"] + back_box["width"] <= quiz_box["x"] + quiz_box["width"], (back_box, quiz_box)
    assert back_box["width"] < 0.5 * quiz_box["width"], (back_box, quiz_box)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for theme in ("light", "dark"):
        set_theme(page, theme)
        shot = page.locator(".jp-OutputArea-output:has(.qw-root)").first
        shot.screenshot(path=str(SCREENSHOTS / f"lab-back-bar-{theme}.png"))
    wait_kernel_idle(page)


def answer_by_click(root, key: str) -> None:
    root.get_by_role("radio", name=re.compile(rf"^{key}\b")).first.click()
    root.locator(".qw-verdict").wait_for()
    root.get_by_role("button", name="Next", exact=True).click()


def test_study_wrong_answers_and_back_to_the_results(page, lab, lab_dir):
    open_notebook(page, lab, quiz_notebook(lab_dir, "study.ipynb", ", attempt='new'"))
    run_all(page)
    root = output_locator(page, ".qw-root")
    for key in ("B", "A", "A"):  # right, wrong, wrong
        answer_by_click(root, key)
    study = root.get_by_role("button", name="Study wrong answers")
    study.wait_for()
    study.click()
    back = root.get_by_role("button", name="Back to results")
    back.wait_for()
    root.get_by_text("Question 1 of 2", exact=True).wait_for()
    assert execute_in_kernel(page, "print(quiz.total, quiz.phase)")["stdout"].strip() == "2 question"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    root.screenshot(path=str(SCREENSHOTS / "lab-study-back-light.png"))
    back.click()
    # The finished attempt is on screen again, and `quiz` in Python names it.
    root.get_by_role("button", name="Study wrong answers").wait_for()
    assert back.count() == 0 or back.is_hidden()
    assert (
        execute_in_kernel(page, "print(quiz.total, quiz.phase, quiz.score)")["stdout"].strip()
        == "3 finished 1"
    )
    # And the way to the study quiz is open again.
    root.get_by_role("button", name="Study wrong answers").click()
    root.get_by_role("button", name="Back to results").wait_for()
    wait_kernel_idle(page)


def test_a_quiz_whose_session_went_on_elsewhere_names_its_file_and_looks_inactive(page, lab, lab_dir):
    open_notebook(page, lab, quiz_notebook(lab_dir, "stale.ipynb", ", attempt='new'"))
    run_all(page)
    root = output_locator(page, ".qw-root")
    answer_by_click(root, "B")
    name = execute_in_kernel(page, "print(quiz.session_path.name)")["stdout"].strip()
    # The same cell's code run again (in another cell, or by resuming the file): the session goes on there.
    execute_in_kernel(
        page, f"newer = QuizWidget.from_questions({QUESTIONS!r}, title='Science', base_dir='..')"
    )
    banner = root.get_by_role("alert").filter(has_text=name)
    banner.wait_for()
    text = banner.inner_text()
    assert "newer quiz" in text and "/" not in text.replace(name, ""), text
    for role, label in [("radio", re.compile(r"^A\b.*Nitrogen|^A\b.*Oxygen")), ("button", "Finish")]:
        control = root.get_by_role(role, name=label).first
        assert control.is_disabled(), label
        assert float(control.evaluate("b => getComputedStyle(b).opacity")) < 0.7, label
    for theme in ("light", "dark"):
        set_theme(page, theme)
        root.screenshot(path=str(SCREENSHOTS / f"lab-closed-quiz-{theme}.png"))
    wait_kernel_idle(page)
