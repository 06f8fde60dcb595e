"""The kinds' views as a learner sees them, in Chromium against the fake model of tests/view_harness (as
tests/test_view_harness.py, whose fixtures these tests share): a cloze's radio-button blanks (Moodle's
MULTICHOICE_V and _H) and a code answer on the finish screen."""
# ruff: noqa: F811 - the harness fixtures are imported, and pytest passes them back in by name

from __future__ import annotations

import pytest
from test_view_harness import (  # noqa: F401 - fixtures are found by name
    EXAM,
    SUMMARY,
    answers,
    browser,
    mount,
    page,
    question,
    sent,
    server,
)

pytestmark = pytest.mark.browser

# What the kernel sends for "Say {1:SA:=hi}. Pick {1:MULTICHOICE_V:red~=blue~green} or {1:MULTICHOICE_HS:=yes~no}."
# (exam/kinds/cloze.py's page_fields: the layout and the choices in the order shown, never the key).
CLOZE = question(
    "cloze",
    text="Say ⟦1⟧. Pick ⟦2⟧ or ⟦3⟧.",
    options=[],
    blanks=[
        {"number": 1, "of": 3, "kind": "shortanswer", "size": 14},
        {
            "number": 2,
            "of": 3,
            "kind": "multichoice",
            "layout": "vertical",
            "choices": [
                {"index": 0, "text": "red"},
                {"index": 1, "text": "blue"},
                {"index": 2, "text": "green"},
            ],
        },
        {
            "number": 3,
            "of": 3,
            "kind": "multichoice",
            "layout": "horizontal",
            "choices": [{"index": 1, "text": "no"}, {"index": 0, "text": "yes"}],
        },
    ],
    cloze_html='Say <span class="qw-blank-slot" data-blank="1"></span>. Pick <span class="qw-blank-slot" '
    'data-blank="2"></span> or <span class="qw-blank-slot" data-blank="3"></span>.',
)


def _focused_label(page) -> str:  # type: ignore[no-untyped-def]
    return page.evaluate(
        "() => { const e = document.activeElement; return e.labels && e.labels.length ? e.labels[0].textContent.trim()"
        " : e.getAttribute('aria-label') || ''; }"
    )


def test_radio_blanks_are_radio_groups_in_the_text_named_by_the_blank_and_laid_out_as_moodle(page):
    root = mount(page, question=CLOZE)
    text = root.locator(".qw-question-text")
    vertical = text.get_by_role("radiogroup", name="blank 2 of 3")
    horizontal = text.get_by_role("radiogroup", name="blank 3 of 3")
    assert [r.get_attribute("aria-label") or "" for r in text.get_by_role("combobox").all()] == []
    assert vertical.get_by_role("radio").count() == 3 and horizontal.get_by_role("radio").count() == 2
    assert vertical.get_by_role("radio", name="blue").is_visible()
    # _V: one choice per line; _H: the choices in a row.
    tops = vertical.locator("label").evaluate_all("(ls) => ls.map((l) => l.getBoundingClientRect().top)")
    assert tops[0] < tops[1] < tops[2]
    rows = horizontal.locator("label").evaluate_all("(ls) => ls.map((l) => l.getBoundingClientRect().top)")
    assert abs(rows[0] - rows[1]) < 2
    # The two groups are separate: one choice in each.
    vertical.get_by_role("radio", name="green").check()
    horizontal.get_by_role("radio", name="yes").check()
    assert vertical.get_by_role("radio", name="green").is_checked()
    root.get_by_role("textbox", name="blank 1 of 3").fill("hi")
    root.get_by_role("button", name="Submit").click()
    assert answers(page) == [["hi", 2, 0]]


