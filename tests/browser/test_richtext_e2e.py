"""Exam text in Chromium against JupyterLab: math and code drawn, hostile text inert, re-running a quiz cell
continues, the compact look of a short quiz, and light and dark screenshots (issue 10 items 2-4, 7).

Every widget locator is scoped to ``.jp-OutputArea-output``: JupyterLab has buttons of its own.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from .lab_utils import (
    SCREENSHOTS,
    open_notebook,
    output_locator,
    run_all,
    set_theme,
    wait_kernel_idle,
    write_notebook,
)

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]
HOSTILE = yaml.safe_load((REPO_ROOT / "tests" / "fixtures" / "hostile_payloads.yaml").read_text("utf-8"))
CANARY = HOSTILE["canary"]
PAYLOADS = [p["text"] for p in HOSTILE["payloads"]]

MATH_AND_CODE = [
    {
        "question": "What is $\\frac{1}{2} + \\frac{1}{4}$?\n\n$$\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$$",
        "type": "numeric",
        "answer": 0.75,
        "explanation": "Common denominator: $\\frac{2}{4} + \\frac{1}{4}$.",
    },
    {
        "question": "What does this print?\n\n```python\ndef twice(x):\n    return 2 * x  # doubled\n\n"
        'print(twice(21), "done")\n```',
        "options": ["`42 done`", "`2121 done`", "an error"],
        "answer": "A",
        "feedback": {"B": "That would be `'21' * 2`."},
    },
    {"question": "The derivative of $x^2$ is $2x$.", "type": "trueFalse", "answer": True},
]


def hostile_questions() -> list[dict]:
    """One question per payload; each payload is also an option, an option's feedback and an explanation
    of other questions, so every payload sits in every rich-text field once."""
    n = len(PAYLOADS)
    questions = []
    for k in range(n):
        p = [PAYLOADS[(k + i) % n] for i in range(8)]
        # A question's options must differ (case-insensitively): a clash takes a later payload. Each payload
        # is still option A of the question before it.
        options: list[str] = []
        for text in [p[1], p[2], p[3], *PAYLOADS]:
            if len(options) < 3 and text.casefold() not in {o.casefold() for o in options}:
                options.append(text)
        questions.append(
            {
                "id": k + 1,
                "question": p[0],
                "options": dict(zip("ABC", options, strict=True)),
                "answer": "A",
                "feedback": {"A": p[4], "B": p[5], "C": p[6]},
                "explanation": p[7],
            }
        )
    return questions


def quiz_root(page, nth: int = 0):
    return output_locator(page, ".qw-root").nth(nth)


def notebook_with(lab_dir, name: str, cells: list[str]) -> str:
    write_notebook(lab_dir.path / "notebooks" / name, cells)
    return lab_dir.notebook(name)


def watch_page(page) -> tuple[list[str], list[str]]:
    """Every dialog the page opens (dismissed) and every URL it requests."""
    dialogs: list[str] = []
    requests: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda request: requests.append(request.url))
    return dialogs, requests


def foreign_requests(requests: list[str]) -> list[str]:
    """Requests to any host but the Lab server's (data: and blob: URLs never leave the page)."""
    return [
        url
        for url in requests
        if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).hostname != "127.0.0.1"
    ]


# In the page: everything inside the quiz widgets that could run or navigate to script.
_DANGER_JS = """
() => {
  const found = [];
  const bad = /^(javascript|vbscript|data:text|data:application)/;
  for (const el of document.querySelectorAll('.jp-OutputArea-output .qw-root, .jp-OutputArea-output .qw-root *')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\u0000-\\u0020\\u007f]/g, '').toLowerCase();
      if (name.startsWith('on')) found.push(`<${el.localName} ${name}>`);
      else if (bad.test(value) && /(href|src|action|data|srcdoc|poster|background)$/.test(name)) {
        found.push(`<${el.localName} ${name}=${attr.value.slice(0, 60)}>`);
      }
    }
    if (['script', 'iframe', 'object', 'embed', 'frame', 'base', 'meta', 'link', 'form'].includes(el.localName)) {
      found.push(`<${el.localName}> element`);
    }
  }
  return found;
}
"""


