"""matching and ordering questions in Chromium against JupyterLab and a real kernel (issue 20, items 2-3):
answered by the keyboard alone (a select per left item takes its own type-ahead keys; the items move by
Alt+Arrow keys, the focus staying with the item moved) and by the mouse (the selects, the Move up/down
buttons, and dragging an item)."""

from __future__ import annotations

import pytest

from .lab_utils import QUIZ_ROOT, start_quiz, wait_quiz_idle

pytestmark = pytest.mark.browser

QUESTIONS = [
    {
        "type": "matching",
        "question": "Match each service to its kind of storage.",
        "pairs": {"S3": "Object storage", "EBS": "Block storage", "EFS": "File storage"},
        "distractors": ["Tape storage"],
    },
    {
        "type": "ordering",
        "question": "Order the steps of a TCP handshake.",
        "items": ["SYN", "SYN-ACK", "ACK"],
    },
]
RIGHT = ["SYN", "SYN-ACK", "ACK"]


def active(page) -> dict:
    return page.evaluate(
        """(selector) => {
            const root = document.querySelector(selector);
            const e = document.activeElement;
            const li = e.closest('li.qw-order-item');
            return {inside: root.contains(e) && e !== root, tag: e.tagName.toLowerCase(), text: e.textContent,
                    item: li ? li.querySelector('.qw-order-text').textContent : null,
                    label: e.getAttribute('aria-labelledby') ?
                        document.getElementById(e.getAttribute('aria-labelledby')).textContent : null};
        }""",
        QUIZ_ROOT,
    )


def shown_order(root) -> list[str]:
    return root.locator("li.qw-order-item .qw-order-text").all_inner_texts()


def start(page, lab, lab_dir, name: str, seed: int):
    return start_quiz(
        page, lab, lab_dir, name, QUESTIONS, ready="select.qw-match-select", title="Kinds", seed=seed
    )


def test_matching_and_ordering_by_the_keyboard_alone(page, lab, lab_dir):
    root = start(page, lab, lab_dir, "kinds_keys.ipynb", seed=5)
    # Each select is named by its left item; the choices are the right texts and the distractor.
    select = root.get_by_role("combobox", name="S3")
    texts = select.locator("option").all_inner_texts()
    assert texts[0] == "Choose…"
    assert sorted(texts[1:]) == sorted(["Object storage", "Block storage", "File storage", "Tape storage"])
    root.focus()
    page.keyboard.press("Tab")
    for left, right in QUESTIONS[0]["pairs"].items():
        state = active(page)
        assert state["tag"] == "select" and state["label"] == left, state
        page.keyboard.type(right[:5])  # the select's own type-ahead: no quiz key takes these letters
        page.keyboard.press("Tab")
    assert [s.input_value() != "" for s in root.locator("select.qw-match-select").all()] == [True] * 3
    assert root.locator(".qw-progress-text").inner_text() == "Question 1 of 2"  # "n", "f" stayed in selects
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    live = root.locator(".qw-feedback-region")
    live.locator(".qw-verdict").filter(has_text="Correct").wait_for()
    wait_quiz_idle(page)
    page.keyboard.press("Enter")  # Next

    root.locator("li.qw-order-item").first.wait_for()
    wait_quiz_idle(page)
    order = shown_order(root)
    assert order == ["SYN", "ACK", "SYN-ACK"]  # seed 5's shuffle
    # Selection sort by Alt+ArrowUp: Tab forward to the item that belongs next, move it up into place.
    for place, wanted in enumerate(RIGHT):
        for _ in range(12):
            if active(page)["item"] == wanted:
                break
            page.keyboard.press("Tab")
        assert active(page)["item"] == wanted, active(page)
        for _ in range(shown_order(root).index(wanted) - place):
            page.keyboard.press("Alt+ArrowUp")
        assert shown_order(root)[place] == wanted
        assert active(page)["item"] == wanted  # the focus moved with the item
    assert root.locator(".qw-ordering + [role=status]").inner_text() == "SYN-ACK: position 2 of 3"
    for _ in range(12):
        if active(page)["text"] == "Submit":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    live.locator(".qw-verdict").filter(has_text="Correct").wait_for()
    assert root.locator(".qw-score, .qw-header").first.is_visible()


def test_matching_and_ordering_by_the_mouse_with_partial_credit(page, lab, lab_dir):
    root = start(page, lab, lab_dir, "kinds_mouse.ipynb", seed=3)
    picks = {"S3": "Object storage", "EBS": "Block storage", "EFS": "Tape storage"}  # one pair wrong
    for left, right in picks.items():
        root.get_by_role("combobox", name=left).select_option(label=right)
    root.get_by_role("button", name="Submit").click()
    live = root.locator(".qw-feedback-region")
    live.locator(".qw-verdict").filter(has_text="Partly right (66.7%)").wait_for()
    assert "EFS → Tape storage" in live.inner_text()
    root.get_by_role("button", name="Next").click()

    root.locator("li.qw-order-item").first.wait_for()
    wait_quiz_idle(page)
    # Drag the item that belongs first to the top, then the buttons for the rest.
    assert shown_order(root) == ["ACK", "SYN-ACK", "SYN"]  # seed 3's shuffle
    items = root.locator("li.qw-order-item")
    items.nth(2).drag_to(items.nth(0))
    assert shown_order(root) == ["SYN", "ACK", "SYN-ACK"]
    items.filter(has_text="SYN-ACK").get_by_role("button", name="Move up").click()
    assert shown_order(root) == RIGHT
    root.get_by_role("button", name="Submit").click()
    live.locator(".qw-verdict").filter(has_text="Correct").wait_for()


def test_matching_and_ordering_pass_axe_in_light_and_dark(page, lab, lab_dir):
    from .lab_utils import execute_in_kernel
    from .test_tour import TOUR, _axe_file, _screen_violations

    axe = _axe_file()
    page.set_viewport_size({"width": 1280, "height": 1400})
    root = start(page, lab, lab_dir, "kinds_axe.ipynb", seed=5)
    page.add_script_tag(path=str(axe))
    TOUR.mkdir(parents=True, exist_ok=True)
    found = _screen_violations(page, "matching")  # screenshots: test-artifacts/tour/quiz-matching-*.png
    execute_in_kernel(
        page, "quiz.answer({'S3': 'Object storage', 'EBS': 'Block storage', 'EFS': 'Tape storage'})"
    )
    root.locator(".qw-feedback-region .qw-verdict").wait_for()
    found += _screen_violations(page, "matching-feedback")
    execute_in_kernel(page, "quiz.next()")
    root.locator("li.qw-order-item").first.wait_for()
    found += _screen_violations(page, "ordering")
    assert not found, "axe-core, serious or critical:\n" + "\n".join(found)
