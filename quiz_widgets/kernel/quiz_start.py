"""What a new QuizWidget starts from: its exam, how its new attempts are set up, and the attempt it opens on.

Kept out of the widget so that every check runs before the widget opens its comm (a bad exam, mode, time
limit, draw or learner name raises in the cell and leaves nothing open in the page or the kernel), and so
that choosing the attempt reads as plain Python: attempt="continue" goes on with the newest unfinished
attempt at the same exam (quiz/attempts.py says what counts), resume() with a saved session and its exam.
"""

from __future__ import annotations

import gettext
import os
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from quiz_widgets.exam import Exam, load_exam
from quiz_widgets.kernel.writer import release
from quiz_widgets.quiz.arrange import arrange
from quiz_widgets.quiz.attempts import find_attempt_to_continue
from quiz_widgets.quiz.codec import from_session
from quiz_widgets.quiz.finding import base_dir_of, find_exam_for_session
from quiz_widgets.quiz.state import QuizState
from quiz_widgets.store.manager import SessionManager
from quiz_widgets.teaching.quiz_link import quiz_learner

ExamSource = str | os.PathLike | Mapping | Exam
# QuizWidget(attempt=...): "continue" the newest unfinished attempt at the same exam, or always a "new" one.
ATTEMPTS = ("continue", "new")


@dataclass(frozen=True)
class AttemptSettings:
    """How a new attempt at the quiz's own exam is set up: QuizWidget's mode ... seed arguments."""

    mode: str = "practice"
    time_limit: float | None = None
    shuffle: bool = False
    shuffle_options: bool = False
    draw: int | Mapping[str, int] | None = None
    seed: int | None = None
    confidence: bool | str = False  # ask how sure with each answer; "cbm": and score by Moodle's CBM

    def new_state(self, exam: Exam) -> QuizState:
        """A new attempt at ``exam`` in this mode, its questions and options arranged (shuffle, draw)."""
        arrangement = arrange(
            exam, shuffle=self.shuffle, shuffle_options=self.shuffle_options, draw=self.draw, seed=self.seed
        )
        settings = {
            key: getattr(self, key) for key in ("shuffle", "shuffle_options", "draw") if getattr(self, key)
        }
        if arrangement.seed is not None:
            settings["seed"] = arrangement.seed
        return QuizState(
            exam,
            order=arrangement.order,
            mode=self.mode,
            time_limit=self.time_limit,
            option_orders=arrangement.option_orders,
            settings=settings,
            drawn=self.draw is not None,
            confidence=self.confidence,
        )


def checked_start(
    exam: ExamSource,
    settings: AttemptSettings,
    *,
    attempt: str,
    learner: str | None,
    collect_to: str | os.PathLike | None,
) -> tuple[Exam, str | None]:
    """The loaded exam and the learner's name, or the error QuizWidget's arguments deserve (before any comm)."""
    if attempt not in ATTEMPTS:
        raise ValueError(f"attempt: found {attempt!r}, expected one of {', '.join(map(repr, ATTEMPTS))}")
    loaded = load_exam(exam)
    settings.new_state(loaded)  # a bad mode, time limit or draw raises here
    return loaded, quiz_learner(learner, collect_to)  # so does a learner name no folder can have


def attempt_to_continue(
    manager: SessionManager, exam: Exam, holder: str, learner: str | None = None
) -> tuple[QuizState | None, Path | None]:
    """The newest unfinished attempt at this exam under base_dir, ``learner``'s own (quiz/attempts.py says
    what counts).

    A widget of this kernel that still has it open saves and hands it over to ``holder`` first, so what is
    read is the attempt as it is now (see writer.release). Called by QuizWidget.__init__ itself: the
    warning's stacklevel points at the notebook's cell.
    """
    path = find_attempt_to_continue(manager, exam, learner)
    if path is None:
        return None, None
    try:
        release(path, holder)
        data = manager.load_session(path)
        return from_session(data, exam), path
    except (ValueError, OSError) as exc:
        # The file stays as it is for the Previous Sessions browser; this quiz starts afresh.
        warnings.warn(
            f"could not continue the attempt in {path}: {exc}; starting a new attempt",
            UserWarning,
            stacklevel=4,
        )
        return None, None


