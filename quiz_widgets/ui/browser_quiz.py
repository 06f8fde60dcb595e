"""The SessionBrowser's one QuizWidget: made with the browser, it shows each attempt a Resume or Study opens.

marimo shows no widget containers and cannot make an anywidget inside a widget's callback, so the browser
never makes a widget after its cell ran: its quiz is made at once (embedded_quiz) and every attempt is
swapped into it (swap_in). The quiz has no model in the page: its comm is a QuizRelay, so its traits reach
the page as the browser's ``quiz_state`` and its replies as the browser's own messages.
"""

from __future__ import annotations

import contextlib
import uuid
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets

from quiz_widgets.exam import Exam, load_exam
from quiz_widgets.kernel.quiz_start import live_session
from quiz_widgets.quiz.state import QuizState
from quiz_widgets.ui.quiz_widget import QuizWidget

if TYPE_CHECKING:
    from quiz_widgets.ui.session_browser import SessionBrowser

__all__ = ["QUIZ_TRAITS", "QuizRelay", "embedded_quiz", "let_go", "swap_in"]

# The quiz's own traits, as the browser's page sees them in quiz_state (not the anywidget/DOM plumbing).
QUIZ_TRAITS = tuple(
    name
    for name in QuizWidget.class_trait_names(sync=True)
    if not name.startswith("_") and name not in ipywidgets.DOMWidget.class_trait_names()
)
# What the browser's one QuizWidget holds before the first Resume or Study: never shown, never saved (a
# session file appears at the first answer).
_NO_QUIZ = {
    "title": "No session open",
    "questions": [{"id": 1, "question": "No session is open.", "type": "trueFalse", "answer": True}],
}


class QuizRelay:
    """The browser's QuizWidget's comm: what ipywidgets sends on it goes to the browser's page instead.

    State updates become the browser's ``quiz_state``; custom messages (the replies) are sent as the
    browser's own. The quiz has no model in the page, so a Resume needs no new widget there.
    """

    kernel = "quiz_widgets"  # ipywidgets sends only on a comm whose kernel is not None

    def __init__(self, browser: SessionBrowser) -> None:
        self.comm_id = uuid.uuid4().hex
        self._browser = weakref.ref(browser)

    def send(self, data: Any = None, metadata: Any = None, buffers: Any = None) -> None:
        browser = self._browser()
        if browser is None or browser.comm is None or not isinstance(data, Mapping):
            return
        if data.get("method") == "update":
            browser._quiz_update(data.get("state") or {})
        elif data.get("method") == "custom":
            browser.send(data.get("content"))

    def on_msg(self, callback: Any) -> None:
        pass  # the page's messages reach the quiz through the browser (SessionBrowser._to_quiz)

    def open(self, *args: Any, **kwargs: Any) -> None:
        pass

    def close(self, *args: Any, **kwargs: Any) -> None:
        pass


def embedded_quiz(
    browser: SessionBrowser, base: Path, autosave_interval: float, lang: str | None
) -> QuizWidget:
    """The browser's quiz, made while its cell runs, holding no attempt yet (its placeholder let go)."""
    relay = QuizRelay(browser)
    quiz = QuizWidget(
        load_exam(_NO_QUIZ),
        base_dir=base,
        autosave_interval=autosave_interval,
        attempt="new",
        comm=relay,
        lang=lang,
    )
    if quiz.comm is not relay:
        # marimo gives every widget made a comm of its own (its widget-constructed hook): the quiz talks
        # through the browser all the same.
        own, quiz.comm = quiz.comm, relay
        with contextlib.suppress(Exception):
            own.close()
    # The quiz has no model of its own in the page: displayed by itself it would be an empty "model not
    # found" box.
    quiz._repr_mimebundle_ = _shown_in_the_browser
    let_go(quiz)
    return quiz


def let_go(quiz: QuizWidget) -> None:
    """The attempt in the browser's quiz: its tasks stopped, saved, its session file let go (so the list
    may delete it, and another quiz resume it)."""
    live = quiz._live
    live.tasks.stop_attempt()
    ctl = live.controller
    if ctl is not None and not ctl.writer.closed:
        if ctl.writer.dirty:
            ctl.writer.save()
        ctl.writer.close()


def swap_in(quiz: QuizWidget, exam: Exam, state: QuizState | None = None, path: Path | None = None) -> None:
    """An attempt (a resumed session's state and file, or a new one of ``exam``) into the browser's quiz,
    the one before it let go (no widget is made here)."""
    let_go(quiz)
    live = quiz._live
    # "Back to results" belongs to the attempt a study quiz was made from, never to the next one opened.
    live._results = live._study = None
    if state is not None and path is not None:
        state = live_session(live.manager, path, exam, state, live.owner)
    quiz._start(exam, state, path)
    # Resumed on purpose: "Continuing your attempt ... Start a new attempt" would say it twice.
    quiz.continued = ""


def _shown_in_the_browser(**_kwargs: Any) -> dict[str, str]:
    return {"text/plain": "This quiz is shown inside its SessionBrowser: display the browser to see it."}
