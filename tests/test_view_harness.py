"""The widgets' views in a real browser, against a fake model: the QuizWidget's, and the session list's.

tests/view_harness/ is a static page that imports each view's ES module with a FakeModel that records
what the view sends (window.sent) and lets a test play kernel updates (window.setTraits({...})). The
modules and stylesheets are served from QuizWidget._esm/_css and SessionListView._esm/_css, the strings
the widgets hand to anywidget (joined from quiz_widgets/ui/static/ by quiz_widgets/ui/assets.py).
No kernel, no JupyterLab: this checks the page side of the protocol in docs/architecture.md.
"""

from __future__ import annotations

import copy
import functools
import http.server
import os
import re
import threading
from pathlib import Path
from typing import ClassVar

import pytest
from browser.lab_utils import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS  # one launch recipe for every browser test
from run_flags import browser_required, missing

from quiz_widgets.ui.quiz_widget import QuizWidget
from quiz_widgets.ui.session_list import SessionListView

ROOT = Path(__file__).resolve().parents[1]
# What the harness page loads under /widget/: exactly what each widget gives anywidget.
WIDGET_FILES = {
    "/widget/quiz.js": ("text/javascript", QuizWidget._esm),
    "/widget/quiz.css": ("text/css", QuizWidget._css),
    "/widget/browser.js": ("text/javascript", SessionListView._esm),
    "/widget/browser.css": ("text/css", SessionListView._css),
}


# ---------------------------------------------------------------------------------------------- data
def question(kind="singleChoice", **extra):
    base = {
        "id": 7,
        "number": 3,
        "text": "Which AWS service stores objects?",
        "kind": kind,
        "topic": "Storage",
        "options": [
            {"key": "A", "text": "Amazon EC2"},
            {"key": "B", "text": "Amazon S3"},
            {"key": "C", "text": "Amazon RDS"},
            {"key": "D", "text": "AWS Lambda"},
        ],
    }
    if kind == "multiChoice":
        base.update(
            text="Which are storage services? (Choose TWO)",
            options=base["options"] + [{"key": "E", "text": "Amazon EBS"}],
        )
    elif kind == "trueFalse":
        base.update(
            text="S3 is a storage service.",
            options=[{"key": "A", "text": "True"}, {"key": "B", "text": "False"}],
        )
    elif kind in ("numeric", "text"):
        base.update(
            text="How many availability zones at least?" if kind == "numeric" else "Name the CLI tool.",
            options=[],
        )
    base.update(extra)
    return base


def traits(**extra):
    base = {
        "exam_title": "Cloud Practitioner Practice",
        "total": 10,
        "index": 2,
        "phase": "question",
        "question": question(),
        "feedback": {},
        "score": 1,
        "answered": 2,
        "elapsed": 65,
        "clock_running": False,
        "summary": {},
        "warning": "",
        "error": "",
        "read_only": False,
    }
    base.update(extra)
    return base


FEEDBACK_WRONG = {
    "correct": False,
    "your_answer": "Amazon EC2",
    "correct_answer": "Amazon S3",
    "chosen": ["A"],
    "correct_keys": ["B"],
    "explanation": "S3 is object storage; EC2 is compute.",
    "option_feedback": {"A": "EC2 runs virtual machines.", "B": "S3 stores objects in buckets."},
}

SUMMARY = {
    "score": 7,
    "answered": 10,
    "total": 10,
    "accuracy": 70.0,
    "elapsed": 3725,
    "completed": True,
    "quit_by_user": False,
    "topics": [
        {"topic": "Storage", "correct": 3, "total": 4},
        {"topic": "Compute", "correct": 2, "total": 3},
        {"topic": "Billing", "correct": 2, "total": 3},
    ],
    "wrong": [
        {
            "number": 2,
            "question": "Which service runs containers?",
            "your_answer": "Amazon S3",
            "correct_answer": "Amazon ECS",
        },
        {
            "number": 5,
            "question": "What is the support plan with a TAM?",
            "your_answer": "Business",
            "correct_answer": "Enterprise",
        },
        {
            "number": 9,
            "question": "Which pricing model suits steady workloads?",
            "your_answer": "On-Demand",
            "correct_answer": "Reserved Instances",
        },
    ],
}


# ------------------------------------------------------------------------------------------ fixtures
class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
    }

    def do_GET(self):
        served = WIDGET_FILES.get(self.path)
        if served is None:
            return super().do_GET()
        content_type, text = served
        body = str(text).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None

    def log_message(self, *args):  # keep pytest output clean
        pass


@pytest.fixture(scope="module")
def server():
    handler = functools.partial(_QuietHandler, directory=str(ROOT))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/tests/view_harness/index.html"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


@pytest.fixture(scope="module")
def browser():
    # The browser tests' rule: skip on a bare machine, fail when QUIZ_WIDGETS_REQUIRE_BROWSER=1 (CI).
    required = browser_required()
    if not os.path.exists(CHROMIUM):
        missing(
            f"Debian's Chromium is not installed at {CHROMIUM}",
            required=required,
            flag_name="QUIZ_WIDGETS_REQUIRE_BROWSER=1",
        )
    try:
        from playwright import sync_api
    except ImportError as exc:
        missing(
            f"playwright is not importable ({exc})",
            required=required,
            flag_name="QUIZ_WIDGETS_REQUIRE_BROWSER=1",
        )
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 900, "height": 800})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    pg.goto(server)
    pg.wait_for_function("window.harnessReady === true")
    pg.errors = errors
    yield pg
    context.close()
    assert errors == [], errors


def mount(page, **extra):
    page.evaluate("t => window.mount(t)", traits(**extra))
    return page.locator("#app .qw-root")


def set_traits(page, **values):
    page.evaluate("v => window.setTraits(v)", values)


def sent(page, kind=None):
    """The page's messages, without their request ids (each must carry one: the page protocol)."""
    msgs = page.evaluate("window.sent")
    out = []
    for m in msgs:
        request = m.pop("request", None)
        assert isinstance(request, str) and request, f"message without a request id: {m}"
        if kind is None or m.get("type") == kind:
            out.append(m)
    return out


def answers(page):
    return [m["value"] for m in sent(page, "answer")]


def kernel_reply(page, error=""):
    """What the kernel does after any message: the state it changed, then a reply naming the request."""
    page.evaluate("window.model.update({elapsed: window.model.get('elapsed') + 1})")
    page.evaluate("e => window.reply(e)", error)


# ---------------------------------------------------------------------------------------------- tests
@pytest.mark.browser
def test_renders_question_with_accessible_names(page):
    root = mount(page)
    assert page.get_by_role("heading", name="Cloud Practitioner Practice").is_visible()
    assert root.get_by_text("Question 3 of 10").is_visible()
    bar = page.get_by_role("progressbar", name="Quiz progress")
    assert bar.get_attribute("aria-valuenow") == "2"
    assert bar.get_attribute("aria-valuemin") == "0"
    assert bar.get_attribute("aria-valuemax") == "10"
    assert root.get_by_text("Which AWS service stores objects?").is_visible()
    for key, text in [("A", "Amazon EC2"), ("B", "Amazon S3"), ("C", "Amazon RDS"), ("D", "AWS Lambda")]:
        btn = page.get_by_role("radio", name=re.compile(rf"^{key}\b.*{re.escape(text)}"))
        assert btn.count() == 1 and btn.is_enabled()
    assert root.get_by_text("Score: 1 / 2").is_visible()
    assert page.get_by_role("timer").inner_text() == "0:01:05"
    assert page.get_by_role("button", name="Pause").is_visible()
    assert page.get_by_role("button", name="Finish").is_visible()
    page.wait_for_function("window.sent.some(m => m.type === 'visibility')")  # the observer's first report
    (message,) = sent(page, "visibility")
    assert message["visible"] is True and isinstance(message["view"], str) and message["view"]


@pytest.mark.browser
def test_click_sends_option_index_and_blocks_double_answers(page):
    mount(page)
    page.get_by_role("radio", name="Amazon S3").click()
    assert answers(page) == [1]
    # Waiting for the kernel: the options are disabled, a second click sends nothing.
    assert page.get_by_role("radio", name="Amazon RDS").is_disabled()
    page.get_by_role("radio", name="Amazon RDS").click(force=True)
    page.keyboard.press("3")
    assert answers(page) == [1]
    kernel_reply(page)
    assert page.get_by_role("radio", name="Amazon RDS").is_enabled()
    page.get_by_role("radio", name="Amazon RDS").click()
    assert answers(page) == [1, 2]


@pytest.mark.browser
def test_true_false_sends_index(page):
    mount(page, question=question("trueFalse"))
    assert page.get_by_role("radio", name=re.compile(r"^A\b.*True")).is_visible()
    page.get_by_role("radio", name=re.compile(r"^B\b.*False")).click()
    assert answers(page) == [1]


