"""QuizWidget: the quiz in a notebook cell.

A thin anywidget: traits that carry what the view draws, and wiring from the page's messages to the
QuizController. The kernel is the source of truth; the page sends intents and never sets a trait.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
import weakref
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import anywidget
import traitlets
from traitlets import Bool, Dict, Float, Int, Unicode

from quiz_widgets.exam import Exam, load_exam
from quiz_widgets.kernel import protocol as view_model
from quiz_widgets.kernel.controller import PHASES, QuizController
from quiz_widgets.kernel.writer import SessionWriter, start_heartbeat
from quiz_widgets.quiz.codec import from_session
from quiz_widgets.quiz.finding import base_dir_of, find_exam_for_session
from quiz_widgets.quiz.state import QuizState
from quiz_widgets.quiz.study import save_study_exam
from quiz_widgets.store.manager import SessionManager
from quiz_widgets.ui.assets import QUIZ_PARTS, esm, stylesheet

ExamSource = str | os.PathLike | Mapping | Exam
# How often the kernel looks for views that stopped reporting (controller.VIEW_TIMEOUT says how long
# silence means gone). A few seconds late is fine: it only bounds how long a crashed page's clock runs on.
VIEW_CHECK_SECONDS = 5.0


class QuizWidget(anywidget.AnyWidget):
    """A practice quiz: one question at a time, saved on every answer, resumable from its session file."""

    _esm = esm(*QUIZ_PARTS)
    _css = stylesheet("quiz.css")

    exam_title = Unicode("", help="Title of the exam.").tag(sync=True)
    total = Int(0, help="Number of questions in the quiz.").tag(sync=True)
    index = Int(
        0, help="0-based position of the question on screen; equals total when all are answered."
    ).tag(sync=True)
    phase = Unicode("question", help="What is on screen: question, feedback, paused or finished.").tag(
        sync=True
    )
    question = Dict(help="The question on screen: text, kind and option labels; never its answer.").tag(
        sync=True
    )
    feedback = Dict(help="Feedback for the answered question on screen; empty before it is answered.").tag(
        sync=True
    )
    score = Int(0, help="Correct answers so far.").tag(sync=True)
    answered = Int(0, help="Questions answered so far.").tag(sync=True)
    elapsed = Float(0.0, help="Seconds of study at the last sync; the page ticks on from here.").tag(
        sync=True
    )
    clock_running = Bool(False, help="Whether the quiz clock runs, so the page's timer should tick.").tag(
        sync=True
    )
    summary = Dict(help="Finish screen: score, accuracy, time, per-topic results and wrong answers.").tag(
        sync=True
    )
    warning = Unicode("", help="A problem the learner must see, such as a failed save; empty when fine.").tag(
        sync=True
    )
    error = Unicode("", help="Why the last request from the page was refused; empty when it was not.").tag(
        sync=True
    )
    read_only = Bool(False, help="True when another kernel owns this session file.").tag(sync=True)

    def __init__(
        self,
        exam: ExamSource,
        *,
        base_dir: str | os.PathLike = ".",
        autosave_interval: float = 30.0,
        **kwargs: Any,
    ) -> None:
        state = kwargs.pop("_state", None)
        session_path = kwargs.pop("_session_path", None)
        # Before super().__init__() opens the comm (and the layout's): a bad exam raises here and leaves
        # no widget behind in the page or the kernel.
        loaded = load_exam(exam)
        super().__init__(**kwargs)
        self._manager = SessionManager(base_dir)
        self._autosave_interval = float(autosave_interval)
        self._heartbeat: asyncio.Task[None] | None = None
        self._view_watch: asyncio.Task[None] | None = None
        self._controller: QuizController | None = None
        self.on_msg(self._on_page_message)
        try:
            self._start(loaded, state, session_path)
        except BaseException:
            # The caller gets the error and no widget: nothing may stay open in the page for it.
            with contextlib.suppress(Exception):
                self.layout.close()
            with contextlib.suppress(Exception):
                super().close()
            raise

    # -- construction ----------------------------------------------------------------------------------
    @classmethod
    def resume(
        cls,
        session: str | os.PathLike | Mapping,
        exam: ExamSource | None = None,
        *,
        base_dir: str | os.PathLike | None = None,
        search_dirs: Sequence[str | os.PathLike] = (),
        autosave_interval: float = 30.0,
    ) -> QuizWidget:
        """Go on with a saved session; it keeps writing the same file."""
        if isinstance(session, Mapping):
            if "_filepath" not in session:
                raise ValueError(
                    "a session dict must come from SessionManager.load_session (it has no _filepath)"
                )
            path = Path(str(session["_filepath"]))
        else:
            path = Path(session)
        base = Path(base_dir) if base_dir is not None else base_dir_of(path)
        data = SessionManager(base).load_session(path)
        found = load_exam(exam) if exam is not None else find_exam_for_session(data, base, search_dirs)
        state = from_session(data, found)
        return cls(
            found, base_dir=base, autosave_interval=autosave_interval, _state=state, _session_path=path
        )

    def _start(
        self, exam: Exam, state: QuizState | None = None, path: str | os.PathLike | None = None
    ) -> None:
        self._stop_heartbeat()
        state = state if state is not None else QuizState(exam)
        writer = SessionWriter(
            state,
            self._manager,
            path,
            on_status=self._publish,
            on_takeover=self._taken_over,
            owner=f"QuizWidget {self.model_id[:8]} (made at {time.strftime('%H:%M:%S')})",
        )
        writer.open()
        self._controller = QuizController(state, writer)
        if not writer.read_only:
            self._heartbeat = start_heartbeat(writer, self._autosave_interval)
        self._publish()

    def _watch_views(self) -> None:
        """Expire views that stopped reporting (a crashed page), from the kernel's loop; no loop: none."""
        if self._view_watch is not None and not self._view_watch.done():
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        # A weak reference, so a forgotten widget can still be garbage-collected and its task ends.
        ref = weakref.ref(self)

        async def watch() -> None:
            while True:
                await asyncio.sleep(VIEW_CHECK_SECONDS)
                widget = ref()
                if widget is None or widget._controller is None:
                    return
                ctl = widget._controller
                if not ctl.watching_views:
                    return  # every view closed or expired; the next report starts a new watch
                if ctl.expire_views():
                    widget._publish()
                del widget, ctl

        self._view_watch = loop.create_task(watch(), name="quiz_widgets-view-watch")

    def _stop_view_watch(self) -> None:
        if self._view_watch is not None:
            self._view_watch.cancel()
            self._view_watch = None

    # -- Python API: what the view's buttons do --------------------------------------------------------
    def answer(self, value: object) -> bool:
        """Answer the current question (letter, option text, index, list, number or text); True if correct."""
        try:
            return self._ctl.answer(value).correct
        finally:
            self._publish()

    def next(self) -> None:
        """Leave the feedback and show the next question (or the finish screen)."""
        self._ctl.next()
        self._publish()

    def pause(self) -> None:
        """Hide the question and stop the clock."""
        self._ctl.pause()
        self._publish()

    def unpause(self) -> None:
        self._ctl.unpause()
        self._publish()

    def finish(self) -> None:
        """Quit the quiz now: saved with quit_by_user=True, the finish screen shown."""
        self._ctl.finish()
        self._publish()

    def save(self) -> Path:
        """Save now and return the session file. Raises if the save fails (the state is kept)."""
        writer = self._ctl.writer
        writer.require_writable()
        path = writer.save()
        self._publish()
        if path is None:
            writer.require_writable()  # the save found the file taken by another kernel
            raise OSError(writer.last_error)
        return path

    def study_wrong_answers(self) -> QuizWidget:
        """Replace this quiz with one of its wrongly answered questions, saved as a new session."""
        # Saved to a file first, as SessionBrowser does: the session then records an exam_path and
        # resumes later; a failed write leaves this quiz as it was.
        exam = load_exam(save_study_exam(self._ctl.study_exam(), self._manager.base_dir))
        self._ctl.writer.save()
        self._ctl.writer.close()
        self._start(exam)
        return self

    def close(self) -> None:
        if "_controller" not in self.__dict__:
            # __init__ refused the exam before anything opened (ipywidgets' __del__ still calls close).
            super().close()
            return
        self._stop_view_watch()
        if self._controller is not None:
            self._stop_heartbeat()
            writer = self._controller.writer
            if not writer.closed and writer.dirty:
                writer.save()
            writer.close(
                f"{writer.path or 'this quiz'}: this quiz was closed (QuizWidget.close) and saves nothing "
                "now; resume its session file (QuizWidget.resume) to go on."
            )
        super().close()

    # -- properties ------------------------------------------------------------------------------------
    @property
    def state(self) -> QuizState:
        return self._ctl.state

    @property
    def total_answered(self) -> int:
        return self._ctl.state.total_answered

    @property
    def wrong_answers(self) -> list[dict]:
        return [dict(entry) for entry in self._ctl.state.wrong_answers]

    @property
    def elapsed_seconds(self) -> float:
        return self._ctl.state.elapsed_seconds

    @property
    def completed(self) -> bool:
        return self._ctl.state.completed

    @property
    def session_path(self) -> Path | None:
        return self._ctl.writer.path

    @property
    def results_path(self) -> Path | None:
        return self._ctl.results_path

    def __repr__(self) -> str:
        if self._controller is None:
            return "QuizWidget(<not started>)"
        state = self._controller.state
        return f"QuizWidget({state.exam.title!r}, {state.total_answered}/{len(state.order)} answered)"

    # -- wiring ----------------------------------------------------------------------------------------
    @property
    def _ctl(self) -> QuizController:
        if self._controller is None:
            raise RuntimeError("QuizWidget is not started")
        return self._controller

    def _publish(self) -> None:
        if self._controller is None:
            return
        # One message per change: a second frame right behind the first waits for a delayed ACK.
        with self.hold_sync():
            for name, value in self._controller.view_state().items():
                setattr(self, name, value)

    def _on_page_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        try:
            if self._ctl.handle_message(content) == "study":
                try:
                    self.study_wrong_answers()
                # No wrong answers, or the study exam could not be written.
                except (ValueError, OSError) as exc:
                    self._ctl.error = str(exc)
            if self._ctl.watching_views:
                self._watch_views()
        finally:
            # The state first, then the reply: the page re-enables its controls on the reply to its own
            # message, when what the message changed is already on screen. Sent even if handling failed
            # (the exception still propagates to the kernel's log), so the page is never left waiting.
            with self.hold_sync():
                self._publish()
            answer = view_model.reply(content, self._controller.error if self._controller else "")
            if answer is not None:
                self.send(answer)

    def set_state(self, sync_data: dict[str, Any]) -> None:
        """Refuse state changes from the page: it sends intents; the kernel owns every trait."""
        names = ", ".join(sorted(map(str, sync_data))) or "nothing"
        if self._controller is not None:
            self._controller.error = (
                f"refused a change of {names} from the page: the kernel owns the quiz state"
            )
        # Send the kernel's values of those traits back so the page shows the truth again: only those, not
        # the whole state with the view's module and stylesheet.
        refused = [name for name in sync_data if name in self.keys]
        if refused:
            self.send_state(key=refused)
        self._publish()

    def _taken_over(self) -> None:
        # The view stays: it shows where the quiz went (the writer's refusal, as the warning) and refuses
        # clicks with the same words, rather than vanishing from the notebook.
        self._stop_heartbeat()
        if self._controller is not None:
            self._controller.writer_ended()
            self._publish()

    def _stop_heartbeat(self) -> None:
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            self._heartbeat = None

    @traitlets.validate("phase")
    def _valid_phase(self, proposal: Any) -> str:
        if proposal.value not in PHASES:
            raise traitlets.TraitError(
                f"phase must be question, feedback, paused or finished, not {proposal.value!r}"
            )
        return proposal.value
