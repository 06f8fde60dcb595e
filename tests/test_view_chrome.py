"""The quiz view's chrome in a real browser against the fake model of tests/view_harness/ (issue 17):
keys inside a shadow root (marimo), the "Start a new attempt" confirmation, math at the text's size, the
way back from a study quiz, the look of a view that takes no clicks.

The harness (page, mount, set_traits, sent, kernel_reply) is test_view_harness.py's.
"""

# ruff: noqa: F811 - the harness fixtures are imported, and pytest passes them back in by name

from __future__ import annotations

import re

import pytest
from test_view_harness import (  # noqa: F401 - fixtures are found by name
    FEEDBACK_WRONG,
    SCREENSHOTS,
    browser,
    kernel_reply,
    mount,
    page,
    question,
    sent,
    server,
    set_traits,
    traits,
)

# marimo draws an anywidget inside a shadow root: this mounts a view the same way, from the same module
# the harness page loaded, with its stylesheet inside the shadow root.
MOUNT_IN_SHADOW = """async ([traits, view]) => {
    const modules = {quiz: "/widget/quiz.js", list: "/widget/browser.js"};
    const {default: widget} = await import(modules[view]);
    const {FakeModel} = await import("/tests/view_harness/fake_model.js");
    if (window.cleanup) window.unmount();
    window.sent = [];
    const host = document.createElement("div");
    host.id = "shadow-host";
    document.getElementById("app").replaceChildren(host);
    const shadow = host.attachShadow({mode: "open"});
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = view === "quiz" ? "/widget/quiz.css" : "/widget/browser.css";
    const loaded = new Promise((resolve) => link.addEventListener("load", resolve));
    const el = document.createElement("div");
    shadow.append(link, el);
    await loaded;
    window.model = new FakeModel(traits);
    window.cleanup = widget.render({model: window.model, el});
}"""

SHADOW_ACTIVE = "() => document.getElementById('shadow-host').shadowRoot.activeElement?.textContent ?? null"


def mount_in_shadow(page, view="quiz", **values):
    page.evaluate(MOUNT_IN_SHADOW, [values if view == "list" else traits(**values), view])


# ------------------------------------------------------------------ keys inside a shadow root (17.12)
@pytest.mark.browser
def test_keys_keep_working_after_a_click_inside_a_shadow_root(page):
    mount_in_shadow(page)
    page.get_by_role("radio", name="Amazon EC2").click()
    assert [m["value"] for m in sent(page, "answer")] == [0]
    set_traits(page, phase="feedback", feedback=FEEDBACK_WRONG, index=3, answered=3)
    page.evaluate("() => window.reply('')")
    # The reply hands the focus on to Next, inside the shadow root: the keyboard goes on working.
    assert page.evaluate(SHADOW_ACTIVE) == "Next"
    page.keyboard.press("n")
    assert len(sent(page, "next")) == 1
    set_traits(page, phase="question", feedback={}, question=question(id=8, number=4, text="Next one?"))
    page.evaluate("() => window.reply('')")
    page.keyboard.press("2")
    assert [m["value"] for m in sent(page, "answer")] == [0, 1]


SESSION_ROW = {
    "id": "s1",
    "title": "Cloud Practitioner Practice",
    "date": "2024-11-01 20:05",
    "progress": "3/10",
    "score": "2/3",
    "time": "0:05:10",
    "state": "in progress",
}
LIST_TRAITS = {
    "tab": "sessions",
    "sessions": [SESSION_ROW],
    "results": [],
    "confirm": {},
    "notice": "",
    "error": "",
}


@pytest.mark.browser
def test_session_list_confirmation_takes_the_keys_inside_a_shadow_root(page):
    mount_in_shadow(page, "list", **LIST_TRAITS)
    page.get_by_role("button", name=re.compile("^Delete Cloud")).click()
    assert sent(page, "delete") == [{"type": "delete", "id": "s1"}]
    set_traits(page, confirm={"text": "Delete this session?"})
    page.evaluate("() => window.reply('')")
    # The focus goes to Cancel (the safe choice), so Escape cancels.
    assert page.evaluate(SHADOW_ACTIVE) == "Cancel"
    page.keyboard.press("Escape")
    assert sent(page, "cancel") == [{"type": "cancel"}]


