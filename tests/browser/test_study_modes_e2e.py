"""Study modes (issue 12) in Chromium against JupyterLab and a real kernel: the question map and the keys,
flags, answers out of order, exam mode's Submit with its counts and its countdown, the review screen's
filters, study mode's Show answer, no key reaching the notebook, and light and dark screenshots.

Every widget locator is scoped to ``.jp-OutputArea-output``: JupyterLab has buttons of its own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .lab_utils import (
    SCREENSHOTS,
    kernel_repr,
    output_locator,
    set_theme,
    start_quiz,
    wait_quiz_idle,
)
from .test_keys_and_clock_e2e import notebook_shape

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]

QUESTIONS = [
    {
        "id": n,
        "question": f"Question text {n}: which letter is right?",
        "options": {"A": f"right {n}", "B": f"wrong {n}", "C": f"other {n}"},
        "answer": "A",
        "explanation": f"Because **{n}** says so.",
        "topic": "Letters" if n % 2 else "Numbers",
    }
    for n in range(1, 7)
]


def start(page, lab, lab_dir, name: str, **options):
    """The six questions as ``quiz``, with a cell after it (for the keys that must not reach it)."""
    return start_quiz(page, lab, lab_dir, name, QUESTIONS, cells=("x = 1",), title="Six letters", **options)


def on_question(root, number: int) -> None:
    root.locator(".qw-progress-text").filter(has_text=re.compile(rf"^Question {number} of 6$")).wait_for()


def map_button(root, label: str):
    return root.get_by_role("navigation", name="Question map").get_by_role("button", name=label, exact=True)


def test_practice_map_keys_flags_and_answers_out_of_order(page, lab, lab_dir):
    root = start(page, lab, lab_dir, "practice.ipynb", mode="practice")
    on_question(root, 1)
    current = root.locator(".qw-map [aria-current]")
    assert current.inner_text() == "1"
    map_button(root, "Question 4, unanswered").click()
    on_question(root, 4)
    assert root.locator(".qw-map [aria-current]").inner_text() == "4"
    wait_quiz_idle(page)  # the focus went to the question's first option with the reply
    page.keyboard.press("f")  # flags question 4
    map_button(root, "Question 4, unanswered, flagged").wait_for()
    assert root.get_by_role("button", name="Flag for review").get_attribute("aria-pressed") == "true"
    assert kernel_repr(page, "sorted(quiz.flags)") == "[4]"
    assert "Question 4 flagged" in root.locator(".qw-announce").inner_text()
    root.get_by_role("radio", name=re.compile(r"^B\b.*wrong 4")).click()  # question 4 first, wrongly
    root.locator(".qw-feedback-region .qw-verdict").filter(has_text="Incorrect").wait_for()
    map_button(root, "Question 4, answered, wrong, flagged").wait_for()
    wait_quiz_idle(page)
    page.keyboard.press("p")  # from the feedback of 4 to question 3
    on_question(root, 3)
    wait_quiz_idle(page)
    # The focus is on the question's options, where the arrows move between them; P and N change question.
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("document.activeElement.getAttribute('role')") == "radio"
    assert root.locator(".qw-progress-text").inner_text() == "Question 3 of 6"
    page.keyboard.press("p")
    on_question(root, 2)
    wait_quiz_idle(page)
    page.keyboard.press("n")
    on_question(root, 3)
    wait_quiz_idle(page)
    # M puts the focus on the map; arrows move along it; Enter jumps.
    page.keyboard.press("m")
    assert page.evaluate("document.activeElement.getAttribute('aria-current')") == "step"
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    on_question(root, 6)
    wait_quiz_idle(page)
    page.keyboard.press("1")  # question 6, rightly
    root.locator(".qw-feedback-region .qw-verdict").filter(has_text="Correct").wait_for()
    map_button(root, "Question 6, answered, right").wait_for()
    assert kernel_repr(page, "quiz.total_answered") == "2"
    assert kernel_repr(page, "quiz.score") == "1"
    assert kernel_repr(page, "[w['question_id'] for w in quiz.wrong_answers]") == "[4]"


def test_exam_countdown_submit_counts_review_filters_and_screenshots(page, lab, lab_dir):
    root = start(page, lab, lab_dir, "exam.ipynb", mode="exam", time_limit=1800)
    countdown = root.get_by_role("timer", name="Time left")
    assert countdown.is_visible()
    first = countdown.locator(".qw-countdown-value").inner_text()
    assert re.fullmatch(r"30:00|2\d:\d\d", first), first
    page.wait_for_function(
        "(t) => document.querySelector('.jp-OutputArea-output .qw-countdown-value').textContent !== t",
        arg=first,
    )
    assert countdown.locator(".qw-countdown-value").inner_text() < first  # counting down: "29:58" < "29:59"
    assert root.get_by_role("button", name="Pause").count() == 0
    assert not root.locator(".qw-score").is_visible()
    # Answers in any order, and no feedback: the next unanswered question comes straight away.
    map_button(root, "Question 3, unanswered").click()
    on_question(root, 3)
    root.get_by_role("radio", name=re.compile(r"^B\b.*wrong 3")).click()
    on_question(root, 4)
    assert root.locator(".qw-feedback-region").inner_text() == ""
    map_button(root, "Question 3, answered").wait_for()
    assert "right" not in " ".join(b.get_attribute("aria-label") for b in root.locator(".qw-map-item").all())
    root.get_by_role("radio", name=re.compile(r"^A\b.*right 4")).click()
    on_question(root, 5)
    wait_quiz_idle(page)
    root.get_by_role("button", name="Flag for review").click()
    map_button(root, "Question 5, unanswered, flagged").wait_for()
    # The answer to 3 can still change: it shows as given.
    map_button(root, "Question 3, answered").click()
    on_question(root, 3)
    given = root.get_by_role("radio", name=re.compile(r"^B\b.*wrong 3"))
    assert given.get_attribute("aria-checked") == "true"
    wait_quiz_idle(page)

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    area = output_locator(page).filter(has=page.locator(".qw-root"))
    page.mouse.move(0, 0)

    def shot(file: str) -> None:
        area.scroll_into_view_if_needed()
        page.wait_for_timeout(150)  # the theme's CSS settles
        area.screenshot(path=str(SCREENSHOTS / file), animations="disabled")
        assert (SCREENSHOTS / file).stat().st_size > 5_000

    set_theme(page, "light")
    shot("lab-map-light.png")
    set_theme(page, "dark")
    shot("lab-map-dark.png")

    root.get_by_role("button", name="Submit exam").click()
    confirm = root.get_by_role("group", name="Confirm submit")
    assert confirm.get_by_text("4 questions unanswered, 1 flagged").is_visible()
    assert kernel_repr(page, "quiz.completed") == "False"
    confirm.get_by_role("button", name="Yes, submit").click()
    root.get_by_text("Exam complete").wait_for()
    assert kernel_repr(page, "quiz.completed") == "True"
    assert kernel_repr(page, "quiz.score") == "1"

    root.get_by_role("button", name="Review answers").click()
    review = root.get_by_role("region", name="Review")
    review.wait_for()
    assert review.locator(".qw-review-item").count() == 6
    assert review.locator(".qw-review-item").nth(0).locator("strong", has_text="1").is_visible()  # Markdown
    review.get_by_role("button", name="Wrong (1)").click()
    assert [n.inner_text() for n in review.locator(".qw-review-number").all()] == ["Question 3"]
    assert review.get_by_text("right 3", exact=True).is_visible()  # the right answer, by its text
    review.get_by_role("button", name="Flagged (1)").click()
    assert [n.inner_text() for n in review.locator(".qw-review-number").all()] == ["Question 5"]
    review.get_by_role("button", name="All (6)").click()
    shot("lab-review-dark.png")
    set_theme(page, "light")
    shot("lab-review-light.png")
    review.get_by_role("button", name="Back to results").click()
    root.get_by_text("Exam complete").wait_for()


def test_study_mode_shows_the_answer(page, lab, lab_dir):
    root = start(page, lab, lab_dir, "study.ipynb", mode="study")
    root.get_by_role("button", name="Show answer").click()
    region = root.locator(".qw-feedback-region")
    region.get_by_text("Answer shown").wait_for()
    assert region.locator("strong", has_text="1").is_visible()  # "Because **1** says so."
    assert root.get_by_role("radio", name=re.compile(r"right 1.*correct answer")).is_visible()
    assert kernel_repr(page, "quiz.state.revealed_ids") == "[1]"
    root.get_by_role("button", name="Next", exact=True).click()
    on_question(root, 2)
    wait_quiz_idle(page)
    page.keyboard.press("h")
    region.get_by_text("Answer shown").wait_for()
    assert kernel_repr(page, "quiz.state.revealed_ids") == "[1, 2]"
    assert kernel_repr(page, "quiz.total_answered") == "0"


def test_the_study_mode_keys_never_reach_the_notebook(page, lab, lab_dir):
    root = start(page, lab, lab_dir, "keys.ipynb", mode="exam")
    before = notebook_shape(page)
    keys = [
        "n", "p", "f", "m", "ArrowRight", "ArrowLeft", "Home", "End", "h", "N", "P", "F", "M", "s", "Escape",
        "S", "Escape", "ArrowUp", "ArrowDown", "Shift+Enter", "Control+Enter",
    ]  # fmt: skip
    for key in keys:
        wait_quiz_idle(page)
        for target in (".qw-map-item", ".qw-nav button"):
            button = root.locator(f"{target}:not([disabled]):visible").first
            button.focus()
            page.keyboard.press(key)
            assert notebook_shape(page) == before, f"{key} reached JupyterLab's notebook shortcuts"
    page.wait_for_timeout(300)  # a leaked restart or run would have started by now
    assert notebook_shape(page) == before
    assert kernel_repr(page, "x") == "1"
    assert kernel_repr(page, "quiz.completed") == "False"  # S opened the confirmation; Escape closed it