@pytest.mark.browser
def test_multi_choice_checkboxes_and_submit(page):
    root = mount(page, question=question("multiChoice"))
    # The question says "(Choose TWO)": the hint states no count of its own to contradict it.
    assert root.locator(".qw-choose").inner_text() == "Check each option you choose, then Submit."
    assert page.get_by_role("checkbox").count() == 5
    page.get_by_role("button", name="Submit").click()
    assert answers(page) == []  # nothing chosen: a hint, no message
    assert root.get_by_text("Choose at least one option").is_visible()
    page.get_by_role("checkbox", name="Amazon S3").check()
    page.get_by_role("checkbox", name="Amazon EBS").check()
    page.get_by_role("button", name="Submit").click()
    assert answers(page) == [[1, 4]]


@pytest.mark.browser
def test_numeric_input_sends_number(page):
    mount(page, question=question("numeric"))
    box = page.get_by_role("spinbutton", name="Your answer")
    box.fill("3.5")
    page.get_by_role("button", name="Submit").click()
    assert answers(page) == [3.5]
    assert isinstance(answers(page)[0], float)


@pytest.mark.browser
def test_text_input_sends_string_and_letters_are_typed_not_shortcuts(page):
    mount(page, question=question("text"))
    box = page.get_by_role("textbox", name="Your answer")
    box.click()
    page.keyboard.type("a cli 1")  # 'a' and '1' are shortcuts elsewhere, not in the input
    assert box.input_value() == "a cli 1"
    assert answers(page) == []
    page.keyboard.press("Enter")
    assert answers(page) == ["a cli 1"]


@pytest.mark.browser
def test_keyboard_single_choice_numbers_and_letters(page):
    mount(page)
    page.get_by_role("radio", name="Amazon EC2").focus()
    page.keyboard.press("2")
    assert answers(page) == [1]
    kernel_reply(page)
    page.keyboard.press("d")
    assert answers(page) == [1, 3]
    kernel_reply(page)
    page.keyboard.press("C")
    assert answers(page) == [1, 3, 2]


@pytest.mark.browser
def test_keyboard_multi_toggles_and_enter_submits(page):
    mount(page, question=question("multiChoice"))
    page.locator(".qw-root").focus()
    page.keyboard.press("2")
    page.keyboard.press("e")
    page.keyboard.press("A")
    page.keyboard.press("1")  # toggles A off again
    assert page.get_by_role("checkbox", name="Amazon S3").is_checked()
    assert page.get_by_role("checkbox", name="Amazon EBS").is_checked()
    assert not page.get_by_role("checkbox", name="Amazon EC2").is_checked()
    assert answers(page) == []
    page.keyboard.press("Enter")
    assert answers(page) == [[1, 4]]


@pytest.mark.browser
def test_handled_keys_do_not_reach_the_notebook(page):
    mount(page)
    page.evaluate(
        """() => { window.leaked = [];
                   document.addEventListener('keydown', e => window.leaked.push(e.key)); }"""
    )
    page.locator(".qw-root").focus()
    for key in ["1", "b", "Enter", "n", "ArrowRight"]:
        page.keyboard.press(key)
        kernel_reply(page)
    page.keyboard.press("Tab")  # not ours: it propagates
    assert page.evaluate("window.leaked") == ["Tab"]


@pytest.mark.browser
def test_feedback_phase_texts_marks_and_next(page):
    root = mount(page, phase="feedback", index=3, answered=3, feedback=FEEDBACK_WRONG)
    region = root.locator("[aria-live=polite]").filter(has_text="Incorrect")
    assert region.count() == 1
    assert region.get_by_text("Your answer").first.is_visible()
    assert region.get_by_text("Amazon EC2", exact=True).is_visible()
    assert region.get_by_text("Correct answer").is_visible()
    assert region.get_by_text("Amazon S3", exact=True).is_visible()
    assert region.get_by_text("S3 is object storage; EC2 is compute.").is_visible()
    assert region.get_by_text("EC2 runs virtual machines.").is_visible()
    assert root.get_by_text("Question 3 of 10").is_visible()  # still the answered question
    chosen = page.get_by_role("radio", name=re.compile("Amazon EC2.*your answer"))
    correct = page.get_by_role("radio", name=re.compile("Amazon S3.*correct answer"))
    assert "qw-wrong" in chosen.get_attribute("class") and chosen.is_disabled()
    assert "qw-correct" in correct.get_attribute("class")
    page.get_by_role("button", name="Next").click()
    assert sent(page, "next") == [{"type": "next"}]


@pytest.mark.browser
def test_a_long_options_marker_wraps_between_words_only(page):
    # Seen in marimo's narrow column: "(correct" / "answer" / ")" on three lines beside a long option.
    long = "Elasticity means resources grow and shrink automatically to track demand as it changes, " * 2
    options = [{"key": "A", "text": "Amazon EC2"}, {"key": "B", "text": long.strip()}]
    page.set_viewport_size({"width": 560, "height": 800})
    for feedback in (FEEDBACK_WRONG, {**FEEDBACK_WRONG, "chosen": ["B"], "correct": True}):
        root = mount(page, phase="feedback", question=question(options=options), feedback=feedback)
        marker = root.locator(".qw-option.qw-correct .qw-marker")
        lines = marker.evaluate(
            "n => { const r = document.createRange(); r.selectNodeContents(n);"
            " return new Set([...r.getClientRects()].map((c) => Math.round(c.top))).size; }"
        )
        words = marker.inner_text().strip()
        assert lines <= (1 if words == "(correct answer)" else 2), (words, lines)
        assert not marker.inner_text().split("\n")[-1].strip().startswith(")")


@pytest.mark.browser
def test_feedback_keyboard_next_and_focus(page):
    mount(page)
    page.get_by_role("radio", name="Amazon EC2").click()  # focus is inside the widget
    set_traits(page, phase="feedback", feedback=FEEDBACK_WRONG, index=3, answered=3)
    page.evaluate("() => window.reply('')")  # the reply to the answer re-enables Next, and focuses it
    assert page.evaluate("document.activeElement.textContent") == "Next"
    page.keyboard.press("n")
    assert len(sent(page, "next")) == 1
    kernel_reply(page)
    page.keyboard.press("ArrowRight")
    assert len(sent(page, "next")) == 2
    # The next question: focus goes to its first option.
    set_traits(page, phase="question", feedback={}, question=question(id=8, number=4, text="Next one?"))
    page.evaluate("() => window.reply('')")
    assert page.evaluate("document.activeElement.textContent").startswith("A")
    assert page.get_by_role("button", name="Next").count() == 0


# The text nodes of the quiz outside what an answer redraws (the question, its feedback, the map, the clock).
MARK_WORDS = """() => {
    const walk = document.createTreeWalker(document.querySelector('#app .qw-root'), NodeFilter.SHOW_TEXT);
    window.__words = [];
    while (walk.nextNode()) {
        const node = walk.currentNode;
        if (!node.parentElement.closest('.qw-main, .qw-feedback-region, .qw-after-feedback, .qw-map, .qw-timer'))
            window.__words.push(node);
    }
    return window.__words.length;
}"""


@pytest.mark.browser
def test_an_answer_keeps_the_focus_in_the_quiz_and_writes_again_only_what_changed(page):
    page.emulate_media(reduced_motion="reduce")  # the progress bar shows its value at once
    mount(page, total=6, answered=2, question_map=qmap(current=3), question=question(number=3))
    assert page.evaluate(MARK_WORDS) >= 8  # the title, the progress, the score, the buttons' words
    option = page.get_by_role("radio", name="Amazon EC2")
    option.click()
    # The clicked option is off while its answer waits for the reply: it hands the focus to the quiz
    # first, where the keyboard still works (disabled with the focus, it dropped it on the page).
    assert option.is_disabled()
    assert page.evaluate("document.activeElement.classList.contains('qw-root')")
    # A redraw that changes no words keeps every text node (writing the same words again made the
    # browser lay them out again at each answer), and no banner, hint or button is shown or hidden again.
    page.evaluate("""() => { window.__hidden = [];
        new MutationObserver((records) => window.__hidden.push(...records.map((r) => r.target.className)))
            .observe(document.querySelector('#app .qw-root'), {attributes: true, attributeFilter: ['hidden'], subtree: true}); }""")
    set_traits(page, elapsed=70)
    assert page.evaluate("() => window.__words.every((node) => node.isConnected)")
    assert page.evaluate("window.__hidden") == []
    # The answer's state, then its reply: the feedback, the focus on its Next, the bar at 3 of 6.
    set_traits(
        page, phase="feedback", feedback=FEEDBACK_WRONG, answered=3, question_map=qmap(current=3, s3="wrong")
    )
    kernel_reply(page)
    assert page.evaluate("document.activeElement.textContent") == "Next"
    fill = page.evaluate(
        """() => { const fill = document.querySelector('#app .qw-progress-fill').getBoundingClientRect();
        const bar = document.querySelector('#app .qw-progress').getBoundingClientRect();
        return [fill.left - bar.left, fill.width, bar.width]; }"""
    )
    assert fill[0] <= 1 and fill[1] == pytest.approx((fill[2] - 2) / 2, abs=1.5), fill  # 2: the bar's border


@pytest.mark.browser
def test_focus_not_stolen_when_outside(page):
    mount(page)
    page.locator("#outside").focus()
    set_traits(page, question=question(id=9, number=4, text="Another"))
    assert page.evaluate("document.activeElement.id") == "outside"