def continued_note(
    state: QuizState, asked: AttemptSettings | None = None, words: gettext.NullTranslations | None = None
) -> str:
    """QuizWidget.continued: which earlier attempt this quiz goes on with, and, when the cell now asks
    for other settings than the attempt was started with, that it keeps its own. ``words``: the learner's
    catalogue (quiz_widgets.i18n.translations), English without."""
    tr = words or gettext.NullTranslations()
    _ = tr.gettext
    started = state.session_date[:16].replace("T", " ")
    note = _("Continuing your attempt of {date}: {answered} of {total} answered.").format(
        date=started, answered=state.total_answered, total=len(state.order)
    )
    differences = _settings_changed(state, asked, tr) if asked is not None else []
    if differences:
        # An attempt keeps the settings it was started with (its answers were given under them), as a
        # Moodle attempt keeps the quiz settings of its start.
        note += " " + _(
            "It keeps its own settings; this quiz now asks for {settings}: start a new attempt for those."
        ).format(settings=", ".join(differences))
    return note


def _settings_changed(state: QuizState, asked: AttemptSettings, tr: gettext.NullTranslations) -> list[str]:
    """What ``asked`` sets up differently from ``state``'s attempt, in words ("exam mode", "no time limit")."""
    _ = tr.gettext
    modes = {"practice": _("practice mode"), "exam": _("exam mode"), "study": _("study mode")}
    changed = []
    if asked.mode != state.mode:
        changed.append(modes.get(asked.mode, f"{asked.mode} mode"))
    if asked.time_limit != state.time_limit:
        if asked.time_limit:
            minutes = asked.time_limit / 60
            shown = f"{minutes:g}"
            limit = tr.ngettext("{minutes} minute", "{minutes} minutes", 1 if minutes == 1 else 2)
            changed.append(_("a time limit of {limit}").format(limit=limit.format(minutes=shown)))
        else:
            changed.append(_("no time limit"))
    saved = state.settings
    if bool(asked.shuffle) != bool(saved.get("shuffle")):
        changed.append(_("shuffled questions") if asked.shuffle else _("questions in order"))
    if bool(asked.shuffle_options) != bool(saved.get("shuffle_options")):
        changed.append(_("shuffled options") if asked.shuffle_options else _("options in order"))
    if asked.confidence != state.confidence:
        if asked.confidence == "cbm":
            changed.append(_("certainty-based marking"))
        elif asked.confidence:
            changed.append(_("a confidence level with each answer"))
        else:
            changed.append(_("no confidence level"))
    if asked.draw != saved.get("draw"):
        changed.append(
            _("a draw of {n}").format(n=asked.draw) if asked.draw is not None else _("every question")
        )
    return changed


def live_session(
    manager: SessionManager, path: str | os.PathLike, exam: Exam, state: QuizState, holder: str
) -> QuizState:
    """``state``, read from ``path`` by resume(), or the file read again when a widget of this kernel still
    had it open: that one saves and hands it over to ``holder`` first (see writer.release)."""
    if not release(path, holder):
        return state
    return from_session(manager.load_session(path), exam)


def read_session(
    session: str | os.PathLike | Mapping,
    exam: ExamSource | None,
    base_dir: str | os.PathLike | None,
    search_dirs: Sequence[str | os.PathLike],
) -> tuple[Exam, QuizState, Path, Path]:
    """QuizWidget.resume's start: (exam, state, session file, base_dir) of a saved session.

    The exam is the one given, else the one the session records (finding.py: its path, else its title).
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
    return found, from_session(data, found), path, base
