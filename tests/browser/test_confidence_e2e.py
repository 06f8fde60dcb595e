"""Confidence with each answer (issue 22, item 3) in Chromium against JupyterLab and a real kernel: "How
sure are you?" chosen by mouse and by key (Shift+1/2/3, the group's arrows and Space), the answer sent
only once an option and a level are both chosen, the level and the CBM mark in the feedback, and the
finish screen's calibration table as a screen reader finds it.

Every widget locator is scoped to ``.jp-OutputArea-output``: JupyterLab has buttons of its own.
"""

from __future__ import annotations

import re

import pytest

from .lab_utils import SCREENSHOTS, execute_in_kernel, kernel_repr, wait_quiz_idle
from .test_study_modes_e2e import on_question
from .test_study_modes_e2e import start as start_six

pytestmark = pytest.mark.browser


def go_by_key(page, root, key: str, number: int) -> None:
    """Press ``key`` (n: next, p: previous) once the quiz is idle; back when question ``number`` is."""
    wait_quiz_idle(page)
    page.keyboard.press(key)
    on_question(root, number)
    wait_quiz_idle(page)


def levels(root):
    return root.get_by_role("radiogroup", name="How sure are you?")


def checked_level(root) -> str:
    return levels(root).locator("[aria-checked=true]").inner_text().strip()


def test_how_sure_by_mouse_and_by_key(page, lab, lab_dir):
    root = start_six(page, lab, lab_dir, "sure.ipynb", confidence="cbm")
    on_question(root, 1)
    group = levels(root)
    assert group.get_by_role("radio").count() == 3
    assert group.get_by_role("radio", name="Sure", exact=True).get_attribute("aria-keyshortcuts") == "Shift+3"
    assert root.locator(".qw-confidence-marks").inner_text().startswith("Marks if right / wrong")

    # Mouse: the option first; nothing is sent until the level is chosen too.
    root.get_by_role("radio", name=re.compile(r"^A\b.*right 1")).click()
    root.locator(".qw-hint").filter(has_text="Now choose how sure you are").wait_for()
    assert kernel_repr(page, "quiz.total_answered") == "0"
    assert page.evaluate("document.activeElement.closest('.qw-confidence') !== null")
    root.screenshot(path=str(SCREENSHOTS / "confidence-question.png"), animations="disabled")
    group.get_by_role("radio", name="Sure", exact=True).click()
    verdict = root.locator(".qw-feedback-region .qw-verdict")
    verdict.filter(has_text="Correct").wait_for()
    said = root.locator(".qw-feedback-region .qw-confidence-said")
    assert said.inner_text() == "You were: Sure · CBM mark: +3"
    assert kernel_repr(page, "(quiz.state.confidence_of(1), quiz.cbm_score)") == "(3, 3.0)"

    # Keys: the level first (Shift+2), then the option (2 = B, wrong).
    go_by_key(page, root, "n", 2)
    page.keyboard.press("Shift+Digit2")
    assert checked_level(root) == "⇧2 Fairly sure"
    assert kernel_repr(page, "quiz.total_answered") == "1"
    page.keyboard.press("2")
    verdict.filter(has_text="Incorrect").wait_for()
    assert said.inner_text() == "You were: Fairly sure · CBM mark: -2"
    assert kernel_repr(page, "(quiz.state.confidence_of(2), quiz.cbm_score)") == "(2, 1.0)"

    # Keys in the other order, and inside the group: the option (1 = A), then the arrows and Space.
    go_by_key(page, root, "n", 3)
    page.keyboard.press("1")
    root.locator(".qw-hint").filter(has_text="Now choose how sure you are").wait_for()
    assert page.evaluate("document.activeElement.getAttribute('data-qw-level')") == "1"
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.getAttribute('data-qw-level')") == "2"
    assert kernel_repr(page, "quiz.total_answered") == "2"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Space")
    verdict.filter(has_text="Correct").wait_for()
    assert said.inner_text() == "You were: Guessing · CBM mark: +1"
    assert kernel_repr(page, "[a.get('confidence') for a in quiz.state.answers]") == "[3, 2, 1]"

    # The finish screen: the CBM score and a table per topic a screen reader can walk.
    execute_in_kernel(page, "quiz.finish()")
    table = root.get_by_role("table", name="How often you were right, by how sure you were")
    table.wait_for()
    fact = root.locator(".qw-fact").filter(has_text="CBM score")
    assert fact.locator(".qw-fact-value").inner_text() == "2"
    headers = [c.strip() for c in table.get_by_role("columnheader").all_inner_texts()]
    assert headers == ["Topic", "Sure", "Fairly sure", "Guessing"]
    letters = table.get_by_role("row", name=re.compile("^Letters"))
    assert [c.strip() for c in letters.get_by_role("cell").all_inner_texts()] == [
        "1 of 1 (100%)",
        "—",
        "1 of 1 (100%)",
    ]
    numbers = table.get_by_role("row", name=re.compile("^Numbers"))
    assert [c.strip() for c in numbers.get_by_role("cell").all_inner_texts()] == ["—", "0 of 1 (0%)", "—"]
    assert table.get_by_role("rowheader", name="All topics").count() == 1
    root.locator(".qw-calibration-wrap").screenshot(path=str(SCREENSHOTS / "confidence-calibration.png"))
    # The review screen says how sure each answer was.
    root.get_by_role("button", name="Review answers").click()
    first = root.locator(".qw-review-item").first
    first.locator("dt", has_text="How sure you were").wait_for()
    assert first.locator("dt:has-text('How sure you were') + dd").inner_text() == "Sure"


