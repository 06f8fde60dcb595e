"""Our key in the session dict, ``"quiz_widgets"``: written from a state, read back into one exactly.

The original app's fields (codec.py) keep only the score, the count answered and the wrong answers; this
key adds what an exact resume needs: the question order, every answer, the mode and arrangement, flags,
the time left and the time per question. Kept apart from codec.py, which reads the original app's files
and calls from_extension() when the key is there. Like the codec, it restores a state through its public
methods; a session whose exam changed since the save is matched to the exam by changes.py.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import Any

from quiz_widgets.errors import AnswerError
from quiz_widgets.exam import Exam, Question, generated
from quiz_widgets.exam.generated import saved_variants
from quiz_widgets.quiz import arrange
from quiz_widgets.quiz import changes as exam_changes
from quiz_widgets.quiz.confidence import check_setting, saved_level
from quiz_widgets.quiz.session_fields import (
    bool_field,
    count_field,
    field_error,
    json_copy,
    number_field,
    wrong_list,
)
from quiz_widgets.quiz.state import MODES, QuizState
from quiz_widgets.quiz.timing import Clock

__all__ = ["EXTENSION_KEY", "FORMAT_VERSION", "SETTINGS", "from_extension", "to_extension"]

# 2: study modes (mode, time limit, navigation, flags, shuffled option orders, drawn questions); answers may
# be in any order. Version 1 files (answers in question order) still load.
FORMAT_VERSION = 2
EXTENSION_KEY = "quiz_widgets"
# How a quiz was arranged, kept as given (shuffle, shuffle_options, draw: N or {topic: N}, seed).
SETTINGS = ("shuffle", "shuffle_options", "draw", "seed")


def to_extension(state: QuizState, elapsed: float) -> dict[str, Any]:
    """The ``"quiz_widgets"`` key of ``state``'s session dict (``elapsed``: the time taken, read once)."""
    extension: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "exam_path": str(state.exam.source) if state.exam.source is not None else None,
        "exam_fingerprint": state.exam.fingerprint,
        "question_order": list(state.order),
        "answers": state.answers,
        "elapsed_seconds": elapsed,
    }
    extension.update(_study_fields(state))
    if state.exam.generators:
        # The variant this attempt asks (text and key): a resume shows it again without its generator.
        extension["variants"] = saved_variants(state.exam)
        extension["variant_seed"] = state.exam.variant_seed
    if state.confidence:
        # True: each answer says how sure (its "confidence", 1-3); "cbm": scored by certainty-based marking.
        extension["confidence"] = state.confidence
    if state.carried_over is not None:
        extension["carried_over"] = state.carried_over
    return extension


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


def from_extension(
    ext: Mapping[str, Any],
    exam: Exam,
    source: str,
    new_clock: Callable[[float], Clock],
) -> QuizState:
    """The state saved under our key (``ext``), checked field by field; codec.from_session() calls it."""
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
        if "confidence" in entry and saved_level(entry) is None:
            raise field_error(
                source,
                field + ".confidence",
                entry["confidence"],
                "1 (guessing), 2 (fairly sure) or 3 (sure)",
            )
    carried = ext.get("carried_over")
    if carried is not None and not isinstance(carried, Mapping):
        raise field_error(source, prefix + "carried_over", carried, "an object {score, total_answered, ...}")

    study = _study_settings(ext, source, prefix, new_clock)
    exam = generated.restore(exam, ext.get("variants"), ext.get("variant_seed"), source, prefix + "variants")
    try:
        asked = check_setting(ext.get("confidence", False))
    except ValueError:
        raise field_error(source, prefix + "confidence", ext.get("confidence"), "true or 'cbm'") from None
    state = QuizState(
        exam,
        clock=new_clock(elapsed),
        mode=study["mode"],
        time_limit=study["time_limit"],
        timer=study["timer"],
        settings=study["settings"],
        drawn=study["drawn"],
        confidence=asked,
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
        correct = state.restore_answer(question, question.normalize(entry["answer"]), saved_level(entry))
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
        limit = number_field(ext, "time_limit", prefix + "time_limit", source, required=True)
        if limit <= 0:
            raise field_error(source, prefix + "time_limit", limit, "a number of seconds > 0")
        left = number_field(ext, "time_left", prefix + "time_left", source, required=True)
        if left > limit:
            raise field_error(source, prefix + "time_left", left, f"at most the time limit ({limit:g})")
        timer = new_clock(limit - left)
    drawn = bool_field(ext, "drawn", prefix + "drawn", source)
    settings: dict[str, Any] = {}
    for key in SETTINGS:
        if key in ext:
            settings[key] = json_copy(ext[key], prefix + key, source)
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
        value = number_field(seconds_field, key, f"{prefix}seconds.{key}", source, required=True)
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
        submitted=bool_field(ext, "submitted", prefix + "submitted", source),
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
    score = count_field(carried, "score", field + ".score", source)
    answered = count_field(carried, "total_answered", field + ".total_answered", source)
    wrong = wrong_list(carried, field + ".wrong_answers", source)
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
