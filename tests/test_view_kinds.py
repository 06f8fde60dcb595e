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
    set_traits,
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


ORDERING = question(
    "ordering",
    text="Order the steps of a TCP handshake.",
    options=[
        {"key": "A", "text": "`ACK`", "html": "<p><code>ACK</code></p>"},
        {"key": "B", "text": "SYN", "html": "SYN"},
        {"key": "C", "text": "SYN-ACK", "html": "SYN-ACK"},
    ],
)


def test_ordering_items_line_up_with_the_question_and_show_their_place(page):
    root = mount(page, question=ORDERING)
    items = root.locator(".qw-order-item")
    text_left = root.locator(".qw-question-text").evaluate("e => e.getBoundingClientRect().left")
    assert abs(items.first.evaluate("e => e.getBoundingClientRect().left") - text_left) < 2
    places = items.evaluate_all("(ls) => ls.map((l) => getComputedStyle(l, '::before').content)")
    assert places == ['counter(qw-order) "."'] * 3 or places == ['"1."', '"2."', '"3."'], places
    root.get_by_role("button", name="Move down").first.click()
    assert [t.strip() for t in items.locator(".qw-order-text").all_inner_texts()] == ["SYN", "ACK", "SYN-ACK"]


def test_ordering_and_matching_answers_are_drawn_as_items_one_per_line(page):
    feedback = {
        "correct": False,
        "partial": True,
        "credit": 33.3,
        "your_answer": "`ACK`; SYN; SYN-ACK",
        "correct_answer": "SYN; SYN-ACK; `ACK`",
        "your_answer_items": [
            {"key": "1", "text": "`ACK`", "html": "<p><code>ACK</code></p>"},
            {"key": "2", "text": "SYN", "html": "SYN"},
            {"key": "3", "text": "SYN-ACK", "html": "SYN-ACK"},
        ],
        "correct_answer_items": [
            {"key": "1", "text": "SYN", "html": "SYN"},
            {"key": "2", "text": "SYN-ACK", "html": "SYN-ACK"},
            {"key": "3", "text": "`ACK`", "html": "<p><code>ACK</code></p>"},
        ],
        "chosen": [],
        "correct_keys": [],
        "explanation": "",
    }
    root = mount(page, phase="feedback", question=ORDERING, feedback=feedback)
    yours = root.locator(".qw-feedback-region .qw-answer-value").first
    assert [" ".join(t.split()) for t in yours.locator("li").all_inner_texts()] == [
        "1 ACK",
        "2 SYN",
        "3 SYN-ACK",
    ]
    assert "`" not in yours.inner_text() and yours.locator("code").count() == 1
    tops = yours.locator("li").evaluate_all("(ls) => ls.map((l) => l.getBoundingClientRect().top)")
    assert tops[0] < tops[1] < tops[2]
    # Items without a verdict (an answer of another kind, an older kernel) carry no mark.
    assert yours.locator(".qw-item-mark").count() == 0
    marked = [{**item, "right": i == 1} for i, item in enumerate(feedback["your_answer_items"])]
    correct = [{**item, "right": True} for item in feedback["correct_answer_items"]]
    set_traits(page, feedback={**feedback, "your_answer_items": marked, "correct_answer_items": correct})
    values = root.locator(".qw-feedback-region .qw-answer-value")
    yours = values.first
    # Each item of the answer says whether it was right (a sign and words, not colour alone); the right
    # answer's list, all right, is not marked.
    assert [" ".join(t.split()) for t in yours.locator("li").all_inner_texts()] == [
        "1 ACK ✗",
        "2 SYN ✓",
        "3 SYN-ACK ✗",
    ]
    assert yours.locator(".qw-item-mark").first.get_attribute("aria-label") == "wrong"
    assert yours.locator(".qw-item-mark").nth(1).get_attribute("aria-label") == "right"
    assert values.nth(1).locator(".qw-item-mark").count() == 0
    pairs = [
        {"key": "", "text": "S3 → Tape", "html": "<p><code>S3</code></p> → Tape"},
        {"key": "", "text": "EBS → Block", "html": "EBS → Block"},
    ]
    set_traits(page, feedback={**feedback, "your_answer_items": pairs})
    yours = root.locator(".qw-feedback-region .qw-answer-value").first
    # No empty letter badge before a pair, and the pair on one line even with a paragraph in it.
    assert yours.locator(".qw-key").count() == 0
    assert [" ".join(t.split()) for t in yours.locator("li").all_inner_texts()] == [
        "S3 → Tape",
        "EBS → Block",
    ]
    first = yours.locator("li").first.evaluate("e => e.getBoundingClientRect().height")
    second = yours.locator("li").nth(1).evaluate("e => e.getBoundingClientRect().height")
    assert first < second * 1.5