# ------------------------------------------------------- "Start a new attempt" asks first (17.8)
CONTINUED = "Continuing your attempt of 2024-11-01 20:05 (3 of 10 answered)."


@pytest.mark.browser
def test_start_a_new_attempt_asks_first_like_finish(page):
    root = mount(page, continued=CONTINUED)
    start = page.get_by_role("button", name="Start a new attempt")
    start.click()
    assert sent(page, "new_attempt") == []  # one click ends nothing
    group = page.get_by_role("group", name="Confirm new attempt")
    assert group.is_visible()
    assert group.get_by_text("Start a new attempt?").is_visible()
    # The same look as Finish's confirmation, and the safe choice has the focus.
    assert "qw-danger" in group.get_by_role("button", name="Yes, start again").get_attribute("class")
    assert page.evaluate("document.activeElement.textContent") == "Cancel"
    page.keyboard.press("Escape")
    assert not group.is_visible()
    assert page.evaluate("document.activeElement.textContent") == "Start a new attempt"
    assert sent(page, "new_attempt") == []
    # Keyboard only: Enter opens it again, Tab reaches "Yes", Enter confirms.
    page.keyboard.press("Enter")
    assert group.is_visible()
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.textContent") == "Yes, start again"
    page.keyboard.press("Enter")
    assert sent(page, "new_attempt") == [{"type": "new_attempt"}]
    kernel_reply(page)
    set_traits(page, continued="", answered=0, score=0)
    assert not root.get_by_text(CONTINUED).is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for theme in ("light", "dark"):
        page.evaluate("t => window.setTheme(t)", theme)
        mount(page, continued=CONTINUED)
        page.get_by_role("button", name="Start a new attempt").click()
        page.locator("#app").screenshot(path=str(SCREENSHOTS / f"quiz-new-attempt-confirm-{theme}.png"))


# ------------------------------------------------------------ math at the text's size (17.2)
def rendered(text):
    from quiz_widgets.richtext.render import render

    return render(text)


MATH_OPTIONS = [
    {"key": k, "text": t, "html": rendered(t)}
    for k, t in [("A", "$\\frac{1}{2}$"), ("B", "$3x^2$"), ("C", "$\\sqrt{2}$"), ("D", "None of these")]
]
MATH_FEEDBACK = {
    **FEEDBACK_WRONG,
    "explanation": "Half of one is $\\frac{1}{2}$, so the answer is $\\frac{1}{2}$ of the whole.",
    "explanation_html": rendered(
        "Half of one is $\\frac{1}{2}$, so the answer is $\\frac{1}{2}$ of the whole."
    ),
}

# Boxes and computed sizes, read in the page.
MEASURE_OPTION = """(button) => {
    const key = button.querySelector('.qw-key').getBoundingClientRect();
    const math = button.querySelector('math');
    const box = math.getBoundingClientRect();
    return {keyTop: key.top, keyBottom: key.bottom, mathTop: box.top, mathBottom: box.bottom,
            mathSize: parseFloat(getComputedStyle(math).fontSize),
            textSize: parseFloat(getComputedStyle(button).fontSize)};
}"""
MEASURE_FRACTION = """(text) => {
    const number = text.querySelector('mfrac mn');
    return {numberSize: parseFloat(getComputedStyle(number).fontSize),
            textSize: parseFloat(getComputedStyle(text).fontSize)};
}"""


@pytest.mark.browser
def test_an_option_of_math_keeps_its_letter_on_its_line_at_the_texts_size(page):
    mount(page, question=question(text="Which is one half?", options=MATH_OPTIONS))
    for key in "ABC":
        option = page.get_by_role("radio", name=re.compile(rf"^{key}\b"))
        m = option.evaluate(MEASURE_OPTION)
        # One line: the math starts above the letter's bottom edge, not below it.
        assert m["mathTop"] < m["keyBottom"] and m["mathBottom"] > m["keyTop"], (key, m)
        assert m["mathSize"] == pytest.approx(m["textSize"], abs=0.5), (key, m)
        assert option.bounding_box()["height"] < 60, key  # no second line


