"""ClassView in a real JupyterLab + Chromium over a folder store: the counts a class's quizzes sent, refreshed
while the view is on screen and not while it is scrolled away.

The learners' quizzes run in other Python processes (as their own kernels would), each with
``collect_to=<the class folder>`` and ``collect_answers=True``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .lab_utils import execute_in_kernel, open_notebook, output_locator, run_all, write_notebook

pytestmark = pytest.mark.browser

EXAM = {
    "title": "Class check <b>bold</b>",
    "questions": [
        {"id": 1, "question": "2 + 2?", "options": ["3", "4"], "answer": "B"},
        {
            "id": 2,
            "question": "<img src=x onerror=window.pwned=1>Hardest?",
            "options": ["a", "b"],
            "answer": "A",
        },
    ],
}
LEARNER = """
import json, sys
from quiz_widgets import QuizWidget
shared, home, learner, exam = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
quiz = QuizWidget(exam, base_dir=home, learner=learner, collect_to=shared, collect_answers=True)
for value in sys.argv[5:]:
    quiz.answer(value)
    quiz.next()
quiz._live.link.collector.wait(30)
print(quiz.delivery)
"""


def learner(shared: Path, name: str, *answers: str) -> None:
    out = subprocess.run(
        [sys.executable, "-c", LEARNER, str(shared), str(shared.parent / "homes" / name), name, json.dumps(EXAM),
         *answers],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert out.stdout.strip() == "Result sent to the class folder", out.stdout + out.stderr


def test_class_view_counts_refreshes_on_screen_and_stops_when_scrolled_away(page, lab, lab_dir):
    shared = lab_dir.path / "class"
    shared.mkdir()
    learner(shared, "ada", "B", "B")  # finished: one right, one wrong
    learner(shared, "bob", "B")  # started: one answer so far
    spacer = "<div style='height: 5000px'>spacer</div><div id='qw-test-end'>end</div>"
    write_notebook(
        lab_dir.path / "class.ipynb",
        [
            f"from quiz_widgets import ClassView\nview = ClassView({str(shared)!r}, refresh=1)\nview",
            f"from IPython.display import HTML\nHTML({spacer!r})",
        ],
    )
    open_notebook(page, lab, lab_dir.lab_path("class.ipynb"))
    run_all(page)
    root = output_locator(page, ".qw-class").first
    root.wait_for()
    quizzes = root.get_by_role("table", name="Quizzes")
    row = quizzes.get_by_role("row").nth(1)
    assert [c.inner_text() for c in row.get_by_role("cell").all()] == [EXAM["title"], "2", "1", "1"]
    hardest = root.get_by_role("table", name="Hardest questions so far").get_by_role("row").nth(1)
    cells = [c.inner_text() for c in hardest.get_by_role("cell").all()]
    # Exam text is shown as text: the markup is visible and nothing in it ran.
    assert cells == [EXAM["title"], EXAM["questions"][1]["question"], "1", "0%"]
    assert page.evaluate("() => window.pwned") is None
    assert "2 learners" in root.locator(".qw-class-status").inner_text()

    # A third learner finishes while the view is on screen: it shows within a refresh or two.
    learner(shared, "cy", "B", "A")
    row.get_by_role("cell").nth(2).filter(has_text="2").wait_for(timeout=15_000)
    assert [c.inner_text() for c in row.get_by_role("cell").all()] == [EXAM["title"], "3", "2", "2"]

    # Scrolled away, the kernel stops reading the store.
    page.locator("#qw-test-end").scroll_into_view_if_needed()
    deadline = time.monotonic() + 15
    while execute_in_kernel(page, "print(view.on_screen)")["stdout"].strip() != "False":
        assert time.monotonic() < deadline, "the view never reported that it was scrolled away"
        page.wait_for_timeout(200)
    page.wait_for_timeout(1500)  # a read already under way ends
    before = int(execute_in_kernel(page, "print(view.reads)")["stdout"])
    learner(shared, "dee", "B", "A")
    page.wait_for_timeout(3000)  # three refresh periods
    assert int(execute_in_kernel(page, "print(view.reads)")["stdout"]) == before

    # Back on screen: read at once, and the new learner is there.
    root.scroll_into_view_if_needed()
    row.get_by_role("cell").nth(2).filter(has_text="3").wait_for(timeout=15_000)
    assert [c.inner_text() for c in row.get_by_role("cell").all()] == [EXAM["title"], "4", "3", "3"]

    # Refresh now: the button is disabled until the kernel's reply, then enabled again.
    button = root.get_by_role("button", name="Refresh now")
    button.click()
    page.wait_for_function("() => !document.querySelector('.qw-class-refresh').disabled", timeout=10_000)
    assert int(execute_in_kernel(page, "print(view.reads)")["stdout"]) > before


def test_finish_screen_says_where_the_result_went_and_shows_the_learners_progress(page, lab, lab_dir):
    shared = lab_dir.path / "class"
    shared.mkdir()
    home = lab_dir.path / "homes" / "ada"
    learner(shared, "ada", "A", "B")  # an earlier attempt: 0 of 2
    missing = lab_dir.path / "unmounted"  # a network folder that is not there
    write_notebook(
        lab_dir.path / "finish.ipynb",
        [
            "from quiz_widgets import QuizWidget\n"
            f"exam = {EXAM!r}\n"
            f"sent = QuizWidget(exam, base_dir={str(home)!r}, learner='ada', collect_to={str(shared)!r})\nsent",
            f"waiting = QuizWidget(exam, base_dir={str(home)!r}, learner='ada', collect_to={str(missing)!r})\nwaiting",
        ],
    )
    open_notebook(page, lab, lab_dir.lab_path("finish.ipynb"))
    run_all(page)
    roots = output_locator(page, ".qw-root")
    roots.nth(1).wait_for()
    execute_in_kernel(page, "for q in (sent, waiting):\n    q.answer('B'); q.next(); q.answer('A'); q.next()")
    first, second = roots.nth(0), roots.nth(1)
    first.locator(".qw-delivery").filter(has_text="Result sent to the class folder").wait_for(timeout=15_000)
    second.locator(".qw-delivery").filter(
        has_text="Result waiting to be sent: the store's folder or bucket does not exist; "
        "it will be sent by the next save"
    ).wait_for(timeout=15_000)
    assert second.get_by_role("status").filter(has_text="Result waiting").count() == 1

    # The learner's own progress on this exam: the earlier attempt, then this one (and, in the second quiz,
    # the first quiz's attempt too: all are this learner's results).
    progress = first.get_by_role("group", name="Your progress")
    assert progress.get_by_role("heading").inner_text() == "Your progress (2 attempts)"
    scores = progress.get_by_role("list", name="Scores over attempts").get_by_role("listitem")
    # Each row: its date (and its time when another attempt shares the day, as these two do), then the score.
    dated = [re.fullmatch(r"(\d{4}-\d\d-\d\d)( \d\d:\d\d)? (.*)", s.inner_text()) for s in scores.all()]
    assert [m[3] for m in dated] == ["0/2 (0%)", "2/2 (100%)"]
    assert all(bool(m[2]) == (dated[0][1] == dated[1][1]) for m in dated)
    topics = progress.get_by_role("list", name="Accuracy per topic over your attempts").get_by_role(
        "listitem"
    )
    assert [t.inner_text() for t in topics.all()] == ["General 2/4"]
    assert second.get_by_role("group", name="Your progress").get_by_role("heading").inner_text() == (
        "Your progress (3 attempts)"
    )
