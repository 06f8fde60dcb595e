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
    page.get_by_role("button", name="Amazon EC2").click()
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
