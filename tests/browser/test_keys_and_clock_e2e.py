"""Issue 8, items 6 and 7, in a real JupyterLab + Chromium.

6: with a quiz button focused, no key reaches JupyterLab's notebook shortcuts (the cells, their types and
   their execution counts stay as they were), save for the ones the quiz hands on on purpose.
7: the quiz clock counts only while the widget is on screen: scrolling it out of view stops it, scrolling
   back starts it again.
"""

from __future__ import annotations

import time

import pytest

from .lab_utils import kernel_repr, open_notebook, output_locator, run_all, write_notebook

pytestmark = pytest.mark.browser

_CURRENT = "window.jupyterapp.shell.currentWidget"

EXAM = (
    "{'title': 'Keys', 'questions': ["
    "{'id': 1, 'question': 'First?', 'options': {'A': 'a1', 'B': 'b1', 'C': 'c1', 'D': 'd1'}, 'answer': 'B'},"
    "{'id': 2, 'question': 'Second?', 'options': {'A': 'a2', 'B': 'b2'}, 'answer': 'A'},"
    "{'id': 3, 'question': 'Third?', 'options': {'A': 'a3', 'B': 'b3'}, 'answer': 'A'}]}"
)


def notebook_shape(page) -> list[tuple[str, object]]:
    """Each cell's type and execution count: what a leaked shortcut would change."""
    return page.evaluate(
        f"""() => {{
            const m = {_CURRENT}.content.model; const out = [];
            for (let i = 0; i < m.cells.length; i++) {{
                const c = m.cells.get(i);
                out.push([c.type, c.type === 'code' ? c.executionCount : null]);
            }}
            return out;
        }}"""
    )


def test_keys_with_a_quiz_button_focused_never_reach_the_notebook(page, lab, lab_dir):
    write_notebook(
        lab_dir.path / "keys.ipynb",
        [
            f"from quiz_widgets import QuizWidget\nquiz = QuizWidget({EXAM}, base_dir='.')\nquiz",
            "x = 1",
        ],
        markdown=["# Heading"],
    )
    open_notebook(page, lab, lab_dir.lab_path("keys.ipynb"))
    run_all(page)
    root = output_locator(page, ".qw-root").first
    root.locator(".qw-option:not([disabled])").first.wait_for()
    before = notebook_shape(page)
    assert [t for t, _ in before] == ["markdown", "code", "code"] and before[1][1] is not None

    # The leaking keys of the issue first (none of them answers question 1, whose options are A-D), then
    # the notebook's run keys, which in the quiz do what Enter does.
    keys = [
        "m", "y", "r", "x", "v", "z", "0", "0", "h", "Escape", "ArrowUp", "ArrowDown", "Shift+M",
        "Shift+Z", "Control+Backspace", "Control+Shift+ArrowUp", "Control+a",
        "c", "Shift+Enter", "Control+Enter", "Alt+Enter", "d", "d", "a", "b",
    ]  # fmt: skip
    for key in keys:
        # Wait for the kernel's reply to the last key (the widget's controls come back), then focus a button.
        page.wait_for_function(
            "() => { const r = document.querySelector('.jp-OutputArea-output .qw-root');"
            " return r && !r.classList.contains('qw-pending')"
            " && !!r.querySelector('button:not([disabled])'); }"
        )
        button = root.locator("button:not([disabled]):visible").first
        button.focus()
        assert page.evaluate("document.activeElement.closest('.qw-root') !== null")
        page.keyboard.press(key)
        assert notebook_shape(page) == before, f"{key} reached JupyterLab's notebook shortcuts"

    page.wait_for_timeout(300)  # a leaked restart or run would have started by now
    assert notebook_shape(page) == before, "a key reached JupyterLab's notebook shortcuts"
    assert kernel_repr(page, "x") == "1"  # the kernel was not restarted ("0 0")
    # The quiz did get the keys meant for it: "c" answered question 1, the Enter keys moved on.
    assert int(kernel_repr(page, "quiz.total_answered")) >= 2

    # Control: the same key on the notebook itself (command mode) does change it, so the check above
    # would catch a key that leaked.
    page.evaluate(
        f"() => {{ const nb = {_CURRENT}.content; nb.activeCellIndex = 2; nb.mode = 'command'; "
        "nb.node.focus(); }"
    )
    page.keyboard.press("m")
    page.wait_for_function(f"() => {_CURRENT}.content.model.cells.get(2).type === 'markdown'")


def test_the_clock_stops_while_the_quiz_is_scrolled_out_of_view(page, lab, lab_dir):
    spacer = "<div style='height: 5000px'>spacer</div><div id='qw-test-end'>end</div>"
    write_notebook(
        lab_dir.path / "clock.ipynb",
        [
            f"from quiz_widgets import QuizWidget\nquiz = QuizWidget({EXAM}, base_dir='.')\nquiz",
            f"from IPython.display import HTML\nHTML({spacer!r})",
        ],
    )
    open_notebook(page, lab, lab_dir.lab_path("clock.ipynb"))
    run_all(page)
    root = output_locator(page, ".qw-root").first
    root.locator(".qw-option:not([disabled])").first.wait_for()

    def running() -> bool:
        return kernel_repr(page, "quiz.clock_running") == "True"

    def elapsed() -> float:
        return float(kernel_repr(page, "quiz.elapsed_seconds"))

    root.scroll_into_view_if_needed()
    deadline = time.monotonic() + 15
    while not running():
        assert time.monotonic() < deadline, "the clock never started with the quiz on screen"
        page.wait_for_timeout(100)

    # Scroll the quiz away: the clock stops, and elapsed stops growing.
    page.locator("#qw-test-end").scroll_into_view_if_needed()
    deadline = time.monotonic() + 15
    while running():
        assert time.monotonic() < deadline, "the clock kept running with the quiz out of view"
        page.wait_for_timeout(100)
    first = elapsed()
    page.wait_for_timeout(1500)
    assert elapsed() == first
    assert root.locator(".qw-timer").count() == 1

    # Scroll back: it counts again.
    root.scroll_into_view_if_needed()
    deadline = time.monotonic() + 15
    while not running():
        assert time.monotonic() < deadline, "the clock did not start again when the quiz came back"
        page.wait_for_timeout(100)
    page.wait_for_timeout(1200)
    assert elapsed() > first + 0.5