@pytest.mark.browser
def test_an_inline_fraction_in_an_explanation_is_at_the_texts_size(page):
    mount(page, phase="feedback", index=3, answered=3, feedback=MATH_FEEDBACK)
    text = page.locator(".qw-explanation-text")
    assert text.locator("math").count() == 2
    m = text.evaluate(MEASURE_FRACTION)
    # A fraction in a sentence reads like the sentence (as \\dfrac): not at a superscript's size.
    assert m["numberSize"] >= 0.9 * m["textSize"], m
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for theme in ("light", "dark"):
        page.evaluate("t => window.setTheme(t)", theme)
        mount(page, question=question(text="Which is one half?", options=MATH_OPTIONS))
        page.locator("#app").screenshot(path=str(SCREENSHOTS / f"quiz-math-options-{theme}.png"))
        mount(page, phase="feedback", index=3, answered=3, feedback=MATH_FEEDBACK)
        page.locator("#app").screenshot(path=str(SCREENSHOTS / f"quiz-math-feedback-{theme}.png"))


# ------------------------------------------------- a view whose kernel is gone looks it (17.6)
LOST = "The kernel was restarted"


@pytest.mark.browser
@pytest.mark.parametrize("how", ["comm_live_update", "send_throws"])
def test_a_view_whose_kernel_is_gone_says_so_and_takes_no_clicks(page, how):
    root = mount(page, clock_running=True)
    assert not root.get_by_text(LOST).is_visible()
    if how == "comm_live_update":
        # What ipywidgets' manager does to every model when the kernel restarts (comm_live = false).
        page.evaluate("() => window.model.emit('comm_live_update')")
    else:
        # JupyterLab's comm of a dead kernel throws on send ("Cannot send").
        page.evaluate("() => { window.model.send = () => { throw new Error('Cannot send'); }; }")
        page.get_by_role("radio", name="Amazon S3").click()
    banner = page.get_by_role("alert").filter(has_text=LOST)
    banner.wait_for()
    assert "Run its cell again" in banner.inner_text()
    for role, name in [
        ("radio", "Amazon EC2"),
        ("radio", "Amazon S3"),
        ("button", "Pause"),
        ("button", "Finish"),
    ]:
        assert page.get_by_role(role, name=name).is_disabled(), name
    assert "qw-inactive" in root.get_attribute("class")
    assert (
        float(page.get_by_role("radio", name="Amazon EC2").evaluate("b => getComputedStyle(b).opacity")) < 0.7
    )
    before = page.evaluate("window.sent.length")
    page.get_by_role("radio", name="Amazon EC2").click(force=True)
    page.locator(".qw-root").focus()
    page.keyboard.press("2")
    assert page.evaluate("window.sent.length") == before
    # The clock stops: the kernel that kept the time is gone.
    shown = page.get_by_role("timer").inner_text()
    page.wait_for_timeout(1200)
    assert page.get_by_role("timer").inner_text() == shown


# --------------------------------------------- the session list in a narrow panel (17.13)
# Each word of a cell's text, as the number of line boxes it is drawn on (1: whole).
WORD_LINES = """(cell) => {
    const node = cell.firstChild;
    const words = [];
    const re = /\\S+/g;
    let m;
    while ((m = re.exec(node.textContent))) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        words.push([m[0], tops.size]);
    }
    return words;
}"""