def test_a_blank_keeps_the_punctuation_after_it_on_its_line(page):
    long = "word " * 14
    q = {**CLOZE, "cloze_html": f'{long}<span class="qw-blank-slot" data-blank="3"></span>. Then '
         '<span class="qw-blank-slot" data-blank="1"></span>, <span class="qw-blank-slot" data-blank="2"></span>!'}  # fmt: skip
    for width in range(600, 900, 3):  # wherever the line breaks, never between a blank and its full stop
        page.set_viewport_size({"width": width, "height": 800})
        root = mount(page, question=q)
        gaps = root.locator(".qw-question-text").evaluate(
            """(text) => [...text.querySelectorAll('[role=radiogroup], input[type=text]')].map((control) => {
                 const after = document.createRange();
                 let node = control; while (node.parentNode !== text && !node.nextSibling) node = node.parentNode;
                 const next = node.nextSibling;
                 after.setStart(next, 0); after.setEnd(next, 1);
                 const mark = after.getBoundingClientRect(), box = control.getBoundingClientRect();
                 return mark.top < box.bottom && mark.bottom > box.top; })"""
        )
        assert gaps == [True, True, True], width


def test_a_code_answer_on_the_finish_screen_is_set_in_as_the_other_answers(page):
    root = mount(page, phase="finished", summary={**SUMMARY, "wrong": [SUMMARY["wrong"][0], CODE_ROW]})
    yours = root.locator(".qw-wrong-item").first.locator(".qw-wrong-yours")
    code = root.locator(".qw-wrong-item").last.locator(".qw-code-feedback")
    left = lambda node: node.evaluate("e => e.getBoundingClientRect().left")  # noqa: E731
    assert abs(left(code) - left(yours)) < 2
    assert code.evaluate("e => getComputedStyle(e).borderLeftStyle") == "solid"


def test_checkbox_blanks_follow_moodles_layout_too(page):
    """MULTIRESPONSE is one choice per line in Moodle, MULTIRESPONSE_H a row: as the radio blanks."""
    blanks = [
        {"number": 1, "of": 2, "kind": "multiresponse", "layout": "vertical",
         "choices": [{"index": 0, "text": "2"}, {"index": 1, "text": "3"}, {"index": 2, "text": "4"}]},
        {"number": 2, "of": 2, "kind": "multiresponse", "layout": "horizontal",
         "choices": [{"index": 0, "text": "5"}, {"index": 1, "text": "7"}]},
    ]  # fmt: skip
    html = 'Even: <span class="qw-blank-slot" data-blank="1"></span>, odd: <span class="qw-blank-slot" data-blank="2"></span>'
    root = mount(page, question={**CLOZE, "blanks": blanks, "cloze_html": html})
    top = "(ls) => ls.map((l) => l.getBoundingClientRect().top)"
    column = root.get_by_role("group", name="blank 1 of 2").locator("label").evaluate_all(top)
    row = root.get_by_role("group", name="blank 2 of 2").locator("label").evaluate_all(top)
    assert column[0] < column[1] < column[2] and abs(row[0] - row[1]) < 2