@pytest.mark.browser
def test_timer_ticks_while_clock_running_and_stops(page):
    mount(page, elapsed=3599, clock_running=True)
    timer = page.get_by_role("timer")
    assert timer.inner_text() == "0:59:59"
    page.wait_for_function("document.querySelector('.qw-timer').textContent === '1:00:00'", timeout=3000)
    set_traits(page, clock_running=False, elapsed=3600.4)
    page.wait_for_timeout(1300)
    assert timer.inner_text() == "1:00:00"


@pytest.mark.browser
def test_pause_hides_question_and_resume(page):
    root = mount(page)
    page.get_by_role("button", name="Pause").click()
    assert sent(page, "pause") == [{"type": "pause"}]
    set_traits(page, phase="paused", clock_running=False)
    assert root.get_by_text("Which AWS service stores objects?").count() == 0
    assert page.get_by_role("radio", name="Amazon S3").count() == 0
    assert not page.get_by_role("button", name="Pause").is_visible()
    page.get_by_role("button", name="Resume").click()
    assert sent(page, "unpause") == [{"type": "unpause"}]


@pytest.mark.browser
def test_finish_needs_confirmation_inside_widget(page):
    mount(page)
    page.get_by_role("button", name="Finish").click()
    assert sent(page, "finish") == []
    page.get_by_role("button", name="Cancel").click()
    assert sent(page, "finish") == []
    page.get_by_role("button", name="Finish").click()
    page.get_by_role("button", name="Yes, finish").click()
    assert sent(page, "finish") == [{"type": "finish"}]


@pytest.mark.browser
def test_finished_screen_chart_wrong_answers_and_study(page):
    root = mount(page, phase="finished", index=10, answered=10, score=7, question={}, summary=SUMMARY)
    assert root.get_by_text("7 / 10", exact=True).is_visible()
    assert root.get_by_text("70%", exact=True).is_visible()
    assert root.get_by_text("1:02:05").first.is_visible()
    label = root.get_by_text("Storage 3/4")
    assert label.is_visible()
    width = root.locator(".qw-chart-row", has_text="Storage 3/4").locator(".qw-bar-fill")
    assert width.evaluate("e => e.style.width") == "75%"
    assert root.get_by_text("Which service runs containers?").is_visible()
    assert root.get_by_text("Reserved Instances").is_visible()
    assert not page.get_by_role("button", name="Finish").is_visible()
    page.get_by_role("button", name="Study wrong answers").click()
    assert sent(page, "study") == [{"type": "study"}]


@pytest.mark.browser
def test_the_finish_screens_lists_number_each_question_once_by_its_own_number(page):
    # An <ol> put "2." before "Question 5:", a second numbering a learner took for a question number.
    root = mount(page, phase="finished", index=10, answered=10, score=7, question={}, summary=SUMMARY)
    items = root.locator(".qw-wrong-group > li")
    assert items.count() == 3
    assert items.nth(1).inner_text().startswith("Question 5:")
    assert items.nth(1).evaluate("e => getComputedStyle(e).display") == "list-item"
    markers = items.evaluate_all("els => els.map((e) => getComputedStyle(e).listStyleType)")
    assert markers == ["none"] * 3, markers


@pytest.mark.browser
def test_the_finish_screens_attempts_of_one_day_show_their_time(page):
    progress = {
        "exam": "AWS",
        "count": 3,
        "attempts": [
            {"date": "2026-12-05T18:02:11", "score": 5, "answered": 10, "total": 10, "accuracy": 0.5},
            {"date": "2026-12-07T08:40:12", "score": 4, "answered": 24, "total": 24, "accuracy": 0.17},
            {"date": "2026-12-07T09:15:59", "score": 4, "answered": 24, "total": 24, "accuracy": 0.17},
        ],
        "topics": [],
    }
    root = mount(page, phase="finished", index=10, answered=10, score=7, question={}, summary=SUMMARY,
                 progress=progress)  # fmt: skip
    rows = root.locator(".qw-own-progress-attempts .qw-chart-row").all_inner_texts()
    assert [" ".join(row.split()) for row in rows] == [
        "2026-12-05 5/10 (50%)",
        "2026-12-07 08:40 4/24 (17%)",
        "2026-12-07 09:15 4/24 (17%)",
    ]


@pytest.mark.browser
def test_finished_without_wrong_answers_has_no_study_button(page):
    summary = {**SUMMARY, "score": 10, "wrong": [], "topics": []}
    mount(page, phase="finished", index=10, answered=10, score=10, question={}, summary=summary)
    assert page.get_by_role("button", name="Study wrong answers").count() == 0


@pytest.mark.browser
def test_an_exam_left_without_submitting_shows_no_score_and_offers_no_review(page):
    # What the kernel sends for it (controller: only what does not come from the key).
    summary = {"mode": "exam", "submitted": False, "quit_by_user": True, "completed": False, "score": 0,
               "points": 0.0, "accuracy": 0.0, "answered": 3, "out_of": 3, "total": 6, "elapsed": 95,
               "topics": [], "wrong": [], "partial": [], "unanswered": []}  # fmt: skip
    root = mount(
        page, mode="exam", phase="finished", index=6, answered=3, score=0, question={}, summary=summary
    )
    finished = root.locator(".qw-finished")
    assert finished.get_by_role("heading", name="Exam left without submitting").is_visible()
    facts = finished.locator(".qw-facts").inner_text()
    assert "Score" not in facts and "Accuracy" not in facts and "3 of 6" in facts
    assert root.locator(".qw-score").is_hidden()
    assert "not graded" in finished.inner_text()
    assert finished.get_by_text("No wrong answers").count() == 0
    assert page.get_by_role("button", name="Review answers").count() == 0
    # Submitted, the same screen is graded: score, accuracy, review.
    set_traits(
        page, summary={**summary, "submitted": True, "completed": True, "quit_by_user": False, "out_of": 6}
    )
    assert re.search(r"Score\s+0 / 6", root.locator(".qw-facts").inner_text())
    assert page.get_by_role("button", name="Review answers").is_visible()
    assert root.locator(".qw-score").inner_text() == "Score: 0 / 6"


EVIL = "<img src=x onerror=alert(1)><script>window.pwned=1</script>"


@pytest.mark.browser
def test_exam_text_is_never_html(page):
    evil_q = question(text=EVIL, topic=EVIL, options=[{"key": "A", "text": EVIL}, {"key": "B", "text": "ok"}])
    root = mount(page, exam_title=EVIL, question=evil_q, warning=EVIL, error=EVIL)
    assert root.get_by_text(EVIL).count() >= 4
    set_traits(
        page,
        phase="feedback",
        feedback={**FEEDBACK_WRONG, "your_answer": EVIL, "explanation": EVIL, "option_feedback": {"A": EVIL}},
    )
    evil_summary = copy.deepcopy(SUMMARY)
    evil_summary["topics"][0]["topic"] = EVIL
    evil_summary["wrong"][0].update(question=EVIL, your_answer=EVIL, correct_answer=EVIL)
    set_traits(page, phase="finished", summary=evil_summary)
    assert root.get_by_text(f"{EVIL} 3/4").is_visible()
    page.wait_for_timeout(200)
    assert page.evaluate("window.pwned") is None
    assert page.locator("#app img").count() == 0
    assert page.locator("#app script").count() == 0


@pytest.mark.browser
def test_warning_error_and_read_only(page):
    root = mount(page, warning="Autosave failed: disk full", error="Refused: not a valid answer")
    alerts = page.get_by_role("alert")
    assert alerts.filter(has_text="Autosave failed: disk full").is_visible()
    assert alerts.filter(has_text="Refused: not a valid answer").is_visible()
    set_traits(page, warning="", error="")
    assert root.locator(".qw-banner-warning").is_hidden()
    assert root.locator(".qw-error").is_hidden()
    set_traits(page, read_only=True)
    assert root.get_by_text("Read-only: this session is open in another kernel").is_visible()
    assert page.get_by_role("radio", name="Amazon S3").is_disabled()
    assert page.get_by_role("button", name="Pause").is_disabled()
    page.locator(".qw-root").focus()
    page.keyboard.press("1")
    assert answers(page) == []


@pytest.mark.browser
def test_visibility_closing_and_cleanup(page):
    mount(page)
    page.wait_for_function("window.sent.some(m => m.type === 'visibility')")
    page.evaluate(
        """() => { Object.defineProperty(document, 'hidden', {configurable: true, get: () => true});
                   document.dispatchEvent(new Event('visibilitychange')); }"""
    )
    page.evaluate("window.dispatchEvent(new Event('pagehide'))")
    hidden, closing = sent(page)[-2:]
    view = hidden["view"]
    assert hidden == {"type": "visibility", "visible": False, "view": view}
    assert closing == {"type": "closing", "view": view}
    assert page.evaluate("window.model.listenerCount()") > 0
    assert page.evaluate("window.liveIntervalCount()") >= 1
    page.evaluate("window.unmount()")
    # A view that goes away (output cleared) tells the kernel it no longer shows the quiz.
    assert sent(page)[-1] == {"type": "closing", "view": view}
    assert page.evaluate("window.model.listenerCount()") == 0
    assert page.evaluate("window.liveIntervalCount()") == 0
    assert page.locator("#app .qw-root").count() == 0
    before = len(sent(page))
    page.evaluate(
        "document.dispatchEvent(new Event('visibilitychange')); window.dispatchEvent(new Event('pagehide'))"
    )
    assert len(sent(page)) == before


