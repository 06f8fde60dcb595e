"""cloze questions in Chromium against JupyterLab and a real kernel (issue 20, item 4): the blanks inline in
the question's text, each named "blank N of 3" for screen readers, answered by the keyboard alone (Tab between
the blanks, typing, the dropdown's own type-ahead, Enter) and by the mouse; after the answer each blank is
marked and the wrong one's right answer shown."""

from __future__ import annotations

import pytest

from .lab_utils import SCREENSHOTS, execute_in_kernel, output_locator, set_theme, start_quiz, wait_quiz_idle

pytestmark = pytest.mark.browser

QUESTIONS = [
    {
        "type": "cloze",
        "question": "The capital of **France** is {1:SHORTANSWER:=Paris} and 2 + 2 = {1:NUMERICAL:=4:0}. "
        "The sky is {2:MULTICHOICE:green~=blue~red}.",
    },
    {"type": "cloze", "question": "Even: {1:MULTIRESPONSE:=2~3~=4}, odd: {1:SA:=7#Seven is odd}"},
]


def focused_name(page) -> str | None:
    return page.evaluate(
        "() => document.activeElement.getAttribute('aria-label') || document.activeElement.textContent"
    )


def start(page, lab, lab_dir, name: str):
    return start_quiz(page, lab, lab_dir, name, QUESTIONS, ready="input.qw-blank-input", title="Cloze")


def test_cloze_by_the_keyboard_alone(page, lab, lab_dir):
    root = start(page, lab, lab_dir, "cloze_keys.ipynb")
    text = root.locator(".qw-question-text")
    # The blanks sit inside the rendered text (Markdown kept), in order, each with its accessible name.
    assert text.locator("strong").inner_text() == "France"
    names = text.locator("input, select").evaluate_all(
        "(nodes) => nodes.map((n) => n.getAttribute('aria-label'))"
    )
    assert names == ["blank 1 of 3", "blank 2 of 3", "blank 3 of 3"]
    assert "Paris" not in root.inner_html() and "⟦" not in text.inner_text()
    root.focus()
    for _ in range(10):
        if focused_name(page) == "blank 1 of 3":
            break
        page.keyboard.press("Tab")
    assert focused_name(page) == "blank 1 of 3"
    page.keyboard.type("Paris")  # no quiz key takes these letters inside a blank
    page.keyboard.press("Tab")
    assert focused_name(page) == "blank 2 of 3"
    page.keyboard.type("4")
    page.keyboard.press("Tab")
    assert focused_name(page) == "blank 3 of 3"
    page.keyboard.type("bl")  # the dropdown's own type-ahead
    assert root.get_by_role("combobox", name="blank 3 of 3").input_value() == "1"
    assert root.locator(".qw-progress-text").inner_text() == "Question 1 of 2"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # Enter in a blank sends the answer
    live = root.locator(".qw-feedback-region")
    live.locator(".qw-verdict").filter(has_text="Correct").wait_for()
    marks = root.locator(".qw-blank-result").all_inner_texts()
    assert marks == ["Paris ✓", "4 ✓", "blue ✓"]
    wait_quiz_idle(page)
    page.keyboard.press("Enter")  # Next
    root.locator(".qw-blank-group").first.wait_for()
    wait_quiz_idle(page)
    group = root.get_by_role("group", name="blank 1 of 2")
    assert group.locator("input[type=checkbox]").count() == 3