# The feedback of CLOZE answered "hi", "red", "yes" (exam/kinds/cloze.py's feedback_fields).
CLOZE_FEEDBACK = {
    "correct": False,
    "partial": True,
    "credit": 66.7,
    "your_answer": "⟦1⟧ hi ⟦2⟧ red ⟦3⟧ yes",
    "correct_answer": "⟦1⟧ hi ⟦2⟧ blue ⟦3⟧ yes",
    "chosen": [],
    "correct_keys": [],
    "explanation": "Blue is the sky's colour.",
    "blanks": [
        {"number": 1, "given": "hi", "fraction": 1.0, "correct": True, "right_answer": "hi", "feedback": ""},
        {"number": 2, "given": "red", "fraction": 0.0, "correct": False, "right_answer": "blue", "feedback": "Look up."},
        {"number": 3, "given": "yes", "fraction": 1.0, "correct": True, "right_answer": "yes", "feedback": ""},
    ],
}  # fmt: skip


def test_a_cloze_feedback_reads_as_the_other_kinds_verdict_then_each_blank_then_why(page):
    """The verdict box is not an empty box under the per-blank list: it holds the verdict, what was right per
    blank and the explanation, in that order, as another kind's feedback holds its verdict, answers and why."""
    root = mount(page, phase="feedback", question=CLOZE, feedback=CLOZE_FEEDBACK)
    box = root.locator(".qw-feedback-region .qw-feedback")
    parts = box.evaluate("b => [...b.children].map((c) => c.className)")
    assert parts[0] == "qw-verdict" and parts[1:] == ["qw-blank-feedback", "qw-explanation"], parts
    assert box.locator(".qw-verdict").inner_text() == "◐ Partly right (66.7%)"
    rows = [
        " ".join(t.split())
        for t in box.get_by_role("list", name="Each blank").locator("li").all_inner_texts()
    ]
    assert rows == ["hi: right", "red: wrong — right answer: blue — Look up.", "yes: right"]
    # Said once: the question keeps its marked blanks in the text, the list is in the feedback alone.
    assert root.locator(".qw-blank-feedback").count() == 1
    assert root.locator(".qw-question .qw-blank-result").all_inner_texts() == ["hi ✓", "red ✗", "yes ✓"]
    # Read top to bottom: the text with its marks, then the verdict, then the blanks, then the explanation.
    top = lambda node: node.evaluate("e => e.getBoundingClientRect().top")  # noqa: E731
    assert top(root.locator(".qw-question-text")) < top(box.locator(".qw-verdict")) < top(box.locator("ol"))


def test_a_cloze_answer_shown_lists_each_blanks_right_answer_without_calling_it_wrong(page):
    revealed = {
        **CLOZE_FEEDBACK,
        "correct": None,
        "partial": False,
        "revealed": True,
        "your_answer": "",
        "blanks": [{**row, "given": "", "fraction": 0.0, "correct": False, "feedback": ""} for row in CLOZE_FEEDBACK["blanks"]],
    }  # fmt: skip
    root = mount(page, phase="feedback", question=CLOZE, feedback=revealed)
    box = root.locator(".qw-feedback-region .qw-feedback")
    assert box.locator(".qw-verdict").inner_text() == "Answer shown"
    rows = [" ".join(t.split()) for t in box.locator(".qw-blank-feedback li").all_inner_texts()]
    assert rows == ["right answer: hi", "right answer: blue", "right answer: yes"]
    assert "wrong" not in box.inner_text()


def test_the_review_of_a_cloze_question_has_no_empty_answer_list(page):
    row = {
        "number": 1,
        "question_id": 7,
        "question": "Say ⟦1⟧. Pick ⟦2⟧ or ⟦3⟧.",
        "question_html": CLOZE["cloze_html"],
        "status": "partial",
        "answered": True,
        "correct": False,
        "credit": 0.667,
        "your_answer": CLOZE_FEEDBACK["your_answer"],
        "correct_answer": CLOZE_FEEDBACK["correct_answer"],
        "explanation": "Blue is the sky's colour.",
        "blanks": CLOZE_FEEDBACK["blanks"],
    }
    root = mount(page, phase="review", review_rows=[row], summary=SUMMARY)
    item = root.locator(".qw-review-item")
    item.wait_for()
    assert item.locator(".qw-blank-feedback li").count() == 3
    assert item.locator(".qw-answers").count() == 0
    parts = item.evaluate("b => [...b.children].map((c) => c.className)")
    assert parts[-2:] == ["qw-blank-feedback", "qw-explanation"], parts