@pytest.mark.parametrize("widget", [QuizWidget, SessionListView], ids=lambda w: w.__name__)
def test_no_html_sinks_in_the_views(widget):
    source = str(widget._esm)
    if "function renderQuiz(" in source:  # QuizWidget's, and the session list's: it draws a resumed quiz
        # The one markup sink: rich.js's setRich, fed only the kernel's sanitized `html` fields.
        assert source.count("innerHTML") == 1
        assert "if (markup) node.innerHTML = markup;" in source
        source = source.replace("innerHTML", "")
        calls = re.findall(r"\b(?:setRich\(\w+|rich\(\"\w+\", [^,]+), ([^,]+),", source)
        calls = [c for c in calls if c != "html"]  # the helpers' own definitions
        assert calls and all(re.fullmatch(r"[\w.]*(html|Html\[key\])", c) for c in calls), calls
    for sink in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "DOMParser",
        "createContextualFragment",
        "eval(",
        "new Function",
        "window.confirm",
        "http://",
        "https://",
    ):
        assert sink not in source, sink


@pytest.mark.browser
def test_screenshots_light_and_dark(page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    screens = {
        "question": dict(question=question("multiChoice"), clock_running=False, elapsed=754),
        "feedback": dict(phase="feedback", index=3, answered=3, feedback=FEEDBACK_WRONG, elapsed=812),
        "finish": dict(
            phase="finished", index=10, answered=10, score=7, question={}, summary=SUMMARY, elapsed=3725
        ),
    }
    for theme in ("light", "dark"):
        page.evaluate("t => window.setTheme(t)", theme)
        for name, extra in screens.items():
            root = mount(page, **extra)
            if name == "question":
                page.get_by_role("checkbox", name="Amazon S3").check()
            path = SCREENSHOTS / f"quiz-{name}-{theme}.png"
            page.locator("#app").screenshot(path=str(path))
            assert path.stat().st_size > 5_000
            assert root.is_visible()


# ------------------------------------------------------------- keys the notebook must never see (issue 8.6)
LEAK_LISTENER = """() => { window.leaked = [];
    document.addEventListener('keydown', e => window.leaked.push(
        (e.ctrlKey ? 'Control+' : '') + (e.altKey ? 'Alt+' : '') + (e.shiftKey ? 'Shift+' : '') + e.key)); }"""


@pytest.mark.browser
@pytest.mark.parametrize("phase", ["question", "feedback", "finished"])
def test_no_key_but_tab_and_the_browsers_own_leaves_the_widget(page, phase):
    extra = {"question": {}, "summary": SUMMARY, "index": 10} if phase == "finished" else {}
    if phase == "feedback":
        extra = {"feedback": FEEDBACK_WRONG}
    mount(page, phase=phase, **extra)
    page.evaluate(LEAK_LISTENER)
    # JupyterLab's command mode: m, y, r (cell type), x c v (cut copy paste), z (undo), 0 0 (restart),
    # d d (delete), a b (insert), Shift+Enter / Ctrl+Enter / Alt+Enter (run), Shift+M and Ctrl+Backspace
    # (merge), Ctrl+Shift+ArrowUp (move the cell), plus every other plain key.
    keys = [
        "m", "y", "r", "x", "c", "v", "z", "0", "0", "d", "d", "a", "b", "h", "Escape", "Space",
        "ArrowUp", "ArrowDown", "Shift+Enter", "Control+Enter", "Alt+Enter", "Shift+M", "Shift+Z",
        "Control+Backspace", "Control+Shift+ArrowUp", "Control+Shift+M", "Control+a", "Backspace",
    ]  # fmt: skip
    enabled = page.locator(".qw-root button:not([disabled]):visible").first
    for key in keys:
        page.evaluate("() => window.reply('')")  # whatever the key sent is answered: the buttons are back
        enabled.focus()
        assert page.evaluate("document.activeElement.tagName") == "BUTTON"
        page.keyboard.press(key)
    assert page.evaluate("window.leaked") == []
    # Handed on on purpose: Tab moves the focus, F-keys and Ctrl+S (save the notebook) are the page's.
    page.evaluate("() => window.reply('')")
    enabled.focus()
    for key in ["Control+s", "F1", "Tab"]:
        page.keyboard.press(key)
    assert page.evaluate("window.leaked") == ["Control+s", "F1", "Tab"]


@pytest.mark.browser
def test_no_key_but_tab_and_the_browsers_own_leaves_the_session_list(page):
    page.evaluate("t => window.mount(t, 'list')", list_traits())
    page.evaluate(LEAK_LISTENER)
    # The chords mattered here: the list used to hand every Ctrl/Alt chord on (Ctrl+Enter ran the cell).
    keys = ["m", "a", "b", "d", "d", "0", "0", "Shift+Enter", "Control+Enter", "Alt+Enter", "Control+Backspace",
            "Control+Shift+ArrowUp", "Shift+M", "ArrowDown", "Escape"]  # fmt: skip
    refresh = page.get_by_role("button", name="Refresh")
    for key in keys:
        page.evaluate("() => window.reply('')")  # Enter clicked Refresh: answered, so it is enabled again
        refresh.focus()
        assert page.evaluate("document.activeElement.textContent") == "Refresh"
        page.keyboard.press(key)
    assert page.evaluate("window.leaked") == []
    page.evaluate("() => window.reply('')")
    refresh.focus()
    for key in ["Control+s", "F1", "Tab"]:
        page.keyboard.press(key)
    assert page.evaluate("window.leaked") == ["Control+s", "F1", "Tab"]


@pytest.mark.browser
def test_shift_enter_does_what_enter_does(page):
    mount(page, phase="feedback", feedback=FEEDBACK_WRONG)
    page.get_by_role("button", name="Next").focus()
    page.keyboard.press("Shift+Enter")
    assert sent(page, "next") == [{"type": "next"}]
    kernel_reply(page)
    mount(page, question=question("numeric"))
    page.get_by_role("spinbutton", name="Your answer").fill("4")
    page.keyboard.press("Control+Enter")
    assert answers(page) == [4]


@pytest.mark.browser
def test_options_beyond_e_get_keys(page):
    options = [{"key": chr(65 + i), "text": f"Option {chr(65 + i)}"} for i in range(12)]
    mount(page, question=question(options=options))
    page.locator(".qw-root").focus()
    page.keyboard.press("g")
    assert answers(page) == [6]
    kernel_reply(page)
    page.keyboard.press("L")
    assert answers(page) == [6, 11]
    kernel_reply(page)
    page.keyboard.press("9")
    assert answers(page) == [6, 11, 8]
    kernel_reply(page)
    page.keyboard.press("n")  # option N does not exist: nothing is sent, nothing leaks
    assert answers(page) == [6, 11, 8]


# ------------------------------------------------------------------ the page protocol (issue 8.8)
@pytest.mark.browser
def test_controls_come_back_on_the_reply_to_their_own_message_only(page):
    mount(page)
    page.get_by_role("radio", name="Amazon S3").click()
    (request,) = [m["request"] for m in page.evaluate("window.sent") if m.get("type") == "answer"]
    option = page.get_by_role("radio", name="Amazon RDS")
    assert option.is_disabled()
    # Another message's state (a heartbeat's elapsed, another view's click) is not the answer to ours.
    set_traits(page, elapsed=99, error="something else")
    assert option.is_disabled()
    page.evaluate("() => window.reply('', 'some-other-view-1')")
    assert option.is_disabled()
    page.evaluate("r => window.reply('refused: not now', r)", request)
    assert option.is_enabled()
    # Every message carries a fresh id.
    option.click()
    ids = [m["request"] for m in page.evaluate("window.sent") if m.get("type") == "answer"]
    assert len(set(ids)) == 2


@pytest.mark.browser
def test_the_widget_keeps_the_focus_until_the_reply(page):
    mount(page)
    page.get_by_role("radio", name="Amazon EC2").click()
    set_traits(page, phase="feedback", feedback=FEEDBACK_WRONG, index=3, answered=3)
    assert page.evaluate("document.querySelector('.qw-root').contains(document.activeElement)")
    page.evaluate("() => window.reply('')")
    assert page.evaluate("document.activeElement.textContent") == "Next"


# --------------------------------------------------------- the clock counts only what is seen (issue 8.7)
@pytest.mark.browser
def test_scrolled_out_of_view_reports_hidden_and_back_reports_visible(page):
    page.evaluate("() => { document.getElementById('app').style.marginBottom = '3000px'; }")
    mount(page)
    page.wait_for_function("window.sent.some(m => m.type === 'visibility')")
    page.evaluate("window.scrollTo(0, 2500)")
    page.wait_for_function("window.sent.filter(m => m.type === 'visibility').at(-1).visible === false")
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_function("window.sent.filter(m => m.type === 'visibility').at(-1).visible === true")
    reports = [m["visible"] for m in sent(page, "visibility")]
    assert reports == [True, False, True]
    # Hidden by display:none (a background JupyterLab tab) counts as not visible too.
    page.evaluate("() => { document.getElementById('app').style.display = 'none'; }")
    page.wait_for_function("window.sent.filter(m => m.type === 'visibility').at(-1).visible === false")


# ------------------------------------------------- the session list's view, from the same shared parts
def list_traits(**extra):
    base = {
        "tab": "sessions",
        "sessions": [
            {
                "id": "s1",
                "title": "Cloud Practitioner Practice",
                "date": "2025-11-20 09:15",
                "progress": "3/10",
                "score": "2/3",
                "time": "0:04:10",
                "state": "in progress",
            },
            {
                "id": "s2",
                "title": EVIL,
                "date": "2025-11-19 18:02",
                "progress": "10/10",
                "score": "7/10",
                "time": "0:21:45",
                "state": "completed",
            },
        ],
        "results": [],
        "confirm": {},
        "notice": "",
        "error": "",
    }
    base.update(extra)
    return base


@pytest.mark.browser
def test_session_list_rows_and_the_reply_to_its_own_message(page):
    page.evaluate("t => window.mount(t, 'list')", list_traits())
    root = page.locator("#app .qw-browser")
    rows = root.locator("tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("td").all_inner_texts()[:6] == [
        "Cloud Practitioner Practice", "2025-11-20 09:15", "3/10", "2/3", "0:04:10", "in progress",
    ]  # fmt: skip
    assert root.get_by_text(EVIL).is_visible()  # a title from disk is text, never markup
    assert page.locator("#app img").count() == 0
    delete = page.get_by_role("button", name="Delete Cloud Practitioner Practice, 2025-11-20 09:15")
    delete.click()
    (request,) = [m["request"] for m in page.evaluate("window.sent")]
    assert sent(page) == [{"type": "delete", "id": "s1"}]
    refresh = page.get_by_role("button", name="Refresh")
    assert refresh.is_disabled()
    # A trait change, or the reply to another view's message, does not end this view's wait.
    page.evaluate("() => window.setTraits({notice: 'Refreshed by another view'})")
    page.evaluate("() => window.reply('', 'some-other-view-1')")
    assert refresh.is_disabled()
    page.evaluate("r => window.reply('', r)", request)
    assert refresh.is_enabled()
    refresh.click()
    ids = [m["request"] for m in page.evaluate("window.sent")]
    assert len(set(ids)) == 2 and all(i.rsplit("-", 1)[0] == ids[0].rsplit("-", 1)[0] for i in ids)
    page.evaluate("window.unmount()")
    assert page.evaluate("window.model.listenerCount()") == 0
    assert page.locator("#app .qw-browser").count() == 0


# ------------------------------------------- study modes (issue 12): map, flags, exam, review, rich text
def qmap(total=6, current=3, **marks):
    """question_map rows: marks like s2="right", f4=True (status of question 2, question 4 flagged)."""
    return [
        {
            "number": n,
            "status": marks.get(f"s{n}", "unanswered"),
            "flagged": bool(marks.get(f"f{n}", False)),
            "current": n == current,
        }
        for n in range(1, total + 1)
    ]


def announced(page):
    return page.locator(".qw-announce").inner_text()


@pytest.mark.browser
def test_map_names_every_question_and_jumps(page):
    practice_map = qmap(s1="right", s2="wrong", s5="partial", f2=True, f4=True)
    mount(page, total=6, question_map=practice_map, question=question(number=3))
    nav = page.get_by_role("navigation", name="Question map")
    labels = [b.get_attribute("aria-label") for b in nav.get_by_role("button").all()]
    assert labels == [
        "Question 1, answered, right",
        "Question 2, answered, wrong, flagged",
        "Question 3, unanswered",
        "Question 4, unanswered, flagged",
        "Question 5, answered, partly right",
        "Question 6, unanswered",
    ]
    current = nav.locator("[aria-current]")
    assert current.count() == 1 and current.inner_text() == "3"
    assert current.get_attribute("aria-current") == "step"
    nav.get_by_role("button", name="Question 5, answered, partly right").click()
    assert sent(page, "goto") == [{"type": "goto", "number": 5}]
    kernel_reply(page)
    # M focuses the map on the current question; arrows, Home and End move along it; Enter jumps.
    page.locator(".qw-root").focus()
    page.keyboard.press("m")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Question 3, unanswered"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.textContent") == "5"
    page.keyboard.press("Home")
    assert page.evaluate("document.activeElement.textContent") == "1"
    page.keyboard.press("ArrowLeft")  # stays on the first
    assert page.evaluate("document.activeElement.textContent") == "1"
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    assert sent(page, "goto")[-1] == {"type": "goto", "number": 6}
    assert sent(page, "next") == [] and sent(page, "previous") == []  # arrows in the map only moved focus
    # The kernel moves to question 6: announced.
    set_traits(page, question_map=qmap(s1="right", s2="wrong", s5="partial", f2=True, f4=True, current=6))
    assert announced(page) == "Question 6 of 6, unanswered"


