"""LiveQuiz: one quiz running in this kernel, everything QuizWidget wraps except its traits and comm.

The widget keeps what a widget must (synced traits, the page's messages, hold_sync); this holds the rest:
the attempt on screen (QuizController and its lazy SessionWriter), the attempts that replace it (a new
attempt, a study quiz of the wrong answers), the link to the class store (teaching/quiz_link.py) and the
tasks on the kernel's loop (loop_tasks.py). It calls the widget back through plain callables, so all of it
runs and is tested without a widget library.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from quiz_widgets.errors import SessionError
from quiz_widgets.exam import Exam, load_exam
from quiz_widgets.exam.generated import attempt_seed, vary
from quiz_widgets.i18n import Words
from quiz_widgets.kernel.controller import QuizController
from quiz_widgets.kernel.loop_tasks import QuizTasks
from quiz_widgets.kernel.quiz_start import AttemptSettings
from quiz_widgets.kernel.writer import SessionWriter
from quiz_widgets.quiz.attempts import attempt_number
from quiz_widgets.quiz.finding import remember_exam
from quiz_widgets.quiz.state import QuizState
from quiz_widgets.quiz.study import save_study_exam
from quiz_widgets.store.manager import SessionManager
from quiz_widgets.teaching.progress import own_progress
from quiz_widgets.teaching.quiz_link import QuizLink


class LiveQuiz:
    """The quiz behind one QuizWidget.

    ``on_change`` publishes the state to the page (the writer's status, a timed attempt submitted at zero,
    an expired view); ``on_takeover`` is called when another kernel takes the session file; ``on_delivery``
    when the class store's delivery line changed, always on the kernel's loop.
    """

    def __init__(
        self,
        exam: Exam,
        settings: AttemptSettings,
        *,
        base_dir: str | os.PathLike,
        autosave_interval: float,
        learner: str | None,
        collect_to: str | os.PathLike | None,
        storage_options: Mapping[str, Any] | None,
        collect_answers: bool,
        allow_new_attempt: bool | None = None,
        model_id: str,
        on_change: Callable[[], None],
        on_takeover: Callable[[], None],
        on_delivery: Callable[[], None],
        review_offer: Callable[[QuizState], dict[str, Any]] | None = None,
    ) -> None:
        # New attempts at this exam are set up as asked; study quizzes of wrong answers are plain practice.
        self._settings = (exam.fingerprint, settings)
        self.manager = SessionManager(base_dir)
        self._autosave_interval = float(autosave_interval)
        # The class store: a resumed session keeps the learner it was started by (see start).
        self._learner = learner
        self._class = (collect_to, storage_options, collect_answers)
        self.link: QuizLink | None = None
        self._allow_new_attempt = allow_new_attempt
        self._progress_for: object = None
        # Names the widget as the session file's holder, to the widget it replaces (and SessionLock's note).
        self.owner = f"QuizWidget {model_id[:8]} (made at {time.strftime('%H:%M:%S')})"
        self._on_change = on_change
        self._on_takeover = on_takeover
        self._on_delivery = on_delivery
        # The finish screen's spaced review (how many are due, the forecast): given by the widget, as the
        # deck (review/) sits above this layer.
        self._review_offer = review_offer
        self._reviewing = False
        self.controller: QuizController | None = None
        # The finished attempt a study quiz of its wrong answers replaced (exam, state, session file): the
        # way back to its results.
        self._results: tuple[Exam, QuizState, Path | None] | None = None
        # The study quiz "Back to results" left, and the finished state it was made from: "Study wrong
        # answers" on that finish screen goes on with it rather than starting another.
        self._study: tuple[Exam, QuizState, Path | None, QuizState] | None = None
        self.tasks = QuizTasks()
        try:
            self._loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            self._loop = None

    # -- the attempt on screen -------------------------------------------------------------------------
    def start(
        self, exam: Exam, state: QuizState | None = None, path: str | os.PathLike | None = None
    ) -> None:
        """Open an attempt at ``exam``: ``state`` and its session file ``path``, else a new attempt."""
        self.tasks.stop_attempt()
        # An exam written in the notebook (in no file): the review deck finds its questions there.
        remember_exam(exam, self.manager.base_dir)
        if state is None:
            fingerprint, settings = self._settings
            if exam.generators and exam.variant_seed is None:
                exam = self.new_variant(exam)
            # Another exam (a study quiz of the wrong answers) still asks how sure, if this quiz does.
            state = (
                settings.new_state(exam)
                if exam.fingerprint == fingerprint
                else QuizState(exam, confidence=settings.confidence)
            )
        if getattr(state, "learner", None) is None:
            state.learner = self._learner  # type: ignore[attr-defined]
        writer = SessionWriter(
            state,
            self.manager,
            path,
            on_status=self._on_change,
            on_takeover=self._on_takeover,
            on_owned=self._owned,
            owner=self.owner,
            lazy=True,
        )
        writer.open()
        # The class link first: the controller may submit at once (the time ran out while no kernel ran).
        self.controller = QuizController(state, writer, on_results=self._connect_class(state))
        self.tasks.start_attempt(self.controller, self._autosave_interval, self._on_change)

    def new_variant(self, exam: Exam) -> Exam:
        """``exam`` as a new attempt asks it: its generated questions' variants for QuizWidget's seed= (the
        same for everyone), else for the learner, the exam and the attempt's number. Made before the attempt
        on screen ends, so a generator that fails for this seed leaves that attempt as it was."""
        if not exam.generators:
            return exam
        seed = self._settings[1].seed
        if seed is None:
            # An attempt with no answer has no file, so it is not counted: its variant is asked again.
            number = attempt_number(self.manager, exam, self._learner)
            seed = attempt_seed(self._learner or "", exam.fingerprint, number)
        return vary(exam, seed)

    def check_new_attempt_from_page(self) -> None:
        """SessionError unless the page may replace the attempt on screen by a new one ("Start a new
        attempt"): QuizWidget's allow_new_attempt, by default yes outside exam mode and no in it, where a
        new attempt (full time, the questions already seen) is the instructor's to give, not the page's."""
        allowed = self._allow_new_attempt
        if allowed is None:
            allowed = self._ctl.state.mode != "exam"
        if not allowed:
            raise SessionError(
                Words(
                    "a new attempt at this exam cannot be started from here: in exam mode that is the "
                    "instructor's choice (QuizWidget's allow_new_attempt=True)"
                )
            )

    def end_attempt(self) -> Exam:
        """Leave the attempt on screen (saved, marked as quit) for a new one at its exam, which it returns
        (with its generated questions' new variants: see new_variant)."""
        ctl = self._ctl
        exam = self.new_variant(ctl.state.exam)
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
        return exam

    def end_for_study(self) -> tuple[Exam, QuizState | None, Path | None]:
        """Leave the attempt on screen for a study quiz of its wrong answers: the unfinished one "Back to
        results" left, else a new one. Returns its exam, state and file (None, None for a new one)."""
        ctl = self._ctl
        left, self._study = self._study, None
        if left is not None and left[3] is ctl.state and not left[1].finished:
            exam, state, path = left[:3]
        else:
            # Saved to a file first, as SessionBrowser does: the session then records an exam_path and
            # resumes later; a failed write leaves this quiz as it was.
            exam = load_exam(save_study_exam(ctl.study_exam(), self.manager.base_dir))
            # It asks how sure as the attempt did (a resumed one keeps its own setting, whatever the cell says).
            state, path = QuizState(exam, confidence=ctl.state.confidence), None
        ctl.writer.save()
        self._results = (ctl.state.exam, ctl.state, ctl.writer.path)
        ctl.writer.close()
        self._reviewing = False
        return exam, state, path

    def end_for_review(self) -> None:
        """Leave the finished attempt on screen for a review quiz of the questions due; "Back to results"
        shows it again."""
        ctl = self._ctl
        ctl.writer.save()
        self._results = (ctl.state.exam, ctl.state, ctl.writer.path)
        ctl.writer.close()
        self._reviewing = True

    def end_study(self) -> tuple[Exam, QuizState, Path | None]:
        """Leave the study quiz on screen (saved, resumable from its file) for the finished attempt it was
        made from; returns that attempt's exam, state and session file, to start again."""
        if self._results is None:
            raise SessionError(
                "there are no results to go back to: this quiz was not made from a finished one"
            )
        writer = self._ctl.writer
        if not writer.closed:
            writer.save()
            writer.close(
                f"{writer.path.name if writer.path else 'this study quiz'}: you went back to the results; "
                "this study quiz saves nothing now. Resume its session file (QuizWidget.resume) to go on."
            )
        results, self._results = self._results, None
        ctl = self._ctl
        if not self._reviewing:  # a review quiz left is not the study quiz "Study wrong answers" goes on with
            self._study = (ctl.state.exam, ctl.state, writer.path, results[1])
        self._reviewing = False
        return results

    def _owned(self) -> None:
        """A read-only copy took its session over (JupyterLite, after a reload): from now on it runs as a
        fresh start does: the countdown, the deadline of a timed exam (which may be due at once), the
        heartbeat. The writer tells the page next."""
        ctl = self.controller
        if ctl is None or not ctl.writer.writable:
            return
        ctl.writer_owned()
        self.tasks.stop_attempt()
        self.tasks.start_attempt(ctl, self._autosave_interval, self._on_change)

    def taken_over(self) -> None:
        """Another kernel took the session file: no more saves; the controller refuses every change."""
        self.tasks.stop_attempt()
        if self.controller is not None:
            self.controller.writer_ended()

    def close(self) -> None:
        """Stop the tasks and the class link; save what changed and let go of the session file."""
        self.tasks.stop()
        if self.link is not None:
            self.link.close()
        if self.controller is not None:
            writer = self.controller.writer
            if not writer.closed and writer.dirty:
                writer.save()
            writer.close(
                Words(
                    "{where}: this quiz was closed (QuizWidget.close) and saves nothing "
                    "now; resume its session file (QuizWidget.resume) to go on.",
                    where=str(writer.path) if writer.path is not None else Words("this quiz"),
                )
            )

    @property
    def _ctl(self) -> QuizController:
        if self.controller is None:
            raise RuntimeError("QuizWidget is not started")
        return self.controller

    # -- what the page shows ---------------------------------------------------------------------------
    def view_state(self) -> dict[str, Any]:
        """Every trait value to publish: the controller's, then the class store's line and the finish
        screen's own progress (read once per finish screen, not on every change)."""
        ctl = self._ctl
        values = ctl.view_state()
        if self.link is not None:
            try:
                self.link.changed(ctl.state)
            except (OSError, ValueError) as exc:  # the local files hold everything; the learner must know
                ctl.warning = Words("Could not queue a record for the class folder: {error}", error=str(exc))
                values["warning"] = ctl.view_state()["warning"]
            values["delivery"] = self.link.message
        values["can_go_back"] = self._results is not None
        key = (ctl.phase, ctl.results_path, ctl.state.revision) if ctl.phase == "finished" else None
        if key != self._progress_for:
            self._progress_for = key
            values["progress"] = own_progress(self.manager.base_dir, ctl.state) if key is not None else {}
            # An exam finished but not submitted is ungraded: the deck's due count and forecast read its
            # answers' correctness, so they would tell the page what the key does.
            graded = key is not None and ctl.graded
            values["spaced_review"] = self._review_offer(ctl.state) if graded and self._review_offer else {}
        return values

    # -- the class store -------------------------------------------------------------------------------
    def _connect_class(self, state: QuizState) -> Callable[[dict[str, Any], Path], None] | None:
        """Collection for this quiz: completed attempts (and answers, when asked) go to the class store.
        Returns what the controller calls with a completed attempt's results, None when not collecting."""
        collect_to, options, answers = self._class
        learner = getattr(state, "learner", None)
        if self.link is None or self.link.collector.learner != learner:
            if self.link is not None:
                self.link.close()
            self.link = None
            if learner:
                link = QuizLink(
                    collect_to,
                    learner=learner,
                    base_dir=self.manager.base_dir,
                    storage_options=options,
                    collect_answers=answers,
                    on_status=self._delivery_status,
                )
                self.link = link if link.enabled else None
        if self.link is None:
            return None
        self.link.started(state)
        return self.link.completed

    def _delivery_status(self, _status: str) -> None:
        # Called from the Collector's worker thread: traits and comms belong to the kernel's loop. Without
        # a loop (plain Python, no kernel) there is no comm traffic to keep in order.
        loop = self._loop
        if loop is None:
            self._on_delivery()
        elif not loop.is_closed():
            loop.call_soon_threadsafe(self._on_delivery)

    # -- the views -------------------------------------------------------------------------------------
    def watch_views(self) -> None:
        """Expire views that stopped reporting (a crashed page) and publish it, from the kernel's loop."""
        self.tasks.watch_views(self, lambda live: live.controller, lambda live: live._on_change())