def test_cloze_by_the_mouse_with_partial_credit_and_feedback_per_blank(page, lab, lab_dir):
    root = start(page, lab, lab_dir, "cloze_mouse.ipynb")
    root.get_by_role("textbox", name="blank 1 of 3").fill("Paris")
    root.get_by_role("textbox", name="blank 2 of 3").fill("5")
    root.get_by_role("combobox", name="blank 3 of 3").select_option(label="red")
    root.get_by_role("button", name="Submit").click()
    live = root.locator(".qw-feedback-region")
    live.locator(".qw-verdict").filter(has_text="Partly right (25%)").wait_for()
    assert root.locator(".qw-blank-result").all_inner_texts() == ["Paris ✓", "5 ✗", "red ✗"]
    rows = root.locator(".qw-blank-feedback li").all_inner_texts()
    assert rows[1] == "5: wrong — right answer: 4" and rows[2] == "red: wrong — right answer: blue"
    root.get_by_role("button", name="Next").click()
    group = root.get_by_role("group", name="blank 1 of 2")
    group.wait_for()
    wait_quiz_idle(page)
    group.get_by_text("2", exact=True).click()
    group.get_by_text("4", exact=True).click()
    root.get_by_role("textbox", name="blank 2 of 2").fill("8")
    root.get_by_role("button", name="Submit").click()
    live.locator(".qw-verdict").filter(has_text="Partly right (50%)").wait_for()
    assert root.locator(".qw-blank-result").all_inner_texts() == ["2, 4 ✓", "8 ✗"]


def test_finish_and_review_screens_fill_the_blanks_with_the_answer_given(page, lab, lab_dir):
    root = start(page, lab, lab_dir, "cloze_review.ipynb")
    root.get_by_role("textbox", name="blank 1 of 3").fill("Lyon")
    root.get_by_role("textbox", name="blank 2 of 3").fill("4")
    root.get_by_role("combobox", name="blank 3 of 3").select_option(label="blue")
    root.get_by_role("button", name="Submit").click()
    root.locator(".qw-feedback-region .qw-verdict").wait_for()
    execute_in_kernel(page, "quiz.finish()")
    listed = root.locator(".qw-wrong-item").first
    listed.wait_for()
    # The finish screen's list: the text with each blank's answer marked, the right answer beside the wrong one.
    assert "⟦" not in root.inner_text()
    assert listed.locator(".qw-blank-result").all_inner_texts() == ["Lyon ✗", "4 ✓", "blue ✓"]
    assert listed.locator(".qw-blank-feedback li").first.inner_text() == "Lyon: wrong — right answer: Paris"
    assert listed.locator("strong", has_text="France").count() == 1  # the text's Markdown kept
    root.get_by_role("button", name="Review answers").click()
    first = root.locator(".qw-review-item").first
    first.wait_for()
    assert "⟦" not in root.inner_text()
    assert first.locator(".qw-blank-result").all_inner_texts() == ["Lyon ✗", "4 ✓", "blue ✓"]
    assert first.get_by_label("blank 1 of 3: Lyon, wrong").count() == 1
    assert first.locator(".qw-blank-feedback li").first.inner_text() == "Lyon: wrong — right answer: Paris"
    # The question never answered: each blank empty, beside its right answer.
    second = root.locator(".qw-review-item").nth(1)
    assert second.locator(".qw-blank-result").all_inner_texts() == ["— ✗", "— ✗"]
    assert second.locator(".qw-blank-feedback li").last.inner_text() == "—: wrong — right answer: 7"


RADIO_QUESTIONS = [
    {
        "type": "cloze",
        "question": "Size {1:MULTICHOICE_V:S~=M~L}, then {1:MULTICHOICE_H:=up~down} and {1:SA:=ok}.",
    }
]


