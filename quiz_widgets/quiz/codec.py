"""The session dict: what to_session(state) writes and from_session(data, exam) reads.

The dict keeps the original app's fields exactly (that app must still be able to read what we write)
and adds one namespaced key, ``"quiz_widgets"``, that makes resume exact. from_session() reads our files
and the original app's, checking every field and naming the file and field in each SessionError. A session
whose exam changed since it was saved is matched to the exam by changes.py.

The state is restored through its public methods (carry_over, restore_answer, mark_restored): the codec
knows the state, the state does not know the codec.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable, Mapping
from typing import Any

from quiz_widgets.errors import AnswerError
from quiz_widgets.exam import Exam, Question
from quiz_widgets.quiz import arrange
from quiz_widgets.quiz import changes as exam_changes
from quiz_widgets.quiz.state import MODES, Clock, QuizState, field_error

__all__ = ["EXTENSION_KEY", "FORMAT_VERSION", "LEARNER_KEY", "SETTINGS", "from_session", "to_session"]

# 2: study modes (mode, time limit, navigation, flags, shuffled option orders, drawn questions); answers may
# be in any order. Version 1 files (answers in question order) still load.
FORMAT_VERSION = 2
EXTENSION_KEY = "quiz_widgets"
# How a quiz was arranged, kept as given (shuffle, shuffle_options, draw: N or {topic: N}, seed).
SETTINGS = ("shuffle", "shuffle_options", "draw", "seed")
LEARNER_KEY = "learner"


def to_session(
    state: QuizState, *, auto_saved: bool = False, emergency_saved: bool = False
) -> dict[str, Any]:
    """The seed's session fields exactly, plus the ``"quiz_widgets"`` key for an exact resume."""
    elapsed = state.elapsed_seconds
    extension: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "exam_path": str(state.exam.source) if state.exam.source is not None else None,
        "exam_fingerprint": state.exam.fingerprint,
        "question_order": list(state.order),
        "answers": state.answers,
        "elapsed_seconds": elapsed,
    }
    extension.update(_study_fields(state))
    if state.carried_over is not None:
        extension["carried_over"] = state.carried_over
    session: dict[str, Any] = {
        "session_date": state.session_date,
        "exam_title": state.exam.title,
        "total_questions": len(state.order),
        "quiz_mode": {
            "score": state.score,
            "total_answered": state.total_answered,
            "wrong_answers": state.wrong_answers,
        },
        "timer_data": {
            # The original app writes whole seconds; the exact float lives in the extension.
            "elapsed_seconds": int(elapsed),
            "completed": state.completed,
            "auto_saved": bool(auto_saved),
            "emergency_saved": bool(emergency_saved),
            "quit_by_user": state.quit_by_user,
        },
        EXTENSION_KEY: extension,
    }
    # A top-level key (not in the extension): the class tools read it from session, results and collected
    # files alike, and the original app ignores keys it does not know.
    learner = getattr(state, "learner", None)
    if learner:
        session[LEARNER_KEY] = learner
    return session


def _study_fields(state: QuizState) -> dict[str, Any]:
    """Mode, arrangement, position, flags, revealed answers, time left and time per question."""
    seconds = state.question_seconds()
    fields: dict[str, Any] = {
        "mode": state.mode,
        "position": state.position,
        "flags": state.flagged_ids,
        "revealed": state.revealed_ids,
        "submitted": state.submitted,
        "points": state.points,
        # Keyed by str(id): JSON object keys are strings; ids are matched as the exam matches them.
        "seconds": {str(qid): round(seconds[qid], 3) for qid in state.order if qid in seconds},
        "option_orders": {str(qid): list(keys) for qid, keys in state.option_orders.items()},
        "drawn": state.drawn,
        "time_limit": state.time_limit,
        "time_left": None if state.time_left is None else round(state.time_left, 3),
    }
    fields.update({key: state.settings[key] for key in SETTINGS if key in state.settings})
    return fields


