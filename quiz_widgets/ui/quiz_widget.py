"""QuizWidget: the quiz in a notebook cell.

A thin anywidget: traits that carry what the view draws, and wiring from the page's messages to the
QuizController. The kernel is the source of truth; the page sends intents and never sets a trait.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
import warnings
import weakref
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import anywidget
import traitlets
from traitlets import Bool, Dict, Float, Int, List, Unicode

from quiz_widgets.errors import SessionError
from quiz_widgets.exam import Exam, load_exam
from quiz_widgets.exam.inline import exam_from_questions
from quiz_widgets.kernel import protocol as view_model
from quiz_widgets.kernel.controller import PHASES, QuizController
from quiz_widgets.kernel.deadline import start_deadline
from quiz_widgets.kernel.writer import SessionWriter, start_heartbeat
from quiz_widgets.quiz.arrange import arrange
from quiz_widgets.quiz.attempts import find_attempt_to_continue
from quiz_widgets.quiz.codec import from_session
from quiz_widgets.quiz.finding import base_dir_of, find_exam_for_session
from quiz_widgets.quiz.state import QuizState
from quiz_widgets.quiz.study import save_study_exam
from quiz_widgets.richtext import stylesheet as richtext_stylesheet
from quiz_widgets.store.manager import SessionManager
from quiz_widgets.teaching.progress import own_progress
from quiz_widgets.teaching.quiz_link import QuizLink, quiz_learner
from quiz_widgets.ui.assets import QUIZ_PARTS, esm, stylesheet

ExamSource = str | os.PathLike | Mapping | Exam
# QuizWidget(attempt=...): "continue" the newest unfinished attempt at the same exam, or always a "new" one.
ATTEMPTS = ("continue", "new")
# How often the kernel looks for views that stopped reporting (controller.VIEW_TIMEOUT says how long
# silence means gone). A few seconds late is fine: it only bounds how long a crashed page's clock runs on.
VIEW_CHECK_SECONDS = 5.0


class QuizWidget(anywidget.AnyWidget):
    """A practice quiz: one question at a time, saved on every answer, resumable from its session file."""

    _esm = esm(*QUIZ_PARTS)
    # Rendered exam text (code colours from JupyterLab's theme variables, tables, math) after the view's own.
    _css = stylesheet("quiz.css") + "\n" + richtext_stylesheet()

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
    continued = Unicode(
        "",
        help="Set when this quiz continues an earlier unfinished attempt (attempt='continue'): says which; "
        "the view offers 'Start a new attempt'. Empty for a new attempt.",
    ).tag(sync=True)
    delivery = Unicode(
        "", help="Whether the result reached the class folder (collect_to); empty when not collecting."
    ).tag(sync=True)
    mode = Unicode("practice", help="practice, exam or study (see QuizWidget's mode argument).").tag(
        sync=True
    )
    question_map = List(
        help="One entry per question: number, status (unanswered, answered, right, wrong, partial; exam mode "
        "before submit only answered/unanswered), flagged, current."
    ).tag(sync=True)
    time_limit = Float(0.0, help="Seconds allowed for a timed exam; 0 when there is no time limit.").tag(
        sync=True
    )
    time_left = Float(0.0, help="Seconds left at the last sync; the page counts down from here.").tag(
        sync=True
    )
    countdown_running = Bool(False, help="Whether the exam's countdown runs (it never pauses).").tag(
        sync=True
    )
    review_rows = List(help="Review screen rows of a finished attempt (see QuizWidget.review).").tag(
        sync=True
    )
    progress = Dict(
        help="Finish screen: the learner's own scores over attempts of this exam and accuracy per topic."
    ).tag(sync=True)

    def __init__(
        self,
        exam: ExamSource,
        *,
        base_dir: str | os.PathLike = ".",
        autosave_interval: float = 30.0,
        learner: str | None = None,
        collect_to: str | os.PathLike | None = None,
        storage_options: Mapping[str, Any] | None = None,
        collect_answers: bool = False,
        attempt: str = "continue",
        mode: str = "practice",
        time_limit: float | None = None,
        shuffle: bool = False,
        shuffle_options: bool = False,
        draw: int | Mapping[str, int] | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        state = kwargs.pop("_state", None)
        session_path = kwargs.pop("_session_path", None)
        if attempt not in ATTEMPTS:
            raise ValueError(f"attempt: found {attempt!r}, expected one of {', '.join(map(repr, ATTEMPTS))}")
        # Before super().__init__() opens the comm (and the layout's): a bad exam raises here and leaves
        # no widget behind in the page or the kernel.
        loaded = load_exam(exam)
        study = {"mode": mode, "time_limit": time_limit, "shuffle": shuffle}
        study.update(shuffle_options=shuffle_options, draw=draw, seed=seed)
        _new_state(loaded, study)  # a bad mode, time limit or draw raises here, before the comm opens
        learner_name = quiz_learner(learner, collect_to)  # so does a learner name no folder can have
        super().__init__(**kwargs)
        self._study = (loaded.fingerprint, study)
        self._deadline: asyncio.Task[None] | None = None
        self._manager = SessionManager(base_dir)
        self._autosave_interval = float(autosave_interval)
        self._heartbeat: asyncio.Task[None] | None = None
        self._view_watch: asyncio.Task[None] | None = None
        self._controller: QuizController | None = None
        # The class store: a resumed session keeps the learner it was started by (see _start).
        self._learner = learner_name
        self._class = (collect_to, storage_options, collect_answers)
        self._link: QuizLink | None = None
        self._progress_for: object = None
        try:
            self._loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            self._loop = None
        self.on_msg(self._on_page_message)
        try:
            if state is None and session_path is None and attempt == "continue":
                state, session_path = self._attempt_to_continue(loaded)
            self._start(loaded, state, session_path)
            if state is not None and session_path is not None and attempt == "continue":
                self.continued = _continued_note(state)
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
        learner: str | None = None,
        collect_to: str | os.PathLike | None = None,
        storage_options: Mapping[str, Any] | None = None,
        collect_answers: bool = False,
    ) -> QuizWidget:
        """Go on with a saved session; it keeps writing the same file.

        The class options are QuizWidget's; the session keeps the learner it was started by (learner=
        names one only for files that have none, such as the original app's).
        """
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
            found,
            base_dir=base,
            autosave_interval=autosave_interval,
            _state=state,
            _session_path=path,
            learner=learner,
            collect_to=collect_to,
            storage_options=storage_options,
            collect_answers=collect_answers,
        )

    @classmethod
    def from_questions(
        cls,
        questions: Sequence[Mapping] | Mapping | str,
        title: str | None = None,
        **kwargs: Any,
    ) -> QuizWidget:
        """A quiz written in the notebook: a list of question dicts (ids 1..n where missing), an exam dict,
        or YAML text of either. ``title`` names the exam (default "Quiz"); other arguments as QuizWidget.

        Re-running the cell continues the learner's unfinished attempt at the same title and questions.
        """
        source = kwargs.pop("_source", None)
        return cls(exam_from_questions(questions, title=title, source=source), **kwargs)

    def _attempt_to_continue(self, exam: Exam) -> tuple[QuizState | None, Path | None]:
        """The newest unfinished attempt at this exam under base_dir (quiz/attempts.py says what counts)."""
        path = find_attempt_to_continue(self._manager, exam)
        if path is None:
            return None, None
        try:
            data = self._manager.load_session(path)
            return from_session(data, exam), path
        except (ValueError, OSError) as exc:
            # The file stays as it is for the Previous Sessions browser; this quiz starts afresh.
            warnings.warn(
                f"could not continue the attempt in {path}: {exc}; starting a new attempt",
                UserWarning,
                stacklevel=4,
            )
            return None, None

    def start_new_attempt(self) -> None:
        """Leave the attempt on screen (saved, marked as quit) and start this exam again from question 1.

        The new attempt's session file appears at its first answer. What the view's "Start a new attempt"
        button does.
        """
        ctl = self._ctl
        writer = ctl.writer
        if writer.writable and not (ctl.state.completed or ctl.state.quit_by_user):
            # Quit, so that re-running the cell later continues the new attempt, never this one again.
            ctl.finish()
        if not writer.closed:
            writer.save()
            writer.close(
                f"{writer.path or 'this quiz'}: a new attempt was started in its place; this one saves "
                "nothing now. Resume its session file (QuizWidget.resume) to see it again."
            )
        self.continued = ""
        self._start(ctl.state.exam)

    def _start(
        self, exam: Exam, state: QuizState | None = None, path: str | os.PathLike | None = None
    ) -> None:
        self._stop_heartbeat()
        if state is None:
            fingerprint, study = self._study
            # Study quizzes of wrong answers are plain practice; a new attempt at this exam is as asked.
            state = _new_state(exam, study) if exam.fingerprint == fingerprint else QuizState(exam)
        if getattr(state, "learner", None) is None:
            state.learner = self._learner  # type: ignore[attr-defined]
        writer = SessionWriter(
            state,
            self._manager,
            path,
            on_status=self._publish,
            on_takeover=self._taken_over,
            owner=f"QuizWidget {self.model_id[:8]} (made at {time.strftime('%H:%M:%S')})",
            lazy=True,
        )
        writer.open()
        self._controller = QuizController(state, writer)
        self._connect_class(state)
        if not writer.read_only:
            self._heartbeat = start_heartbeat(writer, self._autosave_interval)
            if state.time_limit is not None and not state.finished:
                # The countdown started: its session file exists from now on, so the time left is kept.
                writer.save(create=True)
                self._deadline = start_deadline(self._controller, self._publish)
        self._publish()

    def _connect_class(self, state: QuizState) -> None:
        """Collection for this quiz: completed attempts (and answers, when asked) go to the class store."""
        collect_to, options, answers = self._class
        learner = getattr(state, "learner", None)
        if self._link is None or self._link.collector.learner != learner:
            if self._link is not None:
                self._link.close()
            self._link = None
            if learner:
                link = QuizLink(
                    collect_to,
                    learner=learner,
                    base_dir=self._manager.base_dir,
                    storage_options=options,
                    collect_answers=answers,
                    on_status=self._on_delivery_status,
                )
                self._link = link if link.enabled else None
        if self._link is None:
            return
        self._ctl.on_results = self._link.completed
        self._link.started(state)

    def _on_delivery_status(self, _status: str) -> None:
        # Called from the Collector's worker thread: traits and comms belong to the kernel's loop. Without
        # a loop (plain Python, no kernel) there is no comm traffic to keep in order.
        loop = self._loop
        if loop is None:
            self._show_delivery()
        elif not loop.is_closed():
            loop.call_soon_threadsafe(self._show_delivery)

    def _show_delivery(self) -> None:
        if self._link is not None and self.comm is not None:
            self.delivery = self._link.message

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

    def previous(self) -> None:
        """Show the question before the one on screen."""
        self._ctl.previous()
        self._publish()

    def goto(self, number: int) -> None:
        """Show question ``number`` (1-based, this quiz's order); ExamError (a ValueError) when out of range."""
        try:
            self._ctl.goto(number)
        finally:
            self._publish()

    def flag(self, number: int | None = None, flagged: bool = True) -> None:
        """Flag the question on screen (or question ``number``) for review; flagged=False removes the flag."""
        try:
            self._ctl.flag(number, flagged)
        finally:
            self._publish()

    @property
    def flags(self) -> set[int]:
        """The flagged questions' numbers (1-based, this quiz's order)."""
        return self._ctl.state.flags

    def submit(self) -> None:
        """End the attempt: graded, results written, the results shown (exam mode shows nothing before)."""
        try:
            self._ctl.submit()
        finally:
            self._publish()

    def show_answer(self) -> str:
        """Study mode: reveal the question's right answer and explanation (recorded in the session)."""
        try:
            return self._ctl.show_answer().correct_text()
        finally:
            self._publish()

    def review(self) -> list[dict[str, Any]]:
        """Every question of the finished attempt: your answer, the right one, the explanation, flagged,
        seconds. The view shows the review screen (filters: wrong, flagged; "Study wrong answers")."""
        try:
            return self._ctl.review()
        finally:
            self._publish()

    @property
    def points(self) -> float:
        """Sum of the credits earned: 1 per fully right answer plus each partly right one's fraction."""
        return self._ctl.state.points

    @property
    def time_remaining(self) -> float | None:
        """Seconds left of a timed exam (None without a time limit)."""
        return self._ctl.state.time_left

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
        path = writer.save(create=True)
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
        if self._link is not None:
            self._link.close()
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
            self._publish_class()

    def _publish_class(self) -> None:
        ctl = self._ctl
        if self._link is not None:
            try:
                self._link.changed(ctl.state)
            except (OSError, ValueError) as exc:  # the local files hold everything; the learner must know
                ctl.warning = f"Could not queue a record for the class folder: {exc}"
                self.warning = ctl.view_state()["warning"]
            self.delivery = self._link.message
        # Read once per finish screen (the learner's results folder), not on every change.
        key = (ctl.phase, ctl.results_path, ctl.state.revision) if ctl.phase == "finished" else None
        if key != self._progress_for:
            self._progress_for = key
            self.progress = own_progress(self._manager.base_dir, ctl.state) if key is not None else {}

    def _on_page_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        try:
            if isinstance(content, Mapping) and content.get("type") == "new_attempt":
                self._new_attempt_message(content)
            elif self._ctl.handle_message(content) == "study":
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

    def _new_attempt_message(self, content: Mapping) -> None:
        # The view's "Start a new attempt" button. Its own message type (the controller's intents are about
        # one attempt; this one replaces the attempt), with the same request/reply protocol.
        try:
            view_model.check_request_id(content)
            self.start_new_attempt()
            self._ctl.error = ""
        except (view_model.MessageError, SessionError) as exc:
            self._ctl.error = str(exc)

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
        if getattr(self, "_deadline", None) is not None:
            self._deadline.cancel()  # type: ignore[union-attr]
            self._deadline = None

    @traitlets.validate("phase")
    def _valid_phase(self, proposal: Any) -> str:
        if proposal.value not in PHASES:
            raise traitlets.TraitError(f"phase must be one of {', '.join(PHASES)}, not {proposal.value!r}")
        return proposal.value


def _new_state(exam: Exam, study: Mapping[str, Any]) -> QuizState:
    """A new attempt at ``exam`` in the asked mode, its questions and options arranged (shuffle, draw)."""
    arrangement = arrange(
        exam,
        shuffle=study["shuffle"],
        shuffle_options=study["shuffle_options"],
        draw=study["draw"],
        seed=study["seed"],
    )
    settings = {key: study[key] for key in ("shuffle", "shuffle_options", "draw") if study[key]}
    if arrangement.seed is not None:
        settings["seed"] = arrangement.seed
    return QuizState(
        exam,
        order=arrangement.order,
        mode=study["mode"],
        time_limit=study["time_limit"],
        option_orders=arrangement.option_orders,
        settings=settings,
        drawn=study["draw"] is not None,
    )


def _continued_note(state: QuizState) -> str:
    started = state.session_date[:16].replace("T", " ")
    return f"Continuing your attempt of {started}: {state.total_answered} of {len(state.order)} answered."
