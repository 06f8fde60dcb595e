"""The spaced review on the finish screen (issue 22) in Chromium against JupyterLab and a real kernel: the
count of questions due, the forecast bars with their band, and "Review now", which swaps the review quiz
into the same widget (no second widget made in a callback), its first answer rescheduling its card.

Every widget locator is scoped to ``.jp-OutputArea-output``: JupyterLab has buttons of its own.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from test_review_deck import write_attempt, write_exam

from .lab_utils import (
    SCREENSHOTS,
    execute_in_kernel,
    kernel_repr,
    open_notebook,
    output_locator,
    run_all,
    wait_quiz_idle,
    write_notebook,
)

pytestmark = pytest.mark.browser


def test_review_now_from_the_finish_screen(page, lab, lab_dir):
    base = lab_dir.path / "learner"
    net = write_exam(base, "Networking", n=6, topics=("Routing", "Security"))
    # Three questions missed 20 days ago: due now.
    when = datetime.now(timezone.utc) - timedelta(days=20)
    write_attempt(base, net, when, [(1, False, 20), (2, False, 20), (3, False, 20)])
    cell = (
        "from quiz_widgets import QuizWidget\n"
        f"quiz = QuizWidget({str(net.source)!r}, base_dir={str(base)!r}, attempt='new')\n"
        "quiz"
    )
    write_notebook(lab_dir.path / "notebooks" / "due.ipynb", [cell, "x = 1"])
    open_notebook(page, lab, lab_dir.notebook("due.ipynb"))
    run_all(page)
    root = output_locator(page, ".qw-root").first
    root.locator(".qw-option:not([disabled])").first.wait_for()
    execute_in_kernel(page, "quiz.goto(4); quiz.answer('A'); quiz.finish()")

    deck = root.get_by_role("group", name="Spaced review")
    deck.get_by_text("3 questions due for review").wait_for()
    chart = deck.get_by_role("list", name="Forecast by topic")
    rows = chart.get_by_role("listitem")
    assert rows.count() == 2
    routing = rows.nth(0).inner_text()
    assert re.match(r"Routing: \d+% \(\d+-\d+%\)", routing), routing
    assert "seen; recall tomorrow" in routing
    band = rows.nth(0).locator(".qw-forecast-band")
    assert band.evaluate("b => parseFloat(getComputedStyle(b).width) > 0")
    root.screenshot(path=str(SCREENSHOTS / "finish-spaced-review.png"), animations="disabled")

    deck.get_by_role("button", name="Review now").click()
    root.locator(".qw-progress-text").filter(has_text=re.compile(r"^Question 1 of 3$")).wait_for()
    assert output_locator(page, ".qw-root").count() == 1  # the same widget, not a second one
    assert kernel_repr(page, "quiz.exam_title") == "'Spaced review'"
    assert "Networking question 1?" in root.locator(".qw-question").inner_text()
    wait_quiz_idle(page)
    root.get_by_role("radio", name=re.compile(r"^A\b")).click()
    root.locator(".qw-feedback-region .qw-verdict").filter(has_text="Correct").wait_for()
    code = f"from quiz_widgets import ReviewDeck\nprint(ReviewDeck({str(base)!r}).due())"
    assert execute_in_kernel(page, code)["stdout"].strip() == "[('Networking', 2), ('Networking', 3)]"
    wait_quiz_idle(page)
    root.get_by_role("button", name="Back to results").click()
    deck.get_by_text("2 questions due for review").wait_for()
