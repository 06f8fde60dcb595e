"""SessionListView, the list view of a SessionBrowser: its synced traits, the rows it shows and the page's
messages.

The page only ever sees short ids ("s1", "r1") that the browser issued, never a path; parse_message()
refuses anything else. The rows are built from parsed session and results files, which may be ours, the
original app's, or damaged: every field is checked, and a bad one shows as a neutral value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

import anywidget
import traitlets
from traitlets import Dict, List, Unicode

from quiz_widgets.errors import SessionError, shown
from quiz_widgets.kernel.protocol import check_request_id
from quiz_widgets.richtext import stylesheet as richtext_stylesheet
from quiz_widgets.store.frozen import as_mapping
from quiz_widgets.store.labels import (  # one label, also for the CLI
    SESSION_STATES,
    score_hidden,
    session_state,
)
from quiz_widgets.ui.assets import BROWSER_PARTS, STATIC, esm, stylesheet
from quiz_widgets.ui.home_thread import HomeThread

__all__ = [
    "MESSAGE_TYPES",
    "SESSION_STATES",
    "BrowserMessageError",
    "SessionListView",
    "as_mapping",
    "display_title",
    "is_row_id",
    "parse_message",
    "result_row",
    "row_id",
    "session_row",
    "session_state",
]

TABS = ("sessions", "results")
MESSAGE_TYPES = (
    "tab",
    "refresh",
    "resume",
    "delete",
    "clear",
    "confirm",
    "cancel",
    "study",
    "study_all",
    "back",
)
# Keys each message may carry besides "type"; anything else is refused.
_MESSAGE_KEYS: dict[str, frozenset[str]] = {
    "tab": frozenset({"name"}),
    "resume": frozenset({"id"}),
    "delete": frozenset({"id"}),
    "study": frozenset({"id"}),
}
_ID_RE = re.compile(r"[sr][1-9][0-9]{0,8}")
MAX_ID_CHARS = 16
MAX_TITLE_CHARS = 200


class BrowserMessageError(ValueError):
    """A message from the page that the kernel refuses; nothing changed."""


def display_title(value: object, fallback: str = "(untitled exam)") -> str:
    if not isinstance(value, str) or not value.strip():
        return fallback
    value = " ".join(value.split())
    return value if len(value) <= MAX_TITLE_CHARS else value[: MAX_TITLE_CHARS - 1] + "\u2026"


def _date(value: object) -> str:
    """ISO timestamp -> "2024-01-05 09:00"; anything else -> "unknown date"."""
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M")
        except (ValueError, OverflowError):
            pass
    return "unknown date"


def _clock(seconds: object) -> str:
    """Seconds -> "h:mm:ss" (as the quiz view shows its timer)."""
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not seconds >= 0:
        seconds = 0
    total = int(min(float(seconds), 1e9))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def _count(value: object) -> int:
    return value if type(value) is int and value >= 0 else 0


def session_row(session_id: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """What the page shows of one session: no path, titles cut to MAX_TITLE_CHARS."""
    quiz_mode = as_mapping(data.get("quiz_mode"))
    timer = as_mapping(data.get("timer_data"))
    answered = _count(quiz_mode.get("total_answered"))
    total = _count(data.get("total_questions"))
    score = _count(quiz_mode.get("score"))
    return {
        "id": session_id,
        "title": display_title(data.get("exam_title")),
        "date": _date(data.get("session_date")),
        "answered": answered,
        "total": total,
        "progress": f"{answered}/{total}",
        "score": "not graded" if score_hidden(data) else f"{score}/{answered}",
        "time": _clock(timer.get("elapsed_seconds", 0)),
        "state": session_state(data),
    }


def result_row(result_id: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """What the page shows of one results file."""
    info = as_mapping(data.get("exam_info"))
    performance = as_mapping(data.get("performance"))
    detailed = as_mapping(data.get("detailed_results"))
    wrong = detailed.get("incorrect_answers")
    return {
        "id": result_id,
        "title": display_title(info.get("title")),
        "date": _date(as_mapping(data.get("session_info")).get("completion_date")),
        "score": f"{_count(performance.get('score'))}/{_count(performance.get('total_answered'))}",
        "wrong": len(wrong) if isinstance(wrong, list) else 0,
    }


def is_row_id(value: str) -> bool:
    """True for an id as the browser issues them: "s1", "r12" (never a path)."""
    return len(value) <= MAX_ID_CHARS and _ID_RE.fullmatch(value) is not None


class SessionListView(anywidget.AnyWidget):
    """The list view of a SessionBrowser. The page sends intents; it never sets a trait."""

    # The list and the quiz a Resume opens are one view (marimo shows one anywidget, no containers): the
    # quiz's parts and styles, exam text's styles too, come with the list's.
    _esm = esm(*BROWSER_PARTS)
    _css = "\n".join(
        (stylesheet("browser.css"), (STATIC / "quiz.css").read_text(encoding="utf-8"), richtext_stylesheet())
    )

    tab = Unicode("sessions", help='Tab on screen: "sessions" or "results".').tag(sync=True)
    sessions = List(
        Dict(),
        help=(
            "Saved sessions, newest first: {id, title, date, answered, total, progress, score, time, state}; "
            "state is one of: in progress, completed, quit, saved at shutdown."
        ),
    ).tag(sync=True)
    results = List(
        Dict(),
        help="Results files with wrong answers, newest first: {id, title, date, score, wrong}.",
    ).tag(sync=True)
    confirm = Dict(
        help='A pending confirmation: {action: "delete" | "clear", id, text}; empty when none.'
    ).tag(sync=True)
    notice = Unicode(
        "", help="Information for the user (what was deleted, skipped files); may be empty."
    ).tag(sync=True)
    error = Unicode("", help="Why the last request was refused or failed; empty when it was not.").tag(
        sync=True
    )
    messages = Dict(
        help="The view's words in the learner's language (quiz_widgets.i18n.view_messages); English without."
    ).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._on_refused_state: Callable[[str], None] | None = None
        self.home = HomeThread()

    def set_state(self, sync_data: dict[str, Any]) -> None:
        """Refuse state changes from the page: it sends intents; the kernel owns every trait."""
        self.home.call(self._refuse_state, sync_data)

    def _refuse_state(self, sync_data: dict[str, Any]) -> None:
        names = ", ".join(sorted(map(str, sync_data))) or "nothing"
        message = f"refused a change of {names} from the page: the kernel owns the session list"
        with self.hold_sync():
            self.error = message
        # Send the kernel's values of those traits back so the page shows the truth again: only those, not
        # the whole state with the view's module and stylesheet.
        refused = [name for name in sync_data if name in self.keys]
        if refused:
            self.send_state(key=refused)

    @traitlets.validate("tab")
    def _valid_tab(self, proposal: Any) -> str:
        if proposal.value not in TABS:
            raise traitlets.TraitError(f"tab must be sessions or results, not {proposal.value!r}")
        return proposal.value

    def __repr__(self) -> str:
        return f"SessionListView({len(self.sessions)} sessions, {len(self.results)} results)"


def parse_message(content: object) -> tuple[str, str | None]:
    """Validate one message from the page -> (type, id or tab name). Raises BrowserMessageError."""
    if not isinstance(content, Mapping):
        raise BrowserMessageError(f"message must be an object, found {shown(content, 60)}")
    try:
        check_request_id(content)
    except ValueError as exc:
        raise BrowserMessageError(str(exc)) from None
    kind = content.get("type")
    if not isinstance(kind, str) or kind not in MESSAGE_TYPES:
        raise BrowserMessageError(
            f"unknown message type {shown(kind, 60)}; expected one of {', '.join(MESSAGE_TYPES)}"
        )
    allowed = _MESSAGE_KEYS.get(kind, frozenset())
    # "request": the page protocol's request id, on every message (see view_model.reply).
    extra = sorted(str(k)[:40] for k in content if k not in ("type", "request") and k not in allowed)
    if extra:
        raise BrowserMessageError(f"{kind} message has unexpected field(s) {', '.join(map(repr, extra[:5]))}")
    if kind == "tab":
        name = content.get("name")
        if name not in TABS:
            raise BrowserMessageError(f"tab message needs name sessions or results, found {shown(name, 60)}")
        return kind, str(name)
    if kind in ("resume", "delete", "study"):
        value = content.get("id")
        if not isinstance(value, str):
            raise BrowserMessageError(f"{kind} message needs an id string, found {shown(value, 60)}")
        if not is_row_id(value):
            raise BrowserMessageError(
                f"{kind} message: {shown(value, 60)} is not an id: ids look like s1 or r1 (never a path)"
            )
        return kind, value
    return kind, None


def row_id(
    id_or_index: object,
    rows: Sequence[Mapping[str, Any]],
    known: Mapping[str, str],
    what: str,
    prefix: str,
) -> str:
    """The id of a listed row, from its id (one this browser issued) or its index in ``rows``."""
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