def from_session(
    data: Mapping[str, Any], exam: Exam, *, clock_now: Callable[[], float] = time.monotonic
) -> QuizState:
    """Rebuild a state from a session dict (ours, or one written by the original app).

    ``clock_now`` is the monotonic clock the restored Clock continues on from the saved time.
    """

    def new_clock(elapsed: float) -> Clock:
        return Clock(elapsed, now=clock_now)

    source = _source_name(data)
    if not isinstance(data, Mapping):
        raise field_error(source, "<session>", data, "a JSON object (dict) with the session fields")
    session_date = data.get("session_date")
    if session_date is not None and not isinstance(session_date, str):
        raise field_error(source, "session_date", session_date, "an ISO date string")
    timer = _mapping_field(data, "timer_data", source)
    quiz_mode = _mapping_field(data, "quiz_mode", source)
    quit_flag = _bool_field(timer, "quit_by_user", "timer_data.quit_by_user", source)
    _bool_field(timer, "completed", "timer_data.completed", source)
    saved_elapsed = _number_field(timer, "elapsed_seconds", "timer_data.elapsed_seconds", source)
    title = data.get("exam_title")
    if title is not None and not isinstance(title, str):
        raise field_error(source, "exam_title", title, "the exam title (a string)")

    extension = data.get(EXTENSION_KEY)
    if extension is None:
        state = _from_original(data, exam, quiz_mode, source, new_clock, saved_elapsed)
    else:
        if not isinstance(extension, Mapping):
            raise field_error(source, EXTENSION_KEY, extension, "an object with the quiz_widgets fields")
        state = _from_ours(extension, exam, source, new_clock)
    if session_date is not None:
        state.session_date = session_date
    learner = data.get(LEARNER_KEY)
    if learner is not None and not isinstance(learner, str):
        raise field_error(source, LEARNER_KEY, learner, "the learner's name (a string)")
    # Kept as saved: a resumed attempt stays the attempt of whoever started it.
    state.learner = learner or None  # type: ignore[attr-defined]
    if title is not None and title != exam.title and extension is None:
        warnings.warn(
            f"{source}: the session was saved for exam {title!r}, resuming it with exam {exam.title!r}",
            UserWarning,
            stacklevel=3,
        )
    # A quiz the user quit stays finished when reloaded (the finish screen shows), as it was saved.
    state.mark_restored(quit_by_user=quit_flag)
    if timer.get("completed") is True and not state.completed:
        warnings.warn(
            f"{source}: timer_data.completed is true but only {state.total_answered} of "
            f"{len(state.order)} questions are answered; the quiz continues",
            UserWarning,
            stacklevel=3,
        )
    return state


def _from_original(
    data: Mapping[str, Any],
    exam: Exam,
    quiz_mode: Mapping[str, Any],
    source: str,
    new_clock: Callable[[float], Clock],
    saved_elapsed: float,
) -> QuizState:
    # As the seed's QuizState does: exam order, current index = total_answered, score, wrong answers
    # and time as saved; which answer went to which question is not in these files.
    state = QuizState(exam, clock=new_clock(saved_elapsed))
    score = _count_field(quiz_mode, "score", "quiz_mode.score", source)
    answered = _count_field(quiz_mode, "total_answered", "quiz_mode.total_answered", source)
    wrong = _wrong_list(quiz_mode, "quiz_mode.wrong_answers", source)
    total = data.get("total_questions")
    if total is not None and (isinstance(total, bool) or not isinstance(total, int) or total < 0):
        raise field_error(source, "total_questions", total, "a whole number >= 0")
    if total is not None and total != len(exam):
        warnings.warn(
            f"{source}: the session was saved for {total} questions, exam {exam.title!r} has {len(exam)}",
            UserWarning,
            stacklevel=4,
        )
    if answered > len(exam):
        warnings.warn(
            f"{source}: quiz_mode.total_answered is {answered} but exam {exam.title!r} has only "
            f"{len(exam)} questions; resuming as {len(exam)} answered",
            UserWarning,
            stacklevel=4,
        )
        answered = len(exam)
    state.carry_over(answered, score, wrong)
    state.restore_progress()
    return state