def assert_inert(page, dialogs: list[str], requests: list[str], where: str) -> None:
    assert page.evaluate(f"() => typeof window.{CANARY}") == "undefined", f"{where}: the canary was set"
    assert dialogs == [], f"{where}: dialogs opened: {dialogs}"
    assert page.evaluate(_DANGER_JS) == [], f"{where}: dangerous markup in the widget"
    assert foreign_requests(requests) == [], f"{where}: requests left the page"


def wait_question_number(root, number: int, total: int) -> None:
    root.locator(".qw-progress-text").filter(
        has_text=re.compile(rf"^Question {number} of {total}$")
    ).wait_for()
    root.locator(".qw-question :is(.qw-option, input):not([disabled])").first.wait_for()


# --------------------------------------------------------------------------------------------------


def test_every_hostile_payload_in_every_field_stays_inert(page, lab, lab_dir):
    questions = hostile_questions()
    exam = {"title": "Hostile text", "questions": questions}
    (lab_dir.path / "notebooks" / "hostile.json").write_text(json.dumps(exam), encoding="utf-8")
    name = notebook_with(
        lab_dir,
        "hostile.ipynb",
        ["from quiz_widgets import QuizWidget\nquiz = QuizWidget('hostile.json', attempt='new')\nquiz"],
    )
    dialogs, requests = watch_page(page)
    open_notebook(page, lab, name)
    run_all(page)
    # The detector finds what it looks for: a planted handler and script URL, then removed.
    planted = page.evaluate(
        """(js) => {
            const area = document.querySelector('.jp-OutputArea-output');
            const fake = document.createElement('div');
            fake.className = 'qw-root';
            fake.innerHTML = '<b onclick="x()">b</b><a href=" JaVaScRiPt:x()">a</a><img src="data:text/html,x">';
            area.appendChild(fake);
            const found = (0, eval)(js)();
            fake.remove();
            return found;
        }""",
        _DANGER_JS,
    )
    assert len(planted) == 3, planted
    root = quiz_root(page)
    total = len(questions)
    for number in range(1, total + 1):
        wait_question_number(root, number, total)
        assert_inert(page, dialogs, requests, f"question {number}")
        root.locator(".qw-question .qw-option").first.click()
        root.locator(".qw-feedback-region .qw-verdict").wait_for()
        page.wait_for_timeout(20)  # a handler on a freshly inserted element would fire now
        assert_inert(page, dialogs, requests, f"feedback of question {number}")
        root.get_by_role("button", name="Next", exact=True).click()
    root.locator(".qw-progress-text").filter(has_text=f"{total} of {total} answered").wait_for()
    page.wait_for_timeout(300)  # broken images' onerror, autofocus and animations had their chance
    assert_inert(page, dialogs, requests, "the finish screen")
    # The payloads are shown as text or harmless markup: the first one's visible words are on the page.
    assert root.count() == 1


def test_math_is_mathml_and_code_is_coloured(page, lab, lab_dir):
    name = notebook_with(
        lab_dir,
        "math.ipynb",
        [
            "from quiz_widgets import QuizWidget\n"
            f"quiz = QuizWidget.from_questions({MATH_AND_CODE!r}, title='Math and code', attempt='new')\n"
            "quiz"
        ],
    )
    dialogs, requests = watch_page(page)
    open_notebook(page, lab, name)
    run_all(page)
    root = quiz_root(page)
    math = root.locator(".qw-question-text math").first
    math.wait_for()
    box = math.bounding_box()
    assert box is not None and box["width"] > 5 and box["height"] > 5
    assert root.locator(".qw-question-text math mfrac").count() >= 2
    root.locator("input").first.fill("0.75")
    root.get_by_role("button", name="Submit").click()
    root.get_by_role("button", name="Next", exact=True).click()
    code = root.locator(".qw-question-text pre.qw-code")
    code.wait_for()
    colours = page.evaluate(
        """(pre) => {
            const keyword = pre.querySelector('[class*="qw-hl-k"]');
            return {plain: getComputedStyle(pre).color, keyword: keyword && getComputedStyle(keyword).color};
        }""",
        code.element_handle(),
    )
    assert colours["keyword"] is not None and colours["keyword"] != colours["plain"]
    assert foreign_requests(requests) == [] and dialogs == []


