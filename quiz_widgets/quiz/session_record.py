"""Reading a session dict into one checked record, before any state is built (issue 20).

read_session() checks every field that can be checked without the exam (the original app's fields and our
``"quiz_widgets"`` key) and raises a SessionError naming the file and field on the first bad one. What only
the exam can tell (a question id of this quiz, an answer that fits its question, a kept variant, an option
order) is checked by restore.py while it builds the state from the record, after the variants are back.
Nothing here reads the exam or builds a state (state.py lends only its mode names).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from quiz_widgets.quiz.confidence import check_setting, saved_level
from quiz_widgets.quiz.session_fields import (
    bool_field,
    count_field,
    field_error,
    json_copy,
    mapping_field,
    number_field,
    source_name,
    wrong_list,
)
from quiz_widgets.quiz.state import MODES

__all__ = [
    "EXTENSION_KEY",
    "FORMAT_VERSION",
    "LEARNER_KEY",
    "MODES",
    "SETTINGS",
    "Carried",
    "OurFields",
    "SessionRecord",
    "read_session",
]

# 2: study modes (mode, time limit, navigation, flags, shuffled option orders, drawn questions); answers may
# be in any order. Version 1 files (answers in question order) still load.
FORMAT_VERSION = 2
EXTENSION_KEY = "quiz_widgets"
LEARNER_KEY = "learner"
# How a quiz was arranged, kept as given (shuffle, shuffle_options, draw: N or {topic: N}, seed).
SETTINGS = ("shuffle", "shuffle_options", "draw", "seed")


@dataclass(frozen=True)
class Carried:
    """Progress without per-answer detail: the original app's quiz_mode, or our carried_over."""

    score: int
    answered: int
    wrong: list[dict[str, Any]]


@dataclass(frozen=True)
class OurFields:
    """The ``"quiz_widgets"`` key, checked (``prefix``: the key's name and a dot, for later errors)."""

    fingerprint: str
    elapsed: float
    order: list[Any]
    answers: list[Mapping[str, Any]]
    carried: Carried | None
    mode: str
    time_limit: float | None
    time_left: float | None
    drawn: bool
    settings: dict[str, Any]
    confidence: bool | str
    variants: object  # checked against the exam's generators by generated.restore()
    variant_seed: object
    option_orders: Mapping[str, Any]
    seconds: dict[str, float]  # keyed by str(question id), as saved
    position: object  # its range depends on the question order built from the exam
    flags: list[Any]
    revealed: list[Any]
    submitted: bool
    prefix: str = EXTENSION_KEY + "."


@dataclass(frozen=True)
class SessionRecord:
    """Every field of a session dict, checked; ``ours`` is None for a file of the original app."""

    source: str
    session_date: str | None
    exam_title: str | None
    learner: str | None
    quit_by_user: bool
    completed: bool
    elapsed: float
    total_questions: int | None
    original: Carried | None  # quiz_mode, read only when there is no "quiz_widgets" key (as the seed)
    ours: OurFields | None


def read_session(data: object, source: str | None = None) -> SessionRecord:
    """``data`` (a session dict, ours or the original app's) as one checked record.

    ``source`` names the file in errors (default: the dict's ``_filepath``, else ``<dict>``)."""
    source = source if source is not None else source_name(data)
    if not isinstance(data, Mapping):
        raise field_error(source, "<session>", data, "a JSON object (dict) with the session fields")
    session_date = data.get("session_date")
    if session_date is not None and not isinstance(session_date, str):
        raise field_error(source, "session_date", session_date, "an ISO date string")
    timer = mapping_field(data, "timer_data", source)
    quiz_mode = mapping_field(data, "quiz_mode", source)
    quit_flag = bool_field(timer, "quit_by_user", "timer_data.quit_by_user", source)
    completed = bool_field(timer, "completed", "timer_data.completed", source)
    elapsed = number_field(timer, "elapsed_seconds", "timer_data.elapsed_seconds", source)
    title = data.get("exam_title")
    if title is not None and not isinstance(title, str):
        raise field_error(source, "exam_title", title, "the exam title (a string)")
    extension = data.get(EXTENSION_KEY)
    original = None
    ours = None
    total = None
    if extension is None:
        original = Carried(
            count_field(quiz_mode, "score", "quiz_mode.score", source),
            count_field(quiz_mode, "total_answered", "quiz_mode.total_answered", source),
            wrong_list(quiz_mode, "quiz_mode.wrong_answers", source),
        )
        total = data.get("total_questions")
        if total is not None and (isinstance(total, bool) or not isinstance(total, int) or total < 0):
            raise field_error(source, "total_questions", total, "a whole number >= 0")
    else:
        if not isinstance(extension, Mapping):
            raise field_error(source, EXTENSION_KEY, extension, "an object with the quiz_widgets fields")
        ours = _read_ours(extension, source)
    learner = data.get(LEARNER_KEY)
    if learner is not None and not isinstance(learner, str):
        raise field_error(source, LEARNER_KEY, learner, "the learner's name (a string)")
    return SessionRecord(
        source=source,
        session_date=session_date,
        exam_title=title,
        learner=learner or None,
        quit_by_user=quit_flag,
        completed=completed,
        elapsed=elapsed,
        total_questions=total,
        original=original,
        ours=ours,
    )


