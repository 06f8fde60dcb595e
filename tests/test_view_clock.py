"""The quiz clock counts only while a view shows the quiz, and a view that stops reporting expires.

A crashed browser never says goodbye: each view repeats its "visible" report as a beat, and the kernel
drops a view whose last beat is older than the timeout. Time is an injected monotonic clock here.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from fake_time import FakeTime
from widget_utils import page_message

from quiz_widgets import QuizWidget, SessionManager, load_exam
from quiz_widgets.kernel.controller import VIEW_TIMEOUT, QuizController
from quiz_widgets.kernel.writer import SessionWriter
from quiz_widgets.quiz.state import Clock, QuizState

EXAM = {
    "title": "Clock Drill",
    "questions": [
        {"id": 1, "question": "Pick C", "options": {"A": "a", "B": "b", "C": "c"}, "answer": "C"},
        {"id": 2, "question": "Pick A", "options": {"A": "a", "B": "b", "C": "c"}, "answer": "A"},
    ],
}


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime(5000.0)


@pytest.fixture
def controller(tmp_path: Path, fake: FakeTime):
    state = QuizState(load_exam(EXAM), clock=Clock(now=fake))
    writer = SessionWriter(state, SessionManager(tmp_path))
    writer.open()
    ctl = QuizController(state, writer, now=fake, view_timeout=30.0)
    yield ctl
    writer.close()


def beat(ctl: QuizController, view: str, visible: bool = True) -> None:
    ctl.handle_message({"type": "visibility", "visible": visible, "view": view})
    assert ctl.error == ""


def test_the_default_timeout_outlasts_several_beats() -> None:
    # The page beats every 10 s; three missed beats (a busy tab, a slow network) are not a crash.
    assert VIEW_TIMEOUT >= 30


def test_a_view_that_keeps_beating_keeps_the_clock(controller: QuizController, fake: FakeTime) -> None:
    beat(controller, "tab-1")
    for _ in range(10):
        fake.advance(10)
        assert controller.expire_views() is False
        beat(controller, "tab-1")
    assert controller.state.clock.running
    assert controller.state.elapsed_seconds == pytest.approx(100)


def test_a_view_that_stops_beating_is_dropped_and_the_clock_stops(
    controller: QuizController, fake: FakeTime
) -> None:
    beat(controller, "crashed")
    fake.advance(25)
    assert controller.expire_views() is False and controller.state.clock.running
    fake.advance(10)  # 35 s since the last beat: past the 30 s timeout
    assert controller.expire_views() is True
    assert "crashed" not in controller.views
    assert not controller.state.clock.running
    frozen = controller.state.elapsed_seconds
    assert frozen == pytest.approx(35)
    fake.advance(3600)  # the kernel lives on for an hour; nobody watches
    assert controller.state.elapsed_seconds == frozen
    # The stop was saved: the file does not count the unseen hour either.
    saved = json.loads(Path(controller.writer.path).read_text())
    assert saved["timer_data"]["elapsed_seconds"] == int(frozen)


def test_only_the_silent_view_expires(controller: QuizController, fake: FakeTime) -> None:
    beat(controller, "tab-1")
    beat(controller, "tab-2")
    for _ in range(4):
        fake.advance(10)
        beat(controller, "tab-2")  # tab-1 went silent
    assert controller.expire_views() is True
    assert set(controller.views) == {"tab-2"}
    assert controller.state.clock.running


def test_a_view_that_comes_back_after_expiry_restarts_the_clock(
    controller: QuizController, fake: FakeTime
) -> None:
    beat(controller, "laptop")
    fake.advance(120)  # the laptop slept
    controller.expire_views()
    assert not controller.state.clock.running
    beat(controller, "laptop")
    assert controller.state.clock.running
    fake.advance(5)
    assert controller.state.elapsed_seconds == pytest.approx(125)


def test_hidden_views_expire_too_and_never_count(controller: QuizController, fake: FakeTime) -> None:
    beat(controller, "tab-1", visible=False)
    assert not controller.state.clock.running
    fake.advance(31)
    assert controller.expire_views() is True
    assert controller.views == {}
    assert not controller.state.clock.running


def test_a_quiz_without_views_never_expires(controller: QuizController, fake: FakeTime) -> None:
    # Driven from Python (no page ever reported): the clock counts from the start, as before.
    fake.advance(3600)
    assert controller.expire_views() is False
    assert controller.state.clock.running


def test_the_widget_expires_silent_views_on_its_own_and_tells_the_page(
    tmp_path: Path, recording_comms, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quiz_widgets.kernel import loop_tasks

    monkeypatch.setattr(loop_tasks, "VIEW_CHECK_SECONDS", 0.01)
    fake = FakeTime(5000.0)
    comms = []

    async def scenario() -> tuple[bool, bool, float, float]:
        quiz = QuizWidget(EXAM, base_dir=tmp_path, autosave_interval=0)
        comms.append(quiz.comm)
        try:
            quiz._ctl._now = fake
            page_message(quiz, {"type": "visibility", "visible": True, "view": "gone"})
            running_before = quiz.clock_running
            fake.advance(VIEW_TIMEOUT + 1)
            for _ in range(500):  # the watcher runs on the loop, as in a kernel between cells
                await asyncio.sleep(0.01)
                if not quiz.clock_running:
                    break
            first = quiz.elapsed_seconds
            await asyncio.sleep(0.05)
            return running_before, quiz.clock_running, first, quiz.elapsed_seconds
        finally:
            quiz.close()

    running_before, running_after, first, second = asyncio.run(scenario())
    assert running_before is True
    assert running_after is False, "the silent view was never expired"
    assert second == first  # stopped means stopped
    published = [s for s in comms[0].states_sent() if "clock_running" in s]
    assert published[-1]["clock_running"] is False
