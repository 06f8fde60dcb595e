"""One results file (ours, a collected one, or the original app's) read into an ``Attempt``.

What each kind of file tells about single questions:

- every file lists its wrong answers (``detailed_results.incorrect_answers``; ``your_answer`` and
  ``correct_answer`` a string or a list), optionally with ``"seconds"`` spent on that question;
- our files may carry every answer in ``quiz_widgets.answers`` (see ``answer_entries``): question id and
  text, topic, correct, your_answer (option text), ``seconds``; and per-topic counts in
  ``quiz_widgets.topics``;
- the original app's files name only the wrong questions. The report infers the right ones for a
  complete attempt (every question answered) from the questions other attempts of the same exam name.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from quiz_widgets.errors import SessionError, shown
from quiz_widgets.exam import kinds
from quiz_widgets.i18n import Words
from quiz_widgets.quiz.confidence import saved_level

__all__ = [
    "MAX_COUNT",
    "MAX_ID_CHARS",
    "MAX_SECONDS",
    "Attempt",
    "Outcome",
    "answer_entries",
    "counted_wrong",
    "id_order",
    "parse_attempt",
]

_EXT = "quiz_widgets"
# Every number read from a learner's file is bounded before any arithmetic: scores and counts by a class
# no exam comes near (a 1e300 score overflowed the report's statistics), times by a year.
MAX_COUNT = 100_000
MAX_SECONDS = 366 * 24 * 3600
_MAX_ID_CHARS = 200
MAX_ID_CHARS = _MAX_ID_CHARS


@dataclass
class Outcome:
    """One question in one attempt."""

    question_id: str
    correct: bool
    answer: str = ""  # the learner's answer as text ("" when unknown)
    question: str = ""
    topic: str | None = None
    seconds: float | None = None
    # A generated question's key in this attempt's variant ("" otherwise): variants differ in their keys.
    variant_key: str = ""
    confidence: int | None = None  # how sure the learner said they were (1-3); None: not asked or not valid
    # A code question's first failed case ("area(2)") or why nothing ran: what most_chosen_wrong counts.
    failed_case: str = ""


def counted_wrong(outcome: Outcome, question: Any = None) -> str:
    """A wrong answer as the reports count it (most_chosen_wrong). A generated question asks each learner
    its own variant, so a number is read against that variant's key ("0.001 times the key": the same
    slip, amperes for milliamperes, whatever the numbers); with the question known, its kind names the
    wrong part (matching: only the wrong pairs); a code question by its first failed case ("area(2)":
    every learner's source differs); any other answer as given."""
    if outcome.failed_case:
        return outcome.failed_case
    if not outcome.variant_key:
        kind = kinds.REGISTRY.get(getattr(question, "kind", ""))
        return kind.wrong_part(question, outcome.answer) if kind is not None else outcome.answer
    try:
        given, key = float(outcome.answer), float(outcome.variant_key)
    except ValueError:
        return outcome.answer
    if key == 0 or not math.isfinite(given / key):
        return outcome.answer
    return Words("{ratio} times the key", ratio=format(given / key, ".3g"))


@dataclass
class Attempt:
    source: str
    learner: str
    exam: str
    date: str
    score: int
    total: int
    answered: int
    elapsed_seconds: float | None
    outcomes: dict[str, Outcome] = field(default_factory=dict)  # question id (str) -> outcome
    detailed: bool = False  # outcomes hold every answered question, right ones too
    topics: list[dict[str, Any]] = field(default_factory=list)  # [{topic, correct, total}]
    session_date: str = ""  # our files: the session's start, which the live progress records also carry

    @property
    def accuracy(self) -> float:
        """Right answers over answered questions (the original app's accuracy_percentage / 100)."""
        return self.score / self.answered if self.answered else math.nan

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.answered >= self.total


def id_order(qid: str) -> tuple[int, int | str]:
    """A sort key for question ids as the report lists them: numbers by value (2 before 10), then the rest."""
    # isdigit() alone accepts "²", which int() refuses; ids are at most MAX_ID_CHARS characters.
    return (0, int(qid)) if qid.isascii() and qid.isdigit() else (1, qid)


def _bad(source: str, fieldname: str, found: object, expected: str) -> SessionError:
    return SessionError(
        f"results file {source}: field {fieldname!r}: found {shown(found)}, expected {expected}"
    )


def _obj(data: Mapping, key: str, source: str, prefix: str = "") -> Mapping:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _bad(source, prefix + key, value, "an object")
    return value


def _int(
    data: Mapping, key: str, source: str, prefix: str, default: int | None = None, *, limit: int = MAX_COUNT
) -> int:
    value = data.get(key, default)
    # An int is compared as an int: math.isfinite() of a 400-digit int raises OverflowError.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _bad(source, prefix + key, value, f"a whole number from 0 to {limit:,}")
    if isinstance(value, float) and (not math.isfinite(value) or value != int(value)):
        raise _bad(source, prefix + key, value, f"a whole number from 0 to {limit:,}")
    if not 0 <= value <= limit:
        raise _bad(source, prefix + key, value, f"a whole number from 0 to {limit:,}")
    return int(value)


def _seconds(value: object) -> float | None:
    """A time in seconds, or None for anything else (times are optional: a bad one is left out)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, int):
        return float(value) if 0 <= value <= MAX_SECONDS else None
    return value if math.isfinite(value) and 0 <= value <= MAX_SECONDS else None


def _text(value: object, source: str, fieldname: str) -> str:
    """Answers: a string, a number, or (old files) a list of letters or texts, joined with "; "."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float)):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return "; ".join(str(v) for v in value)
    raise _bad(source, fieldname, value, "a string or a list of strings")


def _qid(value: object, source: str, fieldname: str) -> str:
    expected = f"a question id (int or string of at most {_MAX_ID_CHARS} characters)"
    if isinstance(value, bool) or not isinstance(value, (int, str)) or value == "":
        raise _bad(source, fieldname, value, expected)
    if isinstance(value, int) and not -(10**_MAX_ID_CHARS) < value < 10**_MAX_ID_CHARS:
        raise _bad(source, fieldname, value, expected)
    text = str(value)
    if len(text) > _MAX_ID_CHARS:
        raise _bad(source, fieldname, value, expected)
    return text


def parse_attempt(
    data: object, source: str, *, learner: str | None = None, folder: str | None = None
) -> Attempt:
    """An Attempt from a parsed results file; SessionError naming the file and field on a bad shape.

    *folder*: the learner folder (or object prefix) the file was read from. It decides whose attempt this
    is: the file's own ``"learner"`` is written by the learner and proves nothing, so a file naming
    anyone else raises SessionError. Without a folder (a file or dict given by name), the file's
    ``"learner"`` is used, else *learner* (the original app's files name nobody).
    """
    if not isinstance(data, Mapping):
        raise SessionError(f"results file {source}: top level is {shown(data)}; expected an object")
    if "performance" not in data or "exam_info" not in data:
        missing = [k for k in ("exam_info", "performance") if k not in data]
        raise SessionError(
            f"results file {source}: no {' or '.join(repr(k) for k in missing)}; "
            "expected a results file (exam_info, session_info, performance, detailed_results)"
        )
    info = _obj(data, "exam_info", source)
    session = _obj(data, "session_info", source)
    perf = _obj(data, "performance", source)
    detailed = _obj(data, "detailed_results", source)
    ext = _obj(data, _EXT, source)

    title = info.get("title")
    if not isinstance(title, str) or not title:
        raise _bad(source, "exam_info.title", title, "the exam title (a non-empty string)")
    named = data.get("learner")
    if named is not None and not isinstance(named, str):
        raise _bad(source, "learner", named, "the learner's name (a string)")
    if folder is not None and named not in (None, folder):
        raise _bad(source, "learner", named, f"{folder!r}, the learner whose folder holds the file")
    owner = folder if folder is not None else named if named is not None else learner or ""
    score = _int(perf, "score", source, "performance.")
    answered = _int(perf, "total_answered", source, "performance.")
    total = _int(info, "total_questions", source, "exam_info.", default=answered)
    if score > answered:
        raise _bad(source, "performance.score", score, f"at most total_answered ({answered})")
    date = session.get("completion_date", "")
    if not isinstance(date, str):
        raise _bad(source, "session_info.completion_date", date, "an ISO date string")
    elapsed = _seconds(session.get("time_taken_seconds"))
    if elapsed is None:
        elapsed = _seconds(ext.get("elapsed_seconds"))

    attempt = Attempt(source, owner, title, date, score, max(total, answered), answered, elapsed)
    started = ext.get("session_date")
    if isinstance(started, str):
        attempt.session_date = started

    wrong = detailed.get("incorrect_answers") or []
    if not isinstance(wrong, list):
        raise _bad(source, "detailed_results.incorrect_answers", wrong, "a list of objects")
    for i, entry in enumerate(wrong):
        where = f"detailed_results.incorrect_answers[{i}]"
        if not isinstance(entry, Mapping):
            raise _bad(source, where, entry, "an object {question_id, question, your_answer, correct_answer}")
        if entry.get("question_id") is None:
            continue  # no id: nothing to attach it to (counted in the score all the same)
        qid = _qid(entry.get("question_id"), source, where + ".question_id")
        attempt.outcomes[qid] = Outcome(
            qid,
            False,
            _text(entry.get("your_answer"), source, where + ".your_answer"),
            _text(entry.get("question"), source, where + ".question"),
            None,
            _seconds(entry.get("seconds")),
        )

    answers = ext.get("answers")
    if answers is not None:
        if not isinstance(answers, list):
            raise _bad(source, f"{_EXT}.answers", answers, "a list of objects")
        for i, entry in enumerate(answers):
            where = f"{_EXT}.answers[{i}]"
            if not isinstance(entry, Mapping):
                raise _bad(source, where, entry, "an object {question_id, correct, ...}")
            qid = _qid(entry.get("question_id"), source, where + ".question_id")
            correct = entry.get("correct")
            if not isinstance(correct, bool):
                raise _bad(source, where + ".correct", correct, "true or false")
            topic = entry.get("topic")
            previous = attempt.outcomes.get(qid)
            attempt.outcomes[qid] = Outcome(
                qid,
                correct,
                _text(entry.get("your_answer"), source, where + ".your_answer")
                or (previous.answer if previous else ""),
                _text(entry.get("question"), source, where + ".question"),
                topic if isinstance(topic, str) and topic else None,
                _seconds(entry.get("seconds")),
                _text(entry.get("variant_key"), source, where + ".variant_key"),
                saved_level(entry),
                _text(entry.get("failed_case"), source, where + ".failed_case"),
            )
        attempt.detailed = True

    topics = ext.get("topics")
    if isinstance(topics, list):
        for i, entry in enumerate(topics):
            where = f"{_EXT}.topics[{i}]"
            if not isinstance(entry, Mapping) or not isinstance(entry.get("topic"), str):
                raise _bad(source, where, entry, "an object {topic, correct, total}")
            right = _int(entry, "correct", source, where + ".")
            out_of = _int(entry, "total", source, where + ".")
            if right > out_of:
                raise _bad(source, where + ".correct", right, f"at most its total ({out_of})")
            attempt.topics.append({"topic": entry["topic"], "correct": right, "total": out_of})
    return attempt


def answer_entries(state: Any, seconds: Iterable[float | None] | None = None) -> list[dict[str, Any]]:
    """``quiz_widgets.answers`` for a results file: every answer of a QuizState, right ones included.

    For the widget layer to add to its results (``results["quiz_widgets"]["answers"] = ...``) so the
    class report knows each question's outcome. *seconds*: time spent per answer, in answer order
    (an answer entry's own ``"seconds"`` is used when present).
    """
    times = list(seconds) if seconds is not None else []
    entries = []
    for i, answer in enumerate(state.answers):
        question = state.exam.by_id(answer["question_id"])
        entry: dict[str, Any] = {
            "question_id": answer["question_id"],
            "question": question.text if question is not None else "",
            "topic": question.topic if question is not None else None,
            "correct": bool(answer["correct"]),
            "your_answer": question.describe(answer["answer"]) if question is not None else "",
        }
        took = answer.get("seconds", times[i] if i < len(times) else None)
        if _seconds(took) is not None:
            entry["seconds"] = round(float(took), 3)
        entries.append(entry)
    return entries