def _read_ours(ext: Mapping[str, Any], source: str) -> OurFields:
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
    elapsed = number_field(ext, "elapsed_seconds", prefix + "elapsed_seconds", source, required=True)
    order = ext.get("question_order")
    if not isinstance(order, list):
        raise field_error(source, prefix + "question_order", order, "a list of question ids")
    for i, qid in enumerate(order):
        if isinstance(qid, bool) or not isinstance(qid, (int, str)):
            raise field_error(source, f"{prefix}question_order[{i}]", qid, "a question id (int or string)")
    answers = _read_answers(ext.get("answers"), source, prefix)
    carried = ext.get("carried_over")
    if carried is not None and not isinstance(carried, Mapping):
        raise field_error(source, prefix + "carried_over", carried, "an object {score, total_answered, ...}")
    mode, limit, left = _read_timing(ext, source, prefix)
    drawn = bool_field(ext, "drawn", prefix + "drawn", source)
    settings = {key: json_copy(ext[key], prefix + key, source) for key in SETTINGS if key in ext}
    try:
        asked = check_setting(ext.get("confidence", False))
    except ValueError:
        raise field_error(source, prefix + "confidence", ext.get("confidence"), "true or 'cbm'") from None
    carried_record = None
    if carried is not None:
        field = prefix + "carried_over"
        carried_record = Carried(
            count_field(carried, "score", field + ".score", source),
            count_field(carried, "total_answered", field + ".total_answered", source),
            wrong_list(carried, field + ".wrong_answers", source),
        )
        if carried_record.answered > len(order):
            raise field_error(
                source,
                field + ".total_answered",
                carried_record.answered,
                f"at most {len(order)} (the question order)",
            )
    orders = ext.get("option_orders", {})
    if not isinstance(orders, Mapping):
        raise field_error(source, prefix + "option_orders", orders, "an object {question id: [option keys]}")
    seconds_field = ext.get("seconds", {})
    if not isinstance(seconds_field, Mapping):
        raise field_error(source, prefix + "seconds", seconds_field, "an object {question id: seconds}")
    seconds = {
        key: number_field(seconds_field, key, f"{prefix}seconds.{key}", source, required=True)
        for key in seconds_field
    }
    id_lists = {}
    for key in ("flags", "revealed"):
        value = ext.get(key, [])
        if not isinstance(value, list):
            raise field_error(source, prefix + key, value, "a list of question ids")
        id_lists[key] = list(value)
    return OurFields(
        fingerprint=fingerprint,
        elapsed=elapsed,
        order=list(order),
        answers=answers,
        carried=carried_record,
        mode=mode,
        time_limit=limit,
        time_left=left,
        drawn=drawn,
        settings=settings,
        confidence=asked,
        variants=ext.get("variants"),
        variant_seed=ext.get("variant_seed"),
        option_orders=orders,
        seconds=seconds,
        position=ext.get("position"),
        flags=id_lists["flags"],
        revealed=id_lists["revealed"],
        submitted=bool_field(ext, "submitted", prefix + "submitted", source),
        prefix=prefix,
    )


def _read_answers(answers: object, source: str, prefix: str) -> list[Mapping[str, Any]]:
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
        if "confidence" in entry and saved_level(entry) is None:
            raise field_error(
                source,
                field + ".confidence",
                entry["confidence"],
                "1 (guessing), 2 (fairly sure) or 3 (sure)",
            )
    return list(answers)


def _read_timing(ext: Mapping[str, Any], source: str, prefix: str) -> tuple[str, float | None, float | None]:
    """The mode, and in exam mode the time limit and the time left."""
    mode = ext.get("mode", "practice")
    if mode not in MODES:
        raise field_error(source, prefix + "mode", mode, "one of " + ", ".join(MODES))
    limit = ext.get("time_limit")
    if limit is None:
        return mode, None, None
    if mode != "exam":
        raise field_error(source, prefix + "time_limit", limit, "null outside exam mode")
    limit = number_field(ext, "time_limit", prefix + "time_limit", source, required=True)
    if limit <= 0:
        raise field_error(source, prefix + "time_limit", limit, "a number of seconds > 0")
    left = number_field(ext, "time_left", prefix + "time_left", source, required=True)
    if left > limit:
        raise field_error(source, prefix + "time_left", left, f"at most the time limit ({limit:g})")
    return mode, limit, left
