"""SessionBrowser: the "Previous Sessions" and "Review Incorrect Answers" tabs in a notebook cell.

A thin widget, built like QuizWidget: the kernel owns the lists and every file; the page shows synced
traits and sends intents. The page only ever sees short ids ("s1", "r1") that this browser issued; they
map to files inside the kernel, so nothing the page sends can name a path. An id stays bound to the same
file for the life of the browser (new files get new ids), so a click on a list that was refreshed
underneath it can never act on a different session.

Python API (what the clicks do): ``refresh()``, ``resume(id_or_index)``, ``delete(id_or_index)``,
``clear_all()``, ``study(result_id)``, ``study_all()``, ``back()``. From Python, ``delete`` and
``clear_all`` act at once: calling them is the confirmation. The page's Delete and Clear all buttons
ask first (the ``confirm`` trait) and act on ``{"type": "confirm"}``.

One anywidget (marimo shows no widget containers, and cannot make an anywidget inside a widget's callback):
the list and the quiz a Resume or Study opens are one view. The browser makes its one QuizWidget when it is
made, and every Resume or Study swaps that attempt into it; the quiz talks to the page through the browser
(its traits as the browser's ``quiz_state``, its messages wrapped as ``{"type": "quiz", "message": ...}``),
so nothing is made in a page message's callback.

The list's traits, rows and messages are in session_list.py; the one QuizWidget and its relay in
browser_quiz.py; building and saving study exams is in study.py.
"""

from __future__ import annotations

import contextlib
import logging
import os
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from traitlets import Dict, Unicode

from quiz_widgets.errors import SessionError, shown
from quiz_widgets.exam import Exam, load_exam
from quiz_widgets.i18n import PluralWords, Words, say, translations, view_messages, words_of
from quiz_widgets.kernel.protocol import page_language, reply
from quiz_widgets.kernel.quiz_start import read_session
from quiz_widgets.kernel.static_page import static_text, with_static_text
from quiz_widgets.quiz.state import QuizState
from quiz_widgets.quiz.study import write_study_exam
from quiz_widgets.store.live import clear_sessions, delete_session
from quiz_widgets.store.manager import SessionManager
from quiz_widgets.ui.browser_quiz import QUIZ_TRAITS, embedded_quiz, let_go, swap_in
from quiz_widgets.ui.quiz_widget import ExamSource, QuizWidget
from quiz_widgets.ui.session_list import (
    MESSAGE_TYPES,
    SESSION_STATES,
    BrowserMessageError,
    SessionListView,
    display_title,
    parse_message,
    result_row,
    row_id,
    session_row,
)

__all__ = ["MESSAGE_TYPES", "SESSION_STATES", "SessionBrowser", "SessionListView"]

log = logging.getLogger(__name__)


