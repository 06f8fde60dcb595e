"""The newcomer's tour (issue 17): every shipped notebook after Run All in JupyterLab + Chromium.

What a person sees is what is checked: every output on screen and not empty (a widget whose model was
closed, or a plot that never came, is a blank box), no error output and no stderr box, no uncaught error in
the browser console. The quiz's question, feedback, finish and review screens are checked with axe-core in
JupyterLab's light and dark themes. A screenshot of each notebook goes to test-artifacts/tour/ (look at
them: the asserts cannot tell whether a page reads well).

axe-core is npm's package, installed by scripts/test.sh into .cache/axe (or $QUIZ_WIDGETS_AXE, the path of
axe.min.js) and injected from that file: the page never loads it from the network. Missing axe-core is a
skip locally and a failure under QUIZ_WIDGETS_REQUIRE_BROWSER=1 (CI), like a missing browser.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from .lab_utils import execute_in_kernel, open_notebook, output_locator, run_all, set_theme

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p.name for p in (REPO_ROOT / "notebooks").glob("*.ipynb"))
TOUR = REPO_ROOT / "test-artifacts" / "tour"
AXE = Path(
    os.environ.get("QUIZ_WIDGETS_AXE")
    or REPO_ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
)
# What a newcomer cannot miss: the rest (moderate, minor) is listed in the failure message of a serious one.
BLOCKING = ("serious", "critical")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
# A quiz that says it no longer takes answers (another widget has its file, the kernel is gone, read-only):
# in a shipped notebook after Run All that is the demo tripping over itself.
WARNING_BANNERS = ".qw-banner-warning, .qw-banner-lost, .qw-banner-readonly"
_CURRENT = "window.jupyterapp.shell.currentWidget"


def _axe_file() -> Path:
    if AXE.is_file():
        return AXE
    reason = f"axe-core is missing ({AXE}); scripts/test.sh installs it with npm"
    if os.environ.get("QUIZ_WIDGETS_REQUIRE_BROWSER", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason} (QUIZ_WIDGETS_REQUIRE_BROWSER=1: the tour must run)", pytrace=False)
    pytest.skip(reason)


def _show_whole_notebook(page) -> None:
    """Make the viewport as tall as the notebook, so every cell is laid out and in the screenshot.

    JupyterLab skips rendering cells outside the window (content-visibility): a screenshot or a
    visibility check of a scrolled-away cell would see nothing.
    """
    measure = f"""() => {{
        const panel = {_CURRENT}.content.node;
        return (panel.querySelector('.jp-WindowedPanel-outer') || panel).scrollHeight;
    }}"""
    # Twice: cells not yet laid out count at an estimated height the first time.
    for _ in range(2):
        height = page.evaluate(measure)
        page.set_viewport_size({"width": 1280, "height": min(max(900, height + 160), 12_000)})
        page.wait_for_timeout(300)
    # Run All left the notebook scrolled to its last cell: the newcomer reads it from the top.
    page.evaluate(
        f"""() => {{
            const panel = {_CURRENT}.content.node;
            (panel.querySelector('.jp-WindowedPanel-outer') || panel).scrollTop = 0;
        }}"""
    )
    page.wait_for_timeout(800)


def _outputs(page) -> list[dict]:
    """Each output of the notebook's model beside what the page shows for it (size, text, pictures).

    A cell's output nodes are in the order of its outputs; a widget's node carries no mime type, so the
    model says what each one is.
    """
    return page.evaluate(
        f"""() => {{
            const WARNINGS = '{WARNING_BANNERS}';
            const found = [];
            {_CURRENT}.content.widgets.forEach((cell, i) => {{
                if (cell.model.type !== 'code') return;
                const nodes = cell.node.querySelectorAll('.jp-OutputArea-output');
                cell.model.outputs.toJSON().forEach((o, k) => {{
                    const mime = o.output_type === 'stream' ? 'stream:' + o.name
                        : o.output_type === 'error' ? 'error' : Object.keys(o.data || {{}}).join(',');
                    const node = nodes[k];
                    const r = node ? node.getBoundingClientRect() : {{width: 0, height: 0}};
                    found.push({{
                        cell: i,
                        mime,
                        width: r.width,
                        height: r.height,
                        visible: !!node && node.checkVisibility({{visibilityProperty: true, opacityProperty: true}}),
                        text: node ? node.innerText.trim().slice(0, 300) : '',
                        pictures: node ? node.querySelectorAll('svg, img, canvas').length + [...node
                            .querySelectorAll('iframe')].reduce((n, f) => n + (f.contentDocument
                            ? f.contentDocument.querySelectorAll('svg, img, canvas').length : 0), 0) : 0,
                        warnings: node ? [...node.querySelectorAll(WARNINGS)]
                            .filter((b) => b.checkVisibility()).map((b) => b.innerText.trim()) : [],
                    }});
                }});
            }});
            return found;
        }}"""
    )


def _quiz_widths(page) -> list[float]:
    """The width of each quiz on the page: every one should have the same (the file quiz was ~810 px, an
    inline one ~680 px beside it, each as wide as its own longest line)."""
    return page.evaluate(
        f"""() => [...{_CURRENT}.content.node.querySelectorAll('.jp-OutputArea-output .qw-root')]
            .filter((e) => e.checkVisibility()).map((e) => e.getBoundingClientRect().width)"""
    )


def _problems(outputs: list[dict]) -> list[str]:
    problems = []
    for o in outputs:
        where = f"cell {o['cell']} ({o['mime']})"
        if o["mime"] == "error":
            continue  # run_all's report of it has the traceback
        if o["mime"] == "stream:stderr":
            problems.append(f"{where}: {o['text'][:300]}")
        elif not o["visible"] or o["width"] < 1 or o["height"] < 8:
            problems.append(f"{where}: not visible ({o['width']:.0f}x{o['height']:.0f} px)")
        elif not o["text"] and not o["pictures"]:
            problems.append(f"{where}: empty ({o['width']:.0f}x{o['height']:.0f} px)")
        elif WIDGET_MIME in o["mime"] and (o["height"] < 40 or "Error displaying widget" in o["text"]):
            problems.append(f"{where}: the widget is not shown: {o['text'][:120]!r}")
        problems += [f"{where}: the quiz shows a warning: {text!r}" for text in o["warnings"]]
    return problems


# The test extra installs jupyterlite-pyodide-kernel, whose JupyterLab extension only loads inside a Lite
# site: in this server it logs one error while Lab starts, before any notebook runs. Not the newcomer's page.
_NOT_OURS = ("/lab/extensions/@jupyterlite/",)


def _console_errors(page) -> list[str]:
    return [
        line
        for line in page.console_log
        if line.startswith(("[pageerror]", "[error]")) and not any(s in line for s in _NOT_OURS)
    ]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_notebook_after_run_all(page, lab, lab_dir, name: str) -> None:
    open_notebook(page, lab, lab_dir.notebook(name))
    errors = run_all(page, timeout=240_000, raise_on_error=False)
    _show_whole_notebook(page)
    # Widget views and frames render after the kernel is idle: give a slow machine time to draw them.
    deadline = time.monotonic() + 30
    while True:
        outputs = _outputs(page)
        if not _problems(outputs) or time.monotonic() > deadline:
            break
        page.wait_for_timeout(500)
    TOUR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(TOUR / f"{Path(name).stem}.png"), full_page=True)

    assert outputs, f"{name}: Run All showed nothing"
    problems = [*errors, *_problems(outputs), *_console_errors(page)]
    widths = _quiz_widths(page)
    if widths and max(widths) - min(widths) > 2:
        problems.append(f"the quizzes are not one width: {[round(w) for w in widths]} px")
    assert not problems, f"{name} after Run All:\n" + "\n".join(problems)


# --------------------------------------------------------------------------------------------------
# the quiz's screens under axe-core


def _axe(page, root_selector: str) -> dict:
    """axe-core's violations inside the widget (JupyterLab's own page is not ours to judge), and how many
    elements its colour-contrast rule looked at (none would mean it judged an empty screen).

    JupyterLab 4.6 wraps its shell in a zero-height box with overflow: hidden. It clips nothing (the shell is
    positioned outside it), but axe takes every element under it for clipped away and skips the
    colour checks: such boxes get overflow: visible first, which changes nothing on screen.
    """
    return page.evaluate(
        """async (selector) => {
            const root = document.querySelector(selector);
            for (let e = root.parentElement; e; e = e.parentElement) {
                const box = e.getBoundingClientRect();
                if ((box.height < 2 || box.width < 2) && getComputedStyle(e).overflow !== 'visible') {
                    e.style.overflow = 'visible';
                }
            }
            const result = await axe.run(root);
            const contrast = [...result.passes, ...result.violations, ...result.incomplete]
                .filter((r) => r.id === 'color-contrast').reduce((n, r) => n + r.nodes.length, 0);
            return {contrast, violations: result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => ({target: n.target.join(' '), summary: n.failureSummary})),
            }))};
        }""",
        root_selector,
    )


def _screen_violations(page, screen: str) -> list[str]:
    found = []
    for theme in ("light", "dark"):
        set_theme(page, theme)
        page.wait_for_timeout(300)  # the theme's CSS variables are applied after the body's attribute
        page.locator(".jp-OutputArea-output .qw-root").first.screenshot(
            path=str(TOUR / f"quiz-{screen}-{theme}.png")
        )
        result = _axe(page, ".jp-OutputArea-output .qw-root")
        assert result["contrast"] > 5, f"{screen}/{theme}: axe-core checked almost no text"
        for v in result["violations"]:
            if v["impact"] in BLOCKING:
                for n in v["nodes"]:
                    found.append(
                        f"{screen}/{theme}: {v['id']} ({v['impact']}) at {n['target']}: {n['summary']}"
                    )
    return found


def test_quiz_screens_pass_axe_in_light_and_dark(page, lab, lab_dir) -> None:
    axe = _axe_file()
    page.set_viewport_size({"width": 1280, "height": 1600})  # the whole quiz on screen, as axe judges it
    open_notebook(page, lab, lab_dir.notebook("quickstart.ipynb"))
    run_all(page)
    page.add_script_tag(path=str(axe))
    TOUR.mkdir(parents=True, exist_ok=True)
    root = output_locator(page, ".qw-root").first
    root.locator(".qw-question .qw-option:not([disabled])").first.wait_for()

    found = _screen_violations(page, "question")
    # One wrong answer, so the feedback, the finish screen and the review hold a wrong row too.
    execute_in_kernel(page, "quiz.answer('A')")
    root.locator(".qw-feedback-region .qw-verdict").wait_for()
    found += _screen_violations(page, "feedback")

    root.get_by_role("button", name="Finish", exact=True).click()
    root.get_by_role("button", name="Yes, finish").click()
    root.get_by_role("button", name="Review answers").wait_for()
    # The quickstart is a practice quiz: its words are a quiz's, not an exam's.
    assert root.get_by_role("heading", name="Quiz finished early").is_visible()
    # One answer in one topic: one forecast bar; the five topics never answered are named, not drawn as a
    # made-up score (a first-time learner read six red bars as six failures).
    deck = root.get_by_role("group", name="Spaced review")
    assert deck.get_by_role("list", name="Forecast by topic").get_by_role("listitem").count() == 1
    unseen = deck.locator(".qw-forecast-unseen").inner_text()
    assert unseen.startswith("Not seen yet: ") and unseen.count(",") == 4, unseen
    found += _screen_violations(page, "finish")

    root.get_by_role("button", name="Review answers").click()
    root.get_by_role("button", name="Back to results").wait_for()
    # One answer of 24: the review shows it, and the 23 others on one line (not 23 rows, ~5,000 px).
    review = root.get_by_role("region", name="Review")
    assert review.locator(".qw-review-item").count() == 1
    assert review.locator(".qw-review-skipped").inner_text().startswith("23 questions not answered")
    assert review.evaluate("e => e.getBoundingClientRect().height") < 800
    found += _screen_violations(page, "review")

    assert not found, "axe-core, serious or critical:\n" + "\n".join(found)
    assert not _console_errors(page), _console_errors(page)


# notebooks/question-kinds.ipynb's quiz: each kind's question number and an answer from Python that is partly
# or wholly wrong, so its feedback shows what a wrong answer looks like (cloze and code are answered in the page).
KIND_ANSWERS = [
    (1, "single", "'Mars'"),
    (2, "multi", "['2']"),
    (3, "true-false", "False"),
    (4, "numeric", "3.2"),
    (5, "text", "'Lyon'"),
    (6, "matching", "{'S3': 'Object storage', 'EBS': 'File storage', 'EFS': 'Block storage'}"),
    (7, "ordering", "['`SYN`', '`ACK`', '`SYN-ACK`']"),
]


def test_question_kinds_every_screen(page, lab, lab_dir) -> None:
    """notebooks/question-kinds.ipynb's quiz, each kind before and after an answer, then its finish and review
    screens, saved to test-artifacts/tour/question-kinds-*.png (Run All's screenshot shows only the first
    question of its quiz): look at them, the asserts cannot tell whether a screen reads well."""
    page.set_viewport_size({"width": 1280, "height": 1200})
    open_notebook(page, lab, lab_dir.notebook("question-kinds.ipynb"))
    run_all(page, timeout=240_000)
    TOUR.mkdir(parents=True, exist_ok=True)
    root = output_locator(page, ".qw-root").first
    root.locator(".qw-question .qw-option:not([disabled])").first.wait_for()
    page.mouse.move(0, 0)
    verdict = root.locator(".qw-feedback-region .qw-verdict")

    for number, name, value in KIND_ANSWERS:
        execute_in_kernel(page, f"quiz.goto({number})")
        root.locator(".qw-progress-text", has_text=f"Question {number} of 9").wait_for()
        root.screenshot(path=str(TOUR / f"question-kinds-{number}-{name}.png"))
        execute_in_kernel(page, f"quiz.answer({value})")
        verdict.wait_for()
        root.screenshot(path=str(TOUR / f"question-kinds-{number}-{name}-feedback.png"))
        if name == "numeric":  # 3.2 refused: the right number with its tolerance, as Moodle shows it
            assert "3.14 ± 0.005" in root.locator(".qw-feedback-region .qw-answers").inner_text()

    execute_in_kernel(page, "quiz.goto(8)")
    text = root.locator(".qw-question-text")
    root.get_by_role("textbox", name="blank 1 of 3").wait_for()
    assert "⟦" not in text.inner_text()
    # The third blank is Moodle's MULTICHOICE_H: radio buttons in a row, a radio group named by the blank.
    assert root.get_by_role("radiogroup", name="blank 3 of 3").get_by_role("radio").count() == 3
    root.screenshot(path=str(TOUR / "question-kinds-8-cloze.png"))
    root.get_by_role("textbox", name="blank 1 of 3").fill("Rome")
    root.get_by_role("textbox", name="blank 2 of 3").fill("8")
    root.get_by_role("radiogroup", name="blank 3 of 3").get_by_role("radio", name="Europe").check()
    root.get_by_role("button", name="Submit").click()
    verdict.wait_for()
    assert root.locator(".qw-blank-result").all_inner_texts() == ["Rome ✓", "8 ✗", "Europe ✓"]
    # The answers are in the text and the list under it; the feedback box no longer repeats them with markers.
    assert "⟦" not in root.inner_text()
    # The feedback reads as another kind's: the verdict, then each blank, in one box (never an empty box).
    box = root.locator(".qw-feedback-region .qw-feedback")
    assert box.evaluate("b => [...b.children].map((c) => c.className)")[:2] == [
        "qw-verdict",
        "qw-blank-feedback",
    ]
    root.screenshot(path=str(TOUR / "question-kinds-8-cloze-feedback.png"))

    execute_in_kernel(page, "quiz.goto(9)")
    editor = root.locator("textarea.qw-code-editor")
    editor.wait_for()
    root.screenshot(path=str(TOUR / "question-kinds-9-code.png"))
    editor.fill("def area(r):\n    return 3.14 * r * r")
    root.get_by_role("button", name="Run and submit").click()
    verdict.wait_for()
    root.screenshot(path=str(TOUR / "question-kinds-9-code-feedback.png"))

    execute_in_kernel(page, "quiz.finish()")
    finished = root.get_by_role("region", name="Results")
    finished.get_by_role("button", name="Review answers").wait_for()
    # The code answer on the finish screen: its source line for line, as the review shows it.
    assert (
        finished.locator("pre.qw-code-source").first.inner_text() == "def area(r):\n    return 3.14 * r * r"
    )
    root.screenshot(path=str(TOUR / "question-kinds-finish.png"))
    # The cloze answer lies below the fold of the whole screen's picture: its own picture.
    cloze_item = finished.locator(".qw-wrong-item").filter(has=page.locator(".qw-blank-feedback"))
    cloze_item.screenshot(path=str(TOUR / "question-kinds-finish-cloze.png"))
    finished.get_by_role("button", name="Review answers").click()
    root.get_by_role("button", name="Back to results").wait_for()
    root.screenshot(path=str(TOUR / "question-kinds-review.png"))
    review_cloze = root.locator(".qw-review-item").filter(has=page.locator(".qw-blank-feedback"))
    review_cloze.screenshot(path=str(TOUR / "question-kinds-review-cloze.png"))
    set_theme(page, "dark")
    page.wait_for_timeout(300)
    root.screenshot(path=str(TOUR / "question-kinds-review-dark.png"))
    set_theme(page, "light")
    assert not _console_errors(page), _console_errors(page)


def test_question_kinds_screens_pass_axe_in_light_and_dark(page, lab, lab_dir) -> None:
    """The kinds' own controls under axe-core: a cloze's text boxes and radio group, the ordering's list and
    buttons, the matching's selects, and their answers marked right or wrong on the feedback and review."""
    axe = _axe_file()
    page.set_viewport_size({"width": 1280, "height": 1600})
    open_notebook(page, lab, lab_dir.notebook("question-kinds.ipynb"))
    run_all(page, timeout=240_000)
    page.add_script_tag(path=str(axe))
    TOUR.mkdir(parents=True, exist_ok=True)
    root = output_locator(page, ".qw-root").first
    root.locator(".qw-question .qw-option:not([disabled])").first.wait_for()
    page.mouse.move(0, 0)
    found = []
    for number, screen, ready in (
        (6, "matching", "select"),
        (7, "ordering", ".qw-order-item"),
        (8, "cloze", ".qw-radio"),
    ):
        execute_in_kernel(page, f"quiz.goto({number})")
        root.locator(ready).first.wait_for()
        found += _screen_violations(page, f"kinds-{screen}")
    execute_in_kernel(page, "quiz.goto(7); quiz.answer(['`ACK`', '`SYN`', '`SYN-ACK`'])")
    root.locator(".qw-item-mark").first.wait_for()
    found += _screen_violations(page, "kinds-ordering-feedback")
    execute_in_kernel(page, "quiz.finish()")
    root.get_by_role("button", name="Review answers").click()
    root.get_by_role("button", name="Back to results").wait_for()
    found += _screen_violations(page, "kinds-review")
    assert not found, "axe-core, serious or critical:\n" + "\n".join(found)
    assert not _console_errors(page), _console_errors(page)