def test_exam_mode_keeps_the_level_with_the_answer_and_passes_axe(page, lab, lab_dir):
    from .test_tour import TOUR, _axe_file, _screen_violations

    axe = _axe_file()
    page.set_viewport_size({"width": 1280, "height": 1600})  # the whole quiz on screen, as axe judges it
    root = start_six(page, lab, lab_dir, "sure-exam.ipynb", mode="exam", confidence=True)
    page.add_script_tag(path=str(axe))
    TOUR.mkdir(parents=True, exist_ok=True)
    on_question(root, 1)
    found = _screen_violations(page, "confidence-question")
    wait_quiz_idle(page)
    root.locator(".qw-option").first.focus()  # the theme's menu took the focus: the keys go to the quiz again

    # Question 1: B (wrong) as fairly sure; exam mode moves on and says nothing about right or wrong.
    page.keyboard.press("2")
    assert kernel_repr(page, "quiz.total_answered") == "0"
    page.keyboard.press("Shift+Digit2")
    on_question(root, 2)
    wait_quiz_idle(page)
    assert root.locator(".qw-feedback-region .qw-verdict, .qw-confidence-said").count() == 0
    # Back to it: the answer and its level are shown, to keep or change; a new level keeps the option.
    go_by_key(page, root, "p", 1)
    assert checked_level(root) == "⇧2 Fairly sure"
    assert root.locator(".qw-options [aria-checked=true]").inner_text().startswith("B")
    levels(root).get_by_role("radio", name="Sure", exact=True).click()
    on_question(root, 2)
    assert kernel_repr(page, "(quiz.state.answer_of(1)['answer'], quiz.state.confidence_of(1))") == "('B', 3)"
    assert kernel_repr(page, "quiz.total_answered") == "1"

    execute_in_kernel(page, "quiz.submit()")
    table = root.get_by_role("table", name="How often you were right, by how sure you were")
    table.wait_for()
    letters = table.get_by_role("row", name=re.compile("^Letters"))
    assert [c.strip() for c in letters.get_by_role("cell").all_inner_texts()] == ["0 of 1 (0%)", "—", "—"]
    found += _screen_violations(page, "confidence-finish")
    assert not found, "axe-core, serious or critical:\n" + "\n".join(found)