class SessionBrowser(SessionListView):
    """Saved sessions to resume or delete, and finished quizzes' wrong answers to study; the quiz a Resume
    or Study opens shows in the same view (``showing``: "list" or "quiz").

    ``base_dir`` is the project folder (sessions in ``<base>/data/sessions``, results in ``<base>/results``);
    ``exam_dirs`` are extra folders to search for exams, after ``<base>/exams`` and ``<base>/data/exams``.
    """

    showing = Unicode("list", help='What is on screen: "list" or "quiz" (the attempt in `quiz`).').tag(
        sync=True
    )
    quiz_state = Dict(
        help="The traits of the quiz on screen (QuizWidget's, by name); the page draws the quiz from them."
    ).tag(sync=True)

    def __init__(
        self,
        base_dir: str | os.PathLike[str] = ".",
        *,
        exam_dirs: Sequence[str | os.PathLike[str]] = (),
        autosave_interval: float = 30.0,
        lang: str | None = None,
        **kwargs: Any,
    ) -> None:
        # lang: the words of the list and of the quiz it opens ("de"); None: the page's language, else English.
        self._lang = lang
        super().__init__(messages=view_messages(lang), **kwargs)
        self._base = Path(base_dir)
        self._exam_dirs = tuple(Path(d) for d in exam_dirs)
        self._autosave_interval = float(autosave_interval)
        self._manager = SessionManager(self._base)
        # id <-> file (as str: no Path per listed file). An id is never reused for another file.
        self._session_ids: dict[str, str] = {}
        self._result_ids: dict[str, str] = {}
        self._session_paths: dict[str, str] = {}
        self._result_paths: dict[str, str] = {}
        self._session_rows: list[dict[str, Any]] = []
        self._results_data: dict[str, dict[str, Any]] = {}
        self._quiz: QuizWidget | None = None  # the one below while it shows an attempt
        self.skipped: list[str] = []
        self._said: dict[str, Any] = {}
        self.on_msg(self.home.wrap(self._on_page_message))
        # Made now, while the cell runs: the attempts a Resume or Study opens are swapped into it.
        self._embedded = embedded_quiz(self, self._base, self._autosave_interval, lang)
        self.quiz_state = self._embedded.get_state(key=list(QUIZ_TRAITS))
        self.refresh()

    # -- properties ----------------------------------------------------------------------------------
    @property
    def view(self) -> SessionBrowser:
        """The browser itself (it was the list widget inside a container before it became one view)."""
        return self

    @property
    def base_dir(self) -> Path:
        return self._base

    @property
    def manager(self) -> SessionManager:
        return self._manager

    # sessions and results: the listed rows, newest first, as the page shows them (SessionListView's traits).

    @property
    def quiz(self) -> QuizWidget | None:
        """The quiz on screen (resumed or started here), or None while the list is shown."""
        return self._quiz

    # -- Python API: what the clicks do ----------------------------------------------------------------
    def refresh(self) -> None:
        """Read the session and results folders again (through SessionManager's listing cache)."""
        skipped: list[str] = []
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            sessions = self._manager.find_study_sessions()
            results = self._manager.find_completed_results()
        skipped = [str(w.message) for w in caught]
        rows = []
        self._session_paths = {}
        for data in sessions:
            path = data["_filepath"]
            sid = self._session_ids.get(path)
            if sid is None:
                sid = self._session_ids[path] = f"s{len(self._session_ids) + 1}"
            self._session_paths[sid] = path
            rows.append(session_row(sid, data))
        result_rows = []
        self._result_paths = {}
        self._results_data = {}
        for data in results:
            path = data["_filepath"]
            rid = self._result_ids.get(path)
            if rid is None:
                rid = self._result_ids[path] = f"r{len(self._result_ids) + 1}"
            self._result_paths[rid] = path
            self._results_data[rid] = data
            result_rows.append(result_row(rid, data))
        self._session_rows = rows
        self.skipped = skipped
        with self.view.hold_sync():
            self.view.sessions = rows
            self.view.results = result_rows
            if self.view.confirm and not self._confirm_still_valid(self.view.confirm):
                self._set(confirm={})
            if skipped:
                first = display_title(skipped[0], "")
                self._set(
                    notice=Words("Skipped an unreadable file: {first}", first=first)
                    if len(skipped) == 1
                    else PluralWords(
                        "Skipped {n} unreadable file. First: {first}",
                        "Skipped {n} unreadable files. First: {first}",
                        len(skipped),
                        n=len(skipped),
                        first=first,
                    )
                )

    def resume(self, id_or_index: str | int, exam: ExamSource | None = None) -> QuizWidget:
        """Go on with a saved session in this browser; it keeps writing the same file.

        The exam is found as QuizWidget.resume finds it (recorded path, then title in the exam folders
        and ``exam_dirs``), unless given. The browser's one QuizWidget (``quiz``) shows it: an attempt
        already open there is saved and its file let go first.
        """
        path = self._session_path(id_or_index)
        try:
            found, state, path, _base = read_session(path, exam, self._base, self._exam_dirs)
        except SessionError as exc:
            if exam is not None:
                raise
            # The generic advice names QuizWidget's arguments; say what works in this browser.
            raise SessionError(
                f"{exc} In this browser: browser.resume({id_or_index!r}, exam='path/to/exam.json'), "
                "or SessionBrowser(base_dir, exam_dirs=[...])."
            ) from None
        return self._open_attempt(found, state, path)

    def delete(self, id_or_index: str | int) -> None:
        """Delete one session file now (calling this is the confirmation). A session open in a running
        quiz (here or in another kernel) is refused: its writer would bring the file back."""
        sid = self._session_id(id_or_index)
        path = Path(self._session_paths[sid])
        row = self._row(sid)
        delete_session(self._manager, path)
        self.refresh()
        self._set(
            notice=Words(
                "Deleted the session \u201c{title}\u201d from {date}.", title=row["title"], date=row["date"]
            ),
            error="",
        )

    def clear_all(self) -> int:
        """Delete every saved session file now; returns how many were deleted. Refused (nothing
        deleted) while any session is open in a running quiz."""
        count = clear_sessions(self._manager)
        self.refresh()
        self._set(
            notice=PluralWords("Deleted {n} saved session.", "Deleted {n} saved sessions.", count, n=count),
            error="",
        )
        return count

    def study(self, result_id: str | int) -> QuizWidget:
        """Start a quiz of the wrong answers of one results file, titled "<exam> - Study Wrong Answers"."""
        rid = self._result_id(result_id)
        return self._start_study([self._results_data[rid]])

    def study_all(self) -> QuizWidget:
        """Start a quiz of the wrong answers of every listed results file."""
        if not self._results_data:
            raise SessionError(
                Words(
                    "there are no results with wrong answers to study in {folder}",
                    folder=str(self._manager.results_dir),
                )
            )
        return self._start_study(list(self._results_data.values()))

    def back(self) -> None:
        """Leave the quiz on screen (saved, its file let go), refresh the list and show it."""
        quiz, self._quiz = self._quiz, None
        if quiz is not None:
            try:
                let_go(self._embedded)
            except Exception as exc:  # the list must come back whatever the quiz did
                log.warning("closing the quiz failed: %s", exc)
                self._set(error=Words("Closing the quiz failed: {error}", error=str(exc)))
        self.refresh()
        self._set(showing="list")

    def close(self) -> None:
        self._quiz = None
        embedded = self.__dict__.get("_embedded")
        if embedded is not None:
            with contextlib.suppress(Exception):
                embedded.close()
        super().close()

    def __repr__(self) -> str:
        shown = f"quiz {self._quiz.exam_title!r}" if self._quiz is not None else "list"
        return (
            f"SessionBrowser({len(self._session_rows)} sessions, {len(self.view.results)} results, "
            f"showing {shown})"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        # Beside the widget view: what a static page (nbconvert, Jupyter Book) shows in its place.
        # In the language of lang= (a static page has no view to tell the page's); English without.
        words = translations(self._lang)
        _ = words.gettext
        sessions, results = len(self._session_rows), len(self.view.results)
        facts = [
            words.ngettext("{n} saved session", "{n} saved sessions", sessions).format(n=sessions)
            + ", "
            + words.ngettext("{n} finished quiz to study", "{n} finished quizzes to study", results).format(
                n=results
            )
        ]
        note = _("This list runs in Jupyter: open this notebook in Jupyter to resume or study your quizzes.")
        bundle = super()._repr_mimebundle_(**kwargs)
        return with_static_text(bundle, static_text(_("Previous quiz sessions"), "", facts, note))

    # -- the page's messages ---------------------------------------------------------------------------
    def handle_message(self, content: object) -> str:
        """Apply one custom message from the page. Returns "" or why it was refused or failed, which is
        also shown in ``error``."""
        try:
            kind, value = parse_message(content)
            if kind == "back":
                self.back()
                return ""
            if self._quiz is not None:
                raise BrowserMessageError(Words("a quiz is open: go back to the sessions first"))
            self._dispatch(kind, value)
        except (ValueError, OSError) as exc:  # SessionError, ExamError, MessageError, FileNotFoundError
            self._set(error=words_of(exc) or type(exc).__name__)
            return self.view.error
        except Exception as exc:  # never a traceback inside the widget
            log.exception("SessionBrowser: message %s failed", shown(content))
            self._set(
                error=Words("Something went wrong: {error}", error=": ".join((type(exc).__name__, str(exc))))
            )
            return self.view.error
        return ""

    def _dispatch(self, kind: str, value: str | None) -> None:
        view = self.view
        if kind == "tab":
            self._set(tab=value, error="")
        elif kind == "refresh":
            with view.hold_sync():
                self._set(error="", notice="")
                self.refresh()
        elif kind == "resume":
            sid = self._session_id(value)
            self._set(error="", notice="", confirm={})
            self.resume(sid)
        elif kind == "delete":
            sid = self._session_id(value)
            row = self._row(sid)
            self._set(
                confirm={
                    "action": "delete",
                    "id": sid,
                    "text": Words(
                        "Delete the session \u201c{title}\u201d from {date} ({progress} answered)? "
                        "This cannot be undone.",
                        title=row["title"],
                        date=row["date"],
                        progress=row["progress"],
                    ),
                },
                error="",
            )
        elif kind == "clear":
            if not self._session_rows:
                raise BrowserMessageError(Words("there are no saved sessions to clear"))
            n = len(self._session_rows)
            self._set(
                confirm={
                    "action": "clear",
                    "id": "",
                    "text": PluralWords(
                        "Delete the one saved session? This cannot be undone.",
                        "Delete all {n} saved sessions? This cannot be undone.",
                        n,
                        n=n,
                    ),
                },
                error="",
            )
        elif kind == "cancel":
            self._set(confirm={}, error="")
        elif kind == "confirm":
            pending = dict(view.confirm)
            if not pending:
                raise BrowserMessageError(Words("there is nothing to confirm"))
            self._set(confirm={})
            if pending.get("action") == "delete":
                self.delete(str(pending.get("id")))
            else:
                self.clear_all()
        elif kind == "study":
            rid = self._result_id(value)
            self._set(error="", notice="", confirm={})
            self.study(rid)
        elif kind == "study_all":
            self._set(error="", notice="", confirm={})
            self.study_all()

    def _on_page_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, Mapping) and content.get("type") == "quiz":
            self._to_quiz(content.get("message"))
            return
        if isinstance(content, Mapping) and content.get("type") == "page_lang":
            # The page's language, sent once by the view: the list's words and the quiz's follow it unless
            # lang= was given. Answered like any message, so the view is never left waiting.
            if self._lang is None:
                lang = page_language(content)
                self.messages = view_messages(lang)
                self._embedded._page_lang_message({"lang": lang})
                self._set(**self._said)  # the notice, error and question on screen, in that language
            answer = reply(content, "")
            if answer is not None:
                self.view.send(answer)
            return
        refusal = self.handle_message(content)
        # After the state the message changed (each _set flushed its hold_sync): the page re-enables its
        # buttons on this reply, so an unchanged Refresh is answered at once too.
        answer = reply(content, refusal)
        if answer is not None:
            self.view.send(answer)

    # -- internals -------------------------------------------------------------------------------------
    def _set(self, **values: Any) -> None:
        # The kernel's sentences (a notice, a refusal, the question a Delete asks) in the list's language;
        # kept as said, to be said again when the page's language arrives.
        words = translations(self.messages.get("", {}).get("lang"))
        with self.hold_sync():
            for name, value in values.items():
                if name in ("error", "notice"):
                    self._said[name] = value
                    value = say(value, words)
                elif name == "confirm":
                    self._said[name] = dict(value)
                    if value.get("text"):
                        value = {**value, "text": say(value["text"], words)}
                setattr(self, name, value)

    def _to_quiz(self, message: object) -> None:
        """A message of the quiz drawn in this view: handled as the quiz's own page message."""
        if self._quiz is None:
            # The list is on screen (the quiz view of another tab is behind): refused, and answered, so
            # that view is not left waiting.
            words = translations(self.messages.get("", {}).get("lang"))
            answer = reply(message, words.gettext("no quiz is open here: resume a session first"))
            if answer is not None:
                self.send(answer)
            return
        self._quiz._handle_custom_msg(message, [])

    def _quiz_update(self, state: Mapping[str, Any]) -> None:
        changed = {name: value for name, value in state.items() if name in QUIZ_TRAITS}
        if changed:
            self.quiz_state = {**self.quiz_state, **changed}

    def _open_attempt(
        self, exam: Exam, state: QuizState | None = None, path: Path | None = None
    ) -> QuizWidget:
        """Swap an attempt into the browser's one QuizWidget and show it (no widget is made here)."""
        quiz = self._embedded
        swap_in(quiz, exam, state, path)
        self._quiz = quiz
        self._set(confirm={}, showing="quiz")
        return quiz

    def _row(self, sid: str) -> dict[str, Any]:
        for row in self._session_rows:
            if row["id"] == sid:
                return row
        raise SessionError(f"unknown session id {sid!r}")  # pragma: no cover - ids come from the rows

    def _confirm_still_valid(self, confirm: Mapping[str, Any]) -> bool:
        if confirm.get("action") == "delete":
            return confirm.get("id") in self._session_paths
        return bool(self._session_rows)

    def _session_id(self, id_or_index: object) -> str:
        return row_id(id_or_index, self._session_rows, self._session_paths, "session", "s")

    def _result_id(self, id_or_index: object) -> str:
        return row_id(id_or_index, self.view.results, self._result_paths, "results", "r")

    def _session_path(self, id_or_index: object) -> Path:
        return Path(self._session_paths[self._session_id(id_or_index)])

    def _start_study(self, results: list[dict[str, Any]]) -> QuizWidget:
        path, notes = write_study_exam(results, self._base, self._exam_dirs)
        quiz = self._open_attempt(load_exam(path))
        self._set(notice=display_title(notes[0], "") if notes else "")
        return quiz
