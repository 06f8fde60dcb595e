"""QuizWidget in a real JupyterLab + Chromium (issue "QuizWidget", point 7).

Every widget locator is scoped to ``.jp-OutputArea-output``: JupyterLab has buttons and progress bars
of its own. The quickstart notebook uses ``base_dir=".."``, so in a ``lab_dir`` copy its sessions land in
``<lab_dir>/data/sessions/`` (beside the copied ``notebooks/`` folder), not inside ``notebooks/``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .lab_utils import (
    SCREENSHOTS,
    open_notebook,
    output_locator,
    restart_kernel,
    run_all,
    save_notebook,
    set_theme,
    wait_kernel_idle,
    write_notebook,
)

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]
CLOUD = json.loads((REPO_ROOT / "quiz_widgets" / "exam" / "samples" / "cloud-basics.json").read_text())
QUESTIONS = CLOUD["questions"]
TOTAL = len(QUESTIONS)

_CURRENT = "window.jupyterapp.shell.currentWidget"


# --------------------------------------------------------------------------------------------------
# helpers (page-level, kept here rather than in lab_utils.py)


def widget(page, nth: int = 0):
    """The nth QuizWidget root inside an output area."""
    return output_locator(page, ".qw-root").nth(nth)


def option_text(qnum: int, key: str) -> str:
    return QUESTIONS[qnum - 1]["options"][key]


def option_button(root, qnum: int, key: str):
    # Accessible name is "<key> <option text>[ (marker)]": match on the option text (substring).
    return root.get_by_role("radio", name=option_text(qnum, key))


def wait_question(root, qnum: int, total: int = TOTAL) -> None:
    """Question ``qnum`` on screen, its options enabled (no message pending)."""
    root.locator(".qw-progress-text").filter(has_text=re.compile(rf"^Question {qnum} of {total}$")).wait_for()
    root.locator(".qw-question .qw-option:not([disabled])").first.wait_for()
    assert root.locator(".qw-feedback-region .qw-verdict").count() == 0


def wait_feedback(root):
    verdict = root.locator(".qw-feedback-region .qw-verdict")
    verdict.wait_for()
    root.get_by_role("button", name="Next", exact=True).wait_for()
    # The feedback is drawn from the new state; the keys work once the kernel's reply follows it.
    root.locator(".qw-next:not([disabled])").wait_for()
    return verdict


def check_feedback(root, qnum: int, chosen: str) -> bool:
    """Feedback for question ``qnum`` answered with ``chosen``: verdict, correct answer, explanation."""
    q = QUESTIONS[qnum - 1]
    correct = chosen == q["answer"]
    verdict = wait_feedback(root)
    assert verdict.inner_text().strip() == ("✓ Correct" if correct else "✗ Incorrect")
    dds = root.locator(".qw-feedback-region .qw-answers dd")
    # Each answer names its option as shown: the letter, then the option's (rich) text.
    assert dds.nth(0).locator(".qw-key").inner_text() == chosen
    assert dds.nth(0).locator(".qw-option-text").inner_text().strip() == q["options"][chosen]
    assert dds.nth(1).locator(".qw-option-text").inner_text().strip() == q["options"][q["answer"]]
    assert q["explanation"] in root.locator(".qw-feedback-region .qw-explanation").inner_text()
    # The chosen option is marked as pressed, the question stays visible and disabled.
    assert option_button(root, qnum, chosen).get_attribute("aria-checked") == "true"
    return correct


def cell_types(page) -> list[str]:
    return page.evaluate(
        f"() => {{ const m = {_CURRENT}.content.model; const t = [];"
        " for (let i = 0; i < m.cells.length; i++) t.push(m.cells.get(i).type); return t; }"
    )


def add_and_run_cell(page, source: str) -> int:
    """Append a code cell at the end of the current notebook, run it, wait idle. Returns its index."""
    index = page.evaluate(
        f"""async (source) => {{
            const nb = {_CURRENT}.content;
            const n = nb.model.cells.length;
            nb.model.sharedModel.insertCell(n, {{cell_type: 'code', source}});
            nb.activeCellIndex = n;
            await window.jupyterapp.commands.execute('notebook:run-cell');
            return n;
        }}""",
        source,
    )
    wait_kernel_idle(page)
    return index


def cell_output(page, index: int):
    return page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".jp-OutputArea-output")


def session_files(lab_dir) -> list[Path]:
    return sorted((lab_dir.path / "data" / "sessions").glob("session_*.json"))


def only_session(lab_dir) -> dict:
    files = session_files(lab_dir)
    assert len(files) == 1, files
    # Nothing must land inside the copied notebooks/ folder (base_dir="..").
    assert not (lab_dir.path / "notebooks" / "data").exists()
    return json.loads(files[0].read_text())


def open_quickstart(page, lab, lab_dir):
    open_notebook(page, lab, lab_dir.notebook("quickstart.ipynb"))
    run_all(page)
    root = widget(page)
    root.wait_for()
    return root


# --------------------------------------------------------------------------------------------------
# 1. answer by click and by keyboard; the session file holds the answers


def test_quickstart_click_and_keyboard(page, lab, lab_dir):
    root = open_quickstart(page, lab, lab_dir)
    assert output_locator(page, ".qw-root").count() == 1

    assert root.get_by_role("heading", name=CLOUD["title"]).is_visible()
    wait_question(root, 1)
    bar = root.get_by_role("progressbar", name="Quiz progress")
    assert bar.get_attribute("aria-valuemax") == str(TOTAL)
    assert bar.get_attribute("aria-valuenow") == "0"
    assert QUESTIONS[0]["question"] in root.locator(".qw-question-text").inner_text()

    # Q1 by click (correct answer).
    option_button(root, 1, QUESTIONS[0]["answer"]).click()
    assert check_feedback(root, 1, QUESTIONS[0]["answer"])
    assert root.locator(".qw-score").inner_text() == "Score: 1 / 1"
    root.get_by_role("button", name="Next", exact=True).click()
    wait_question(root, 2)
    assert bar.get_attribute("aria-valuenow") == "1"

    types_before = cell_types(page)

    # Q2 by keyboard: focus inside the widget, "2" picks the second option (B). In JupyterLab's command
    # mode "2" would turn the active cell into a heading (markdown) if the key leaked out.
    root.locator(".qw-question .qw-option").first.focus()
    page.keyboard.press("2")
    q2_correct = check_feedback(root, 2, "B")
    assert cell_types(page) == types_before, "a key reached JupyterLab's notebook shortcuts"

    # Enter goes on (focus is on Next after the feedback is built).
    page.keyboard.press("Enter")
    wait_question(root, 3)

    # Q3: "b" picks B ("b" in command mode would insert a cell below).
    page.keyboard.press("b")
    q3_correct = check_feedback(root, 3, "B")
    assert cell_types(page) == types_before, "a key reached JupyterLab's notebook shortcuts"

    # "n" goes on.
    page.keyboard.press("n")
    wait_question(root, 4)
    assert cell_types(page) == types_before

    # Control: the same key pressed on the notebook itself (command mode) does edit it, so the checks
    # above would catch a key leaking out of the widget.
    page.evaluate(f"() => {{ const nb = {_CURRENT}.content; nb.mode = 'command'; nb.node.focus(); }}")
    page.keyboard.press("b")
    page.wait_for_function(f"(n) => {_CURRENT}.content.model.cells.length === n + 1", arg=len(types_before))
    wait_question(root, 4)  # the widget ignored it

    score = 1 + int(q2_correct) + int(q3_correct)
    assert root.locator(".qw-score").inner_text() == f"Score: {score} / 3"

    session = only_session(lab_dir)
    assert session["quiz_mode"]["total_answered"] == 3
    assert session["quiz_mode"]["score"] == score
    answers = session["quiz_widgets"]["answers"]
    assert [(a["question_id"], a["answer"]) for a in answers] == [
        (QUESTIONS[0]["id"], QUESTIONS[0]["answer"]),
        (QUESTIONS[1]["id"], "B"),
        (QUESTIONS[2]["id"], "B"),
    ]
    assert [a["correct"] for a in answers] == [True, q2_correct, q3_correct]


# --------------------------------------------------------------------------------------------------
# 2 + 3. reload shows the live model; after a kernel restart the session file resumes


def test_reload_then_restart_and_resume(page, lab, lab_dir):
    root = open_quickstart(page, lab, lab_dir)
    wait_question(root, 1)
    q1, q2 = QUESTIONS[0], QUESTIONS[1]
    wrong2 = next(k for k in q2["options"] if k != q2["answer"])
    option_button(root, 1, q1["answer"]).click()
    wait_feedback(root)
    root.get_by_role("button", name="Next", exact=True).click()
    wait_question(root, 2)
    option_button(root, 2, wrong2).click()
    check_feedback(root, 2, wrong2)
    assert root.locator(".qw-score").inner_text() == "Score: 1 / 2"

    # -- reload: saved with its output, the view comes back from the live kernel model.
    save_notebook(page)
    page.reload()
    page.wait_for_function("() => !!window.jupyterapp")
    page.wait_for_function(f"() => !!{_CURRENT} && !!{_CURRENT}.context")
    wait_kernel_idle(page)
    root = widget(page)
    root.wait_for()
    assert output_locator(page, ".qw-root").count() == 1
    assert root.locator(".qw-progress-text").inner_text() == f"Question 2 of {TOTAL}"
    assert root.locator(".qw-score").inner_text() == "Score: 1 / 2"
    check_feedback(root, 2, wrong2)  # same phase, same answer
    # The model is live: Next still talks to the kernel.
    root.get_by_role("button", name="Next", exact=True).click()
    wait_question(root, 3)

    # -- restart: the session file stays, resume it in a new cell.
    files = session_files(lab_dir)
    assert len(files) == 1
    restart_kernel(page)
    assert session_files(lab_dir) == files
    session = json.loads(files[0].read_text())
    assert session["quiz_mode"]["total_answered"] == 2
    assert session["quiz_mode"]["score"] == 1

    rel = f"../data/sessions/{files[0].name}"  # the kernel's cwd is the notebooks/ folder
    n = add_and_run_cell(
        page,
        f"from quiz_widgets import QuizWidget\nresumed = QuizWidget.resume({rel!r})\nresumed",
    )
    out = cell_output(page, n)
    new_root = out.locator(".qw-root")
    new_root.wait_for()
    wait_question(new_root, 3)
    assert new_root.locator(".qw-score").inner_text() == "Score: 1 / 2"
    assert QUESTIONS[2]["question"] in new_root.locator(".qw-question-text").inner_text()
    # It keeps writing the same file.
    option_button(new_root, 3, QUESTIONS[2]["answer"]).click()
    check_feedback(new_root, 3, QUESTIONS[2]["answer"])
    assert new_root.locator(".qw-score").inner_text() == "Score: 2 / 3"
    assert session_files(lab_dir) == files
    saved = json.loads(files[0].read_text())
    assert saved["quiz_mode"]["total_answered"] == 3
    assert saved["quiz_mode"]["score"] == 2


# --------------------------------------------------------------------------------------------------
# 4. exam text is text

PAYLOAD = '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>'


def test_exam_text_is_shown_as_text(page, lab, lab_dir):
    exam = {
        "title": PAYLOAD,
        "questions": [
            {
                "id": 1,
                "question": PAYLOAD,
                "options": {"A": PAYLOAD, "B": "plain"},
                "answer": "A",
                "explanation": PAYLOAD,
                "topic": PAYLOAD,
            }
        ],
    }
    write_notebook(
        lab_dir.path / "xss.ipynb",
        [
            "import json\nfrom quiz_widgets import QuizWidget\n"
            f"quiz = QuizWidget(json.loads({json.dumps(exam)!r}), base_dir='.')\nquiz"
        ],
    )
    open_notebook(page, lab, lab_dir.lab_path("xss.ipynb"))
    run_all(page)
    root = widget(page)
    root.wait_for()
    assert root.locator(".qw-question-text").inner_text() == PAYLOAD
    assert root.locator(".qw-title").inner_text() == PAYLOAD
    root.get_by_role("radio", name=PAYLOAD).click()
    wait_feedback(root)
    assert PAYLOAD in root.locator(".qw-explanation").inner_text()
    assert root.locator(".qw-answers dd").nth(1).locator(".qw-option-text").inner_text() == PAYLOAD
    page.wait_for_timeout(300)  # give a broken image's onerror time to fire
    assert output_locator(page, "img").count() == 0
    assert output_locator(page, "script").count() == 0
    assert page.evaluate("() => typeof window.pwned") == "undefined"


# --------------------------------------------------------------------------------------------------
# 5. screenshots, light and dark, question and feedback


def test_screenshots_light_and_dark(page, lab, lab_dir):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    root = open_quickstart(page, lab, lab_dir)
    wait_question(root, 1)
    area = output_locator(page).filter(has=page.locator(".qw-root"))
    page.mouse.move(0, 0)

    def shot(name: str) -> None:
        area.scroll_into_view_if_needed()
        page.wait_for_timeout(150)  # let the theme's CSS settle
        area.screenshot(path=str(SCREENSHOTS / f"lab-{name}.png"), animations="disabled")

    set_theme(page, "light")
    shot("question-light")
    set_theme(page, "dark")
    shot("question-dark")

    # A wrong answer shows every part of the feedback (verdict, both answers, explanation, per-option).
    q2 = QUESTIONS[1]  # has per-option feedback
    option_button(root, 1, QUESTIONS[0]["answer"]).click()
    wait_feedback(root)
    root.get_by_role("button", name="Next", exact=True).click()
    wait_question(root, 2)
    wrong = next(k for k in q2["options"] if k != q2["answer"])
    option_button(root, 2, wrong).click()
    wait_feedback(root)
    page.mouse.move(0, 0)
    shot("feedback-dark")
    set_theme(page, "light")
    shot("feedback-light")
    for name in ("question-light", "question-dark", "feedback-light", "feedback-dark"):
        assert (SCREENSHOTS / f"lab-{name}.png").stat().st_size > 5_000