MAP_BUTTONS = """() => [...document.querySelectorAll('#app .qw-map-item')].map((b) => [
    b.className, b.getAttribute('aria-label'), b.getAttribute('aria-current'), b.tabIndex, b.textContent])"""


@pytest.mark.browser
def test_the_map_keeps_its_buttons_when_an_answer_or_the_question_on_screen_changes(page):
    mount(page, total=6, question_map=qmap(current=3), question=question(number=3))
    page.evaluate("() => document.querySelectorAll('#app .qw-map-item').forEach((b, i) => { b.qwMark = i; })")
    page.locator(".qw-map-item").nth(1).focus()  # the learner was moving along the map
    page.keyboard.press("End")  # its one tab stop moves with the focus
    set_traits(page, question_map=qmap(current=3, s3="wrong", f5=True))  # an answer, a flag
    assert page.evaluate("document.activeElement.textContent") == "6"  # the focus stayed
    # ... and the tab stop went back to the question on screen, as in a map drawn anew.
    assert [row[3] for row in page.evaluate(MAP_BUTTONS)] == [-1, -1, 0, -1, -1, -1]
    set_traits(page, question_map=qmap(current=4, s3="wrong", f5=True), question=question(number=4))
    assert page.evaluate(
        "() => [...document.querySelectorAll('#app .qw-map-item')].map((b) => b.qwMark)"
    ) == [
        0,
        1,
        2,
        3,
        4,
        5,
    ]
    patched = page.evaluate(MAP_BUTTONS)
    assert patched[2][:3] == ["qw-button qw-map-item qw-map-wrong", "Question 3, answered, wrong", None]
    assert patched[3][2:4] == ["step", 0] and [row[3] for row in patched].count(0) == 1
    # Exactly what a map drawn from scratch with these rows shows.
    mount(page, total=6, question_map=qmap(current=4, s3="wrong", f5=True), question=question(number=4))
    assert page.evaluate(MAP_BUTTONS) == patched
    # While an answer waits for its reply the options are off, the map is not (it would flicker at each
    # answer); a click on it then sends nothing. A quiz that takes no clicks any more turns it off too.
    page.get_by_role("radio", name="Amazon S3").click()
    assert page.get_by_role("radio", name="Amazon RDS").is_disabled()
    assert all(b.is_enabled() for b in page.locator(".qw-map-item").all())
    page.locator(".qw-map-item").nth(0).click()
    assert sent(page, "goto") == []
    kernel_reply(page)
    set_traits(page, closed=True)
    assert all(b.is_disabled() for b in page.locator(".qw-map-item").all())
    mount(page, total=6, question_map=qmap(current=4, s3="wrong", f5=True), question=question(number=4))
    # Another exam's map (other questions): made anew.
    set_traits(page, question_map=qmap(total=3, current=1), total=3)
    assert page.evaluate("() => document.querySelectorAll('#app .qw-map-item').length") == 3


@pytest.mark.browser
def test_previous_next_flag_buttons_and_keys(page):
    mount(page, total=6, question_map=qmap(current=1), question=question(number=1), index=0)
    previous = page.get_by_role("button", name="Previous question")
    flag = page.get_by_role("button", name="Flag for review")
    assert previous.is_disabled()  # nothing before question 1
    assert flag.get_attribute("aria-pressed") == "false"
    page.get_by_role("button", name="Next question").click()
    assert sent(page, "next") == [{"type": "next"}]
    kernel_reply(page)
    set_traits(page, question_map=qmap(current=2), question=question(number=2), index=1)
    assert previous.is_enabled()
    assert announced(page) == "Question 2 of 6, unanswered"
    flag.click()
    assert sent(page, "flag") == [{"type": "flag", "number": 2, "flagged": True}]
    kernel_reply(page)
    set_traits(page, question_map=qmap(current=2, f2=True))
    assert flag.get_attribute("aria-pressed") == "true"
    assert announced(page) == "Question 2 flagged"
    for key in ["f", "p", "ArrowLeft", "n", "ArrowRight"]:
        # Outside the options: each reply hands the focus to the first option, where the arrows move
        # between the options instead (test_single_choice_is_a_radio_group_...).
        page.locator(".qw-root").focus()
        page.keyboard.press(key)
        kernel_reply(page)
    assert sent(page, "flag")[-1] == {"type": "flag", "number": 2, "flagged": False}
    assert len(sent(page, "previous")) == 2 and len(sent(page, "next")) == 3
    # The last question has no Next; the feedback's own Next replaces the bar's.
    set_traits(page, question_map=qmap(current=6), question=question(number=6), index=5)
    assert page.get_by_role("button", name="Next question").is_disabled()
    set_traits(page, phase="feedback", feedback=FEEDBACK_WRONG)
    assert page.get_by_role("button", name="Next question").count() == 0
    assert page.get_by_role("button", name="Next", exact=True).is_visible()


