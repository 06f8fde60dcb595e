"""Code questions in Chromium against JupyterLab and a real kernel (issue 20, item 6): the learner types a
function in the editor with Tab and Shift+Tab (the focus stays in the editor; letters such as "n" and "f"
stay text), leaves it with Escape then Tab, runs and submits; the feedback lists each case. A runaway loop
sent by Ctrl+Enter comes back as "stopped after 2 s" rows and the quiz goes on."""

from __future__ import annotations

import pytest

from .lab_utils import SCREENSHOTS, set_theme, start_quiz, wait_quiz_idle

pytestmark = pytest.mark.browser

AREA = {
    "type": "code",
    "question": "Write `area(r)`: the area of a circle of radius r.",
    "function": "area",
    "cases": [[[1], 3.14159], [[2], 12.56637], [[0], 0]],
    "tolerance": 1e-3,
    "starter": "def area(r):\n    ...",
    "solution": "import math\n\ndef area(r):\n    return math.pi * r * r",
}
QUESTIONS = [AREA, dict(AREA, id="again")]


def focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement;
                   return {tag: e.tagName.toLowerCase(), cls: e.className, text: e.textContent}; }"""
    )


CONTRAST = """(node) => {
    const rgb = (c) => c.match(/[0-9.]+/g).slice(0, 3).map(Number);
    const lum = (c) => { const [r, g, b] = rgb(c).map((v) => { v /= 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const style = getComputedStyle(node);
    let bg = style.backgroundColor, up = node;
    while (/rgba\\(.*, 0\\)|transparent/.test(bg) && up.parentElement) { up = up.parentElement;
        bg = getComputedStyle(up).backgroundColor; }
    const [a, b] = [lum(style.color), lum(bg)].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
}"""


def test_typing_a_function_with_tab_and_submitting(page, lab, lab_dir):
    root = start_quiz(
        page,
        lab,
        lab_dir,
        "code_question.ipynb",
        QUESTIONS,
        ready="textarea.qw-code-editor",
        title="Functions",
    )
    editor = root.locator("textarea.qw-code-editor")
    assert editor.input_value() == AREA["starter"]
    assert root.get_by_label("Your code: define area").count() == 1

    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("def area(r):")
    page.keyboard.press("Enter")  # a new line indented one step after the colon
    page.keyboard.press("Shift+Tab")  # dedent ...
    assert editor.input_value() == "def area(r):\n"
    page.keyboard.press("Tab")  # ... and indent again: the focus stays in the editor
    assert focused(page)["tag"] == "textarea"
    page.keyboard.type("n = 3.14159  # f, p, s and n stay text")
    page.keyboard.press("Enter")
    page.keyboard.type("return n * r * r")
    assert editor.input_value() == (
        "def area(r):\n    n = 3.14159  # f, p, s and n stay text\n    return n * r * r"
    )
    assert root.locator(".qw-progress-text").inner_text() == "Question 1 of 2"

    page.keyboard.press("Escape")
    page.keyboard.press("Tab")  # Escape then Tab leaves the editor: never trapped
    state = focused(page)
    assert state["tag"] == "button" and state["text"] == "Run and submit", state
    page.keyboard.press("Enter")
    live = root.locator(".qw-feedback-region")
    live.locator(".qw-verdict").filter(has_text="Correct").wait_for()
    assert live.locator(".qw-code-heading").first.inner_text() == "Your code"
    assert "3 of 3 cases passed" in live.inner_text()
    rows = live.locator("table.qw-code-cases tbody tr")
    assert rows.count() == 3
    assert rows.nth(1).locator("td").all_inner_texts()[:2] == ["area(2)", "12.56637"]
    assert "return math.pi * r * r" in live.locator(".qw-code-solution").inner_text()
    wait_quiz_idle(page)
    # The dark theme: the source, the rows and the editor stay readable (WCAG AA, 4.5:1).
    set_theme(page, "dark")
    for node in (live.locator(".qw-code-source").first, rows.nth(1).locator("td").first):
        assert node.evaluate(CONTRAST) >= 4.5
    root.screenshot(path=str(SCREENSHOTS / "code-question-dark.png"))
    root.get_by_role("button", name="Next").click()
    editor = root.locator("textarea.qw-code-editor")
    editor.wait_for()
    assert editor.evaluate(CONTRAST) >= 4.5
    set_theme(page, "light")

    # A runaway loop, sent by Ctrl+Enter from the editor: each case stops, the quiz goes on.
    editor = root.locator("textarea.qw-code-editor")
    editor.wait_for()
    wait_quiz_idle(page)
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("def area(r):")
    page.keyboard.press("Enter")
    page.keyboard.type("while True:")
    page.keyboard.press("Enter")
    page.keyboard.type("pass")
    assert editor.input_value() == "def area(r):\n    while True:\n        pass"
    page.keyboard.press("Control+Enter")
    live.locator(".qw-verdict").filter(has_text="Incorrect").wait_for(timeout=20_000)
    text = live.inner_text()
    assert "0 of 3 cases passed" in text and "stopped after 2 s" in text
    wait_quiz_idle(page)
    root.screenshot(path=str(SCREENSHOTS / "code-question-feedback.png"))
    root.get_by_role("button", name="Next").click()
    root.locator(".qw-finished").wait_for()  # the kernel went on to the finish screen
