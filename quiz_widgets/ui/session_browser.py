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

The list view itself (SessionListView: traits, rows, the page's messages) is in session_list.py; building
and saving study exams is in study.py.
"""

from __future__ import annotations

import contextlib
import logging
import os
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import ipywidgets

from quiz_widgets.errors import SessionError, shown
from quiz_widgets.exam import load_exam
from quiz_widgets.kernel.protocol import reply
from quiz_widgets.kernel.static_page import static_text, with_static_text
from quiz_widgets.quiz.study import write_study_exam
from quiz_widgets.store.live import clear_sessions, delete_session
from quiz_widgets.store.manager import SessionManager
from quiz_widgets.ui.quiz_widget import ExamSource, QuizWidget
from quiz_widgets.ui.session_list import (
    MESSAGE_TYPES,
    SESSION_STATES,
    BrowserMessageError,
    SessionListView,
    display_title,
    is_row_id,
    parse_message,
    result_row,
    session_row,
)

__all__ = ["MESSAGE_TYPES", "SESSION_STATES", "SessionBrowser", "SessionListView"]

log = logging.getLogger(__name__)


class SessionBrowser(ipywidgets.VBox):
    """Saved sessions to resume or delete, and finished quizzes' wrong answers to study.

    ``base_dir`` is the project folder (sessions in ``<base>/data/sessions``, results in ``<base>/results``);
    ``exam_dirs`` are extra folders to search for exams, after ``<base>/exams`` and ``<base>/data/exams``.
    """

    def __init__(
        self,
        base_dir: str | os.PathLike[str] = ".",
        *,
        exam_dirs: Sequence[str | os.PathLike[str]] = (),
        autosave_interval: float = 30.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
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
        self._quiz: QuizWidget | None = None
        self.skipped: list[str] = []
        self.view = SessionListView()
        self.view.on_msg(self.view.home.wrap(self._on_page_message))
        self.back_button = ipywidgets.Button(
            description="\u2190 Back to sessions",
            tooltip="Save this quiz and go back to the list of sessions",
            # As wide as its label, at the quiz's left edge: stretched, it ran past the quiz's right edge.
            layout=ipywidgets.Layout(width="auto", align_self="flex-start", margin="0 0 6px 0"),
        )
        self.back_button.on_click(self.view.home.wrap(lambda _button: self.back()))
        self.refresh()
        self.children = (self.view,)

    # -- properties ----------------------------------------------------------------------------------
    @property
    def base_dir(self) -> Path:
        return self._base

    @property
    def manager(self) -> SessionManager:
        return self._manager

    @property
    def sessions(self) -> list[dict[str, Any]]:
        """The listed sessions, newest first, as the page shows them (copies)."""
        return [dict(row) for row in self._session_rows]

    @property
    def results(self) -> list[dict[str, Any]]:
        """The listed results files with wrong answers, newest first (copies)."""
        return [dict(row) for row in self.view.results]

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
                self.view.confirm = {}
            if skipped:
                self.view.notice = (
                    f"Skipped {len(skipped)} unreadable file(s). First: {display_title(skipped[0], '')}"
                    if len(skipped) > 1
                    else f"Skipped an unreadable file: {display_title(skipped[0], '')}"
                )

    def resume(self, id_or_index: str | int, exam: ExamSource | None = None) -> QuizWidget:
        """Go on with a saved session in this browser; it keeps writing the same file.

        The exam is found as QuizWidget.resume finds it (recorded path, then title in the exam folders
        and ``exam_dirs``), unless given. A quiz already open here is saved and closed once the new one
        has started.
        """
        path = self._session_path(id_or_index)
        try:
            quiz = QuizWidget.resume(
                path,
                exam=exam,
                base_dir=self._base,
                search_dirs=self._exam_dirs,
                autosave_interval=self._autosave_interval,
            )
        except SessionError as exc:
            if exam is not None:
                raise
            # The generic advice names QuizWidget's arguments; say what works in this browser.
            raise SessionError(
                f"{exc} In this browser: browser.resume({id_or_index!r}, exam='path/to/exam.json'), "
                "or SessionBrowser(base_dir, exam_dirs=[...])."
            ) from None
        self._show_quiz(quiz)
        return quiz

    def delete(self, id_or_index: str | int) -> None:
        """Delete one session file now (calling this is the confirmation). A session open in a running
        quiz (here or in another kernel) is refused: its writer would bring the file back."""
        sid = self._session_id(id_or_index)
        path = Path(self._session_paths[sid])
        row = self._row(sid)
        delete_session(self._manager, path)
        self.refresh()
        self._set(notice=f"Deleted the session \u201c{row['title']}\u201d from {row['date']}.", error="")

    def clear_all(self) -> int:
        """Delete every saved session file now; returns how many were deleted. Refused (nothing
        deleted) while any session is open in a running quiz."""
        count = clear_sessions(self._manager)
        self.refresh()
        self._set(notice=f"Deleted {count} saved session(s).", error="")
        return count

    def study(self, result_id: str | int) -> QuizWidget:
        """Start a quiz of the wrong answers of one results file, titled "<exam> - Study Wrong Answers"."""
        rid = self._result_id(result_id)
        return self._start_study([self._results_data[rid]])

    def study_all(self) -> QuizWidget:
        """Start a quiz of the wrong answers of every listed results file."""
        if not self._results_data:
            raise SessionError(
                f"there are no results with wrong answers to study in {self._manager.results_dir}"
            )
        return self._start_study(list(self._results_data.values()))

    def back(self) -> None:
        """Close the quiz on screen (it saves), refresh the list and show it."""
        quiz, self._quiz = self._quiz, None
        if quiz is not None:
            try:
                quiz.close()
            except Exception as exc:  # the list must come back whatever the quiz did
                log.warning("closing the quiz failed: %s", exc)
                self._set(error=f"Closing the quiz failed: {exc}")
        self.refresh()
        self.children = (self.view,)

    def close(self) -> None:
        if self._quiz is not None:
            with contextlib.suppress(Exception):
                self._quiz.close()
            self._quiz = None
        self.view.close()
        self.back_button.close()
        super().close()

    def __repr__(self) -> str:
        shown = f"quiz {self._quiz.exam_title!r}" if self._quiz is not None else "list"
        return (
            f"SessionBrowser({len(self._session_rows)} sessions, {len(self.view.results)} results, "
            f"showing {shown})"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        # Beside the widget view: what a static page (nbconvert, Jupyter Book) shows in its place.
        sessions, results = len(self._session_rows), len(self.view.results)
        facts = [
            f"{sessions} saved session{'' if sessions == 1 else 's'}, "
            f"{results} finished quiz{'' if results == 1 else 'zes'} to study"
        ]
        note = "This list runs in Jupyter: open this notebook in Jupyter to resume or study your quizzes."
        bundle = super()._repr_mimebundle_(**kwargs)
        return with_static_text(bundle, static_text("Previous quiz sessions", "", facts, note))

    # -- the page's messages ---------------------------------------------------------------------------
    def handle_message(self, content: object) -> str:
        """Apply one custom message from the page. Returns "" or why it was refused or failed, which is
        also shown in ``error``."""
        try:
            kind, value = parse_message(content)
            if self._quiz is not None:
                raise BrowserMessageError("a quiz is open: go back to the sessions first")
            self._dispatch(kind, value)
        except (ValueError, OSError) as exc:  # SessionError, ExamError, MessageError, FileNotFoundError
            self._set(error=str(exc) or type(exc).__name__)
            return self.view.error
        except Exception as exc:  # never a traceback inside the widget
            log.exception("SessionBrowser: message %s failed", shown(content))
            self._set(error=f"Something went wrong: {type(exc).__name__}: {exc}")
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
                    "text": (
                        f"Delete the session \u201c{row['title']}\u201d from {row['date']} "
                        f"({row['progress']} answered)? This cannot be undone."
                    ),
                },
                error="",
            )
        elif kind == "clear":
            if not self._session_rows:
                raise BrowserMessageError("there are no saved sessions to clear")
            n = len(self._session_rows)
            self._set(
                confirm={
                    "action": "clear",
                    "id": "",
                    "text": f"Delete all {n} saved session(s)? This cannot be undone.",
                },
                error="",
            )
        elif kind == "cancel":
            self._set(confirm={}, error="")
        elif kind == "confirm":
            pending = dict(view.confirm)
            if not pending:
                raise BrowserMessageError("there is nothing to confirm")
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
        refusal = self.handle_message(content)
        # After the state the message changed (each _set flushed its hold_sync): the page re-enables its
        # buttons on this reply, so an unchanged Refresh is answered at once too.
        answer = reply(content, refusal)
        if answer is not None:
            self.view.send(answer)

    # -- internals -------------------------------------------------------------------------------------
    def _set(self, **values: Any) -> None:
        with self.view.hold_sync():
            for name, value in values.items():
                setattr(self.view, name, value)

    def _show_quiz(self, quiz: QuizWidget) -> None:
        old, self._quiz = self._quiz, quiz
        if old is not None and old is not quiz:
            try:
                old.close()
            except Exception as exc:
                log.warning("closing the previous quiz failed: %s", exc)
        self._set(confirm={})
        self.children = (self.back_button, quiz)

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
        return _lookup(id_or_index, self._session_rows, self._session_paths, "session", "s")

    def _result_id(self, id_or_index: object) -> str:
        return _lookup(id_or_index, self.view.results, self._result_paths, "results", "r")

    def _session_path(self, id_or_index: object) -> Path:
        return Path(self._session_paths[self._session_id(id_or_index)])

    def _start_study(self, results: list[dict[str, Any]]) -> QuizWidget:
        path, notes = write_study_exam(results, self._base, self._exam_dirs)
        quiz = QuizWidget(load_exam(path), base_dir=self._base, autosave_interval=self._autosave_interval)
        self._show_quiz(quiz)
        self._set(notice=display_title(notes[0], "") if notes else "")
        return quiz


# -- helpers ---------------------------------------------------------------------------------------------
def _lookup(
    id_or_index: object,
    rows: Sequence[Mapping[str, Any]],
    known: Mapping[str, str],
    what: str,
    prefix: str,
) -> str:
    if isinstance(id_or_index, int) and not isinstance(id_or_index, bool):
        try:
            return str(rows[id_or_index]["id"])
        except IndexError:
            raise SessionError(
                f"no {what} at index {id_or_index}: {len(rows)} listed (0..{len(rows) - 1})"
            ) from None
    if not isinstance(id_or_index, str):
        raise BrowserMessageError(
            f"a {what} id must be a string like {prefix}1 (or an index), found {shown(id_or_index)}"
        )
    if id_or_index not in known:
        if not is_row_id(id_or_index):
            raise BrowserMessageError(
                f"{shown(id_or_index)} is not a {what} id: ids look like {prefix}1 (never a path)"
            )
        raise SessionError(
            f"unknown {what} id {id_or_index!r}: it is not in the list (deleted?); refresh the list"
        )
    return id_or_index
