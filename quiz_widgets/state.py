"""The quiz as plain Python: answers, score and time, and the session dict in and out.

Nothing here touches files, widgets or the event loop, so every rule about scoring and resuming can be
tested with a fake clock. The session dict keeps the original app's fields exactly (that app must still
be able to read what we write) and adds one namespaced key, ``"quiz_widgets"``, that makes resume exact.
"""

from __future__ import annotations

import copy
import math
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from quiz_widgets.errors import AnswerError, SessionError
from quiz_widgets.exam import Exam, Question

__all__ = ["EXTENSION_KEY", "FORMAT_VERSION", "AnswerResult", "Clock", "QuizState"]

FORMAT_VERSION = 1
EXTENSION_KEY = "quiz_widgets"
_MAX_REPR = 80


def _show(value: object) -> str:
    """repr() cut to 80 chars, as every error message in the package shows values."""
    text = repr(value)
    return text if len(text) <= _MAX_REPR else text[: _MAX_REPR - 3] + "..."


def _bad(source: str, field: str, found: object, expected: str) -> SessionError:
    return SessionError(f"{source}: field {field!r}: found {_show(found)}, expected {expected}")


class Clock:
    """Elapsed quiz time on a monotonic clock, counting only while running.

    A resumed session passes its saved time as ``elapsed``: the clock continues from that offset, so
    wall-clock jumps (NTP, suspend, DST) never change the time a learner took.
    """

    def __init__(self, elapsed: float = 0.0, *, now: Callable[[], float] = time.monotonic) -> None:
        if isinstance(elapsed, bool) or not isinstance(elapsed, (int, float)):
            raise TypeError(f"elapsed must be a number of seconds, got {_show(elapsed)}")
        if not math.isfinite(elapsed) or elapsed < 0:
            raise ValueError(f"elapsed must be a finite number >= 0, got {_show(elapsed)}")
        self._offset = float(elapsed)
        self._now = now
        self._started_at: float | None = None
        # Counts start/stop transitions so QuizState.revision sees clock changes made directly on the
        # clock (the widget starts/stops it) without the clock having to know about the state.
        self.transitions = 0

    @property
    def running(self) -> bool:
        return self._started_at is not None

    @property
    def elapsed(self) -> float:
        if self._started_at is None:
            return self._offset
        # max(): a misbehaving injected clock must never make time run backwards.
        return self._offset + max(0.0, self._now() - self._started_at)

    def start(self) -> bool:
        """Start counting; returns False (and changes nothing) when already running."""
        if self._started_at is not None:
            return False
        self._started_at = self._now()
        self.transitions += 1
        return True

    def stop(self) -> bool:
        """Stop counting; returns False (and changes nothing) when already stopped."""
        if self._started_at is None:
            return False
        self._offset = self.elapsed
        self._started_at = None
        self.transitions += 1
        return True

    def __repr__(self) -> str:
        return f"Clock(elapsed={self.elapsed:.3f}, running={self.running})"


@dataclass(frozen=True)
class AnswerResult:
    question: Question
    normalized: Any
    correct: bool
    index: int  # position of the question in the quiz order