def _from_ours(
    ext: Mapping[str, Any],
    exam: Exam,
    source: str,
    new_clock: Callable[[float], Clock],
) -> QuizState:
    prefix = EXTENSION_KEY + "."
    version = ext.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise field_error(source, prefix + "format_version", version, f"{FORMAT_VERSION}")
    if version > FORMAT_VERSION:
        raise field_error(
            source,
            prefix + "format_version",
            version,
            f"{FORMAT_VERSION} (the file was written by a newer quiz_widgets; upgrade to resume it)",
        )
    exam_path = ext.get("exam_path")
    if exam_path is not None and not isinstance(exam_path, str):
        raise field_error(source, prefix + "exam_path", exam_path, "a path string or null")
    fingerprint = ext.get("exam_fingerprint")
    if not isinstance(fingerprint, str):
        raise field_error(source, prefix + "exam_fingerprint", fingerprint, "the exam's sha256 hex string")
    elapsed = _number_field(ext, "elapsed_seconds", prefix + "elapsed_seconds", source, required=True)
    order = ext.get("question_order")
    if not isinstance(order, list):
        raise field_error(source, prefix + "question_order", order, "a list of question ids")
    for i, qid in enumerate(order):
        if isinstance(qid, bool) or not isinstance(qid, (int, str)):
            raise field_error(source, f"{prefix}question_order[{i}]", qid, "a question id (int or string)")
    answers = ext.get("answers")
    if not isinstance(answers, list):
        raise field_error(source, prefix + "answers", answers, "a list of {question_id, answer, correct}")
    for i, entry in enumerate(answers):
        field = f"{prefix}answers[{i}]"
        if not isinstance(entry, Mapping) or "question_id" not in entry or "answer" not in entry:
            raise field_error(source, field, entry, "an object {question_id, answer, correct}")
        qid = entry["question_id"]
        if isinstance(qid, bool) or not isinstance(qid, (int, str)):
            raise field_error(source, field + ".question_id", qid, "a question id (int or string)")
        if "correct" in entry and not isinstance(entry["correct"], bool):
            raise field_error(source, field + ".correct", entry["correct"], "true or false")
    carried = ext.get("carried_over")
    if carried is not None and not isinstance(carried, Mapping):
        raise field_error(source, prefix + "carried_over", carried, "an object {score, total_answered, ...}")

    study = _study_settings(ext, source, prefix, new_clock)
    state = QuizState(
        exam,
        clock=new_clock(elapsed),
        mode=study["mode"],
        time_limit=study["time_limit"],
        timer=study["timer"],
        settings=study["settings"],
        drawn=study["drawn"],
    )
    changed = fingerprint != exam.fingerprint
    notes: list[str] = []
    if carried is not None:
        _restore_carried(state, carried, order, source, prefix + "carried_over", changed, notes)
    if changed:
        valid = exam_changes.matching_answers(state, answers, notes)
        merged = exam_changes.merge_order(state, order, [q.id for q, _ in valid], notes)
        if state.drawn:  # a drawn quiz asks what it drew; questions new to the exam are not among them
            kept = {exam.by_id(qid).id for qid in order if exam.by_id(qid) is not None}
            merged = [qid for qid in merged if qid in kept]
        state.order = merged
    else:
        state.order = state.check_order(order, source, complete=not state.drawn)
        valid = _strict_answers(state, answers, source, prefix)
    for question, entry in valid:
        correct = state.restore_answer(question, question.normalize(entry["answer"]))
        if changed:
            exam_changes.note_regraded(question, entry, correct, notes)
    _restore_study_progress(state, ext, source, prefix, changed, notes)
    if changed:
        warnings.warn(
            exam_changes.changed_message(source, exam, fingerprint, notes), UserWarning, stacklevel=4
        )
    return state


def _study_settings(
    ext: Mapping[str, Any], source: str, prefix: str, new_clock: Callable[[float], Clock]
) -> dict[str, Any]:
    """The mode, time limit (with the time left as a running countdown's offset) and arrangement."""
    mode = ext.get("mode", "practice")
    if mode not in MODES:
        raise field_error(source, prefix + "mode", mode, "one of " + ", ".join(MODES))
    limit = ext.get("time_limit")
    timer = None
    if limit is not None:
        if mode != "exam":
            raise field_error(source, prefix + "time_limit", limit, "null outside exam mode")
        limit = _number_field(ext, "time_limit", prefix + "time_limit", source, required=True)
        if limit <= 0:
            raise field_error(source, prefix + "time_limit", limit, "a number of seconds > 0")
        left = _number_field(ext, "time_left", prefix + "time_left", source, required=True)
        if left > limit:
            raise field_error(source, prefix + "time_left", left, f"at most the time limit ({limit:g})")
        timer = new_clock(limit - left)
    drawn = _bool_field(ext, "drawn", prefix + "drawn", source)
    settings: dict[str, Any] = {}
    for key in SETTINGS:
        if key in ext:
            settings[key] = _json_copy(ext[key], prefix + key, source)
    return {"mode": mode, "time_limit": limit, "timer": timer, "settings": settings, "drawn": drawn}


