"""A whole quiz with the keyboard alone, as a screen-reader user walks it (issue 19, item 4), in Chromium
against JupyterLab and a real kernel.

From the widget, Tab reaches each option group once; the arrows move between the options (a radio group
for a single choice, a checkbox group for several), Space chooses, Enter submits or clicks, N goes on.
At every step the focus is on a control inside the widget and shows a ring. The groups are named by their
question, math is read from its TeX source (MathML's alttext), the feedback is said by one live region, and
axe-core (the tour test's helper) finds nothing serious on the question, finish and review screens.
"""

from __future__ import annotations

import re

import pytest

from .lab_utils import QUIZ_ROOT, start_quiz, wait_quiz_idle
from .test_tour import BLOCKING, _axe, _axe_file

pytestmark = pytest.mark.browser

QUESTIONS = [
    {
        "question": "Which is the derivative of x cubed?",
        "options": ["$x^2$", "$3x^2$", "$3x$"],
        "answer": "B",
        "explanation": "Power rule.",
    },
    {
        "question": "Which are even numbers? (Choose all that apply)",
        "type": "multiChoice",
        "options": ["2", "3", "4"],
        "answer": ["A", "C"],
    },
    {"question": "How many sides has a triangle?", "type": "numeric", "answer": 3},
]


def focus_state(page) -> dict:
    """Where the focus is: inside the quiz (not the quiz's own box), and whether it shows a ring."""
    return page.evaluate(
        """(selector) => {
            const root = document.querySelector(selector);
            const e = document.activeElement;
            const s = getComputedStyle(e);
            const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
            // A checkbox's ring is drawn on its option's box (quiz.css).
            const box = e.closest('.qw-option-multi');
            const boxRing = box ? getComputedStyle(box).outlineStyle !== 'none' : false;
            return {inside: root.contains(e) && e !== root, ring: ring || boxRing,
                    role: e.getAttribute('role') || e.type || e.tagName.toLowerCase(), text: e.textContent};
        }""",
        QUIZ_ROOT,
    )


def assert_focus_visible(page) -> dict:
    state = focus_state(page)
    assert state["inside"], f"the focus left the quiz: {state}"
    assert state["ring"], f"the focused control shows no ring: {state}"
    return state


def blocking(page, screen: str) -> list[str]:
    result = _axe(page, QUIZ_ROOT)
    return [
        f"{screen}: {v['id']} ({v['impact']}) at {n['target']}"
        for v in result["violations"]
        if v["impact"] in BLOCKING
        for n in v["nodes"]
    ]


def test_a_whole_quiz_with_the_keyboard_alone(page, lab, lab_dir):
    axe = _axe_file()
    root = start_quiz(page, lab, lab_dir, "keyboard.ipynb", QUESTIONS, title="Keyboard")
    page.add_script_tag(path=str(axe))
    found = blocking(page, "question")

    # 1. A radio group named by its question, math named by its TeX source; one Tab stop.
    group = root.get_by_role("radiogroup", name=QUESTIONS[0]["question"])
    assert group.get_by_role("radio").count() == 3
    math = group.locator("math").nth(1)
    assert math.get_attribute("alttext") == "3x^2"
    root.focus()  # the keyboard user's way in: the widget itself, then Tab
    page.keyboard.press("Tab")
    assert assert_focus_visible(page)["role"] == "radio"
    page.keyboard.press("ArrowDown")
    state = assert_focus_visible(page)
    assert state["role"] == "radio" and state["text"].startswith("B")
    # The arrow stayed in the group: still the first question.
    assert root.locator(".qw-progress-text").inner_text() == "Question 1 of 3"
    page.keyboard.press(" ")
    live = root.locator(".qw-feedback-region")
    live.locator(".qw-verdict").filter(has_text="Correct").wait_for()
    wait_quiz_idle(page)
    assert root.locator("[aria-live=polite] .qw-verdict").count() == 1  # one region says it
    assert assert_focus_visible(page)["text"] == "Next"
    chosen = root.get_by_role("radio", name=re.compile(r"^B\b.*your answer"))
    assert chosen.get_attribute("aria-checked") == "true"
    page.keyboard.press("n")

    # 2. A checkbox group: the arrows move, Space checks, Enter submits.
    multi = root.get_by_role("group", name=QUESTIONS[1]["question"])
    multi.get_by_role("checkbox").first.wait_for()
    wait_quiz_idle(page)
    assert assert_focus_visible(page)["role"] == "checkbox"
    page.keyboard.press(" ")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert_focus_visible(page)
    page.keyboard.press(" ")
    assert [box.is_checked() for box in multi.get_by_role("checkbox").all()] == [True, False, True]
    page.keyboard.press("Enter")
    live.locator(".qw-verdict").filter(has_text="Correct").wait_for()
    wait_quiz_idle(page)
    assert assert_focus_visible(page)["text"] == "Next"
    page.keyboard.press("Enter")

    # 3. A typed answer: the box has the focus, Enter submits; N goes on to the finish screen.
    box = root.get_by_role("spinbutton", name="Your answer")
    box.wait_for()
    wait_quiz_idle(page)
    assert assert_focus_visible(page)["role"] == "number"
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    live.locator(".qw-verdict").filter(has_text="Correct").wait_for()
    wait_quiz_idle(page)
    assert_focus_visible(page)
    page.keyboard.press("n")

    # 4. The finish screen, then the review, by Enter on the focused button.
    root.get_by_role("button", name="Review answers").wait_for()
    wait_quiz_idle(page)
    assert assert_focus_visible(page)["text"] == "Review answers"
    found += blocking(page, "finish")
    page.keyboard.press("Enter")
    root.get_by_role("button", name="Back to results").wait_for()
    wait_quiz_idle(page)
    assert_focus_visible(page)
    # Every Tab stop of the review is a visible focus inside the quiz.
    for _ in range(6):
        page.keyboard.press("Tab")
        if not focus_state(page)["inside"]:
            break
        assert_focus_visible(page)
    found += blocking(page, "review")
    assert not found, "axe-core, serious or critical:\n" + "\n".join(found)