class QuizState:
    """One learner's pass through an exam.

    As in the original app, the current question is ``order[total_answered]``: answering moves the quiz
    on. Sessions resumed from original-app files only know how many questions were answered, the score and
    the wrong answers; those are kept as "carried over" progress and new answers are added on top.
    """

    def __init__(
        self,
        exam: Exam,
        *,
        order: Sequence[Any] | None = None,
        clock: Clock | None = None,
        session_date: str | None = None,
    ) -> None:
        self.exam = exam
        self._by_id: dict[Any, Question] = {q.id: q for q in exam.questions}
        self.order: list[Any] = (
            self._check_order(order, "<order>") if order is not None else list(self._by_id)
        )
        self.clock = clock if clock is not None else Clock()
        self.session_date = session_date if session_date is not None else datetime.now().isoformat()
        self._answers: list[dict[str, Any]] = []
        self._wrong: list[dict[str, Any]] = []
        self._score = 0
        # Progress carried over from an original-app session: answered count, score and wrong answers
        # are known, but not which answer was given to which question.
        self._carried_answered = 0
        self._carried_score = 0
        self._carried_wrong: list[dict[str, Any]] = []
        self._carried = False
        self.quit_by_user = False
        self._finished = False
        self._changes = 0
        self._clock_base = self.clock.transitions

    # -- reading ---------------------------------------------------------------------------------
    def _check_order(self, order: Sequence[Any], source: str) -> list[Any]:
        if isinstance(order, (str, bytes)) or not isinstance(order, Sequence):
            raise _bad(source, "question_order", order, "a list of question ids")
        result: list[Any] = []
        seen: set[Any] = set()
        for qid in order:
            question = (
                self.exam.by_id(qid) if isinstance(qid, (int, str)) and not isinstance(qid, bool) else None
            )
            if question is None:
                raise _bad(source, "question_order", qid, f"a question id of exam {self.exam.title!r}")
            if question.id in seen:
                raise _bad(source, "question_order", qid, "each question id once")
            seen.add(question.id)
            result.append(question.id)
        if len(result) != len(self._by_id):
            missing = [qid for qid in self._by_id if qid not in result]
            raise _bad(source, "question_order", list(order), f"every question id, missing {_show(missing)}")
        return result

    @property
    def total_questions(self) -> int:
        return len(self.order)

    @property
    def total_answered(self) -> int:
        return self._carried_answered + len(self._answers)

    @property
    def current_index(self) -> int:
        return self.total_answered

    @property
    def current_question(self) -> Question | None:
        index = self.total_answered
        return self._by_id[self.order[index]] if index < len(self.order) else None

    @property
    def answers(self) -> list[dict[str, Any]]:
        return copy.deepcopy(self._answers)

    @property
    def score(self) -> int:
        return self._carried_score + self._score

    @property
    def wrong_answers(self) -> list[dict[str, Any]]:
        return copy.deepcopy(self._carried_wrong + self._wrong)

    @property
    def carried_over(self) -> dict[str, Any] | None:
        """Progress restored from an original-app file (no per-answer detail), or None."""
        if not self._carried:
            return None
        return {
            "score": self._carried_score,
            "total_answered": self._carried_answered,
            "wrong_answers": copy.deepcopy(self._carried_wrong),
        }

    @property
    def elapsed_seconds(self) -> float:
        return self.clock.elapsed

    @property
    def completed(self) -> bool:
        return self.total_answered >= len(self.order)

    @property
    def finished(self) -> bool:
        """No more answers accepted: every question answered, or finish() was called."""
        return self._finished or self.completed

    @property
    def revision(self) -> int:
        return self._changes + (self.clock.transitions - self._clock_base)

    # -- changing --------------------------------------------------------------------------------
    def answer(self, value: Any) -> AnswerResult:
        """Grade ``value`` for the current question and move on.

        Raises AnswerError for a value the question cannot take (nothing changes) and SessionError
        when the quiz is finished.
        """
        question = self.current_question
        if question is None or self._finished:
            raise SessionError(
                f"quiz is finished: exam {self.exam.title!r}, {self.total_answered} of "
                f"{len(self.order)} questions answered; no more answers are accepted"
            )
        # Everything that can raise runs before anything changes, so a bad value leaves no trace.
        normalized = question.normalize(value)
        correct = bool(question.is_correct(normalized))
        wrong = None if correct else self._wrong_entry(question, normalized)
        index = self.total_answered
        self._answers.append(
            {"question_id": question.id, "answer": _copy_answer(normalized), "correct": correct}
        )
        if correct:
            self._score += 1
        else:
            self._wrong.append(wrong)
        self._changes += 1
        if self.completed:
            self.clock.stop()
        return AnswerResult(
            question=question, normalized=_copy_answer(normalized), correct=correct, index=index
        )

    def finish(self, *, quit_by_user: bool = True) -> None:
        """End the quiz: stop the clock, refuse further answers; quit_by_user only if not completed."""
        changed = not self._finished
        self._finished = True
        quit_flag = bool(quit_by_user) and not self.completed
        if quit_flag != self.quit_by_user:
            self.quit_by_user = quit_flag
            changed = True
        self.clock.stop()
        if changed:
            self._changes += 1

    @staticmethod
    def _wrong_entry(question: Question, normalized: Any) -> dict[str, Any]:
        return {
            "question_id": question.id,
            "question": question.text,
            "your_answer": question.describe(normalized),
            "correct_answer": question.correct_text(),
        }

    # -- session dict ----------------------------------------------------------------------------
    def to_session(self, *, auto_saved: bool = False, emergency_saved: bool = False) -> dict[str, Any]:
        """The seed's session fields exactly, plus the ``"quiz_widgets"`` key for an exact resume."""
        elapsed = self.elapsed_seconds
        extension: dict[str, Any] = {
            "format_version": FORMAT_VERSION,
            "exam_path": str(self.exam.source) if self.exam.source is not None else None,
            "exam_fingerprint": self.exam.fingerprint,
            "question_order": list(self.order),
            "answers": self.answers,
            "elapsed_seconds": elapsed,
        }
        if self._carried:
            extension["carried_over"] = self.carried_over
        return {
            "session_date": self.session_date,
            "exam_title": self.exam.title,
            "total_questions": len(self.order),
            "quiz_mode": {
                "score": self.score,
                "total_answered": self.total_answered,
                "wrong_answers": self.wrong_answers,
            },
            "timer_data": {
                # The original app writes whole seconds; the exact float lives in the extension.
                "elapsed_seconds": int(elapsed),
                "completed": self.completed,
                "auto_saved": bool(auto_saved),
                "emergency_saved": bool(emergency_saved),
                "quit_by_user": self.quit_by_user,
            },
            EXTENSION_KEY: extension,
        }

    @classmethod
    def from_session(
        cls, data: Mapping[str, Any], exam: Exam, *, clock_now: Callable[[], float] = time.monotonic
    ) -> QuizState:
        """Rebuild a state from a session dict (ours, or one written by the original app)."""
        source = _source_name(data)
        if not isinstance(data, Mapping):
            raise _bad(source, "<session>", data, "a JSON object (dict) with the session fields")
        session_date = data.get("session_date")
        if session_date is not None and not isinstance(session_date, str):
            raise _bad(source, "session_date", session_date, "an ISO date string")
        timer = _mapping_field(data, "timer_data", source)
        quiz_mode = _mapping_field(data, "quiz_mode", source)
        quit_flag = _bool_field(timer, "quit_by_user", "timer_data.quit_by_user", source)
        _bool_field(timer, "completed", "timer_data.completed", source)
        saved_elapsed = _number_field(timer, "elapsed_seconds", "timer_data.elapsed_seconds", source)
        title = data.get("exam_title")
        if title is not None and not isinstance(title, str):
            raise _bad(source, "exam_title", title, "the exam title (a string)")

        extension = data.get(EXTENSION_KEY)
        if extension is None:
            state = cls._from_original(data, exam, quiz_mode, source, clock_now, saved_elapsed)
        else:
            if not isinstance(extension, Mapping):
                raise _bad(source, EXTENSION_KEY, extension, "an object with the quiz_widgets fields")
            state = cls._from_ours(extension, exam, source, clock_now)
        if session_date is not None:
            state.session_date = session_date
        if title is not None and title != exam.title and extension is None:
            warnings.warn(
                f"{source}: the session was saved for exam {title!r}, resuming it with exam {exam.title!r}",
                UserWarning,
                stacklevel=2,
            )
        state.quit_by_user = quit_flag and not state.completed
        # A quiz the user quit stays finished when reloaded (the finish screen shows), as it was saved.
        state._finished = state.quit_by_user
        if timer.get("completed") is True and not state.completed:
            warnings.warn(
                f"{source}: timer_data.completed is true but only {state.total_answered} of "
                f"{len(state.order)} questions are answered; the quiz continues",
                UserWarning,
                stacklevel=2,
            )
        # A restored state starts unchanged: the widget decides when the clock runs.
        state._changes = 0
        state._clock_base = state.clock.transitions
        return state

    @classmethod
    def _from_original(
        cls,
        data: Mapping[str, Any],
        exam: Exam,
        quiz_mode: Mapping[str, Any],
        source: str,
        clock_now: Callable[[], float],
        saved_elapsed: float,
    ) -> QuizState:
        # As the seed's QuizState does: exam order, current index = total_answered, score, wrong answers
        # and time as saved; which answer went to which question is not in these files.
        state = cls(exam, clock=Clock(saved_elapsed, now=clock_now))
        score = _count_field(quiz_mode, "score", "quiz_mode.score", source)
        answered = _count_field(quiz_mode, "total_answered", "quiz_mode.total_answered", source)
        wrong = _wrong_list(quiz_mode, "quiz_mode.wrong_answers", source)
        total = data.get("total_questions")
        if total is not None and (isinstance(total, bool) or not isinstance(total, int) or total < 0):
            raise _bad(source, "total_questions", total, "a whole number >= 0")
        if total is not None and total != len(exam):
            warnings.warn(
                f"{source}: the session was saved for {total} questions, exam {exam.title!r} has {len(exam)}",
                UserWarning,
                stacklevel=3,
            )
        if answered > len(exam):
            warnings.warn(
                f"{source}: quiz_mode.total_answered is {answered} but exam {exam.title!r} has only "
                f"{len(exam)} questions; resuming as {len(exam)} answered",
                UserWarning,
                stacklevel=3,
            )
            answered = len(exam)
        state._carried = True
        state._carried_answered = answered
        state._carried_score = score
        state._carried_wrong = wrong
        return state

    @classmethod
    def _from_ours(
        cls, ext: Mapping[str, Any], exam: Exam, source: str, clock_now: Callable[[], float]
    ) -> QuizState:
        prefix = EXTENSION_KEY + "."
        version = ext.get("format_version")
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise _bad(source, prefix + "format_version", version, f"{FORMAT_VERSION}")
        if version > FORMAT_VERSION:
            raise _bad(
                source,
                prefix + "format_version",
                version,
                f"{FORMAT_VERSION} (the file was written by a newer quiz_widgets; upgrade to resume it)",
            )
        exam_path = ext.get("exam_path")
        if exam_path is not None and not isinstance(exam_path, str):
            raise _bad(source, prefix + "exam_path", exam_path, "a path string or null")
        fingerprint = ext.get("exam_fingerprint")
        if not isinstance(fingerprint, str):
            raise _bad(source, prefix + "exam_fingerprint", fingerprint, "the exam's sha256 hex string")
        elapsed = _number_field(ext, "elapsed_seconds", prefix + "elapsed_seconds", source, required=True)
        order = ext.get("question_order")
        if not isinstance(order, list):
            raise _bad(source, prefix + "question_order", order, "a list of question ids")
        for i, qid in enumerate(order):
            if isinstance(qid, bool) or not isinstance(qid, (int, str)):
                raise _bad(source, f"{prefix}question_order[{i}]", qid, "a question id (int or string)")
        answers = ext.get("answers")
        if not isinstance(answers, list):
            raise _bad(source, prefix + "answers", answers, "a list of {question_id, answer, correct}")
        for i, entry in enumerate(answers):
            field = f"{prefix}answers[{i}]"
            if not isinstance(entry, Mapping) or "question_id" not in entry or "answer" not in entry:
                raise _bad(source, field, entry, "an object {question_id, answer, correct}")
            qid = entry["question_id"]
            if isinstance(qid, bool) or not isinstance(qid, (int, str)):
                raise _bad(source, field + ".question_id", qid, "a question id (int or string)")
            if "correct" in entry and not isinstance(entry["correct"], bool):
                raise _bad(source, field + ".correct", entry["correct"], "true or false")
        carried = ext.get("carried_over")
        if carried is not None and not isinstance(carried, Mapping):
            raise _bad(source, prefix + "carried_over", carried, "an object {score, total_answered, ...}")

        state = cls(exam, clock=Clock(elapsed, now=clock_now))
        changed = fingerprint != exam.fingerprint
        notes: list[str] = []
        if carried is not None:
            cls._restore_carried(state, carried, order, source, prefix + "carried_over", changed, notes)
        if changed:
            valid = cls._matching_answers(state, answers, notes)
            state.order = cls._merge_order(state, order, [q.id for q, _ in valid], notes)
        else:
            state.order = state._check_order(order, source)
            valid = cls._strict_answers(state, answers, source, prefix)
        for question, entry in valid:
            normalized = question.normalize(entry["answer"])
            correct = bool(question.is_correct(normalized))
            if changed and "correct" in entry and entry["correct"] != correct:
                notes.append(f"{question.label()} regraded as {'correct' if correct else 'wrong'}")
            state._answers.append(
                {"question_id": question.id, "answer": _copy_answer(normalized), "correct": correct}
            )
            if correct:
                state._score += 1
            else:
                state._wrong.append(cls._wrong_entry(question, normalized))
        if changed:
            detail = "; ".join(notes) if notes else "no answered question was affected"
            warnings.warn(
                f"{source}: exam {exam.title!r} changed since the session was saved (fingerprint "
                f"{fingerprint[:12]!r} -> {exam.fingerprint[:12]!r}); answers matched by question id: "
                f"{detail}",
                UserWarning,
                stacklevel=3,
            )
        return state

    @staticmethod
    def _strict_answers(
        state: QuizState, answers: list[Any], source: str, prefix: str
    ) -> list[tuple[Question, Mapping[str, Any]]]:
        """Same exam: every answer must belong to the next question of the order and still be valid."""
        valid: list[tuple[Question, Mapping[str, Any]]] = []
        offset = state._carried_answered
        for i, entry in enumerate(answers):
            field = f"{prefix}answers[{i}]"
            position = offset + i
            if position >= len(state.order):
                raise _bad(
                    source, field, entry, f"at most {len(state.order) - offset} answers (one per question)"
                )
            expected = state.order[position]
            question = state.exam.by_id(entry["question_id"])
            if question is None or question.id != expected:
                raise _bad(
                    source,
                    field + ".question_id",
                    entry["question_id"],
                    f"{_show(expected)} (answers follow question_order)",
                )
            try:
                question.normalize(entry["answer"])
            except AnswerError as exc:
                raise _bad(source, field + ".answer", entry["answer"], f"a valid answer ({exc})") from None
            valid.append((question, entry))
        return valid

    @staticmethod
    def _matching_answers(
        state: QuizState, answers: list[Any], notes: list[str]
    ) -> list[tuple[Question, Mapping[str, Any]]]:
        """Changed exam: keep the answers whose question id still exists and whose value still fits."""
        valid: list[tuple[Question, Mapping[str, Any]]] = []
        seen: set[Any] = set(state.order[: state._carried_answered]) if state._carried else set()
        for entry in answers:
            question = state.exam.by_id(entry["question_id"])
            if question is None:
                notes.append(f"answer to question id {entry['question_id']!r} dropped (question removed)")
                continue
            if question.id in seen:
                notes.append(f"second answer to {question.label()} dropped")
                continue
            try:
                question.normalize(entry["answer"])
            except AnswerError:
                notes.append(f"answer to {question.label()} dropped (it no longer fits the question)")
                continue
            seen.add(question.id)
            valid.append((question, entry))
        return valid

    @staticmethod
    def _restore_carried(
        state: QuizState,
        carried: Mapping[str, Any],
        order: list[Any],
        source: str,
        field: str,
        changed: bool,
        notes: list[str],
    ) -> None:
        score = _count_field(carried, "score", field + ".score", source)
        answered = _count_field(carried, "total_answered", field + ".total_answered", source)
        wrong = _wrong_list(carried, field + ".wrong_answers", source)
        if answered > len(order):
            raise _bad(
                source, field + ".total_answered", answered, f"at most {len(order)} (the question order)"
            )
        if changed:
            # Carried-over progress covers the first questions of the saved order; removed ones drop out.
            head = [qid for qid in order[:answered] if state.exam.by_id(qid) is not None]
            if len(head) != answered:
                notes.append(f"carried-over answered count cut from {answered} to {len(head)}")
            state.order = [state.exam.by_id(qid).id for qid in head]  # type: ignore[union-attr]
            answered = len(head)
        else:
            state.order = list(order)
        state._carried = True
        state._carried_answered = answered
        state._carried_score = score
        state._carried_wrong = wrong

    @staticmethod
    def _merge_order(state: QuizState, order: list[Any], answered: list[Any], notes: list[str]) -> list[Any]:
        """Order for a changed exam: carried-over head, then the kept answers (the current index is the
        answered count), then the rest of the saved order that still exists, then new questions."""
        head = list(state.order[: state._carried_answered]) if state._carried else []
        placed = set(head) | set(answered)
        rest: list[Any] = []
        gone: list[Any] = []
        for qid in order:
            question = state.exam.by_id(qid)
            if question is None:
                gone.append(qid)
            elif question.id not in placed:
                placed.add(question.id)
                rest.append(question.id)
        new = [q.id for q in state.exam.questions if q.id not in placed]
        if gone:
            notes.append(f"question ids no longer in the exam: {_show(gone)}")
        if new:
            notes.append(f"new question ids added at the end: {_show(new)}")
        return head + list(answered) + rest + new


