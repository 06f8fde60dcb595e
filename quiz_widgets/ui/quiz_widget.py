"""QuizWidget: the quiz in a notebook cell.

A thin anywidget: traits that carry what the view draws, and wiring from the page's messages to the quiz
behind it. The rest lives in kernel/, without a widget library: quiz_start.py (the exam and the attempt a
quiz starts from), live_quiz.py (the controller, the session file, the class link, the tasks on the
kernel's loop) and quiz_api.py (the Python API mixed in here: answer(), goto(), save() ...). The kernel is
the source of truth; the page sends intents and never sets a trait.
"""

from __future__ import annotations

import contextlib
import gettext
import os
import threading
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import anywidget
import traitlets
from traitlets import Bool, Dict, Float, Int, List, Unicode

from quiz_widgets.errors import SessionError
from quiz_widgets.exam import Exam
from quiz_widgets.exam.inline import exam_from_questions
from quiz_widgets.i18n import Words, say, translations, view_messages, words_of
from quiz_widgets.kernel import protocol
from quiz_widgets.kernel.controller import PHASES
from quiz_widgets.kernel.live_quiz import LiveQuiz
from quiz_widgets.kernel.quiz_api import QuizAPI
from quiz_widgets.kernel.quiz_start import (
    AttemptSettings,
    ExamSource,
    attempt_to_continue,
    checked_start,
    continued_note,
    live_session,
    read_session,
)
from quiz_widgets.quiz.state import QuizState
from quiz_widgets.richtext import stylesheet as richtext_stylesheet
from quiz_widgets.ui.assets import QUIZ_PARTS, esm, stylesheet
from quiz_widgets.ui.home_thread import HomeThread

_DELIVERY_LOCK = threading.Lock()

__all__ = ["ExamSource", "QuizWidget"]


