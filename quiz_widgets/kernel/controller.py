"""The quiz as a screen: phases, the user's intents, and the order of saving and showing.

QuizState knows the answers; this class knows what is on screen (a question, its feedback, the pause
cover, the finish screen) and enforces the one ordering rule that matters: an answer is on disk before
its feedback is shown. It has no widget in it, so tests drive it as plain Python.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from quiz_widgets.errors import ExamError, SessionError
from quiz_widgets.exam import Exam
from quiz_widgets.kernel import protocol as view_model
from quiz_widgets.kernel.writer import SessionWriter
from quiz_widgets.quiz.results import build_results, build_study_exam
from quiz_widgets.quiz.state import AnswerResult, QuizState

log = logging.getLogger(__name__)

PHASES = ("question", "feedback", "paused", "finished")
# A view repeats its "visible" report every 10 s (quiz.js BEAT_MS); one silent for this long is gone (a
# crashed browser, a lost network) and no longer keeps the clock running. Three missed beats, so a busy
# page or a slow link is not mistaken for a crash.
VIEW_TIMEOUT = 35.0
# The widget's synced traits that view_state() fills, in one place for the widget and its tests.
VIEW_TRAITS = (
    "exam_title",
    "total",
    "index",
    "phase",
    "question",
    "feedback",
    "score",
    "answered",
    "elapsed",
    "clock_running",
    "summary",
    "warning",
    "error",
    "read_only",
)


class QuizController:
    def __init__(
        self,
        state: QuizState,
        writer: SessionWriter,
        *,
        now: Callable[[], float] = time.monotonic,
        view_timeout: float = VIEW_TIMEOUT,
    ) -> None:
        self.state = state
        self.writer = writer
        self.last_result: AnswerResult | None = None
        self.phase = "finished" if state.completed or state.quit_by_user else "question"
        self._phase_before_pause = "question"
        # View id -> on screen. Empty and never reported: a quiz driven from Python, which counts from its
        # start. Once views report, the clock runs while any of them is on screen.
        self.views: dict[str, bool] = {}
        self._views_reported = False
        # View id -> monotonic time of its last report, for expire_views().
        self._last_seen: dict[str, float] = {}
        self._now = now
        self.view_timeout = float(view_timeout)
        self.warning = ""  # other notes (results file, takeover); save problems come from the writer
        self.error = ""
        self.results_path: Path | None = None
        self._update_clock()

    # -- intents ---------------------------------------------------------------------------------------
    def answer(self, value: object) -> AnswerResult:
        self.writer.require_writable()
        if self.phase == "paused":
            raise SessionError("the quiz is paused: unpause it before answering")
        result = self.state.answer(value)
        self.last_result = result
        self.phase = "feedback"
        self.error = ""
        if self.state.completed:
            self._write_results()
        self._update_clock()
        # Saved before the caller publishes the feedback: nothing shown was not first on disk.
        self.writer.save()
        return result

    def next(self) -> None:
        if self.phase == "feedback":
            self.phase = "finished" if self.state.completed else "question"
            self._update_clock()

    def pause(self) -> None:
        if self.phase in ("question", "feedback"):
            self._phase_before_pause = self.phase
            self.phase = "paused"
            self._update_clock()
            self.writer.save()

    def unpause(self) -> None:
        if self.phase == "paused":
            self.phase = self._phase_before_pause
            self._update_clock()

    def finish(self) -> None:
        if not self.state.completed and not self.state.quit_by_user:
            self.writer.require_writable()
            self.state.finish(quit_by_user=True)
        self.phase = "finished"
        self._update_clock()
        self.writer.save()

    def set_visible(self, visible: bool, view: str = "page") -> None:
        """A view was shown or hidden (a background tab, a cell scrolled away); repeated as its beat."""
        self._views_reported = True
        self.views[view] = visible
        self._last_seen[view] = self._now()
        self._update_clock()
        if not self.state.clock.running:
            self.writer.save()

    def view_closed(self, view: str = "page") -> None:
        """A view is gone (page closed, output cleared): it no longer keeps the clock running."""
        self._views_reported = True
        self.views.pop(view, None)
        self._last_seen.pop(view, None)
        self._update_clock()
        if not self.state.clock.running:
            self.writer.save()

    def expire_views(self) -> bool:
        """Drop the views whose last report is older than ``view_timeout``; True if any was dropped.

        A crashed browser or a lost connection never sends ``closing``: without this its last "visible"
        would keep the clock running until the kernel dies.
        """
        now = self._now()
        stale = [view for view, seen in self._last_seen.items() if now - seen > self.view_timeout]
        if not stale:
            return False
        for view in stale:
            self.views.pop(view, None)
            del self._last_seen[view]
        was_running = self.state.clock.running
        self._update_clock()
        if was_running and not self.state.clock.running:
            self.writer.save()
        return True

    @property
    def watching_views(self) -> bool:
        """True while some view has reported and may go silent (what the widget's watcher checks)."""
        return bool(self._last_seen)

    def writer_ended(self) -> None:
        """The writer was closed or replaced: the clock stops; every later change is refused."""
        self._update_clock()

    def study_exam(self) -> Exam:
        """An exam of the questions answered wrongly in this quiz."""
        if not self.state.wrong_answers:
            raise ExamError("there are no wrong answers to study in this quiz")
        return build_study_exam([build_results(self.state)], [self.state.exam])

    def handle_message(self, content: object) -> str | None:
        """Apply one message from the page. Returns "study" when the widget must start a study quiz."""
        try:
            if isinstance(content, Mapping) and content.get("type") == "answer" and self.phase != "question":
                # A second click that raced the feedback, or a page out of step: never a new answer.
                raise view_model.MessageError(
                    f"cannot answer now: the quiz shows {self.phase!r}, not a question"
                )
            intent = view_model.parse_message(content, self.state.current_question)
            self.error = ""
            return self._dispatch(intent)
        except (view_model.MessageError, ExamError, SessionError) as exc:
            self.error = str(exc)
        return None

    def _dispatch(self, intent: view_model.Intent) -> str | None:
        if intent.kind == "answer":
            self.answer(intent.value)
        elif intent.kind == "visibility":
            view, visible = intent.value
            self.set_visible(visible, view)
        elif intent.kind == "closing":
            self.view_closed(intent.value)
        elif intent.kind == "study":
            if self.phase != "finished":
                raise view_model.MessageError("the study quiz is offered on the finish screen only")
            return "study"
        else:
            getattr(self, intent.kind)()
        return None

    # -- what the page sees ----------------------------------------------------------------------------
    def view_state(self) -> dict[str, Any]:
        state = self.state
        feedback: dict[str, Any] = {}
        question: dict[str, Any] = {}
        index = state.current_index
        if self.phase == "question":
            question = view_model.question_payload(state.current_question, index)
        elif self.phase == "feedback" and self.last_result is not None:
            index = self.last_result.index
            question = view_model.question_payload(self.last_result.question, index)
            feedback = view_model.feedback_payload(self.last_result)
        return {
            "exam_title": state.exam.title,
            "total": len(state.order),
            "index": index,
            "phase": self.phase,
            "question": question,
            "feedback": feedback,
            "score": state.score,
            "answered": state.total_answered,
            "elapsed": round(state.elapsed_seconds, 3),
            "clock_running": state.clock.running,
            "summary": view_model.summary_payload(state) if self.phase == "finished" else {},
            "warning": self._warning(),
            "error": self.error,
            "read_only": self.writer.read_only,
        }

    # -- internals -------------------------------------------------------------------------------------
    def _warning(self) -> str:
        # Derived from the writer, so a save that recovers clears its own warning and nothing else's.
        writer = self.writer
        if writer.ended is not None:
            return writer.ended
        if writer.last_error:
            return writer.last_error
        if writer.read_only and writer.path is not None:
            return f"{writer.path.name} is open in another kernel: this copy is read-only and saves nothing."
        return self.warning

    def _update_clock(self) -> None:
        running = (
            self.phase in ("question", "feedback")
            and not self.state.completed
            and self.writer.writable
            and (not self._views_reported or any(self.views.values()))
        )
        if running:
            self.state.clock.start()
        else:
            self.state.clock.stop()

    def _write_results(self) -> None:
        if self.results_path is not None:
            return
        try:
            self.results_path = self.writer.manager.save_results(build_results(self.state))
        except Exception as exc:  # the answer itself is still saved next; the learner must hear of this
            self.warning = f"Could not write the results file: {type(exc).__name__}: {exc}"
            log.warning(self.warning, exc_info=not isinstance(exc, OSError))
