"""Checking raw exam data: one hand-written pass that collects every problem and builds the questions.

jsonschema would be too slow for 10,000-question exams and cannot name "question 3 (id 7)" in its messages.
The shipped JSON Schema (loading.exam_schema()) describes the same format for editors and other tools.
loading.py calls check_exam() to build an Exam; validate_exam() lists every problem without building.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from quiz_widgets.errors import shown as found
from quiz_widgets.exam import kinds
from quiz_widgets.exam.checks_extensions import (
    _MISSING,
    ExtensionChecks,
    _fast_new,
    _finite,
    _is_map,
)
from quiz_widgets.exam.kinds import KINDS, Kind
from quiz_widgets.exam.model import FORMATS, Option, Question, question_label

__all__ = ["check_exam", "validate_exam"]

_ORIGINAL_KEYS = frozenset(("id", "question", "options", "type", "answer"))
_KEYS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_EXTENSION_KEYS = frozenset(
    (
        "format",
        "title",
        "incorrect_feedback",
        "answers",
        *(k for kind in kinds.REGISTRY.values() for k in kind.own_keys),
    )
)


# Moodle's fractions are written with 5 decimals (3 x 33.33333 = 99.99999): closer than this is 100%.
class _Checker(ExtensionChecks):
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []
        self.default_format: str | None = None

    def bad(self, where: str | None, name: str, value: object, expected: str) -> None:
        # where=None means the current question; its label is built only when there is a problem.
        if where is None:
            where = question_label(*self.current) + ": "
        what = "nothing" if value is _MISSING else found(value)
        self.problems.append(f"{self.source}: {where}field {name!r}: found {what}, expected {expected}")

    def optional_text(self, raw: Mapping, where: str | None, name: str) -> str | None:
        value = raw.get(name)
        if value is None or isinstance(value, str):
            return value
        self.bad(where, name, value, "a string")
        return None

    def exam(self, data: object) -> tuple[str, str | None, list[Question]] | None:
        if not _is_map(data):
            self.problems.append(
                f"{self.source}: found {found(data)} at the top level, "
                "expected an object with 'title' and 'questions'"
            )
            return None
        title = data.get("title", _MISSING)
        if not isinstance(title, str) or not title.strip():
            self.bad("", "title", title, "a non-empty string")
        description = self.optional_text(data, "", "description")
        self.default_format = self.text_format(data, "")
        raw_questions = data.get("questions", _MISSING)
        if not isinstance(raw_questions, list) or not raw_questions:
            self.bad("", "questions", raw_questions, "a non-empty list of questions")
            return None
        seen: dict[str, int] = {}
        questions = [self.question(raw, n, seen) for n, raw in enumerate(raw_questions, 1)]
        if self.problems:
            return None
        return title, description, questions  # type: ignore[return-value]

    def question(self, raw: object, number: int, seen: dict[str, int]) -> Question | None:
        if not _is_map(raw):
            self.problems.append(
                f"{self.source}: {question_label(number)}: found {found(raw)}, "
                "expected an object with 'id', 'question', 'options' and 'answer'"
            )
            return None
        before = len(self.problems)
        qid = raw.get("id", _MISSING)
        positional = qid is _MISSING
        if positional:
            # One rule for files, dicts and notebook cells: a question without an id is known by its position.
            # Written into the question as read, so its fingerprint is the one of a file that says it.
            qid, raw = number, {"id": number, **raw}
        id_ok = (isinstance(qid, int) and not isinstance(qid, bool)) or (isinstance(qid, str) and qid.strip())
        self.current = (number, qid if id_ok else None)
        where = None
        if not id_ok:
            self.bad(where, "id", qid, "an integer or a non-empty string")
        elif str(qid) in seen and positional:
            self.bad(where, "id", _MISSING, f"a unique id (without one a question's id is its position, "
                     f"{number}, which question {seen[str(qid)]} has as its id)")  # fmt: skip
        elif str(qid) in seen:
            self.bad(where, "id", qid, f"a unique id (question {seen[str(qid)]} has the same id)")
        else:
            seen[str(qid)] = number
        text = raw.get("question", _MISSING)
        if not isinstance(text, str) or not text.strip():
            self.bad(where, "question", text, "the question text (a non-empty string)")
        kind_name = raw.get("type", "singleChoice")
        if kind_name not in KINDS:
            self.bad(where, "type", kind_name, "one of " + ", ".join(KINDS))
            return None
        kind = kinds.get(kind_name)
        options = self.options(raw, where, kind)
        explanation = topic = None
        extra: dict[str, Any] = {}
        if not raw.keys() <= _ORIGINAL_KEYS:  # original-format questions skip the extension checks
            explanation = self.optional_text(raw, where, "explanation")
            topic = self.optional_text(raw, where, "topic")
            if not _EXTENSION_KEYS.isdisjoint(raw):  # most extended exams only add explanation/topic
                extra = self.extensions(raw, where, kind)
            if options is not None:
                options = self.feedback(raw, where, kind, options)
                options = self.weights(raw, where, kind, options)
        if self.default_format is not None and "format" not in extra:
            extra["format"] = self.default_format
        if "choices" in extra:  # options made from the kind's own keys (matching, ordering)
            options = tuple(Option(key, text) for key, text in extra.pop("choices"))
        tolerance = extra.pop("tolerance", 0.0)
        answer = self.question_answer(raw, where, kind, options, tolerance, extra)
        if len(self.problems) > before or answer is None or options is None:
            return None
        text = kind.shown_text(text, answer)
        question = _fast_new(
            Question,
            id=qid,
            number=number,
            text=text,
            kind=kind_name,
            options=options,
            answer=answer,
            tolerance=tolerance,
            explanation=explanation,
            topic=topic,
            raw=raw,
            **extra,
        )
        if extra.get("answers"):
            return self.reachable(question, where)
        return question

    # ---------------------------------------------------------------- extensions (GIFT, jupyterquiz)

    def text_format(self, raw: Mapping, where: str | None) -> str | None:
        value = raw.get("format")
        if value is None or value in FORMATS:
            return value
        self.bad(where, "format", value, "one of " + ", ".join(FORMATS))
        return None

    def options(self, raw: Mapping, where: str | None, kind: Kind) -> tuple[Option, ...] | None:
        value = raw.get("options", _MISSING)
        if not kind.choice:
            if value is _MISSING or value is None or value in ({}, []):
                return ()
            self.bad(where, "options", value, f"no options for a {kind.name} question")
            return None
        default = kind.default_options()
        if default is not None and (value is _MISSING or value is None):
            return tuple(Option(key, text) for key, text in default)
        expected = "2 to 26 options: an object like {'A': '...', 'B': '...'} or a list of strings"
        if _is_map(value):
            pairs = list(value.items())
            if not _KEYS.issuperset(value):
                self.bad(where, "options", value, "option keys that are single capital letters A-Z")
                return None
        elif isinstance(value, list):
            pairs = list(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", value, strict=False))
            if len(value) > 26:
                self.bad(where, "options", value, expected)
                return None
        else:
            self.bad(where, "options", value, expected)
            return None
        if not all(type(t) is str for _, t in pairs):
            pairs = [(k, _number_text(t)) for k, t in pairs]
        exact = kind.option_count()
        if len(pairs) < 2 or (exact is not None and len(pairs) != exact):
            self.bad(where, "options", value, f"exactly {exact} options" if exact is not None else expected)
            return None
        try:
            folded = {t.strip().casefold() for _, t in pairs}
        except AttributeError:  # a text that is not a string: the slow path below says which
            folded = set()
        if len(folded) == len(pairs) and "" not in folded and all(type(t) is str for _, t in pairs):
            return tuple([_option(k, t) for k, t in pairs])
        texts: set[str] = set()  # slow path, only to say exactly what is wrong
        for key, text in pairs:
            if not isinstance(text, str) or not text.strip():
                self.bad(where, f"options.{key}", text, "the option text (a non-empty string)")
            elif text.strip().casefold() in texts:
                self.bad(where, f"options.{key}", text, "a text different from the other options")
            else:
                texts.add(text.strip().casefold())
        return None

    def feedback(self, raw: Mapping, where: str | None, kind: Kind, options: tuple[Option, ...]):
        value = raw.get("feedback")
        if value is None:
            return options
        keys = {o.key for o in options}
        if not kind.choice or not _is_map(value):
            self.bad(where, "feedback", value, "an object of option letter -> feedback text")
            return options
        for key, text in value.items():
            if key not in keys:
                self.bad(where, "feedback", key, f"option letters ({', '.join(sorted(keys))}) as keys")
            elif not isinstance(text, str):
                self.bad(where, f"feedback.{key}", text, "a string")
        return tuple(Option(o.key, o.text, value.get(o.key)) for o in options)


def _number_text(value: object) -> object:
    """A number as option text (YAML reads `options: [1, 2, 3]` as numbers); anything else unchanged, so the
    checks below name it. true/false stay refused: YAML reads yes/no as those, and "True" is not what was
    written."""
    if type(value) is int or (type(value) is float and _finite(value)):
        return str(value)
    return value


def _option(key: str, text: str) -> Option:
    option = object.__new__(Option)
    option.__dict__.update(key=key, text=text, feedback=None)  # as in _fast_new, minus a call
    return option


def validate_exam(data: object, source: str = "<dict>") -> list[str]:
    """Every problem of an exam given as parsed data ([] when it is fine)."""
    checker = _Checker(source)
    try:
        checker.exam(data)
    except RecursionError:
        checker.problems.append(f"{source}: the data is nested too deeply")
    return checker.problems


def check_exam(
    data: object, source: str
) -> tuple[tuple[str, str | None, list[Question], str | None] | None, list[str]]:
    """(title, description, questions, exam-level format) or None when there is any problem, and every
    problem. A RecursionError (data nested too deeply) propagates."""
    checker = _Checker(source)
    built = checker.exam(data)
    return (None if built is None else (*built, checker.default_format)), checker.problems