def test_radio_blanks_by_the_keyboard_arrows_move_within_and_tab_leaves(page):
    root = mount(page, question=CLOZE)
    root.get_by_role("textbox", name="blank 1 of 3").focus()
    page.keyboard.press("Tab")  # into the vertical group, on its first choice (none is checked)
    assert _focused_label(page) == "red"
    page.keyboard.press("ArrowDown")  # as a native radio: moves and checks, and is no "next question"
    page.keyboard.press("ArrowDown")
    assert _focused_label(page) == "green"
    page.keyboard.press("ArrowRight")  # wraps around
    assert _focused_label(page) == "red"
    page.keyboard.press("ArrowLeft")
    assert _focused_label(page) == "green"
    assert root.get_by_role("radiogroup", name="blank 2 of 3").get_by_role("radio", name="green").is_checked()
    assert sent(page, "next") == [] and sent(page, "previous") == []
    page.keyboard.press("Tab")  # one Tab leaves the group, into the next one
    assert _focused_label(page) == "no"
    page.keyboard.press("ArrowRight")
    assert _focused_label(page) == "yes"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") != "radio"
    page.keyboard.press("Shift+Tab")  # back on the checked choice
    assert _focused_label(page) == "yes"
    ring = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert ring == "solid"
    page.keyboard.press("Enter")  # Enter in a blank sends the answer, as in a text blank
    assert answers(page) == [[None, 2, 0]]


def test_a_radio_blank_shows_the_answer_given_so_far_in_exam_mode(page):
    root = mount(page, **EXAM, question={**CLOZE, "given": {"value": [None, 1, 0]}})
    assert root.get_by_role("radiogroup", name="blank 2 of 3").get_by_role("radio", name="blue").is_checked()
    assert root.get_by_role("radiogroup", name="blank 3 of 3").get_by_role("radio", name="yes").is_checked()


def test_two_views_of_one_quiz_keep_their_own_radio_choices(page):
    """Native radios are grouped by name in the whole document: two views of the quiz (JupyterLab's
    "New View for Output") must not uncheck each other's choices."""
    mount(page, question=CLOZE)
    page.evaluate(
        """async () => { const view = (await import("/widget/quiz.js")).default;
                         const el = document.createElement("div"); document.body.appendChild(el);
                         view.render({ model: window.model, el }); }"""
    )
    groups = page.get_by_role("radiogroup", name="blank 2 of 3")
    assert groups.count() == 2
    groups.nth(0).get_by_role("radio", name="red").check()
    groups.nth(1).get_by_role("radio", name="green").check()
    assert groups.nth(0).get_by_role("radio", name="red").is_checked()


CODE_SOURCE = 'def area(r):\n    return "<b>" + str(3.14 * r * r)  # <img src=x onerror=alert(1)>'
CODE_ROW = {
    "number": 4,
    "question": "Write area(r).",
    "your_answer": CODE_SOURCE,
    "correct_answer": "a function passing every case",
    "code": {
        "source": CODE_SOURCE,
        "cases": [{"input": "area(1)", "expected": "3.14159", "got": "'<b>3.14'", "passed": False}],
        "passed": 0,
        "total": 1,
        "error": None,
        "error_line": None,
        "timeout": None,
        "output": "",
        "solution": "def area(r):\n    return 3.14159 * r * r",
    },
}


def test_the_finish_screen_shows_a_code_answer_as_a_preformatted_block(page):
    root = mount(page, phase="finished", summary={**SUMMARY, "wrong": [*SUMMARY["wrong"], CODE_ROW]})
    item = root.locator(".qw-wrong-item").last
    source = item.locator("pre.qw-code-source").first
    source.wait_for()
    # Line for line as written, escaped (the markup in it is text), never run.
    assert source.inner_text() == CODE_SOURCE
    assert item.locator("b, img").count() == 0
    assert source.evaluate("e => getComputedStyle(e).whiteSpace") in ("pre", "pre-wrap")
    assert item.locator("pre.qw-code-solution").inner_text() == CODE_ROW["code"]["solution"]
    # The other rows keep their one-line answers.
    assert (
        root.locator(".qw-wrong-item").first.locator(".qw-wrong-yours").inner_text()
        == "Your answer: Amazon S3"
    )