@pytest.mark.browser
def test_a_question_letter_wins_over_a_command_letter(page):
    options = [{"key": chr(65 + i), "text": f"Option {chr(65 + i)}"} for i in range(8)]
    mount(page, total=6, question_map=qmap(current=3), question=question(options=options))
    page.locator(".qw-root").focus()
    page.keyboard.press("f")  # option F exists: picked, not a flag
    page.keyboard.press("h")  # option H too
    assert answers(page) == [5] and sent(page, "flag") == []
    kernel_reply(page)
    page.keyboard.press("h")
    assert answers(page) == [5, 7]
    mount(page, total=6, question_map=qmap(current=3))  # four options: F flags
    page.locator(".qw-root").focus()
    page.keyboard.press("F")
    assert sent(page, "flag") == [{"type": "flag", "number": 3, "flagged": True}] and answers(page) == []


EXAM = dict(mode="exam", total=6, score=0, answered=3)


@pytest.mark.browser
def test_exam_mode_shows_no_score_keeps_the_given_answer_and_confirms_submit_with_counts(page):
    exam_q = question("multiChoice", given={"keys": ["B", "E"]})
    root = mount(
        page,
        **EXAM,
        question=exam_q,
        question_map=qmap(s1="answered", s2="answered", s3="answered", f3=True, f5=True),
    )
    assert root.locator(".qw-choose").inner_text() == "Check each option you choose, then Save answer."
    assert root.locator(".qw-score").is_hidden()
    assert page.get_by_role("checkbox", name="Amazon S3").is_checked()
    assert page.get_by_role("checkbox", name="Amazon EBS").is_checked()
    assert not page.get_by_role("checkbox", name="Amazon EC2").is_checked()
    labels = [b.get_attribute("aria-label") for b in root.locator(".qw-map-item").all()]
    assert labels[0] == "Question 1, answered" and "right" not in " ".join(labels)
    assert page.get_by_role("button", name="Finish").count() == 0
    assert page.get_by_role("button", name="Pause").is_visible()  # no time limit: it may pause
    page.get_by_role("button", name="Submit exam").click()
    group = page.get_by_role("group", name="Confirm submit")
    assert group.get_by_text("Submit the exam now? 3 questions unanswered, 2 flagged.").is_visible()
    assert sent(page, "submit") == []
    page.keyboard.press("Escape")
    assert group.is_hidden() and sent(page, "submit") == []
    page.locator(".qw-root").focus()
    page.keyboard.press("s")  # S opens the same confirmation
    assert group.is_visible() and sent(page, "submit") == []
    page.get_by_role("button", name="Yes, submit").click()
    assert sent(page, "submit") == [{"type": "submit"}]
    assert sent(page, "finish") == []
    # A single choice question answered earlier shows its answer chosen, to keep or change.
    mount(page, **EXAM, question=question(given={"keys": ["C"]}), question_map=qmap())
    chosen = page.get_by_role("radio", name=re.compile("Amazon RDS"))
    assert chosen.get_attribute("aria-checked") == "true"
    assert "qw-selected" in chosen.get_attribute("class")
    mount(page, **EXAM, question=question("numeric", given={"value": 3}), question_map=qmap())
    assert page.get_by_role("spinbutton", name="Your answer").input_value() == "3"
    # An answer is kept, not submitted: the only "Submit" ends the exam.
    assert page.get_by_role("button", name="Submit", exact=True).count() == 0
    page.get_by_role("spinbutton", name="Your answer").fill("")
    page.get_by_role("button", name="Save answer").click()
    assert page.get_by_text("Enter a number, then Save answer.").is_visible() and answers(page) == []
    page.get_by_role("spinbutton", name="Your answer").fill("4")
    page.get_by_role("button", name="Save answer").click()
    assert answers(page) == [4]


# An element's computed colour as 0-255 red, green, blue (color-mix() computes to "color(srgb r g b)", 0-1).
RGB_JS = """el => { const c = getComputedStyle(el).color; const v = c.match(/[\\d.]+/g).map(Number).slice(0, 3);
    return c.startsWith('color(') ? v.map((x) => x * 255) : v; }"""


@pytest.mark.browser
def test_countdown_ticks_down_warns_and_never_offers_pause(page):
    root = mount(page, **EXAM, question_map=qmap(), time_limit=3600, time_left=302, countdown_running=True)
    countdown = page.get_by_role("timer", name="Time left")
    assert countdown.inner_text().endswith("5:02")
    assert "qw-countdown-warn" not in countdown.get_attribute("class")
    assert page.get_by_role("button", name="Pause").count() == 0
    page.wait_for_function(
        "document.querySelector('.qw-countdown-value').textContent <= '4:59'", timeout=6000
    )
    assert "qw-countdown-warn" in countdown.get_attribute("class")
    # Red, as the README says, not only a class name.
    red, green, blue = countdown.evaluate(RGB_JS)
    assert red > green + 60 and red > blue + 60, (red, green, blue)
    assert announced(page) == "5 minutes left"
    # The kernel's sync is the truth; stopped (submitted), it stays where the kernel put it.
    set_traits(page, time_left=0, countdown_running=False)
    assert countdown.inner_text().endswith("0:00")
    page.wait_for_timeout(600)
    assert countdown.inner_text().endswith("0:00")
    set_traits(page, time_left=3725.2, countdown_running=False)
    assert countdown.inner_text().endswith("1:02:06")
    mount(page)  # no time limit: no countdown
    assert page.get_by_role("timer", name="Time left").count() == 0
    assert root.count() == 1


STUDY_REVEALED = {
    "correct": None,
    "revealed": True,
    "your_answer": "",
    "correct_answer": "Amazon S3",
    "chosen": [],
    "correct_keys": ["B"],
    "explanation": "S3 is object storage.",
    "explanation_html": "<p>S3 is <strong>object</strong> storage.</p>",
    "option_feedback": {},
}


@pytest.mark.browser
def test_study_mode_show_answer(page):
    root = mount(page, mode="study", total=6, question_map=qmap())
    show = page.get_by_role("button", name="Show answer")
    show.click()
    assert sent(page, "show_answer") == [{"type": "show_answer"}]
    kernel_reply(page)
    page.locator(".qw-root").focus()
    page.keyboard.press("h")
    assert len(sent(page, "show_answer")) == 2
    kernel_reply(page)
    set_traits(page, phase="feedback", feedback=STUDY_REVEALED)
    region = root.locator(".qw-feedback-region")
    assert region.get_by_text("Answer shown").is_visible()
    assert region.get_by_text("Your answer").count() == 0
    assert region.locator("strong", has_text="object").is_visible()  # the explanation's html
    assert page.get_by_role("radio", name=re.compile("Amazon S3.*correct answer")).is_visible()
    assert page.get_by_role("button", name="Show answer").count() == 0
    mount(page, total=6, question_map=qmap())  # practice: no Show answer
    assert page.get_by_role("button", name="Show answer").count() == 0


REVIEW_ROWS = [
    {"number": 1, "question": "Which service stores objects?", "question_html": "Which service stores <em>objects</em>?",
     "status": "right", "your_answer": "Amazon S3", "correct_answer": "Amazon S3", "explanation": "",
     "explanation_html": "", "flagged": False, "revealed": False, "topic": "Storage"},
    {"number": 2, "question": "Which runs containers?", "question_html": "Which runs containers?",
     "status": "wrong", "your_answer": "Amazon S3", "correct_answer": "Amazon ECS",
     "explanation": "ECS runs containers.", "explanation_html": "<p>ECS runs <code>containers</code>.</p>",
     "flagged": True, "revealed": False, "topic": "Compute"},
    {"number": 3, "question": "Pick the cheapest plan.", "question_html": "Pick the cheapest plan.",
     "status": "unanswered", "your_answer": "", "correct_answer": "Basic", "explanation": "",
     "explanation_html": "", "flagged": False, "revealed": True, "topic": ""},
    {"number": 4, "question": "Which two are databases?", "question_html": "Which two are databases?",
     "status": "partial", "your_answer": "Amazon RDS", "correct_answer": "Amazon RDS, Amazon DynamoDB",
     "explanation": "", "explanation_html": "", "flagged": False, "revealed": False, "topic": ""},
]  # fmt: skip