def _copy_answer(value: Any) -> Any:
    return list(value) if isinstance(value, (list, tuple)) else value


def _source_name(data: object) -> str:
    if isinstance(data, Mapping):
        path = data.get("_filepath")
        if isinstance(path, str) and path:
            return path
    return "<dict>"


def _mapping_field(data: Mapping[str, Any], key: str, source: str) -> Mapping[str, Any]:
    value = data.get(key)
    if value is None:
        return {}  # the seed tolerates a missing block (some original files have no timer_data)
    if not isinstance(value, Mapping):
        raise _bad(source, key, value, "an object")
    return value


def _bool_field(data: Mapping[str, Any], key: str, field: str, source: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise _bad(source, field, value, "true or false")
    return value


def _count_field(data: Mapping[str, Any], key: str, field: str, source: str) -> int:
    value = data.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _bad(source, field, value, "a whole number >= 0")
    return value


def _number_field(
    data: Mapping[str, Any], key: str, field: str, source: str, *, required: bool = False
) -> float:
    if key not in data and not required:
        return 0.0
    value = data.get(key)
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value < 0
    ):
        raise _bad(source, field, value, "a finite number of seconds >= 0")
    return float(value)


def _wrong_list(data: Mapping[str, Any], field: str, source: str) -> list[dict[str, Any]]:
    """Wrong-answer entries as saved (kept verbatim: the original app wrote letters, texts or lists)."""
    wrong = data.get("wrong_answers", [])
    if not isinstance(wrong, list):
        raise _bad(source, field, wrong, "a list of wrong-answer objects")
    result = []
    for i, entry in enumerate(wrong):
        if not isinstance(entry, Mapping):
            raise _bad(source, f"{field}[{i}]", entry, "an object {question_id, question, ...}")
        result.append(_json_copy(entry, f"{field}[{i}]", source))
    return result


def _json_copy(value: Any, field: str, source: str) -> Any:
    """Deep copy of JSON data, refusing anything json.dumps(allow_nan=False) would reject."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _bad(source, field, value, "a finite number")
        return value
    if isinstance(value, (list, tuple)):
        return [_json_copy(v, f"{field}[{i}]", source) for i, v in enumerate(value)]
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise _bad(source, field, k, "string keys")
            out[k] = _json_copy(v, f"{field}.{k}", source)
        return out
    raise _bad(source, field, value, "JSON data (string, number, true/false, null, list or object)")