def _restore_study_progress(
    state: QuizState, ext: Mapping[str, Any], source: str, prefix: str, changed: bool, notes: list[str]
) -> None:
    """Option orders, flags, revealed ids, time per question and the question on screen.

    Same exam: anything that does not fit is a SessionError. Changed exam: what no longer fits is dropped
    (with a note) and the quiz opens on the first unanswered question.
    """
    exam = state.exam

    def ids(key: str) -> list[Any]:
        value = ext.get(key, [])
        if not isinstance(value, list):
            raise field_error(source, prefix + key, value, "a list of question ids")
        found = []
        for i, qid in enumerate(value):
            question = exam.by_id(qid) if isinstance(qid, (int, str)) and not isinstance(qid, bool) else None
            if question is None or question.id not in state.order:
                if not changed:
                    raise field_error(source, f"{prefix}{key}[{i}]", qid, "a question id of this quiz")
                notes.append(f"{key}: question id {qid!r} dropped (not in the quiz)")
                continue
            found.append(question.id)
        return found

    orders = ext.get("option_orders", {})
    if not isinstance(orders, Mapping):
        raise field_error(source, prefix + "option_orders", orders, "an object {question id: [option keys]}")
    option_orders: dict[Any, tuple[str, ...]] = {}
    for key, keys in orders.items():
        question = exam.by_id(key)
        checked = arrange.check_option_order(question, keys) if question is not None else None
        if checked is None:
            if not changed:
                raise field_error(
                    source, f"{prefix}option_orders.{key}", keys, "the question's option keys, each once"
                )
            notes.append(f"option order of question id {key!r} dropped (its options changed)")
            continue
        option_orders[question.id] = checked  # type: ignore[union-attr]
    state.option_orders = option_orders

    seconds_field = ext.get("seconds", {})
    if not isinstance(seconds_field, Mapping):
        raise field_error(source, prefix + "seconds", seconds_field, "an object {question id: seconds}")
    seconds: dict[Any, float] = {}
    for key in seconds_field:
        value = _number_field(seconds_field, key, f"{prefix}seconds.{key}", source, required=True)
        question = exam.by_id(key)
        if question is not None:
            seconds[question.id] = value
    position = ext.get("position")
    if position is not None and (
        isinstance(position, bool) or not isinstance(position, int) or not 0 <= position <= len(state.order)
    ):
        raise field_error(source, prefix + "position", position, f"a whole number 0..{len(state.order)}")
    state.restore_progress(
        position=None if changed else position,
        flags=ids("flags"),
        revealed=ids("revealed"),
        seconds=seconds,
        submitted=_bool_field(ext, "submitted", prefix + "submitted", source),
    )


def _strict_answers(
    state: QuizState, answers: list[Any], source: str, prefix: str
) -> list[tuple[Question, Mapping[str, Any]]]:
    """Same exam: every answer must belong to a question of the order not yet answered, and still be valid.

    Answers may come in any order (a learner navigates); version 1 files have them in question order."""
    valid: list[tuple[Question, Mapping[str, Any]]] = []
    carried = state.carried_over
    offset = carried["total_answered"] if carried else 0
    open_ids = set(state.order[offset:])
    for i, entry in enumerate(answers):
        field = f"{prefix}answers[{i}]"
        question = state.exam.by_id(entry["question_id"])
        if question is None or question.id not in open_ids:
            raise field_error(
                source,
                field + ".question_id",
                entry["question_id"],
                "an id of question_order not answered before (one answer per question)",
            )
        open_ids.discard(question.id)
        try:
            question.normalize(entry["answer"])
        except AnswerError as exc:
            raise field_error(source, field + ".answer", entry["answer"], f"a valid answer ({exc})") from None
        valid.append((question, entry))
    return valid


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
        raise field_error(
            source, field + ".total_answered", answered, f"at most {len(order)} (the question order)"
        )
    if changed:
        state.order = exam_changes.carried_head(state.exam, order, answered, notes)
        answered = len(state.order)
    else:
        state.order = list(order)
    state.carry_over(answered, score, wrong)


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
        raise field_error(source, key, value, "an object")
    return value


def _bool_field(data: Mapping[str, Any], key: str, field: str, source: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise field_error(source, field, value, "true or false")
    return value


def _count_field(data: Mapping[str, Any], key: str, field: str, source: str) -> int:
    value = data.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise field_error(source, field, value, "a whole number >= 0")
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
        raise field_error(source, field, value, "a finite number of seconds >= 0")
    return float(value)


def _wrong_list(data: Mapping[str, Any], field: str, source: str) -> list[dict[str, Any]]:
    """Wrong-answer entries as saved (kept verbatim: the original app wrote letters, texts or lists)."""
    wrong = data.get("wrong_answers", [])
    if not isinstance(wrong, list):
        raise field_error(source, field, wrong, "a list of wrong-answer objects")
    result = []
    for i, entry in enumerate(wrong):
        if not isinstance(entry, Mapping):
            raise field_error(source, f"{field}[{i}]", entry, "an object {question_id, question, ...}")
        result.append(_json_copy(entry, f"{field}[{i}]", source))
    return result


def _json_copy(value: Any, field: str, source: str) -> Any:
    """Deep copy of JSON data, refusing anything json.dumps(allow_nan=False) would reject."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise field_error(source, field, value, "a finite number")
        return value
    if isinstance(value, (list, tuple)):
        return [_json_copy(v, f"{field}[{i}]", source) for i, v in enumerate(value)]
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise field_error(source, field, k, "string keys")
            out[k] = _json_copy(v, f"{field}.{k}", source)
        return out
    raise field_error(source, field, value, "JSON data (string, number, true/false, null, list or object)")
