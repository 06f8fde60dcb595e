"""What one quiz sends to the class store, and what the learner is told about it.

The widget owns one ``QuizLink``. It hands over each completed attempt (``completed``), tells it when the
quiz changed (``changed``: every save of an answer, a finish, a pause), and reads ``message`` for the
finish screen. Everything that talks to the store runs in the Collector's worker thread; the calls here
cost a directory listing when nothing waits, so the per-answer save stays fast.

With ``collect_answers=True`` each attempt also has one progress record in the learner's folder
(``progress_<attempt>.json``, named after the exam and the session's start, so a resumed session in
another kernel rewrites the same one), rewritten with every answer so far after each answer: the live
class view counts who started which quiz and which questions go wrong from those before anyone
finishes, and the store holds one object per learner and attempt, not one per answer (issue 23).
Progress records are never attempts: ClassReport skips them.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from quiz_widgets.errors import SessionError
from quiz_widgets.i18n import Words
from quiz_widgets.teaching.collect import DELIVERED, SENDING, Collector, attempt_name, default_collect_to
from quiz_widgets.teaching.learner import resolve_learner

__all__ = [
    "PROGRESS_KIND",
    "PROGRESS_PREFIX",
    "QuizLink",
    "delivery_message",
    "progress_attempt_record",
    "progress_name",
    "progress_record",
    "quiz_learner",
]

PROGRESS_PREFIX = "progress_"
PROGRESS_KIND = "quiz_widgets.progress"


def delivery_message(status: str, why: str | None = None) -> str:
    """The finish screen's line for a Collector status ("" when nothing was sent), as Words: the view
    says it in the learner's language. ``why``: the queued status's reason as the Collector gave it."""
    if status == DELIVERED:
        return Words("Result sent to the class folder")
    if status == SENDING:
        return Words("Sending the result to the class folder...")
    if status.startswith("queued: "):
        return Words(
            "Result waiting to be sent: {why}; it will be sent by the next save",
            why=why if why is not None else status[len("queued: ") :],
        )
    return ""


def progress_record(
    state: Any, entry: Mapping[str, Any], *, now: _dt.datetime | None = None
) -> dict[str, Any]:
    """One answer as the live class view reads it (the learner is added by the Collector)."""
    question = state.exam.by_id(entry["question_id"])
    return {
        "kind": PROGRESS_KIND,
        "exam": state.exam.title,
        "exam_fingerprint": state.exam.fingerprint,
        "session_date": state.session_date,
        "question_id": entry["question_id"],
        "question": question.text if question is not None else "",
        "topic": question.topic if question is not None else None,
        "correct": bool(entry.get("correct")),
        "answered": state.total_answered,
        "total": len(state.order),
        "date": (now or _dt.datetime.now()).isoformat(),
    }


def progress_name(state: Any) -> str:
    """The one progress record name of *state*'s attempt: the same in every kernel that resumes it."""
    digest = hashlib.sha256(f"{state.exam.fingerprint}|{state.session_date}".encode()).hexdigest()
    return PROGRESS_PREFIX + digest[:24]


def progress_attempt_record(state: Any, *, now: _dt.datetime | None = None) -> dict[str, Any]:
    """Every answer of the attempt so far as the live class view reads it (the Collector adds the
    learner); a question answered again counts with its latest answer."""
    latest: dict[str, dict[str, Any]] = {}
    for entry in state.answers:
        answer = progress_record(state, entry, now=now)
        latest.pop(str(entry["question_id"]), None)  # re-answered: moved to its new place in the order
        latest[str(entry["question_id"])] = {
            k: answer[k] for k in ("question_id", "question", "topic", "correct")
        }
    return {
        "kind": PROGRESS_KIND,
        "exam": state.exam.title,
        "exam_fingerprint": state.exam.fingerprint,
        "session_date": state.session_date,
        "answers": list(latest.values()),
        "answered": state.total_answered,
        "total": len(state.order),
        "date": (now or _dt.datetime.now()).isoformat(),
    }


def quiz_learner(learner: str | None, collect_to: str | os.PathLike[str] | None) -> str | None:
    """The learner a quiz records: checked strictly when given or when collecting, else best effort.

    A quiz that collects nothing must not fail because the OS has no user name (some containers) or
    JUPYTERHUB_USER holds a name no folder can have: it then records no learner.
    """
    if learner is not None or collect_to is not None or default_collect_to() is not None:
        return resolve_learner(learner)
    try:
        return resolve_learner(None)
    except SessionError:
        return None


class QuizLink:
    """One quiz's connection to the class store: its attempts, its progress records, its delivery line."""

    def __init__(
        self,
        collect_to: str | os.PathLike[str] | None,
        *,
        learner: str,
        base_dir: str | os.PathLike[str],
        storage_options: Mapping[str, Any] | None = None,
        collect_answers: bool = False,
        on_status: Callable[[str], None] | None = None,
        background: bool = True,
    ) -> None:
        self.collector = Collector(
            collect_to,
            learner=learner,
            base_dir=base_dir,
            storage_options=storage_options,
            on_status=on_status,
            background=background,
        )
        self.collect_answers = bool(collect_answers)
        self._revision: int | None = None
        self._sent: set[tuple[str, str]] = set()  # (question id, answer) already sent as progress

    @property
    def enabled(self) -> bool:
        return self.collector.enabled

    @property
    def message(self) -> str:
        collector = self.collector
        return delivery_message(collector.status, collector.why)

    def started(self, state: Any) -> None:
        """A quiz start (new or resumed): send what earlier kernels left in the outbox."""
        if not self.enabled:
            return
        # Answers already given before this start (a resumed session) were sent by the kernel that took them.
        self._sent = {self._key(e) for e in state.answers}
        self._revision = state.revision
        self.collector.flush()

    def changed(self, state: Any) -> None:
        """The quiz changed and was saved: progress records for new answers, then a delivery pass."""
        if not self.enabled or state.revision == self._revision:
            return
        self._revision = state.revision
        keys = {self._key(e) for e in state.answers}
        if self.collect_answers and not keys <= self._sent:
            # The attempt's one record, rewritten: a record still waiting in the outbox is replaced by this
            # newer one (same name), so a store that was down gets the latest state, once.
            self.collector.submit(progress_attempt_record(state), progress_name(state))
            self._sent |= keys
        else:
            self.collector.flush()

    def completed(self, results: Mapping[str, Any], results_path: Path | None) -> None:
        """A completed attempt: queued under the results file's name plus a random part, then sent."""
        if not self.enabled:
            return
        stem = results_path.stem if results_path is not None else None
        self.collector.submit(results, attempt_name(stem))

    def close(self) -> None:
        self.collector.close()

    @staticmethod
    def _key(entry: Mapping[str, Any]) -> tuple[str, str]:
        return (str(entry.get("question_id")), repr(entry.get("answer")))