def test_rerunning_a_quiz_cell_continues_and_offers_a_new_attempt(page, lab, lab_dir):
    cell = "%%quiz Warm-up\n" + yaml.safe_dump(
        [
            {"question": "2 + 2?", "type": "numeric", "answer": 4},
            {"question": "Capital of France?", "type": "text", "answer": "Paris"},
        ],
        sort_keys=False,
    )
    name = notebook_with(lab_dir, "rerun.ipynb", ["%load_ext quiz_widgets", cell])
    open_notebook(page, lab, name)
    run_all(page)
    root = quiz_root(page)
    wait_question_number(root, 1, 2)
    assert not root.get_by_role("button", name="Start a new attempt").is_visible()
    root.locator("input").first.fill("4")
    root.get_by_role("button", name="Submit").click()
    root.get_by_role("button", name="Next", exact=True).click()
    wait_question_number(root, 2, 2)
    run_all(page)  # the learner runs the notebook again
    root = quiz_root(page)
    wait_question_number(root, 2, 2)
    assert "Continuing your attempt" in root.locator(".qw-continued").inner_text()
    new_attempt = root.get_by_role("button", name="Start a new attempt")
    assert new_attempt.is_visible()
    new_attempt.click()
    # It asks first, as Finish does: the attempt ends on "Yes" only.
    root.get_by_role("button", name="Yes, start again").click()
    wait_question_number(root, 1, 2)
    assert not root.locator(".qw-continued").is_visible()
    wait_kernel_idle(page)


def test_a_short_quiz_is_compact(page, lab, lab_dir):
    short = [{"question": f"{i} + 1?", "type": "numeric", "answer": i + 1} for i in range(3)]
    long = [{"question": f"{i} + 2?", "type": "numeric", "answer": i + 2} for i in range(8)]
    name = notebook_with(
        lab_dir,
        "compact.ipynb",
        [
            "from quiz_widgets import QuizWidget",
            f"QuizWidget.from_questions({short!r}, title='Check', attempt='new')",
            f"QuizWidget.from_questions({long!r}, title='Exam', attempt='new')",
        ],
    )
    open_notebook(page, lab, name)
    run_all(page)
    compact, full = quiz_root(page, 0), quiz_root(page, 1)
    full.locator(".qw-timer").wait_for()
    assert "qw-compact" in (compact.get_attribute("class") or "")
    assert "qw-compact" not in (full.get_attribute("class") or "")
    assert not compact.locator(".qw-timer").is_visible()
    size = "(el) => parseFloat(getComputedStyle(el).fontSize)"
    assert compact.locator(".qw-title").evaluate(size) < full.locator(".qw-title").evaluate(size)
    assert compact.bounding_box()["height"] < full.bounding_box()["height"]


def test_screenshots_of_math_and_code_light_and_dark(page, lab, lab_dir):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = notebook_with(
        lab_dir,
        "shots.ipynb",
        [
            "from quiz_widgets import QuizWidget\n"
            f"quiz = QuizWidget.from_questions({MATH_AND_CODE!r}, title='Math and code', attempt='new')\n"
            "quiz"
        ],
    )
    open_notebook(page, lab, name)
    run_all(page)
    root = quiz_root(page)
    root.locator(".qw-question-text math").first.wait_for()
    area = output_locator(page).filter(has=page.locator(".qw-root"))
    page.mouse.move(0, 0)

    def shot(file: str) -> None:
        area.scroll_into_view_if_needed()
        page.wait_for_timeout(150)  # let the theme's CSS settle
        area.screenshot(path=str(SCREENSHOTS / file), animations="disabled")

    set_theme(page, "light")
    shot("richtext-math-light.png")
    set_theme(page, "dark")
    shot("richtext-math-dark.png")
    root.locator("input").first.fill("0.75")
    root.get_by_role("button", name="Submit").click()
    root.get_by_role("button", name="Next", exact=True).click()
    root.locator(".qw-question-text pre.qw-code").wait_for()
    shot("richtext-code-dark.png")
    set_theme(page, "light")
    shot("richtext-code-light.png")
    for file in ("math-light", "math-dark", "code-light", "code-dark"):
        assert (SCREENSHOTS / f"richtext-{file}.png").stat().st_size > 5_000