def test_radio_blanks_by_the_keyboard_alone(page, lab, lab_dir):
    """Moodle's MULTICHOICE_V / _H as radio groups inline in the text, named by the blank: Tab into a group,
    the arrows move and check within it (never to another question), Tab leaves, Enter sends."""
    root = start_quiz(
        page,
        lab,
        lab_dir,
        "cloze_radios.ipynb",
        RADIO_QUESTIONS + QUESTIONS[:1],
        ready="input.qw-radio",
        title="Radios",
    )
    vertical = root.get_by_role("radiogroup", name="blank 1 of 3")
    horizontal = root.get_by_role("radiogroup", name="blank 2 of 3")
    assert vertical.get_by_role("radio").count() == 3 and horizontal.get_by_role("radio").count() == 2
    tops = vertical.locator("label").evaluate_all("(ls) => ls.map((l) => l.getBoundingClientRect().top)")
    assert tops[0] < tops[1] < tops[2]  # one per line
    row = horizontal.locator("label").evaluate_all("(ls) => ls.map((l) => l.getBoundingClientRect().top)")
    assert abs(row[0] - row[1]) < 2  # in a row
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    set_theme(page, "dark")
    page.wait_for_timeout(150)  # let the theme's CSS settle
    label = vertical.locator("label").first.evaluate(LUMA)
    assert label["fg"] > 0.6, label  # light words on the dark page
    assert vertical.get_by_role("radio").first.evaluate("e => getComputedStyle(e).colorScheme") == "dark"
    root.screenshot(path=str(SCREENSHOTS / "lab-cloze-radios-dark.png"), animations="disabled")
    set_theme(page, "light")
    root.focus()
    for _ in range(10):
        if page.evaluate("document.activeElement.type") == "radio":
            break
        page.keyboard.press("Tab")
    assert vertical.get_by_role("radio", name="S").evaluate("e => e === document.activeElement")
    page.keyboard.press("ArrowDown")
    assert vertical.get_by_role("radio", name="M").is_checked()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowUp")  # the arrows stay in the group: still question 1
    assert vertical.get_by_role("radio", name="M").is_checked()
    assert root.locator(".qw-progress-text").inner_text() == "Question 1 of 2"
    page.keyboard.press("Tab")  # out of the first group, into the second
    assert horizontal.get_by_role("radio", name="up").evaluate("e => e === document.activeElement")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    assert horizontal.get_by_role("radio", name="up").is_checked()
    page.keyboard.press("Tab")
    assert focused_name(page) == "blank 3 of 3"
    page.keyboard.type("ok")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # Enter on a radio sends the answer, as in a text blank
    root.locator(".qw-feedback-region .qw-verdict").filter(has_text="Correct").wait_for()
    assert root.locator(".qw-blank-result").all_inner_texts() == ["M ✓", "up ✓", "ok ✓"]
    assert root.locator(".qw-progress-text").inner_text() == "Question 1 of 2"


LUMA = """(node) => {
    // rgb(0-255 ...) or, for a color-mix(), color(srgb 0-1 ...)
    const rgb = (c) => (c.replace("color(srgb", "").match(/[0-9.]+/g) || []).slice(0, 3)
        .map((v) => (c.startsWith("color(") ? Number(v) * 255 : Number(v)));
    const luma = ([r, g, b]) => (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    const style = getComputedStyle(node);
    return {fg: luma(rgb(style.color)), bg: luma(rgb(style.backgroundColor))};
}"""


def test_cloze_blanks_follow_the_dark_theme(page, lab, lab_dir):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    root = start(page, lab, lab_dir, "cloze_dark.ipynb")
    area = output_locator(page).filter(has=page.locator(".qw-root"))
    page.mouse.move(0, 0)
    set_theme(page, "dark")
    page.wait_for_timeout(150)  # let the theme's CSS settle
    for blank in ("blank 1 of 3", "blank 3 of 3"):
        control = root.get_by_label(blank, exact=True)
        colours = control.evaluate(LUMA)
        assert colours["fg"] > 0.6 and colours["bg"] < 0.3, (blank, colours)  # light text on a dark box
    area.screenshot(path=str(SCREENSHOTS / "lab-cloze-dark.png"), animations="disabled")
    root.get_by_role("textbox", name="blank 1 of 3").fill("Lyon")
    root.get_by_role("button", name="Submit").click()
    root.locator(".qw-feedback-region .qw-verdict").wait_for()
    wrong = root.locator(".qw-blank-result").first.evaluate(LUMA)
    assert wrong["fg"] > 0.4  # the wrong mark stays readable on the dark page
    area.screenshot(path=str(SCREENSHOTS / "lab-cloze-feedback-dark.png"), animations="disabled")
    set_theme(page, "light")
