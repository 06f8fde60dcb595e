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

from quiz_widgets.errors import AnswerError, ExamError, SessionError
from quiz_widgets.exam import Exam, Question
from quiz_widgets.i18n import Words, words_of
from quiz_widgets.kernel import protocol, screen
from quiz_widgets.kernel.screen import VIEW_TRAITS
from quiz_widgets.kernel.writer import SessionWriter
from quiz_widgets.quiz.results import build_results, build_study_exam
from quiz_widgets.quiz.review import review_rows
from quiz_widgets.quiz.state import AnswerResult, QuizState

__all__ = ["PHASES", "VIEW_TIMEOUT", "VIEW_TRAITS", "QuizController"]

log = logging.getLogger(__name__)


def _(message: str) -> str:
    """Mark an error a learner can cause from the page as a msgid (scripts/i18n.py finds it): raised in
    English for Python callers, shown in the learner's language by QuizWidget when it reaches the page."""
    return message


PHASES = ("question", "feedback", "paused", "finished", "review")
# A view repeats its "visible" report every 10 s (quiz.js BEAT_MS); one silent for this long is gone (a
# crashed browser, a lost network) and no longer keeps the clock running. Three missed beats, so a busy
# page or a slow link is not mistaken for a crash.
VIEW_TIMEOUT = 35.0