@pytest.mark.browser
def test_the_session_list_keeps_title_words_whole_in_a_narrow_panel(page):
    rows = [
        {**SESSION_ROW, "id": f"s{i}", "title": title}
        for i, title in enumerate(
            ["AWS Certified Cloud Practitioner Practice", "Introduction to Thermodynamics"]
        )
    ]
    page.evaluate("() => { document.getElementById('app').style.width = '420px'; }")
    page.evaluate("t => window.mount(t, 'list')", {**LIST_TRAITS, "sessions": rows})
    cells = page.locator(".qw-table .qw-col-title")
    assert cells.count() == 2
    for i in range(2):
        words = cells.nth(i).evaluate(WORD_LINES)
        assert words and all(lines == 1 for _word, lines in words), words
    page.locator("#app").screenshot(path=str(SCREENSHOTS / "list-narrow.png"))


# ------------------------------------------------- the way back from a study quiz (17.9)
@pytest.mark.browser
def test_a_study_quiz_offers_the_way_back_to_the_results(page):
    root = mount(page, mode="study", can_go_back=True, exam_title="Study: Warm-up")
    back = page.get_by_role("button", name="Back to results")
    assert back.is_visible() and back.is_enabled()
    back.click()
    assert sent(page, "back_to_results") == [{"type": "back_to_results"}]
    kernel_reply(page)
    # The kernel shows the finished attempt again: no way back from there.
    set_traits(page, can_go_back=False, mode="practice", phase="finished", question={}, summary={"score": 1})
    assert back.is_hidden()
    # Keyboard: the first stop in the widget, before the header.
    mount(page, mode="study", can_go_back=True)
    page.locator("#outside").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "\u2190 Back to results"
    page.keyboard.press("Enter")
    assert sent(page, "back_to_results") == [{"type": "back_to_results"}]
    for theme in ("light", "dark"):
        page.evaluate("t => window.setTheme(t)", theme)
        mount(page, mode="study", can_go_back=True, exam_title="Study: Warm-up")
        page.locator("#app").screenshot(path=str(SCREENSHOTS / f"quiz-back-to-results-{theme}.png"))
    assert root.count() == 1


# ------------------------------------- a widget its re-run cell replaced looks inactive (17.13)
STALE = (
    "session_20241101_200508.json: this session goes on in a newer quiz in this kernel (its cell ran "
    "again, or the file was resumed); this one saves nothing now and takes no more answers. Answer "
    "there, or run this cell again to go on here."
)


@pytest.mark.browser
def test_a_closed_quiz_looks_inactive_and_takes_no_clicks(page):
    root = mount(page, warning=STALE, closed=True, continued=CONTINUED)
    assert root.get_by_role("alert").filter(has_text="session_20241101_200508.json").is_visible()
    options = [("radio", "Amazon EC2"), ("radio", "Amazon S3")]
    for role, name in [
        *options,
        ("button", "Pause"),
        ("button", "Finish"),
        ("button", "Start a new attempt"),
    ]:
        button = page.get_by_role(role, name=name)
        assert button.is_disabled(), name
        assert float(button.evaluate("b => getComputedStyle(b).opacity")) < 0.7, name
    page.get_by_role("radio", name="Amazon EC2").click(force=True)
    page.locator(".qw-root").focus()
    page.keyboard.press("2")
    assert sent(page, "answer") == []
    for theme in ("light", "dark"):
        page.evaluate("t => window.setTheme(t)", theme)
        mount(page, warning=STALE, closed=True)
        page.locator("#app").screenshot(path=str(SCREENSHOTS / f"quiz-closed-{theme}.png"))


@pytest.mark.browser
def test_a_session_list_whose_kernel_is_gone_says_so_and_takes_no_clicks(page):
    page.evaluate("t => window.mount(t, 'list')", LIST_TRAITS)
    page.evaluate("() => window.model.emit('comm_live_update')")
    alert = page.get_by_role("alert").filter(has_text="The kernel was restarted")
    alert.wait_for()
    for name in [re.compile("^Resume Cloud"), re.compile("^Delete Cloud"), "Refresh", "Clear all"]:
        assert page.get_by_role("button", name=name).is_disabled(), name
    page.get_by_role("button", name=re.compile("^Resume Cloud")).click(force=True)
    assert sent(page) == []