@pytest.mark.browser
def test_review_screen_filters_and_study(page):
    root = mount(page, phase="finished", question={}, summary=SUMMARY, index=10, answered=10)
    page.get_by_role("button", name="Review answers").click()
    assert sent(page, "review") == [{"type": "review"}]
    kernel_reply(page)
    set_traits(page, phase="review", review_rows=REVIEW_ROWS)
    review = page.get_by_role("region", name="Review")
    items = review.locator(".qw-review-item")
    assert items.count() == 4
    assert items.nth(0).locator("em", has_text="objects").is_visible()  # question_html
    second = items.nth(1)
    for text in ["✗ Wrong", "⚑ Flagged", "Amazon ECS", "Compute"]:
        assert second.get_by_text(text).first.is_visible(), text
    assert second.locator("code", has_text="containers").is_visible()
    assert items.nth(2).get_by_text("— Not answered").is_visible()
    assert items.nth(2).get_by_text("Answer was shown").is_visible()
    before = len(sent(page))
    wrong = page.get_by_role("button", name="Wrong (1)")
    wrong.click()
    assert wrong.get_attribute("aria-pressed") == "true"
    assert [n.inner_text() for n in review.locator(".qw-review-number").all()] == ["Question 2"]
    assert page.evaluate("document.activeElement.textContent") == "Wrong (1)"
    page.get_by_role("button", name="Partly right (1)").click()
    assert [n.inner_text() for n in review.locator(".qw-review-number").all()] == ["Question 4"]
    page.get_by_role("button", name="Flagged (1)").click()
    assert [n.inner_text() for n in review.locator(".qw-review-number").all()] == ["Question 2"]
    assert len(sent(page)) == before  # filtering is the view's own
    page.get_by_role("button", name="All (4)").click()
    assert items.count() == 4
    page.get_by_role("button", name="Study wrong answers").click()
    assert sent(page, "study") == [{"type": "study"}]
    kernel_reply(page)
    page.get_by_role("button", name="Back to results").click()
    assert sent(page, "summary") == [{"type": "summary"}]
    assert not page.get_by_role("button", name="Submit exam").is_visible()
    assert root.locator(".qw-map").is_hidden()


HTML_QUESTION = question(
    text="Use `print` <b>now</b>",
    html="Use <code>print</code> &lt;b&gt;now&lt;/b&gt;",
    options=[
        {
            "key": "A",
            "text": "$x^2$",
            "html": '<math display="inline"><msup><mi>x</mi><mn>2</mn></msup></math>',
        },
        {"key": "B", "text": "<i>plain</i>", "html": ""},
    ],
)


@pytest.mark.browser
def test_rich_text_goes_in_from_html_fields_only(page):
    root = mount(page, question=HTML_QUESTION)
    text = root.locator(".qw-question-text")
    assert text.locator("code", has_text="print").is_visible()
    assert text.inner_text() == "Use print <b>now</b>"  # the sanitizer's escaped tag stays text
    assert root.locator(".qw-option-text math msup").count() == 1
    assert root.get_by_text("<i>plain</i>").is_visible()  # no html: the text, as text
    assert root.locator("i").count() == 0
    # The non-html fields stay text even when they hold markup; the html ones are markup.
    feedback = {
        **FEEDBACK_WRONG,
        "your_answer": "<b>mine</b>",
        "explanation": "<b>why</b>",
        "explanation_html": "<p>Because <em>S3</em>.</p>",
        "feedback": "close",
        "feedback_html": "<strong>close</strong>",
        "option_feedback": {"A": "<u>no</u>"},
        "option_feedback_html": {"A": "<code>no</code>"},
    }
    set_traits(page, phase="feedback", feedback=feedback)
    region = root.locator(".qw-feedback-region")
    assert region.get_by_text("<b>mine</b>").is_visible()
    assert region.locator("em", has_text="S3").is_visible()
    assert region.locator("strong", has_text="close").is_visible()
    assert region.locator(".qw-option-feedback code", has_text="no").is_visible()
    assert region.locator("b, u").count() == 0


@pytest.mark.browser
@pytest.mark.parametrize("screen", ["exam", "study", "review"])
def test_no_study_mode_key_leaves_the_widget(page, screen):
    extra = {
        "exam": dict(**EXAM, question_map=qmap(), time_limit=600, time_left=500, countdown_running=True),
        "study": dict(mode="study", total=6, question_map=qmap(f3=True)),
        "review": dict(phase="review", question={}, summary=SUMMARY, review_rows=REVIEW_ROWS),
    }[screen]
    mount(page, **extra)
    page.evaluate(LEAK_LISTENER)
    keys = [
        "n", "N", "p", "P", "f", "F", "h", "H", "m", "M", "s", "S", "Escape", "ArrowLeft", "ArrowRight",
        "ArrowUp", "ArrowDown", "Home", "End", "PageDown", "Space", "Enter", "Shift+Enter", "Control+Enter",
        "Shift+M", "Control+Shift+ArrowUp", "0", "0", "d", "d",
    ]  # fmt: skip
    for key in keys:
        page.evaluate("() => window.reply('')")
        target = page.locator(".qw-root button:not([disabled]):visible").first
        target.focus()
        page.keyboard.press(key)
        page.evaluate("() => window.reply('')")
        if screen != "review":
            page.locator(".qw-map-item").first.focus()
            page.keyboard.press(key)  # and from the map
    assert page.evaluate("window.leaked") == []


