"""A quiz view's life in a real JupyterLab + Chromium (issue 17): after a kernel restart, after its cell ran
again, the way back from a study quiz, and the SessionBrowser's "Back to sessions" bar.

Widget locators are scoped to ``.jp-OutputArea-output``: JupyterLab has buttons of its own.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from .lab_utils import (
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
SCREENSHOTS = (
    REPO_ROOT / "docs" / "screenshots"
    if os.environ.get("QUIZ_WIDGETS_UPDATE_SCREENSHOTS") == "1"
    else REPO_ROOT / "test-artifacts" / "screenshots"
)
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
    option = root.get_by_role("button", name=re.compile(r"^A\b.*Mars"))
    option.wait_for()
    assert option.is_enabled()
    restart_kernel(page)
    banner = root.get_by_role("alert").filter(has_text="The kernel was restarted")
    banner.wait_for(timeout=15_000)
    assert "Run its cell again" in banner.inner_text()
    for name in [re.compile(r"^A\b.*Mars"), re.compile(r"^B\b.*Jupiter"), "Finish"]:
        assert root.get_by_role("button", name=name).is_disabled(), name
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
    fresh.get_by_role("button", name=re.compile(r"^B\b.*Jupiter")).click()
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