class QuizController:
    def __init__(
        self,
        state: QuizState,
        writer: SessionWriter,
        *,
        now: Callable[[], float] = time.monotonic,
        view_timeout: float = VIEW_TIMEOUT,
        on_results: Callable[[dict[str, Any], Path], None] | None = None,
    ) -> None:
        self.state = state
        self.writer = writer
        self.last_result: AnswerResult | None = None
        self.phase = "finished" if state.finished else "question"
        # Study mode's "Show answer": the question whose answer is on screen without being answered.
        self.revealed: Question | None = None
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
        # Called with (results dict, results file) once the results file is written: the class collector.
        # Given here, before check_time below: an attempt whose time ran out while no kernel ran is
        # submitted right now, and is collected like any other.
        self.on_results = on_results
        self._update_clock()
        # A timed attempt resumed after its time ran out (the kernel died at the last second) ends now.
        self.check_time()

    # -- intents ---------------------------------------------------------------------------------------
    def answer(self, value: object, confidence: int | None = None) -> AnswerResult:
        self.writer.require_writable()
        if self.check_time():
            raise SessionError(_("the time limit ran out: the attempt was submitted"))
        if self.phase == "paused":
            raise SessionError(_("the quiz is paused: unpause it before answering"))
        result = self.state.answer(value, confidence)
        self.last_result = result
        self.revealed = None
        if self.state.mode == "exam":
            self.phase = "question"  # no feedback before submit; the next unanswered question shows
        else:
            self.phase = "feedback"
            self.state.show(result.question.id)  # its feedback is on screen: its time runs on
        self.error = ""
        if self.state.completed:
            self._write_results()
        self._update_clock()
        # Saved before the caller publishes the feedback: nothing shown was not first on disk.
        self.writer.save()
        return result

    def next(self) -> None:
        """What Next does: from an answer's feedback to the next unanswered question; from a question (or
        a revisited answer) to the next question in order; from the review back to the results."""
        if self.phase == "review":
            self.phase = "finished"
            return
        if self.phase not in ("question", "feedback"):
            return
        self.check_time()
        if self.phase == "feedback" and self._feedback_id() != self.state.current_id:
            # The answer just given: the state has moved on to the next unanswered question already.
            self.revealed = None
            self.phase = "finished" if self.state.completed else "question"
            self.state.show(self.state.current_id)
            self._update_clock()
            return
        if self.state.position + 1 < len(self.state.order):
            self.goto(self.state.position + 2)

    def previous(self) -> None:
        """What Previous does: the question before the one on screen."""
        if self.phase not in ("question", "feedback"):
            return
        shown = self._shown_index()
        if shown > 0:
            self.goto(shown)

    def goto(self, number: int) -> None:
        """Show question ``number`` (1-based); an answered one shows its feedback outside exam mode."""
        if self.check_time():
            raise SessionError(_("the time limit ran out: the attempt was submitted"))
        if self.phase == "paused":
            raise SessionError(_("the quiz is paused: unpause it first"))
        self.state.goto(number)
        self.revealed = None
        question = self.state.current_question
        assert question is not None
        entry = self.state.answer_of(question.id)
        if entry is not None and self.state.mode != "exam":
            credit = self.state.credit_of(question.id) or 0.0
            level = entry.get("confidence")
            self.last_result = AnswerResult(
                question, entry["answer"], entry["correct"], number - 1, credit, level
            )
            self.phase = "feedback"
        else:
            self.phase = "question"
        self._update_clock()

    def flag(self, number: int | None = None, flagged: bool = True) -> None:
        """Mark a question for review (the one on screen when ``number`` is None), or unmark it."""
        self.writer.require_writable()
        if number is None and self.phase == "feedback":
            number = self._shown_index() + 1
        self.state.flag(number, flagged)
        self._save(create=True)

    def show_answer(self) -> Question:
        """Study mode: reveal the question's answer and explanation; the session records it."""
        self.writer.require_writable()
        if self.phase not in ("question", "feedback"):
            raise SessionError(f"show_answer(): the quiz shows {self.phase!r}, not a question")
        question = self.state.reveal()
        self.revealed = question
        self.phase = "feedback"
        self._save(create=True)
        return question

    def submit(self) -> None:
        """End the attempt and grade it; the results file is written, the session marked completed."""
        if self.state.completed:
            if self.phase != "review":
                self.phase = "finished"
            return
        self.writer.require_writable()
        self.state.submit()
        self.revealed = None
        self.phase = "finished"
        self._write_results()
        self._update_clock()
        self._save(create=True)

    def check_time(self) -> bool:
        """Submit a timed attempt whose time ran out; True if it did now. The deadline task calls this at
        zero, and every intent calls it first, so a late task never lets an answer in after the limit."""
        if not self.state.timed_out or not self.writer.writable:
            return False
        self.submit()
        return True

    def review(self) -> list[dict[str, Any]]:
        """Every question of the finished attempt (see quiz.review); the view shows the review screen.

        SessionError for an exam not submitted, even one quit: it was never graded, and its review would
        give the key to whoever starts the exam again."""
        if self.state.finished and not self.graded:
            raise SessionError(
                "review(): this exam was left without submitting it, so it is not graded and its answers "
                "are not shown; submit() grades what was answered"
            )
        rows = review_rows(self.state)
        self.phase = "review"
        return rows

    def summary(self) -> None:
        """From the review back to the results."""
        if self.phase == "review":
            self.phase = "finished"

    def pause(self) -> None:
        if self.state.time_limit is not None and not self.state.finished:
            raise SessionError(_("a timed exam cannot be paused: the countdown runs until submit"))
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
        self.revealed = None
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

    def writer_owned(self) -> None:
        """A read-only copy's writer took the session over: the clocks run as at a start, and a timed
        attempt whose time ran out meanwhile is submitted now."""
        self._update_clock()
        self.check_time()

    def writer_ended(self) -> None:
        """The writer was closed or replaced: the clock stops; every later change is refused."""
        self._update_clock()

    def study_exam(self) -> Exam:
        """An exam of the questions answered wrongly in this quiz."""
        if not self.graded:
            # Which answers were wrong is the key: not before submit.
            raise ExamError(Words("an exam offers its wrong answers to study only once it is submitted"))
        if not self.state.wrong_answers:
            raise ExamError(Words("there are no wrong answers to study in this quiz"))
        return build_study_exam([build_results(self.state)], [self.state.exam])

    def handle_message(self, content: object) -> str | None:
        """Apply one message from the page. Returns "study" when the widget must start a study quiz,
        "back_to_results" when it must show again the finished attempt that study quiz came from."""
        try:
            if isinstance(content, Mapping) and content.get("type") == "answer" and self.phase != "question":
                # A second click that raced the feedback, or a page out of step: never a new answer.
                if self.phase == "paused":
                    raise SessionError(_("the quiz is paused: unpause it before answering"))
                # One sentence for every other phase, so it can be said in the learner's language.
                raise protocol.MessageError(_("cannot answer now: the quiz is not showing a question"))
            current = self.state.current_question
            # Option indexes from the page count the options as shown (shuffled or not).
            shown = self.state.shown_question(current) if current is not None else None
            intent = protocol.parse_message(content, shown)
            self.error = ""
            return self._dispatch(intent)
        except AnswerError as exc:
            self.error = exc.for_learner or words_of(exc)
        except (protocol.MessageError, ExamError, SessionError) as exc:
            self.error = words_of(exc)
        return None

    def _dispatch(self, intent: protocol.Intent) -> str | None:
        if intent.kind == "answer":
            self.answer(intent.value, intent.confidence)
        elif intent.kind == "visibility":
            view, visible = intent.value
            self.set_visible(visible, view)
        elif intent.kind == "closing":
            self.view_closed(intent.value)
        elif intent.kind == "study":
            if self.phase not in ("finished", "review"):
                raise protocol.MessageError(_("the study quiz is offered on the finish screen only"))
            return "study"
        elif intent.kind == "back_to_results":
            return "back_to_results"
        elif intent.kind == "goto":
            self.goto(intent.value)
        elif intent.kind == "flag":
            self.flag(*intent.value)
        else:
            getattr(self, intent.kind)()
        return None

    # -- what the page sees ----------------------------------------------------------------------------
    @property
    def graded(self) -> bool:
        """Whether anything derived from the key may be shown: always outside exam mode; in exam mode
        only once the attempt is submitted (by the learner or at zero). An exam quit before submit was
        never graded, and shows nothing of the key, in the page or in Python."""
        return self.state.mode != "exam" or self.state.submitted

    def view_state(self) -> dict[str, Any]:
        """The synced traits' values (exactly ``VIEW_TRAITS``): kernel/screen.py builds them."""
        return screen.view_state(self)

    # -- internals -------------------------------------------------------------------------------------
    def _feedback_id(self) -> Any:
        if self.revealed is not None:
            return self.revealed.id
        return self.last_result.question.id if self.last_result is not None else None

    def _shown_index(self) -> int:
        """0-based place of the question on screen (an answer's feedback shows the answered question)."""
        if self.phase == "feedback" and self.revealed is None and self.last_result is not None:
            return self.last_result.index
        return self.state.position

    def _save(self, *, create: bool = False) -> None:
        # A flag, a revealed answer or a submit is worth a session file even before the first answer.
        self.writer.save(create=create)

    def _update_clock(self) -> None:
        timer = self.state.timer
        if timer is not None:
            # The countdown never pauses: it runs while this kernel owns the attempt and it is not over.
            if not self.state.finished and self.writer.writable:
                timer.start()
            else:
                timer.stop()
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
            results = build_results(self.state)
            self.results_path = self.writer.manager.save_results(results)
        except Exception as exc:  # the answer itself is still saved next; the learner must hear of this
            self.warning = Words(
                "Could not write the results file: {error}", error=": ".join((type(exc).__name__, str(exc)))
            )
            log.warning(self.warning, exc_info=not isinstance(exc, OSError))
            return
        if self.on_results is not None:
            try:
                self.on_results(results, self.results_path)
            except Exception as exc:  # the local results file is the truth; the class copy can be resent
                self.warning = Words(
                    "Could not queue the result for the class folder: {error}",
                    error=": ".join((type(exc).__name__, str(exc))),
                )
                log.warning(self.warning, exc_info=not isinstance(exc, OSError))