@pytest.mark.browser
def test_screenshots_of_the_map_and_the_review_light_and_dark(page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    exam_map = qmap(
        total=20, current=7, f3=True, f7=True, **{f"s{n}": "answered" for n in (1, 2, 3, 4, 5, 9, 12)}
    )
    practice_map = qmap(total=20, current=8, s1="right", s2="wrong", s3="right", s4="partial", f2=True, f9=True,
                        **{f"s{n}": "right" for n in (5, 6, 7)})  # fmt: skip
    screens = {
        "map-exam": dict(
            **{**EXAM, "total": 20},
            question_map=exam_map,
            question=question("multiChoice", number=7, given={"keys": ["B"]}),
            time_limit=2700,
            time_left=245,
            index=6,
        ),
        "map-practice": dict(total=20, question_map=practice_map, question=question(number=8), index=7),
        "review": dict(
            phase="review", question={}, summary=SUMMARY, review_rows=REVIEW_ROWS, index=10, answered=10
        ),
    }
    for theme in ("light", "dark"):
        page.evaluate("t => window.setTheme(t)", theme)
        for name, extra in screens.items():
            root = mount(page, **extra)
            path = SCREENSHOTS / f"quiz-{name}-{theme}.png"
            page.locator("#app").screenshot(path=str(path), animations="disabled")
            assert path.stat().st_size > 5_000
            assert root.is_visible()


# ------------------------------------------------------------------ keyboard and screen readers (19.4)
def focused(page):
    """The focused element's text, and whether it shows a focus ring (outline or box-shadow)."""
    return page.evaluate(
        """() => { const e = document.activeElement; const s = getComputedStyle(e);
                   return {text: e.textContent, ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                                                      || s.boxShadow !== 'none'}; }"""
    )


@pytest.mark.browser
def test_single_choice_is_a_radio_group_named_by_the_question_with_one_tab_stop(page):
    mount(page)
    group = page.get_by_role("radiogroup", name="Which AWS service stores objects?")
    radios = group.get_by_role("radio")
    assert radios.count() == 4
    assert (
        group.get_by_role("radio", name=re.compile(r"^B\b.*Amazon S3")).get_attribute("aria-checked")
        == "false"
    )
    # Tab reaches the group once, on its first option; the arrows move within it, wrapping, and send nothing.
    page.locator("#outside").focus()
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('role') === 'radio'"):
            break
    assert focused(page) == {"text": "A Amazon EC2", "ring": True}
    page.keyboard.press("ArrowDown")
    assert focused(page)["text"] == "B Amazon S3"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowUp")
    assert focused(page)["text"] == "B Amazon S3"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert focused(page)["text"] == "D AWS Lambda"
    page.keyboard.press("Home")
    assert focused(page)["text"] == "A Amazon EC2"
    page.keyboard.press("End")
    assert sent(page, "next") == [] and sent(page, "previous") == [] and answers(page) == []
    assert [r.get_attribute("tabindex") for r in radios.all()] == ["-1", "-1", "-1", "0"]
    page.keyboard.press("Shift+Tab")  # out of the group in one step, whichever option had the focus
    assert page.evaluate("document.activeElement.getAttribute('role')") != "radio"
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "D AWS Lambda"
    page.keyboard.press("ArrowUp")
    page.keyboard.press(" ")  # Space chooses the focused option
    assert answers(page) == [2]
    kernel_reply(page)
    # The option (or the first one, where the browser dropped the focus of a disabled control) has the focus.
    assert page.evaluate("document.activeElement.getAttribute('role')") == "radio"
    page.keyboard.press("End")
    page.keyboard.press("Enter")  # Enter too, as before
    assert answers(page) == [2, 3]
    kernel_reply(page)
    page.keyboard.press("b")  # the letters and numbers still choose
    assert answers(page) == [2, 3, 1]
    kernel_reply(page)
    # Outside the group the arrows keep their meaning: the next question.
    page.locator(".qw-root").focus()
    page.keyboard.press("ArrowRight")
    assert sent(page, "next") == [{"type": "next"}]


@pytest.mark.browser
def test_the_given_and_the_chosen_option_are_checked_radios(page):
    mount(page, **EXAM, question=question(given={"keys": ["C"]}))
    given = page.get_by_role("radio", name=re.compile(r"^C\b"))
    assert given.get_attribute("aria-checked") == "true" and given.get_attribute("tabindex") == "0"
    # Coming back to the question with the focus in the widget: the focus is on the checked option.
    page.locator(".qw-root").focus()
    set_traits(page, question=question(id=9, number=4, given={"keys": ["C"]}))
    assert focused(page)["text"].startswith("C")
    set_traits(page, mode="practice", phase="feedback", feedback=FEEDBACK_WRONG)
    chosen = page.get_by_role("radio", name=re.compile("Amazon EC2.*your answer"))
    assert chosen.get_attribute("aria-checked") == "true" and chosen.is_disabled()
    assert page.get_by_role("radio", checked=True).count() == 1


@pytest.mark.browser
def test_multi_choice_is_a_checkbox_group_the_arrows_move_in_and_space_checks(page):
    mount(page, question=question("multiChoice"))
    group = page.get_by_role("group", name="Which are storage services? (Choose TWO)")
    assert group.get_by_role("checkbox").count() == 5
    page.get_by_role("checkbox", name="Amazon EC2").focus()
    assert [b.get_attribute("tabindex") for b in group.get_by_role("checkbox").all()] == [
        "0",
        "-1",
        "-1",
        "-1",
        "-1",
    ]
    page.keyboard.press("ArrowDown")
    page.keyboard.press(" ")
    page.keyboard.press("End")
    page.keyboard.press(" ")
    assert focused(page)["ring"] is True
    # The focused option's whole box shows the ring, not only the small checkbox.
    ring = page.locator(".qw-option-multi").nth(4).evaluate("e => getComputedStyle(e).outlineStyle")
    assert ring == "solid"
    assert page.get_by_role("checkbox", name="Amazon S3").is_checked()
    assert page.get_by_role("checkbox", name="Amazon EBS").is_checked()
    assert sent(page, "next") == [] and answers(page) == []
    page.keyboard.press("Enter")
    assert answers(page) == [[1, 4]]


@pytest.mark.browser
def test_feedback_is_announced_once_not_again_on_a_redraw(page):
    root = mount(page, phase="feedback", index=3, answered=3, feedback=FEEDBACK_WRONG)
    live = root.locator(".qw-feedback-region")
    assert live.get_attribute("aria-live") == "polite" and "Incorrect" in live.inner_text()
    assert root.locator("[aria-live=polite]").filter(has_text="Incorrect").count() == 1
    page.evaluate(
        """() => { window.liveChanges = 0;
                   new MutationObserver((m) => { window.liveChanges += m.length; })
                     .observe(document.querySelector('.qw-feedback-region'),
                              {childList: true, subtree: true, characterData: true}); }"""
    )
    # Flagging the answered question redraws the question: the feedback is not said again.
    set_traits(page, question=question(flagged=True))
    page.wait_for_timeout(50)
    assert page.evaluate("window.liveChanges") == 0
    set_traits(page, feedback={**FEEDBACK_WRONG, "your_answer": "Amazon RDS", "chosen": ["C"]})
    page.wait_for_timeout(50)
    assert page.evaluate("window.liveChanges") > 0 and "Amazon RDS" in live.inner_text()


@pytest.mark.browser
def test_the_clocks_are_not_read_out_every_second(page):
    root = mount(page, clock_running=True, time_limit=600, time_left=301, countdown_running=True)
    for timer in (root.locator(".qw-timer"), root.locator(".qw-countdown")):
        assert timer.get_attribute("role") == "timer" and timer.get_attribute("aria-live") == "off"
        assert timer.locator("xpath=ancestor::*[@aria-live and @aria-live!='off']").count() == 0
    # The five-minute mark is said once, in the announcement region.
    page.wait_for_function("document.querySelector('.qw-announce').textContent.includes('5 minutes left')")


@pytest.mark.browser
def test_points_beside_the_score_while_the_quiz_runs_when_partial_credit_exists(page):
    root = mount(page, score=1, points=1.5, answered=2)
    assert root.locator(".qw-score").inner_text() == "Score: 1 / 2 (1.5 points)"
    set_traits(page, score=2, points=2, answered=3)  # whole answers only: no points to add
    assert root.locator(".qw-score").inner_text() == "Score: 2 / 3"
    set_traits(page, mode="exam", score=0, points=0)
    assert root.locator(".qw-score").is_hidden()


@pytest.mark.browser
def test_a_continued_attempt_note_is_gone_once_the_attempt_is_over(page):
    note = "Continuing your attempt of 3 May (2 of 10 answered)."
    root = mount(page, continued=note)
    assert root.get_by_text(note).is_visible()
    set_traits(page, phase="finished", question={}, summary=SUMMARY, index=10, answered=10)
    assert root.locator(".qw-continued").is_hidden()
    set_traits(page, phase="review", review_rows=REVIEW_ROWS, summary=SUMMARY)
    page.get_by_role("region", name="Review").wait_for()
    assert root.locator(".qw-continued").is_hidden()
    assert page.get_by_role("button", name="Start a new attempt").count() == 0


# --------------------------------------------------- the tour's follow-ups (issue 17): words and length
@pytest.mark.browser
@pytest.mark.parametrize(
    ("mode", "completed", "quit_by_user", "heading"),
    [
        ("practice", False, True, "Quiz finished early"),
        ("study", False, True, "Quiz finished early"),
        ("practice", True, False, "Quiz complete"),
        ("exam", True, False, "Exam complete"),
    ],
)
def test_the_finish_heading_names_a_quiz_or_an_exam_as_the_mode_is(
    page, mode, completed, quit_by_user, heading
):
    summary = {
        **SUMMARY,
        "mode": mode,
        "submitted": True,
        "completed": completed,
        "quit_by_user": quit_by_user,
    }
    root = mount(page, mode=mode, phase="finished", index=10, answered=10, question={}, summary=summary)
    assert root.locator(".qw-finished-title").inner_text() == heading


def review_rows(total=24, answered=(1,)):
    """A review of `total` questions where only the numbers in `answered` were answered (wrong)."""
    return [
        {"number": n, "question": f"Question text {n}", "question_html": "", "topic": "",
         "status": "wrong" if n in answered else "unanswered", "your_answer": "A" if n in answered else "",
         "correct_answer": "C", "explanation": "", "explanation_html": "", "flagged": False, "revealed": False}
        for n in range(1, total + 1)
    ]  # fmt: skip


@pytest.mark.browser
def test_a_review_after_finishing_early_lists_the_unanswered_questions_on_one_line(page):
    # Finished early after one answer: 23 full rows of "Not answered" were about 5,000 px to scroll.
    rows = review_rows(24, answered=(1,))
    summary = {**SUMMARY, "mode": "practice", "completed": False, "quit_by_user": True, "answered": 1}
    root = mount(page, phase="review", question={}, summary=summary, review_rows=rows, index=1, answered=1)
    review = page.get_by_role("region", name="Review")
    assert [n.inner_text() for n in review.locator(".qw-review-number").all()] == ["Question 1"]
    line = review.locator(".qw-review-skipped")
    assert line.inner_text().startswith("23 questions not answered: 2-24")
    assert review.evaluate("e => e.getBoundingClientRect().height") < 700
    # All of them are one click away, in full, with their right answers.
    page.get_by_role("button", name="Not answered (23)").click()
    assert review.locator(".qw-review-item").count() == 23
    assert review.locator(".qw-review-item").nth(0).get_by_text("Question 2").is_visible()
    page.get_by_role("button", name="All (24)").click()
    assert review.locator(".qw-review-item").count() == 1
    line.get_by_role("button", name="Show them").click()
    assert review.locator(".qw-review-item").count() == 23
    assert root.locator(".qw-review-skipped").count() == 0


@pytest.mark.browser
@pytest.mark.parametrize(
    ("mode", "answered"), [("practice", (1, 2, 3, 5)), ("exam", (1, 3))], ids=["few-unanswered", "exam"]
)
def test_a_review_lists_unanswered_questions_in_place_when_few_or_in_a_submitted_exam(page, mode, answered):
    # Two left blank of six: their right answers are worth reading in place. In a submitted exam they count
    # as not right, however many: part of the result under review.
    rows = review_rows(6, answered=answered)
    summary = {**SUMMARY, "mode": mode}
    mount(page, mode=mode, phase="review", question={}, summary=summary, review_rows=rows, index=6)
    review = page.get_by_role("region", name="Review")
    numbers = [n.inner_text() for n in review.locator(".qw-review-number").all()]
    assert numbers == [f"Question {n}" for n in range(1, 7)]
    assert review.locator(".qw-review-skipped").count() == 0
    assert page.get_by_role("button", name=f"Not answered ({6 - len(answered)})").is_visible()
