"""Checking raw exam data: one hand-written pass that collects every problem and builds the questions.

jsonschema would be too slow for 10,000-question exams and cannot name "question 3 (id 7)" in its messages.
The shipped JSON Schema (loading.exam_schema()) describes the same format for editors and other tools.
loading.py calls check_exam() to build an Exam; validate_exam() lists every problem without building.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from quiz_widgets.errors import shown as found
from quiz_widgets.exam import grading
from quiz_widgets.exam.model import (
    CHOICE_KINDS,
    FORMATS,
    KINDS,
    NumericEntry,
    Option,
    Question,
    TextEntry,
    question_label,
)

__all__ = ["check_exam", "validate_exam"]

_ORIGINAL_KEYS = frozenset(("id", "question", "options", "type", "answer"))
_KEYS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_MISSING: Any = object()
_EXTENSION_KEYS = frozenset(
    ("format", "title", "incorrect_feedback", "precision", "match_case", "fuzzy_threshold", "answers")
)
_NUMERIC_ENTRY_KEYS = ("value", "tolerance", "min", "max", "max_exclusive", "credit", "feedback")
_TEXT_ENTRY_KEYS = ("text", "credit", "feedback", "match_case", "fuzzy_threshold")
# Moodle's fractions are written with 5 decimals (3 x 33.33333 = 99.99999): closer than this is 100%.
_FULL = 100 - 1e-4


class _Checker:
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
        id_ok = (isinstance(qid, int) and not isinstance(qid, bool)) or (isinstance(qid, str) and qid.strip())
        self.current = (number, qid if id_ok else None)
        where = None
        if not id_ok:
            self.bad(where, "id", qid, "an integer or a non-empty string")
        elif str(qid) in seen:
            self.bad(where, "id", qid, f"a unique id (question {seen[str(qid)]} has the same id)")
        else:
            seen[str(qid)] = number
        text = raw.get("question", _MISSING)
        if not isinstance(text, str) or not text.strip():
            self.bad(where, "question", text, "the question text (a non-empty string)")
        kind = raw.get("type", "singleChoice")
        if kind not in KINDS:
            self.bad(where, "type", kind, "one of " + ", ".join(KINDS))
            return None
        options = self.options(raw, where, kind)
        explanation = topic = None
        tolerance = 0.0
        extra: dict[str, Any] = {}
        if not raw.keys() <= _ORIGINAL_KEYS:  # original-format questions skip the extension checks
            explanation = self.optional_text(raw, where, "explanation")
            topic = self.optional_text(raw, where, "topic")
            tolerance = self.tolerance(raw, where, kind)
            if not _EXTENSION_KEYS.isdisjoint(raw):  # most extended exams only add explanation/topic
                extra = self.extensions(raw, where, kind)
            if options is not None:
                options = self.feedback(raw, where, kind, options)
                options = self.weights(raw, where, kind, options)
        if self.default_format is not None and "format" not in extra:
            extra["format"] = self.default_format
        answer = self.question_answer(raw, where, kind, options, tolerance, extra)
        if len(self.problems) > before or answer is None or options is None:
            return None
        question = _fast_new(
            Question,
            id=qid,
            number=number,
            text=text,
            kind=kind,
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

    def extensions(self, raw: Mapping, where: str | None, kind: str) -> dict[str, Any]:
        """The extension keys of one question, checked; only those given (the rest stay class defaults)."""
        extra: dict[str, Any] = {}
        text_format = self.text_format(raw, where)
        if text_format is not None:
            extra["format"] = text_format
        for name in ("title", "incorrect_feedback"):
            value = self.optional_text(raw, where, name)
            if value is not None:
                extra[name] = value
        precision = raw.get("precision")
        if precision is not None:
            if kind != "numeric":
                self.bad(where, "precision", precision, "no precision (only numeric questions have one)")
            elif type(precision) is int and 1 <= precision <= 100:
                extra["precision"] = precision
            else:
                self.bad(where, "precision", precision, "a whole number of significant digits, 1 to 100")
        match_case = raw.get("match_case")
        if match_case is not None:
            if kind != "text":
                self.bad(where, "match_case", match_case, "no match_case (only text questions have one)")
            elif isinstance(match_case, bool):
                extra["match_case"] = match_case
            else:
                self.bad(where, "match_case", match_case, "true or false")
        threshold = raw.get("fuzzy_threshold")
        if threshold is not None:
            if kind != "text":
                self.bad(where, "fuzzy_threshold", threshold, "no fuzzy_threshold (only text questions)")
            elif self.fuzzy(where, "fuzzy_threshold", threshold):
                extra["fuzzy_threshold"] = float(threshold)
        entries = raw.get("answers")
        if entries is not None:
            if kind not in ("numeric", "text"):
                self.bad(
                    where,
                    "answers",
                    entries,
                    "no answers list (choice questions use 'options', 'answer' and 'weights')",
                )
            elif not isinstance(entries, list) or not entries:
                self.bad(where, "answers", entries, "a non-empty list of answer entries")
            else:
                check = self.numeric_entry if kind == "numeric" else self.text_entry
                checked = [check(where, f"answers[{i}]", e) for i, e in enumerate(entries)]
                if all(e is not None for e in checked):
                    extra["answers"] = tuple(checked)
        return extra

    def fuzzy(self, where: str | None, name: str, value: object) -> bool:
        if _finite(value) and 0 < value <= 1:  # type: ignore[operator]
            return True
        self.bad(where, name, value, "a similarity ratio above 0 and at most 1, e.g. 0.8")
        return False

    def entry_keys(self, where: str | None, name: str, entry: object, keys: tuple[str, ...]) -> bool:
        if not _is_map(entry):
            self.bad(where, name, entry, "an object with keys from " + ", ".join(keys))
            return False
        unknown = [k for k in entry if k not in keys]
        if unknown:
            self.bad(where, name, unknown[0], "a key from " + ", ".join(keys))
            return False
        return True

    def entry_common(self, where: str | None, name: str, entry: Mapping) -> tuple[float, str | None]:
        credit = entry.get("credit", 100.0)
        if not (_finite(credit) and 0 <= credit <= 100):
            self.bad(where, f"{name}.credit", credit, "a percentage from 0 to 100")
            credit = 0.0
        feedback = entry.get("feedback")
        if feedback is not None and not isinstance(feedback, str):
            self.bad(where, f"{name}.feedback", feedback, "a string")
            feedback = None
        return float(credit), feedback

    def optional_number(self, where: str | None, name: str, value: object) -> float | None:
        if value is None:
            return None
        if _finite(value):
            return float(value)  # type: ignore[arg-type]
        self.bad(where, name, value, "a finite number")
        return None

    def numeric_entry(self, where: str | None, name: str, entry: object) -> NumericEntry | None:
        if not self.entry_keys(where, name, entry, _NUMERIC_ENTRY_KEYS):
            return None
        assert isinstance(entry, Mapping)
        before = len(self.problems)
        credit, feedback = self.entry_common(where, name, entry)
        value = self.optional_number(where, f"{name}.value", entry.get("value"))
        low = self.optional_number(where, f"{name}.min", entry.get("min"))
        high = self.optional_number(where, f"{name}.max", entry.get("max"))
        tolerance = entry.get("tolerance", 0.0)
        if tolerance is None:
            tolerance = 0.0
        exclusive = entry.get("max_exclusive", False)
        if len(self.problems) > before:
            return None
        ranged = entry.get("min") is not None or entry.get("max") is not None
        if entry.get("value") is None and not ranged:
            self.bad(where, name, entry, "a 'value' (with an optional 'tolerance') or a range 'min'/'max'")
        elif entry.get("value") is not None and ranged:
            self.bad(where, name, entry, "either a 'value' or a range 'min'/'max', not both")
        elif not (_finite(tolerance) and tolerance >= 0):
            self.bad(where, f"{name}.tolerance", tolerance, "a finite number >= 0")
        elif ranged and tolerance:
            self.bad(where, f"{name}.tolerance", tolerance, "no tolerance on a range")
        elif not isinstance(exclusive, bool) or (exclusive and high is None):
            self.bad(where, f"{name}.max_exclusive", exclusive, "true or false, and only with a 'max'")
        elif low is not None and high is not None and (high < low or (exclusive and high == low)):
            self.bad(where, f"{name}.max", high, f"a number above 'min' ({found(low)})")
        if len(self.problems) > before:
            return None
        return NumericEntry(value, float(tolerance), low, high, exclusive, credit, feedback)

    def text_entry(self, where: str | None, name: str, entry: object) -> TextEntry | None:
        if not self.entry_keys(where, name, entry, _TEXT_ENTRY_KEYS):
            return None
        assert isinstance(entry, Mapping)
        before = len(self.problems)
        credit, feedback = self.entry_common(where, name, entry)
        text = entry.get("text", _MISSING)
        # A star escaped as `\*` is one character a learner types.
        if not (isinstance(text, str) and _good_text(text.replace("\\*", "*"))):
            limit = grading.MAX_TEXT_ANSWER
            self.bad(
                where, f"{name}.text", text, f"an accepted answer (a non-empty string, <= {limit} chars)"
            )
        match_case = entry.get("match_case")
        if match_case is not None and not isinstance(match_case, bool):
            self.bad(where, f"{name}.match_case", match_case, "true or false")
        threshold = entry.get("fuzzy_threshold")
        if threshold is not None and self.fuzzy(where, f"{name}.fuzzy_threshold", threshold):
            threshold = float(threshold)
        if len(self.problems) > before:
            return None
        return TextEntry(text.strip(), credit, feedback, match_case, threshold)

    def weights(self, raw: Mapping, where: str | None, kind: str, options: tuple[Option, ...]):
        value = raw.get("weights")
        if value is None:
            return options
        keys = [o.key for o in options]
        if kind not in CHOICE_KINDS:
            self.bad(where, "weights", value, "no weights (only choice questions have them)")
            return options
        if not _is_map(value) or not value:
            self.bad(
                where, "weights", value, "an object of option letter -> percent, e.g. {'A': 50, 'B': 50}"
            )
            return options
        before = len(self.problems)
        for key, weight in value.items():
            if key not in keys:
                self.bad(where, "weights", key, f"option letters ({', '.join(keys)}) as keys")
            elif not (_finite(weight) and -100 <= weight <= 100):
                self.bad(where, f"weights.{key}", weight, "a percentage from -100 to 100")
        if len(self.problems) > before:
            return options
        weighted = tuple(Option(o.key, o.text, o.feedback, float(value.get(o.key, 0.0))) for o in options)
        if kind == "multiChoice":
            total = sum(o.weight for o in weighted if o.weight > 0)  # type: ignore[operator, misc]
            if abs(total - 100) >= 100 - _FULL:
                self.bad(
                    where, "weights", value, f"positive weights that add up to 100 (they add up to {total:g})"
                )
        elif max(o.weight for o in weighted) < _FULL:  # type: ignore[type-var]
            self.bad(where, "weights", value, "one option with weight 100 (the right answer)")
        # Weights that are wrong as a whole are reported once, not again against the answer.
        return options if len(self.problems) > before else weighted

    def question_answer(self, raw: Mapping, where, kind: str, options, tolerance: float, extra: dict) -> Any:
        if options is None:
            return None
        implied_by = "weights" if kind in CHOICE_KINDS else "answers"
        if "answer" in raw or implied_by not in raw:
            answer = self.answer(raw, where, kind, options)
            if answer is not None:
                self.answer_fits(raw, where, kind, options, answer, tolerance, extra)
            return answer
        if implied_by == "answers" and "answers" not in extra:
            return None  # the entries are wrong, which is already reported
        return self.derived_answer(kind, options, extra.get("answers", ()))

    def derived_answer(self, kind: str, options: tuple[Option, ...], entries: tuple) -> Any:
        """`answer` left out beside `weights` or `answers`: the answer they imply (checked by reachable())."""
        if kind in ("singleChoice", "trueFalse"):
            top = max(o.weight or 0.0 for o in options)
            return (next(o.key for o in options if (o.weight or 0.0) == top),)
        if kind == "multiChoice":
            return tuple(o.key for o in options if (o.weight or 0.0) > 0)
        candidates = _candidates(kind, entries)
        if not candidates:
            self.bad(
                None, "answers", [_shown_entry(e) for e in entries], "at least one entry with credit 100"
            )
            return None
        return candidates[0] if kind == "numeric" else tuple(candidates)

    def answer_fits(
        self, raw: Mapping, where: str | None, kind: str, options, answer, tolerance: float, extra: dict
    ) -> None:
        """A given `answer` must agree with `weights`; beside `answers` it becomes their last entry."""
        if any(o.weight is not None for o in options):
            weights = {o.key: o.weight for o in options}
            if kind == "multiChoice":
                expected = tuple(k for k, w in weights.items() if w > 0)  # type: ignore[operator]
                if set(answer) != set(expected):
                    self.bad(
                        where,
                        "answer",
                        raw.get("answer"),
                        f"the options with a positive weight ({', '.join(expected)})",
                    )
            elif weights[answer[0]] < _FULL:  # type: ignore[operator]
                top = [k for k, w in weights.items() if w >= _FULL]  # type: ignore[operator]
                self.bad(where, "answer", raw.get("answer"), f"the option with weight 100 ({', '.join(top)})")
        entries = extra.get("answers")
        if entries:
            if kind == "numeric":
                extra["answers"] = (*entries, NumericEntry(value=answer, tolerance=tolerance))
            else:
                extra["answers"] = (*entries, *(TextEntry(a, wildcard=False) for a in answer))

    def reachable(self, question: Question, where: str | None) -> Question | None:
        """With `answers`, the answer shown as right must grade fully right; the first candidate that does
        becomes question.answer (an entry shadowed by an earlier, lower-credit one is an error)."""
        if question.is_correct(question.correct_normalized()):
            return question
        for candidate in _candidates(question.kind, question.answers):
            answer = candidate if question.kind == "numeric" else (candidate,)
            trial = _fast_new(Question, **{**question.__dict__, "answer": answer})
            if trial.is_correct(trial.correct_normalized()):
                if question.kind == "text":
                    rest = tuple(a for a in question.answer if a != candidate)  # type: ignore[union-attr]
                    trial.__dict__["answer"] = (candidate, *rest)
                return trial
        self.bad(
            where,
            "answers",
            [_shown_entry(e) for e in question.answers],
            "an entry with credit 100 that an answer can reach (an earlier entry matches it first)",
        )
        return None

    def options(self, raw: Mapping, where: str | None, kind: str) -> tuple[Option, ...] | None:
        value = raw.get("options", _MISSING)
        if kind not in CHOICE_KINDS:
            if value is _MISSING or value is None or value in ({}, []):
                return ()
            self.bad(where, "options", value, f"no options for a {kind} question")
            return None
        if kind == "trueFalse" and (value is _MISSING or value is None):
            return (Option("A", "True"), Option("B", "False"))
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
        if len(pairs) < 2 or (kind == "trueFalse" and len(pairs) != 2):
            self.bad(where, "options", value, "exactly 2 options" if kind == "trueFalse" else expected)
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

    def feedback(self, raw: Mapping, where: str | None, kind: str, options: tuple[Option, ...]):
        value = raw.get("feedback")
        if value is None:
            return options
        keys = {o.key for o in options}
        if kind not in CHOICE_KINDS or not _is_map(value):
            self.bad(where, "feedback", value, "an object of option letter -> feedback text")
            return options
        for key, text in value.items():
            if key not in keys:
                self.bad(where, "feedback", key, f"option letters ({', '.join(sorted(keys))}) as keys")
            elif not isinstance(text, str):
                self.bad(where, f"feedback.{key}", text, "a string")
        return tuple(Option(o.key, o.text, value.get(o.key)) for o in options)

    def tolerance(self, raw: Mapping, where: str | None, kind: str) -> float:
        value = raw.get("tolerance", _MISSING)
        if value is _MISSING or value is None:
            return 0.0
        if kind != "numeric":
            self.bad(where, "tolerance", value, "no tolerance (only numeric questions have one)")
        elif _finite(value) and value >= 0:
            return float(value)
        else:
            self.bad(where, "tolerance", value, "a finite number >= 0")
        return 0.0

    def answer(self, raw: Mapping, where: str | None, kind: str, options: tuple[Option, ...]):
        value = raw.get("answer", _MISSING)
        if kind == "singleChoice" and type(value) is str and len(value) == 1:  # the common case, fast
            for option in options:
                if option.key == value:
                    return (value,)
        keys = [o.key for o in options]
        letters = ", ".join(keys)
        if kind == "singleChoice":
            letter = value[0] if isinstance(value, list) and len(value) == 1 else value
            if isinstance(letter, str) and letter.strip().upper() in keys:
                return (letter.strip().upper(),)
            self.bad(where, "answer", value, f"one of the option letters {letters}")
        elif kind == "trueFalse":
            if isinstance(value, bool):
                return (grading.bool_key(options, value),)
            if isinstance(value, str):
                s = value.strip()
                if s.upper() in keys:
                    return (s.upper(),)
                if s.casefold() in ("true", "false"):
                    return (grading.bool_key(options, s.casefold() == "true"),)
            self.bad(where, "answer", value, f"true/false, 'True'/'False' or an option letter ({letters})")
        elif kind == "multiChoice":
            expected = f"a list of different option letters from {letters}, e.g. ['B', 'E']"
            if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                picked = [v.strip().upper() for v in value]
                if all(p in keys for p in picked) and len(set(picked)) == len(picked):
                    return tuple(sorted(picked))
            self.bad(where, "answer", value, expected)
        elif kind == "numeric":
            if _finite(value):
                return float(value)
            self.bad(where, "answer", value, "a finite number")
        else:
            accepted = value if isinstance(value, list) else [value]
            if accepted and all(_good_text(a) for a in accepted):
                return tuple(a.strip() for a in accepted)
            limit = grading.MAX_TEXT_ANSWER
            self.bad(where, "answer", value, f"a non-empty string (<= {limit} chars) or a list of them")
        return None


def _candidates(kind: str, entries: tuple) -> list:
    """Answers that the full-credit entries accept, in entry order: values, range middles, literal texts."""
    result: list = []
    for entry in entries:
        if entry.credit < _FULL:
            continue
        if kind == "text":
            result.append(entry.text.replace("\\*", "*") if entry.wildcard else entry.text)
        elif entry.value is not None:
            result.append(entry.value)
        elif entry.min is not None and entry.max is not None:
            result.append((entry.min + entry.max) / 2)
        elif entry.min is not None:
            result.append(entry.min)
        else:
            result.append(math.nextafter(entry.max, -math.inf) if entry.max_exclusive else entry.max)
    return result


def _shown_entry(entry: NumericEntry | TextEntry) -> dict:
    return {k: v for k, v in entry.__dict__.items() if v is not None and k != "wildcard"}


def _is_map(value: object) -> bool:
    return type(value) is dict or isinstance(value, Mapping)  # the ABC check is slow; dicts are common


def _fast_new(cls: type, **fields: Any) -> Any:
    # Same result as cls(**fields) with every field given; skips the frozen __init__ (one
    # object.__setattr__ per field), which was a third of the load time of a 10,000-question exam.
    obj = object.__new__(cls)
    obj.__dict__.update(fields)
    return obj


def _option(key: str, text: str) -> Option:
    option = object.__new__(Option)
    option.__dict__.update(key=key, text=text, feedback=None)  # as in _fast_new, minus a call
    return option


def _finite(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _good_text(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value.strip()) <= grading.MAX_TEXT_ANSWER


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