class QuizWidget(QuizAPI, anywidget.AnyWidget):
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
    points = Float(
        0.0,
        help="Points so far: a fully right answer 1, a partly right one its share (0 in exam mode before "
        "submit).",
    ).tag(sync=True)
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
    closed = Bool(
        False,
        help="True once this quiz takes no more answers (closed, or its session went on in a newer widget); "
        "the view looks inactive and `warning` says why.",
    ).tag(sync=True)
    can_go_back = Bool(
        False,
        help="True on a study quiz made from a finished attempt: the view offers 'Back to results' "
        "(QuizWidget.back_to_results).",
    ).tag(sync=True)
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
    confidence = Unicode(
        "",
        help="Whether each answer also asks how sure: '' (no), 'levels' (1 guessing, 2 fairly sure, 3 sure) "
        "or 'cbm' (and scored by certainty-based marking).",
    ).tag(sync=True)
    spaced_review = Dict(
        help="Finish screen: how many questions are due for spaced review (ReviewDeck under base_dir) and "
        "the forecast rows of this quiz's exam; the view offers the review quiz when some are due."
    ).tag(sync=True)
    messages = Dict(
        help="The view's words in the learner's language (quiz_widgets.i18n.view_messages); English without."
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
        allow_new_attempt: bool | None = None,
        lang: str | None = None,
        confidence: bool | str = False,
        **kwargs: Any,
    ) -> None:
        """``lang``: the language of the view's words ("de", "fr-CA"); None (the default): the page's language,
        else English. A language not shipped (quiz_widgets.i18n.shipped_languages()) shows English. Exam text
        is never translated.

        ``allow_new_attempt``: whether the page's "Start a new attempt" may end the attempt on screen and
        start another. None (the default): yes in practice and study mode, no in exam mode, where a new
        attempt (full time, questions already seen) is the instructor's choice: True allows it there too.
        Python's start_new_attempt() and attempt="new" are the notebook's, and always work.

        ``confidence``: True asks "how sure?" with each answer (1 guessing, 2 fairly sure, 3 sure; from
        Python ``answer(value, confidence=3)``), kept in the session and results files, and the finish
        screen shows calibration per topic; "cbm" also scores by Moodle's certainty-based marking
        (``cbm_score``)."""
        state = kwargs.pop("_state", None)
        session_path = kwargs.pop("_session_path", None)
        settings = AttemptSettings(mode, time_limit, shuffle, shuffle_options, draw, seed, confidence)
        # Before super().__init__() opens the comm (and the layout's): a bad exam, mode, time limit, draw or
        # learner raises here and leaves no widget behind in the page or the kernel.
        loaded, learner = checked_start(
            exam, settings, attempt=attempt, learner=learner, collect_to=collect_to
        )
        self._lang = lang
        self._continued_from: tuple[QuizState, AttemptSettings | None] | None = None
        super().__init__(messages=view_messages(lang), **kwargs)
        self._live = LiveQuiz(
            loaded,
            settings,
            base_dir=base_dir,
            autosave_interval=autosave_interval,
            learner=learner,
            collect_to=collect_to,
            storage_options=storage_options,
            collect_answers=collect_answers,
            allow_new_attempt=allow_new_attempt,
            model_id=self.model_id,
            on_change=self._publish,
            on_takeover=self._taken_over,
            on_delivery=self._show_delivery,
            review_offer=self._review_offer,
        )
        self._home = HomeThread()
        self.on_msg(self._home.wrap(self._on_page_message))
        try:
            # The cell's settings are compared only with an attempt found to continue: resume() asks for none.
            asked = None
            if state is None and session_path is None and attempt == "continue":
                state, session_path = attempt_to_continue(
                    self._live.manager, loaded, self._live.owner, learner
                )
                asked = settings
            elif state is not None and session_path is not None:
                # resume() read the file before this widget existed: hand over first, then read.
                state = live_session(self._live.manager, session_path, loaded, state, self._live.owner)
            self._start(loaded, state, session_path)
            if state is not None and session_path is not None and attempt == "continue":
                self._continued_from = (state, asked)
                self.continued = continued_note(state, asked, translations(lang))
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
        allow_new_attempt: bool | None = None,
    ) -> QuizWidget:
        """Go on with a saved session; it keeps writing the same file.

        The class options are QuizWidget's; the session keeps the learner it was started by (learner=
        names one only for files that have none, such as the original app's).
        """
        found, state, path, base = read_session(session, exam, base_dir, search_dirs)
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
            allow_new_attempt=allow_new_attempt,
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

    def start_new_attempt(self) -> None:
        """Leave the attempt on screen (saved, marked as quit) and start this exam again from question 1.

        The new attempt's session file appears at its first answer. What the view's "Start a new attempt"
        button does.
        """
        exam = self._live.end_attempt()
        self.continued = ""
        self._start(exam)

    def _start(
        self, exam: Exam, state: QuizState | None = None, path: str | os.PathLike | None = None
    ) -> None:
        self._live.start(exam, state, path)
        self._publish()

    def study_wrong_answers(self) -> QuizWidget:
        """Replace this quiz with one of its wrongly answered questions, saved as a new session.

        ``back_to_results()`` (the view's "Back to results") shows the finished attempt again; studying
        again from there goes on with the same study quiz while it is unfinished.
        """
        self._start(*self._live.end_for_study())
        self.continued = ""  # the note was about the finished attempt, not this study quiz
        return self

    def start_review(self, limit: int | None = 20) -> QuizWidget:
        """Replace this quiz with a review quiz of the questions due (ReviewDeck(base_dir, learner).quiz(),
        in place: what the finish screen's "Review now" does); "Back to results" shows this one again.
        SessionError when nothing is due."""
        from quiz_widgets.ui.review_offer import follow, review_exam_file

        deck = self._review_deck()
        exam = review_exam_file(deck, limit)  # nothing due or a bad limit: this quiz stays as it is
        self._live.end_for_review()
        self._start(exam)
        self.continued = ""
        if not getattr(self, "_following", False):
            self._following = True
            follow(deck, self)
        return self

    def _review_deck(self) -> Any:
        from quiz_widgets.review.deck import Deck

        learner = getattr(self._live.controller.state, "learner", None) if self._live.controller else None
        deck = self.__dict__.get("_deck")
        if deck is None or deck.learner != learner:
            deck = self._deck = Deck(self._live.manager.base_dir, learner)
        else:
            deck.refresh()
        return deck

    def _review_offer(self, state: QuizState) -> dict[str, Any]:
        from quiz_widgets.ui.review_offer import offer

        try:
            return offer(self._review_deck(), state)
        except (OSError, ValueError) as exc:  # the finish screen is shown without it
            warnings.warn(f"QuizWidget: the spaced review could not be read: {exc}", stacklevel=2)
            return {}

    def back_to_results(self) -> QuizWidget:
        """Leave this study quiz (saved; it resumes from its session file) and show again the finished
        attempt it was made from, on its finish screen: `quiz` then names that attempt again."""
        exam, state, path = self._live.end_study()
        self._start(exam, state, path)
        return self

    def close(self) -> None:
        if "_live" in self.__dict__:  # else __init__ refused the exam before anything opened
            self._live.close()
        super().close()

    def __repr__(self) -> str:
        live = self.__dict__.get("_live")
        if live is None or live.controller is None:
            return "QuizWidget(<not started>)"
        state = live.controller.state
        return f"QuizWidget({state.exam.title!r}, {state.total_answered}/{len(state.order)} answered)"

    # -- wiring ----------------------------------------------------------------------------------------
    def _publish(self) -> None:
        if self._live.controller is None:
            return
        # One message per change: a second frame right behind the first waits for a delayed ACK.
        with self.hold_sync():
            values = self._live.view_state()
            delivered = values.pop("delivery", None)
            words = self._words()
            for name in ("warning", "error"):  # the kernel's sentences, in the learner's language
                if name in values:
                    values[name] = say(values[name], words)
            for name, value in values.items():
                setattr(self, name, value)
            if delivered is not None:
                self._show_delivery()

    def _show_delivery(self) -> None:
        # The collector's worker reports from its thread when no event loop runs (plain Python): the line
        # is read and set under one lock, so a publish that read "Sending..." can never land after "sent".
        with _DELIVERY_LOCK:
            if self._live.link is not None and self.comm is not None:
                self.delivery = say(self._live.link.message, self._words())

    def _on_page_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        try:
            if isinstance(content, Mapping) and content.get("type") == "new_attempt":
                self._new_attempt_message(content)
            elif isinstance(content, Mapping) and content.get("type") == "spaced_review":
                self._spaced_review_message(content)
            elif isinstance(content, Mapping) and content.get("type") == "page_lang":
                self._page_lang_message(content)
            elif (outcome := self._ctl.handle_message(content)) in ("study", "back_to_results"):
                try:
                    if outcome == "study":
                        self.study_wrong_answers()
                    else:
                        self.back_to_results()
                # No wrong answers, the study exam could not be written, no results to go back to.
                except (ValueError, OSError) as exc:
                    self._ctl.error = words_of(exc)
            if self._ctl.watching_views:
                self._live.watch_views()
        finally:
            # The state first, then the reply: the page re-enables its controls on the reply to its own
            # message, when what the message changed is already on screen. Sent even if handling failed
            # (the exception still propagates to the kernel's log), so the page is never left waiting.
            controller = self._live.controller
            with self.hold_sync():
                self._publish()
            # The learner caused it: in their language when it is a known sentence, else as raised.
            answer = protocol.reply(content, say(controller.error, self._words()) if controller else "")
            if answer is not None:
                self.send(answer)

    def _static_words(self) -> gettext.NullTranslations:
        return translations(self._lang)

    def _words(self) -> gettext.NullTranslations:
        """The catalogue of the language the view shows (lang=, else the page's, else English)."""
        return translations(self.messages.get("", {}).get("lang"))

    def _page_lang_message(self, content: Mapping) -> None:
        # The page's language (JupyterLab's setting, the document's lang), sent once by each view. lang= is
        # the notebook author's choice and wins; a language not shipped (or no tag at all) shows English.
        protocol.check_request_id(content)
        if self._lang is None:
            lang = protocol.page_language(content)
            self.messages = view_messages(lang)
            if self.continued and self._continued_from is not None:
                self.continued = continued_note(*self._continued_from, translations(lang))
            self._show_delivery()

    def _new_attempt_message(self, content: Mapping) -> None:
        # The view's "Start a new attempt" button. Its own message type (the controller's intents are about
        # one attempt; this one replaces the attempt), with the same request/reply protocol.
        try:
            protocol.check_request_id(content)
            self._live.check_new_attempt_from_page()
            self.start_new_attempt()
            self._ctl.error = ""
        except (protocol.MessageError, SessionError) as exc:
            self._ctl.error = words_of(exc)

    def _spaced_review_message(self, content: Mapping) -> None:
        # The finish screen's "Review now": the review quiz in place of this one (never a second widget
        # made in a callback: marimo could not show it).
        try:
            protocol.check_request_id(content)
            if self._ctl.phase != "finished":
                raise SessionError(Words("the review is offered on the finish screen only"))
            self.start_review()
            self._ctl.error = ""
        except (protocol.MessageError, ValueError, OSError) as exc:
            self._ctl.error = words_of(exc)

    def set_state(self, sync_data: dict[str, Any]) -> None:
        """Refuse state changes from the page: it sends intents; the kernel owns every trait."""
        self._home.call(self._refuse_state, sync_data)

    def _refuse_state(self, sync_data: dict[str, Any]) -> None:
        names = ", ".join(sorted(map(str, sync_data))) or "nothing"
        if self._live.controller is not None:
            self._live.controller.error = (
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
        self._live.taken_over()
        self._publish()

    @traitlets.validate("phase")
    def _valid_phase(self, proposal: Any) -> str:
        if proposal.value not in PHASES:
            raise traitlets.TraitError(f"phase must be one of {', '.join(PHASES)}, not {proposal.value!r}")
        return proposal.value
